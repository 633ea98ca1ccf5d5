"""A product's walk through the real gateway with a gRPC client that is not grpcio (grpclib, its
own HTTP/2 stack), as an integrator on another stack reads docs/products.md ("Try it") and
product.proto: the merchant files a licence and submits, a compliance officer approves and samples,
the product is listed; roles the policy does not admit, a submission missing what PRD-01 requires
and bytes that are not a request are refused with a status and its details, and change nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from grpclib.const import Status

from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.product.v1 import prohibited_pb2
from tests.foreign_client import UNDECODABLE, refused, refused_undecodable, row_counts, unary
from tests.product.messages import inspection, licence, rice, rid
from tests.replicas import GatewayUnderTest, gateway_to

SERVICE = "/livecommerce.product.v1.ProductService"
SUBMIT = f"{SERVICE}/SubmitProduct"

PRD_01_FIELDS = (
    "details.title", "details.category", "details.origin", "details.producer", "details.performance_and_use",
    "details.specification", "details.ingredients", "details.price_fen", "details.expiry_date", "details.images",
)  # fmt: skip
"""What docs/products.md (step 7) lists for an empty submission, each with PRD-01."""


@pytest.fixture
async def gateway(product_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("product", [f"127.0.0.1:{product_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


async def licence_on_file(merchant) -> str:
    request = pb.RecordLicenceRequest(request_id=rid(), licence=licence())
    filed = (await unary(merchant, f"{SERVICE}/RecordLicence", request, pb.RecordLicenceResponse)).licence
    assert filed.merchant_id == "m-demo"  # the certificate's tenant
    return filed.licence_id


async def submission(merchant) -> pb.SubmitProductRequest:
    return pb.SubmitProductRequest(request_id=rid(), details=rice([await licence_on_file(merchant)]))


def unfiled_submission() -> pb.SubmitProductRequest:
    """A complete submission naming a licence id nobody filed: the policy refuses it before that matters."""
    return pb.SubmitProductRequest(request_id=rid(), details=rice(["00000000-0000-4000-8000-000000000000"]))


async def test_PRD_01_02_04_07_PLT_05_a_merchant_submits_and_an_officer_lists_on_another_grpc_stack(channel_as):
    merchant, officer = channel_as("merchant"), channel_as("compliance_officer")
    product = (await unary(merchant, SUBMIT, await submission(merchant), pb.SubmitProductResponse)).product
    assert (product.merchant_id, product.state, product.latest_version) == ("m-demo", pb.PRODUCT_STATE_PENDING_REVIEW, 1)
    check = await unary(merchant, f"{SERVICE}/CheckProductListing", pb.CheckProductListingRequest(product_id=product.product_id), pb.CheckProductListingResponse)
    assert [b.rule_id for b in check.blocks] == ["PRD-04"]

    review = pb.ReviewProductRequest(request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    approved = (await unary(officer, f"{SERVICE}/ReviewProduct", review, pb.ReviewProductResponse)).product
    assert (approved.state, approved.approved_version) == (pb.PRODUCT_STATE_APPROVED, 1)
    got = await unary(officer, f"{SERVICE}/GetProduct", pb.GetProductRequest(product_id=product.product_id), pb.GetProductResponse)
    assert [b.rule_id for b in got.blocks] == ["PRD-07"]

    sampled = pb.RecordInspectionRequest(request_id=rid(), inspection=inspection(product.product_id))
    assert (await unary(officer, f"{SERVICE}/RecordInspection", sampled, pb.RecordInspectionResponse)).product.state == pb.PRODUCT_STATE_LISTED
    got = await unary(merchant, f"{SERVICE}/GetProduct", pb.GetProductRequest(product_id=product.product_id), pb.GetProductResponse)
    assert got.product.state == pb.PRODUCT_STATE_LISTED and not got.blocks

    history = await unary(officer, f"{SERVICE}/GetProductHistory", pb.GetProductHistoryRequest(product_id=product.product_id), pb.GetProductHistoryResponse)
    assert [(r.action, r.actor.principal) for r in history.records] == [
        ("submitted", "dev-merchant"), ("approved", "dev-compliance-officer"),
        ("inspected", "dev-compliance-officer"), ("listed", "dev-compliance-officer"),
    ]  # fmt: skip
    none_yet = await refused(unary(
        merchant, "/livecommerce.product.v1.ProhibitedGoodsService/GetProhibitedList", prohibited_pb2.GetProhibitedListRequest(),
        prohibited_pb2.GetProhibitedListResponse,
    ))
    assert none_yet.status is Status.NOT_FOUND, none_yet  # no live version before the first publication (PRD-06)


async def test_PLT_04_roles_the_policy_does_not_admit_are_refused_on_another_grpc_stack_and_change_nothing(channel_as, database_url):
    merchant = channel_as("merchant")
    pending = (await unary(merchant, SUBMIT, await submission(merchant), pb.SubmitProductResponse)).product
    before = await row_counts(database_url, "product")

    denied = await refused(unary(channel_as("platform_admin"), SUBMIT, unfiled_submission(), pb.SubmitProductResponse))
    assert denied.status is Status.PERMISSION_DENIED and "PLT-04" in denied.message, denied
    denied = await refused(unary(channel_as("anchor"), f"{SERVICE}/GetProduct", pb.GetProductRequest(product_id=pending.product_id), pb.GetProductResponse))
    assert denied.status is Status.PERMISSION_DENIED and "PLT-04" in denied.message, denied
    review = pb.ReviewProductRequest(request_id=rid(), product_id=pending.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    denied = await refused(unary(merchant, f"{SERVICE}/ReviewProduct", review, pb.ReviewProductResponse))
    assert denied.status is Status.PERMISSION_DENIED and "PLT-04" in denied.message, denied

    assert await row_counts(database_url, "product") == before
    got = await unary(channel_as("compliance_officer"), f"{SERVICE}/GetProduct", pb.GetProductRequest(product_id=pending.product_id), pb.GetProductResponse)
    assert got.product.state == pb.PRODUCT_STATE_PENDING_REVIEW


async def test_PRD_01_03_an_empty_submission_is_refused_naming_every_field_and_its_rule_on_another_grpc_stack(channel_as, database_url):
    before = await row_counts(database_url, "product")
    error = await refused(unary(channel_as("merchant"), SUBMIT, pb.SubmitProductRequest(request_id=rid(), details=pb.ProductDetails()), pb.SubmitProductResponse))
    assert error.status is Status.INVALID_ARGUMENT, error
    for field in PRD_01_FIELDS:
        assert error.names(field, "PRD-01"), (field, error)
    assert error.names("details.ip_rights", "PRD-03"), error
    assert await row_counts(database_url, "product") == before


async def test_PRD_05_a_link_to_an_unknown_platform_is_refused_naming_field_and_rule_on_another_grpc_stack(channel_as, database_url):
    merchant = channel_as("merchant")
    request = await submission(merchant)
    request.details.link_url = "https://jd.com.example.cn/item/1"
    before = await row_counts(database_url, "product")
    error = await refused(unary(merchant, SUBMIT, request, pb.SubmitProductResponse))
    assert error.status is Status.INVALID_ARGUMENT, error
    assert error.names("details.link_url", "PRD-05"), error
    assert await row_counts(database_url, "product") == before


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
async def test_PLT_05_bytes_that_are_not_a_request_are_refused_through_the_gateway_and_the_next_call_is_served(channel_as, database_url, payload):
    merchant = channel_as("merchant")
    await refused_undecodable(merchant, SUBMIT, payload, pb.SubmitProductResponse, database_url, "product")
    product = (await unary(merchant, SUBMIT, await submission(merchant), pb.SubmitProductResponse)).product  # the same channel, the next call
    assert product.state == pb.PRODUCT_STATE_PENDING_REVIEW
