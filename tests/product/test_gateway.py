"""The product service behind a real gateway (PLT-04, PLT-05), called with the development
certificates: the identity a service sees is the certificate's (the merchant's tenant `m-demo`,
the principal `dev-<role>`), the gateway's policy (gateway/policy.toml) refuses a role a method
does not admit before the service sees the call, and the audit log records every call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import grpc
import pytest

from gateway.audit import verify
from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.product.v1 import product_pb2_grpc
from tests.product.messages import file_licence, inspection, rice, rid
from tests.replicas import GatewayUnderTest, gateway_to

SERVICE = "livecommerce.product.v1.ProductService"


@pytest.fixture
async def gateway(product_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("product", [f"127.0.0.1:{product_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


def products_as(gateway: GatewayUnderTest, role: str) -> product_pb2_grpc.ProductServiceStub:
    return product_pb2_grpc.ProductServiceStub(gateway.channel(role))


def audited(gateway: GatewayUnderTest) -> list[dict]:
    """The audit log's entries, once its chain verifies: each is in the file before its call's
    answer leaves the gateway."""
    count, broken = verify(gateway.audit.path)
    assert broken is None
    entries = [json.loads(line) for line in gateway.audit.path.read_text().splitlines()]
    assert len(entries) == count
    return entries


async def test_PRD_04_PLT_05_a_merchant_submits_and_an_officer_lists_through_the_gateway(gateway):
    merchant, officer = products_as(gateway, "merchant"), products_as(gateway, "compliance_officer")
    licence_id = await file_licence(merchant)
    product = (await merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=rice([licence_id])))).product
    assert product.merchant_id == "m-demo"  # the certificate's tenant: nothing in the request names it
    assert product.state == pb.PRODUCT_STATE_PENDING_REVIEW
    review = pb.ReviewProductRequest(request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    assert (await officer.ReviewProduct(review)).product.state == pb.PRODUCT_STATE_APPROVED
    sampled = await officer.RecordInspection(pb.RecordInspectionRequest(request_id=rid(), inspection=inspection(product.product_id)))
    assert sampled.product.state == pb.PRODUCT_STATE_LISTED
    got = await merchant.GetProduct(pb.GetProductRequest(product_id=product.product_id))
    assert got.product.state == pb.PRODUCT_STATE_LISTED and not got.blocks
    history = (await officer.GetProductHistory(pb.GetProductHistoryRequest(product_id=product.product_id))).records
    assert [(r.action, r.actor.principal, r.actor.role) for r in history] == [
        ("submitted", "dev-merchant", "merchant"),
        ("approved", "dev-compliance-officer", "compliance_officer"),
        ("inspected", "dev-compliance-officer", "compliance_officer"),
        ("listed", "dev-compliance-officer", "compliance_officer"),
    ]
    entries = audited(gateway)
    calls = [(e["principal"], e["role"], e["tenant"], e["method"].rsplit("/", 1)[1], e["decision"], e["code"]) for e in entries]
    assert calls == [
        ("dev-merchant", "merchant", "m-demo", "RecordLicence", "allow", "OK"),
        ("dev-merchant", "merchant", "m-demo", "SubmitProduct", "allow", "OK"),
        ("dev-compliance-officer", "compliance_officer", "", "ReviewProduct", "allow", "OK"),
        ("dev-compliance-officer", "compliance_officer", "", "RecordInspection", "allow", "OK"),
        ("dev-merchant", "merchant", "m-demo", "GetProduct", "allow", "OK"),
        ("dev-compliance-officer", "compliance_officer", "", "GetProductHistory", "allow", "OK"),
    ]
    assert all(e["method"].startswith(f"/{SERVICE}/") for e in entries)
    by_method = {e["method"].rsplit("/", 1)[1]: e for e in entries}
    for method in ("ReviewProduct", "GetProduct", "GetProductHistory"):
        assert by_method[method]["resource"] == product.product_id, method


@pytest.mark.parametrize(
    "role, method",
    [
        ("anchor", "SubmitProduct"),  # only merchants (and platform admins) file products
        ("merchant", "ReviewProduct"),  # a merchant never reviews, not even its own product
        ("regulator", "DelistProduct"),  # regulators read; officers and sessions take down
        ("merchant", "RelistProduct"),
    ],
)
async def test_PLT_04_the_gateway_refuses_a_role_the_policy_does_not_admit(gateway, role, method):
    merchant, officer = products_as(gateway, "merchant"), products_as(gateway, "compliance_officer")
    product = (await merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=rice([await file_licence(merchant)])))).product
    requests = {
        "SubmitProduct": pb.SubmitProductRequest(request_id=rid(), details=rice(list(product.details.licence_ids))),
        "ReviewProduct": pb.ReviewProductRequest(
            request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE
        ),
        "DelistProduct": pb.DelistProductRequest(
            request_id=rid(), product_id=product.product_id, cause=pb.DELIST_CAUSE_COMPLIANCE, reason="抽检不合格"
        ),
        "RelistProduct": pb.RelistProductRequest(request_id=rid(), product_id=product.product_id, reason="复检合格"),
    }
    with pytest.raises(grpc.aio.AioRpcError) as denied:
        await getattr(products_as(gateway, role), method)(requests[method])
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED and "PLT-04" in (denied.value.details() or "")
    # The service never saw it: the product is as submitted, and its history says so.
    got = await officer.GetProduct(pb.GetProductRequest(product_id=product.product_id))
    assert got.product.state == pb.PRODUCT_STATE_PENDING_REVIEW
    history = (await officer.GetProductHistory(pb.GetProductHistoryRequest(product_id=product.product_id))).records
    assert [r.action for r in history] == ["submitted"]
    listed = await officer.ListProducts(pb.ListProductsRequest())
    assert [p.product_id for p in listed.products] == [product.product_id]  # no second product either
    [refusal] = [e for e in audited(gateway) if e["decision"] == "deny"]
    assert (refusal["principal"], refusal["role"], refusal["method"], refusal["code"]) == (
        f"dev-{role.replace('_', '-')}", role, f"/{SERVICE}/{method}", "PERMISSION_DENIED",
    )
