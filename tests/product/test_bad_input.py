"""Bad input through the API: each refusal is the right code, names the field and the rule, and
writes nothing (issue 11, "Bad input"). Near-misses that must pass sit beside the refusals."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import grpc
import pytest

from livecommerce.product.v1 import product_pb2 as pb
from tests.product.messages import NOW, doc, file_licence, inspection, licence, rice, rid, submitted, ts
from tests.support import refused

INVALID, PRECONDITION = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION




async def row_counts(database_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "product"})
    try:
        tables = ("products", "product_versions", "product_history", "licences", "ip_authorizations", "inspections", "outbox", "request_outcomes")
        return {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in tables}
    finally:
        await conn.close()


# (what is wrong, changes to the valid file, code, {field: rule})
SUBMISSIONS = [
    ("nothing at all", {"__empty__": True}, INVALID, {
        "details.title": "PRD-01", "details.category": "PRD-01", "details.origin": "PRD-01", "details.producer": "PRD-01",
        "details.performance_and_use": "PRD-01", "details.specification": "PRD-01", "details.ingredients": "PRD-01",
        "details.price_fen": "PRD-01", "details.expiry_date": "PRD-01", "details.images": "PRD-01", "details.ip_rights": "PRD-03",
    }),
    ("unknown category", {"category": "food.caviar"}, INVALID, {"details.category": "PRD-01"}),
    ("negative price", {"price_fen": -1}, INVALID, {"details.price_fen": "PRD-01"}),
    ("absurd price", {"price_fen": 100_000_001}, INVALID, {"details.price_fen": "PRD-01"}),
    ("expired goods", {"expiry_date": "2026-11-23"}, INVALID, {"details.expiry_date": "PRD-01"}),
    ("not a date", {"expiry_date": "2027/06/30"}, INVALID, {"details.expiry_date": "PRD-01"}),
    ("oversized title", {"title": "米" * 61}, INVALID, {"details.title": "PRD-01"}),
    ("oversized ingredients", {"ingredients": "稻" * 2001}, INVALID, {"details.ingredients": "PRD-01"}),
    ("image without digest", {"images": [pb.DocumentRef(uri="s3://products/x.jpg", sha256="abc")]}, INVALID, {"details.images[0].sha256": "PRD-01"}),
    ("crossed-out price without evidence", {"crossed_out_price_fen": 12990}, INVALID, {"details.crossed_out_price_evidence": "PRD-08"}),
    ("crossed-out price above the real one", {
        "crossed_out_price_fen": 12990,
        "crossed_out_price_evidence": pb.PriceEvidence(
            amount_fen=10990, sold_from=ts(NOW - timedelta(days=30)), sold_until=ts(NOW - timedelta(days=1)), source="本店订单记录"
        ),
    }, INVALID, {"details.crossed_out_price_evidence.amount_fen": "PRD-08"}),
    ("crossed-out price sold too long ago", {
        "crossed_out_price_fen": 12990,
        "crossed_out_price_evidence": pb.PriceEvidence(
            amount_fen=12990, sold_from=ts(NOW - timedelta(days=60)), sold_until=ts(NOW - timedelta(days=8)), source="本店订单记录"
        ),
    }, INVALID, {"details.crossed_out_price_evidence.sold_until": "PRD-08"}),
    ("link to an unknown host", {"link_url": "https://shop.evil-jd.com/item/1"}, INVALID, {"details.link_url": "PRD-05"}),
    ("link over plain http", {"link_url": "http://item.jd.com/1"}, INVALID, {"details.link_url": "PRD-05"}),
    ("another merchant's authorization", {
        "ip_rights": [pb.IpRight(kind=pb.IP_RIGHT_KIND_TRADEMARK, number="第87654321号", holder="某某品牌管理有限公司", authorization_id="4b1f0a52-1f0e-4a8e-9d55-0a5c7c1e2f11")],
    }, INVALID, {"details.ip_rights[0].authorization_id": "PRD-03"}),
    ("a patent only applied for", {
        "ip_rights": [pb.IpRight(kind=pb.IP_RIGHT_KIND_PATENT, number="ZL202310123456.7", holder="五常稻香农业有限公司", owned_by_merchant=True, patent_status=pb.PATENT_STATUS_APPLICATION)],
    }, PRECONDITION, {"details.ip_rights[0].patent_status": "PRD-03"}),
    ("no licence for food", {"licence_ids": []}, PRECONDITION, {"details.licence_ids": "PRD-02"}),
    ("a prohibited category", {"category": "tobacco"}, PRECONDITION, {"details.category": "PRD-06"}),
]


@pytest.mark.parametrize(("what", "changes", "code", "expected"), SUBMISSIONS, ids=[s[0] for s in SUBMISSIONS])
async def test_PRD_01_a_bad_submission_names_every_field_and_rule_and_writes_nothing(merchant, database_url, what, changes, code, expected):
    licence_id = await file_licence(merchant)
    before = await row_counts(database_url)
    others = {name: value for name, value in changes.items() if name != "licence_ids"}
    details = pb.ProductDetails() if changes.get("__empty__") else rice(changes.get("licence_ids", [licence_id]), **others)
    found = await refused(merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=details)))
    assert found["code"] == code, found["message"]
    for field, rule in expected.items():
        assert field in found["fields"], (field, found)
        assert rule in found["fields"][field] or rule in found["rules"], (field, rule, found)
    assert await row_counts(database_url) == before


NEAR_MISSES = [
    ("a price at the ceiling", {"price_fen": 100_000_000}),
    ("goods expiring tomorrow (Beijing)", {"expiry_date": "2026-11-24"}),
    ("a title of 60 characters", {"title": "米" * 60}),
    ("a link to a jd.com subdomain", {"link_url": "https://item.jd.com/100012043978.html"}),
    ("a crossed-out price sold until a week ago", {
        "crossed_out_price_fen": 12990,
        "crossed_out_price_evidence": pb.PriceEvidence(
            amount_fen=12990, sold_from=ts(NOW - timedelta(days=60)), sold_until=ts(NOW - timedelta(days=7)), source="本店订单记录"
        ),
    }),
    ("a title with 象牙白 (a colour, not ivory)", {"title": "象牙白陶瓷碗装大米"}),
]


@pytest.mark.parametrize(("what", "changes"), NEAR_MISSES, ids=[s[0] for s in NEAR_MISSES])
async def test_PRD_01_near_misses_are_accepted(merchant, what, changes):
    product = await submitted(merchant, rice([await file_licence(merchant)], **changes))
    assert product.state == pb.PRODUCT_STATE_PENDING_REVIEW


async def test_PRD_01_a_duplicate_submission_is_refused_and_a_retry_is_not(merchant, database_url):
    details = rice([await file_licence(merchant)])
    await merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=details))
    before = await row_counts(database_url)
    found = await refused(merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=details)))
    assert found["code"] == grpc.StatusCode.ALREADY_EXISTS and "PRD-01" in found["message"]
    disguised = rice(list(details.licence_ids), title=details.title.replace(" ", "  "), specification="5KG/袋")
    found = await refused(merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=disguised)))
    assert found["code"] == grpc.StatusCode.ALREADY_EXISTS
    assert await row_counts(database_url) == before


async def test_a_request_id_reused_for_another_call_is_refused(merchant, stubs_for):
    request_id = rid()
    await merchant.SubmitProduct(pb.SubmitProductRequest(request_id=request_id, details=rice([await file_licence(merchant)])))
    stranger = stubs_for("merchant", "m-2").products
    found = await refused(stranger.SubmitProduct(pb.SubmitProductRequest(request_id=request_id, details=rice([await file_licence(stranger)]))))
    assert found["code"] == grpc.StatusCode.ALREADY_EXISTS and "request_id" in found["message"]
    found = await refused(merchant.RecordLicence(pb.RecordLicenceRequest(request_id=request_id, licence=licence())))
    assert found["code"] == grpc.StatusCode.ALREADY_EXISTS


async def test_every_write_requires_a_request_id(merchant, officer):
    product = await submitted(merchant)
    calls = [
        merchant.SubmitProduct(pb.SubmitProductRequest(details=rice([]))),
        merchant.ReviseProduct(pb.ReviseProductRequest(product_id=product.product_id, expected_latest_version=1, details=rice([]))),
        officer.ReviewProduct(pb.ReviewProductRequest(product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)),
        merchant.RecordLicence(pb.RecordLicenceRequest(licence=licence())),
        merchant.RecordIpAuthorization(pb.RecordIpAuthorizationRequest()),
        officer.RecordInspection(pb.RecordInspectionRequest(inspection=inspection(product.product_id))),
        officer.DelistProduct(pb.DelistProductRequest(product_id=product.product_id, cause=pb.DELIST_CAUSE_COMPLIANCE, reason="x")),
        officer.RelistProduct(pb.RelistProductRequest(product_id=product.product_id, reason="x")),
    ]
    for call in calls:
        found = await refused(call)
        assert found["code"] == INVALID and "request_id" in found["fields"]


LICENCES = [
    ("unknown kind", {"kind": "fishing_licence"}, INVALID, "licence.kind"),
    ("no number", {"number": ""}, INVALID, "licence.number"),
    ("no document", {"document": None}, INVALID, "licence.document"),
    ("ends before it starts", {"valid_from": ts(NOW + timedelta(days=10)), "valid_until": ts(NOW + timedelta(days=5))}, INVALID, "licence.valid_until"),
    ("no end", {"valid_until": None}, INVALID, "licence.valid_until"),
    ("expired already", {"valid_from": ts(NOW - timedelta(days=400)), "valid_until": ts(NOW - timedelta(seconds=1))}, PRECONDITION, "licence.valid_until"),
]


@pytest.mark.parametrize(("what", "changes", "code", "field"), LICENCES, ids=[s[0] for s in LICENCES])
async def test_PRD_02_a_bad_licence_is_refused_naming_the_field(merchant, database_url, what, changes, code, field):
    message = licence()
    for name, value in changes.items():
        if value is None:
            message.ClearField(name)
        elif isinstance(value, str):
            setattr(message, name, value)
        else:
            getattr(message, name).CopyFrom(value)
    before = await row_counts(database_url)
    found = await refused(merchant.RecordLicence(pb.RecordLicenceRequest(request_id=rid(), licence=message)))
    assert found["code"] == code and field in found["fields"]
    assert "PRD-02" in found["fields"][field] or found["rules"] == ["PRD-02"]
    assert await row_counts(database_url) == before


async def test_PRD_03_a_bad_authorization_is_refused_naming_every_field(merchant, database_url):
    before = await row_counts(database_url)
    found = await refused(merchant.RecordIpAuthorization(pb.RecordIpAuthorizationRequest(
        request_id=rid(), authorization=pb.IpAuthorization(right_numbers=["第1号", "第1号"], valid_from=ts(NOW)),
    )))
    assert found["code"] == INVALID
    assert {"authorization.holder", "authorization.right_numbers", "authorization.valid_until", "authorization.document"} <= set(found["fields"])
    assert await row_counts(database_url) == before


async def test_PRD_07_a_bad_inspection_is_refused(merchant, officer, database_url):
    product = await submitted(merchant)
    before = await row_counts(database_url)
    future = inspection(product.product_id, sampled_at=NOW + timedelta(hours=1))
    found = await refused(officer.RecordInspection(pb.RecordInspectionRequest(request_id=rid(), inspection=future)))
    assert found["code"] == INVALID and "PRD-07" in found["fields"]["inspection.sampled_at"]
    failed_without_findings = inspection(product.product_id, passed=False)
    failed_without_findings.findings = ""
    found = await refused(officer.RecordInspection(pb.RecordInspectionRequest(request_id=rid(), inspection=failed_without_findings)))
    assert "inspection.findings" in found["fields"]
    no_report = inspection(product.product_id)
    no_report.ClearField("report")
    found = await refused(officer.RecordInspection(pb.RecordInspectionRequest(request_id=rid(), inspection=no_report)))
    assert "inspection.report" in found["fields"]
    assert await row_counts(database_url) == before


async def test_ids_that_are_not_ours_are_invalid_and_unknown_ones_missing(merchant):
    found = await refused(merchant.GetProduct(pb.GetProductRequest(product_id="not-a-uuid")))
    assert found["code"] == INVALID and "product_id" in found["fields"]
    found = await refused(merchant.GetProduct(pb.GetProductRequest(product_id="4b1f0a52-1f0e-4a8e-9d55-0a5c7c1e2f11")))
    assert found["code"] == grpc.StatusCode.NOT_FOUND
    found = await refused(merchant.ListProducts(pb.ListProductsRequest(page={"page_token": "garbage!"})))
    assert found["code"] == INVALID and "page.page_token" in found["fields"]


async def test_PRD_10_a_take_down_needs_a_cause_and_a_reason(merchant, officer, database_url):
    product = await submitted(merchant)
    before = await row_counts(database_url)
    found = await refused(officer.DelistProduct(pb.DelistProductRequest(request_id=rid(), product_id=product.product_id)))
    assert found["code"] == INVALID and {"cause", "reason"} <= set(found["fields"])
    found = await refused(officer.DelistProduct(pb.DelistProductRequest(
        request_id=rid(), product_id=product.product_id, cause=pb.DELIST_CAUSE_LICENCE_EXPIRED, reason="x"
    )))
    assert "cause" in found["fields"]  # the clock's causes are the service's own
    found = await refused(officer.DelistProduct(pb.DelistProductRequest(
        request_id=rid(), product_id=product.product_id, cause=pb.DELIST_CAUSE_COMPLIANCE, reason="假冒商品"
    )))
    assert found["code"] == PRECONDITION and found["rules"] == ["PRD-10"]  # nothing approved to take down
    assert await row_counts(database_url) == before


async def test_only_merchants_submit_and_only_officers_review(stubs_for, merchant):
    product = await submitted(merchant)
    officer_as_merchant = stubs_for("compliance_officer").products
    found = await refused(officer_as_merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=rice([]))))
    assert found["code"] == grpc.StatusCode.PERMISSION_DENIED
    merchant_without_tenant = stubs_for("merchant").products
    found = await refused(merchant_without_tenant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=rice([]))))
    assert found["code"] == grpc.StatusCode.PERMISSION_DENIED
    found = await refused(merchant.ReviewProduct(pb.ReviewProductRequest(
        request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE
    )))
    assert found["code"] == grpc.StatusCode.PERMISSION_DENIED and "PRD-04" in found["message"]


def test_documents_in_the_corpus_are_well_formed():
    assert len(doc("x").sha256) == 64


async def test_PRD_02_the_same_licence_filed_twice_is_refused_naming_the_first(merchant, database_url):
    first = licence()
    recorded = (await merchant.RecordLicence(pb.RecordLicenceRequest(request_id=rid(), licence=first))).licence
    before = await row_counts(database_url)
    found = await refused(merchant.RecordLicence(pb.RecordLicenceRequest(request_id=rid(), licence=first)))
    assert found["code"] == grpc.StatusCode.ALREADY_EXISTS and recorded.licence_id in found["message"] and "PRD-02" in found["message"]
    assert await row_counts(database_url) == before


async def test_PRD_04_a_revision_of_a_version_someone_else_replaced_is_aborted(merchant, database_url):
    product = await submitted(merchant)
    licence_ids = list(product.details.licence_ids)
    await merchant.ReviseProduct(pb.ReviseProductRequest(
        request_id=rid(), product_id=product.product_id, expected_latest_version=1, details=rice(licence_ids, title="大米 新版")
    ))
    before = await row_counts(database_url)
    found = await refused(merchant.ReviseProduct(pb.ReviseProductRequest(
        request_id=rid(), product_id=product.product_id, expected_latest_version=1, details=rice(licence_ids, title="大米 另一版")
    )))
    assert found["code"] == grpc.StatusCode.ABORTED and "expected_latest_version" in found["message"]
    assert await row_counts(database_url) == before
