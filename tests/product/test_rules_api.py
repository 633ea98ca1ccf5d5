"""PRD-01..03, PRD-05, PRD-08..10 through the API, with the clock injected: take-downs by the
clock (goods, licence, authorization running out), links, perishables, price evidence and a
session's emergency action."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from livecommerce.product.v1 import product_pb2 as pb
from tests.product.messages import NOW, approved, doc, file_licence, listed, rice, rid, ts
from tests.replicas import wait_until
from tests.support import rich_error


async def state_of(stub, product_id: str) -> int:
    return (await stub.GetProduct(pb.GetProductRequest(product_id=product_id))).product.state


async def taken_down_by_the_clock(stub, product_id: str) -> pb.Product:
    async def delisted() -> bool:
        return await state_of(stub, product_id) == pb.PRODUCT_STATE_DELISTED

    await wait_until(delisted, within=10)
    return (await stub.GetProduct(pb.GetProductRequest(product_id=product_id))).product


async def test_PRD_02_an_expiring_licence_delists_its_products_by_the_clock(merchant, officer, clock):
    licence_id = await file_licence(merchant, until=NOW + timedelta(days=3))
    product = await listed(merchant, officer, rice([licence_id]))
    assert product.state == pb.PRODUCT_STATE_LISTED
    clock.advance(timedelta(days=3) - timedelta(seconds=1))
    check = await merchant.CheckProductListing(pb.CheckProductListingRequest(product_id=product.product_id))
    assert check.listable
    clock.advance(timedelta(seconds=1))  # the licence's exclusive end
    check = await merchant.CheckProductListing(pb.CheckProductListingRequest(product_id=product.product_id))
    assert not check.listable and [b.rule_id for b in check.blocks] == ["PRD-02"]
    down = await taken_down_by_the_clock(officer, product.product_id)
    assert (down.delisting.cause, down.delisting.rule_id, down.delisting.operator.role) == (pb.DELIST_CAUSE_LICENCE_EXPIRED, "PRD-02", "system")


async def test_PRD_02_approval_rechecks_the_licence_at_that_moment(merchant, officer, clock):
    licence_id = await file_licence(merchant, until=NOW + timedelta(days=1))
    product = (await merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=rice([licence_id])))).product
    clock.advance(timedelta(days=2))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await officer.ReviewProduct(pb.ReviewProductRequest(
            request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE
        ))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION and rich_error(refused.value)["rules"] == ["PRD-02"]


async def test_PRD_01_goods_past_their_expiry_date_are_delisted_the_next_beijing_day(merchant, officer, clock):
    product = await listed(merchant, officer, rice([await file_licence(merchant)], expiry_date="2026-11-25"))
    clock.set(NOW.replace(day=25, hour=15, minute=59))  # 23:59 on the 25th in Beijing: still good
    assert (await merchant.CheckProductListing(pb.CheckProductListingRequest(product_id=product.product_id))).listable
    clock.set(NOW.replace(day=25, hour=16))  # 00:00 on the 26th in Beijing
    down = await taken_down_by_the_clock(officer, product.product_id)
    assert (down.delisting.cause, down.delisting.rule_id) == (pb.DELIST_CAUSE_EXPIRED_GOODS, "PRD-01")


async def test_PRD_03_an_expiring_authorization_delists_and_a_holder_must_match(merchant, officer, clock):
    authorization = (await merchant.RecordIpAuthorization(pb.RecordIpAuthorizationRequest(
        request_id=rid(),
        authorization=pb.IpAuthorization(
            holder="某某品牌管理有限公司", right_numbers=["第87654321号"], valid_from=ts(NOW - timedelta(days=30)),
            valid_until=ts(NOW + timedelta(days=10)), document=doc("authorization.pdf"),
        ),
    ))).authorization
    right = pb.IpRight(kind=pb.IP_RIGHT_KIND_TRADEMARK, number="第87654321号", holder="另一家公司", authorization_id=authorization.authorization_id)
    licence_id = await file_licence(merchant)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=rice([licence_id], ip_rights=[right])))
    assert "PRD-03" in rich_error(refused.value)["fields"]["details.ip_rights[0].authorization_id"]
    right.holder = "某某品牌管理有限公司"
    product = await listed(merchant, officer, rice([licence_id], ip_rights=[right]))
    clock.advance(timedelta(days=10))
    down = await taken_down_by_the_clock(officer, product.product_id)
    assert (down.delisting.cause, down.delisting.rule_id) == (pb.DELIST_CAUSE_IP_EXPIRED, "PRD-03")


async def test_PRD_05_a_link_resolves_to_the_approved_version_and_an_external_one_carries_its_notice(merchant, officer, stubs_for):
    product = await listed(merchant, officer, rice([await file_licence(merchant)], link_url="https://item.jd.com/100012043978.html"))
    session = stubs_for("integration", principal="session-service").products
    link = await session.ResolveProductLink(pb.ResolveProductLinkRequest(product_id=product.product_id, shown_version=1))
    assert link.listed and link.matches_shown_version and link.approved_version == 1
    assert link.link.external and link.link.platform == "jd.com" and "京东" in link.link.notice
    revised = (await merchant.ReviseProduct(pb.ReviseProductRequest(
        request_id=rid(), product_id=product.product_id, expected_latest_version=1,
        details=rice(list(product.details.licence_ids), title="有机五常大米 10kg", price_fen=15990),
    ))).product
    assert revised.approved_version == 1 and revised.state == pb.PRODUCT_STATE_LISTED  # the approved version stays on sale
    link = await session.ResolveProductLink(pb.ResolveProductLinkRequest(product_id=product.product_id))
    assert link.price_fen == 8990 and link.approved_version == 1  # never the unreviewed revision
    await officer.ReviewProduct(pb.ReviewProductRequest(request_id=rid(), product_id=product.product_id, version=2, decision=pb.REVIEW_DECISION_APPROVE))
    link = await session.ResolveProductLink(pb.ResolveProductLinkRequest(product_id=product.product_id, shown_version=1))
    assert not link.matches_shown_version and link.approved_version == 2 and link.price_fen == 15990
    own = await listed(merchant, officer, rice([await file_licence(merchant)]))
    assert not own.link.external and own.link.notice == ""


async def test_PRD_08_a_crossed_out_price_with_evidence_is_shown(merchant, officer):
    evidence = pb.PriceEvidence(
        amount_fen=12990, sold_from=ts(NOW - timedelta(days=40)), sold_until=ts(NOW - timedelta(days=2)), source="本店 2026-10 订单记录"
    )
    product = await listed(merchant, officer, rice([await file_licence(merchant)], crossed_out_price_fen=12990, crossed_out_price_evidence=evidence))
    got = (await merchant.GetProduct(pb.GetProductRequest(product_id=product.product_id))).product
    assert got.details.crossed_out_price_fen == 12990 and got.details.crossed_out_price_evidence.source == "本店 2026-10 订单记录"


async def test_PRD_09_a_perishable_product_carries_its_notice_and_strict_after_sales(merchant, officer):
    seafood = rice([await file_licence(merchant)], category="food.fresh.seafood", title="舟山带鱼 1kg", ingredients="带鱼", expiry_date="2026-12-05")
    product = await approved(merchant, officer, seafood)
    assert product.perishable.perishable and product.perishable.strict_after_sales
    assert product.perishable.claim_window_hours == 48 and "生鲜水产" in product.perishable.notice
    grain = await approved(merchant, officer)
    assert not grain.perishable.perishable and grain.perishable.notice == ""


async def test_PRD_10_a_sessions_emergency_action_takes_a_product_down(merchant, officer, stubs_for):
    product = await listed(merchant, officer)
    session = stubs_for("integration", principal="session-service").products
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await session.DelistProduct(pb.DelistProductRequest(
            request_id=rid(), product_id=product.product_id, cause=pb.DELIST_CAUSE_COMPLIANCE, reason="直播间紧急下架"
        ))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await session.DelistProduct(pb.DelistProductRequest(
            request_id=rid(), product_id=product.product_id, cause=pb.DELIST_CAUSE_SESSION_EMERGENCY, reason="直播间紧急下架"
        ))
    assert "session_id" in rich_error(refused.value)["fields"]
    request = pb.DelistProductRequest(
        request_id=rid(), product_id=product.product_id, cause=pb.DELIST_CAUSE_SESSION_EMERGENCY, reason="直播间紧急下架", session_id="s-42"
    )
    down = (await session.DelistProduct(request)).product
    assert (down.delisting.cause, down.delisting.session_id, down.delisting.operator.principal) == (
        pb.DELIST_CAUSE_SESSION_EMERGENCY, "s-42", "session-service"
    )
    assert (await session.DelistProduct(request)).product.delisting == down.delisting  # a retry changes nothing
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await officer.RelistProduct(pb.RelistProductRequest(request_id=rid(), product_id=product.product_id, reason=""))
    assert "reason" in rich_error(refused.value)["fields"]


async def test_PRD_10_a_product_still_blocked_cannot_be_relisted(merchant, officer, clock):
    product = await listed(merchant, officer, rice([await file_licence(merchant, until=NOW + timedelta(days=1))]))
    await officer.DelistProduct(pb.DelistProductRequest(request_id=rid(), product_id=product.product_id, cause=pb.DELIST_CAUSE_COMPLIANCE, reason="抽查"))
    clock.advance(timedelta(days=2))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await officer.RelistProduct(pb.RelistProductRequest(request_id=rid(), product_id=product.product_id, reason="整改完成"))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION and rich_error(refused.value)["rules"] == ["PRD-02"]
