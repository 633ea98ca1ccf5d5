"""The product service end to end over real TLS, PostgreSQL and JetStream: the review workflow
(PRD-04), sampling (PRD-07), take-down and relisting (PRD-10), tenancy (PLT-04), history (PLT-02)."""

from __future__ import annotations

import grpc
import pytest

from livecommerce.product.v1 import product_pb2 as pb
from tests.product.messages import approved, file_licence, inspection, listed, rice, rid, submitted
from tests.support import rich_error


async def test_PRD_04_a_submission_waits_for_review_and_approval_needs_a_passing_sample(merchant, officer):
    product = await submitted(merchant)
    assert product.state == pb.PRODUCT_STATE_PENDING_REVIEW and product.latest_version == 1 and product.approved_version == 0
    product = (await officer.ReviewProduct(
        pb.ReviewProductRequest(request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    )).product
    assert product.state == pb.PRODUCT_STATE_APPROVED and product.approved_version == 1
    got = await merchant.GetProduct(pb.GetProductRequest(product_id=product.product_id))
    assert [b.rule_id for b in got.blocks] == ["PRD-07"]
    done = await officer.RecordInspection(pb.RecordInspectionRequest(request_id=rid(), inspection=inspection(product.product_id)))
    assert done.product.state == pb.PRODUCT_STATE_LISTED
    check = await merchant.CheckProductListing(pb.CheckProductListingRequest(product_id=product.product_id))
    assert check.listable and not check.blocks


async def test_PRD_04_a_rejection_needs_a_reason_and_a_decided_version_never_changes(merchant, officer):
    product = await submitted(merchant)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await officer.ReviewProduct(
            pb.ReviewProductRequest(request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_REJECT)
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "reason" in rich_error(refused.value)["fields"]
    rejected = (await officer.ReviewProduct(pb.ReviewProductRequest(
        request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_REJECT, reason="图片与标题不符",
    ))).product
    assert rejected.state == pb.PRODUCT_STATE_REJECTED
    with pytest.raises(grpc.aio.AioRpcError) as again:
        await officer.ReviewProduct(
            pb.ReviewProductRequest(request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
        )
    assert again.value.code() == grpc.StatusCode.FAILED_PRECONDITION and rich_error(again.value)["rules"] == ["PRD-04"]
    revised = (await merchant.ReviseProduct(pb.ReviseProductRequest(
        request_id=rid(), product_id=product.product_id, expected_latest_version=1,
        details=rice(list(product.details.licence_ids), title="有机五常大米 5kg 新包装"),
    ))).product
    assert revised.latest_version == 2 and revised.state == pb.PRODUCT_STATE_PENDING_REVIEW
    versions = (await officer.ListProductVersions(pb.ListProductVersionsRequest(product_id=product.product_id))).versions
    assert [(v.version, v.status) for v in versions] == [(1, pb.VERSION_STATUS_REJECTED), (2, pb.VERSION_STATUS_PENDING_REVIEW)]
    assert versions[0].review_reason == "图片与标题不符" and versions[0].reviewed_by.principal == "officer-wang"


async def test_PRD_10_take_down_and_relisting_keep_operator_and_reason(merchant, officer):
    product = await listed(merchant, officer)
    down = (await officer.DelistProduct(pb.DelistProductRequest(
        request_id=rid(), product_id=product.product_id, cause=pb.DELIST_CAUSE_COMPLIANCE, reason="消费者投诉质量问题",
    ))).product
    assert down.state == pb.PRODUCT_STATE_DELISTED
    assert (down.delisting.cause, down.delisting.rule_id, down.delisting.reason) == (pb.DELIST_CAUSE_COMPLIANCE, "PRD-10", "消费者投诉质量问题")
    assert down.delisting.operator.principal == "officer-wang"
    link = await officer.ResolveProductLink(pb.ResolveProductLinkRequest(product_id=product.product_id))
    assert not link.listed and link.approved_version == 1
    back = (await officer.RelistProduct(pb.RelistProductRequest(request_id=rid(), product_id=product.product_id, reason="复检合格"))).product
    assert back.state == pb.PRODUCT_STATE_LISTED and not back.HasField("delisting")
    history = (await officer.GetProductHistory(pb.GetProductHistoryRequest(product_id=product.product_id))).records
    assert [r.action for r in history] == ["submitted", "approved", "inspected", "listed", "delisted", "relisted"]
    assert history[4].reason == "消费者投诉质量问题" and history[4].actor.principal == "officer-wang"


async def test_PRD_07_a_failed_inspection_delists_at_once(merchant, officer):
    product = await listed(merchant, officer)
    done = await officer.RecordInspection(pb.RecordInspectionRequest(request_id=rid(), inspection=inspection(product.product_id, passed=False)))
    assert done.product.state == pb.PRODUCT_STATE_DELISTED
    assert done.product.delisting.cause == pb.DELIST_CAUSE_INSPECTION_FAILED and done.product.delisting.rule_id == "PRD-07"


async def test_PLT_04_another_merchants_product_reads_as_missing(merchant, officer, stubs_for):
    product = await submitted(merchant)
    stranger = stubs_for("merchant", "m-2").products
    for call in (
        stranger.GetProduct(pb.GetProductRequest(product_id=product.product_id)),
        stranger.ReviseProduct(pb.ReviseProductRequest(
            request_id=rid(), product_id=product.product_id, expected_latest_version=1, details=rice([])
        )),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call
        assert refused.value.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT)
    listed_by_stranger = await stranger.ListProducts(pb.ListProductsRequest())
    assert list(listed_by_stranger.products) == []
    mine = await merchant.ListProducts(pb.ListProductsRequest(merchant_id="m-2"))  # a merchant always sees only its own
    assert [p.product_id for p in mine.products] == [product.product_id]


async def test_retried_submission_returns_the_first_result(merchant):
    details = rice([await file_licence(merchant)])
    request = pb.SubmitProductRequest(request_id=rid(), details=details)
    first, second = await merchant.SubmitProduct(request), await merchant.SubmitProduct(request)
    assert first.product.product_id == second.product.product_id
    assert len((await merchant.ListProducts(pb.ListProductsRequest())).products) == 1


async def test_approved_product_of_an_officer_is_listed_by_state(merchant, officer):
    await approved(merchant, officer)
    await submitted(merchant)
    by_state = await officer.ListProducts(pb.ListProductsRequest(state=pb.PRODUCT_STATE_APPROVED))
    assert [p.state for p in by_state.products] == [pb.PRODUCT_STATE_APPROVED]


async def test_PLT_02_the_history_reads_as_text_and_a_pending_version_names_no_reviewer(merchant, officer):
    product = await submitted(merchant)
    [record] = (await merchant.GetProductHistory(pb.GetProductHistoryRequest(product_id=product.product_id))).records
    changes = {c.field: c.new_value for c in record.changes}
    assert changes["ip_rights"] == "trademark 第12345678号 of 五常稻香农业有限公司 (own)"
    assert changes["images"].startswith("s3://products/rice-front.jpg (sha256 ")
    assert "crossed_out_price_fen" not in changes and "link_url" not in changes  # not given: not a change
    [version] = (await officer.ListProductVersions(pb.ListProductVersionsRequest(product_id=product.product_id))).versions
    assert version.HasField("submitted_by") and not version.HasField("reviewed_by")
