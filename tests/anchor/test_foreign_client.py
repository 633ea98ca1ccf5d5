"""Anchor onboarding through the real gateway with a gRPC client that is not grpcio (grpclib, its
own HTTP/2 stack), as an integrator on another stack reads docs/anchors.md and anchor.proto: the
agency registers, a compliance officer approves, the training is recorded, the anchor may go live;
a role the policy does not admit, a file that breaks ANC-01 and bytes that are not a request are
refused with a status and its details, and change nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from grpclib.const import Status

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.runtime.timestamps import stamp
from tests.anchor.builders import profile, rid
from tests.foreign_client import UNDECODABLE, refused, refused_undecodable, row_counts, unary
from tests.replicas import GatewayUnderTest, gateway_to
from tests.support import resident_id, with_bad_check_digit

SERVICE = "/livecommerce.anchor.v1.AnchorService"
REGISTER = f"{SERVICE}/RegisterAnchor"


@pytest.fixture
async def gateway(anchor_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("anchor", [f"127.0.0.1:{anchor_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


def registration(**changes) -> pb.RegisterAnchorRequest:
    """The development agency certificate acts for ag-demo: its anchors sign with it."""
    return pb.RegisterAnchorRequest(request_id=rid(), profile=profile(agency_id="ag-demo", **changes))


async def test_ANC_01_02_05_PLT_05_an_agency_onboards_an_anchor_on_another_grpc_stack(channel_as, clock):
    agency, officer = channel_as("agency"), channel_as("compliance_officer")
    request = registration()
    anchor = (await unary(agency, REGISTER, request, pb.RegisterAnchorResponse)).anchor
    assert (anchor.latest_version, anchor.latest_version_status, anchor.approved_version) == (1, pb.FILE_VERSION_STATUS_PENDING_REVIEW, 0)
    assert not anchor.pii_visible and anchor.profile.identity.document_number != request.profile.identity.document_number  # PLT-06

    review = pb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=anchor.anchor_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    approved = (await unary(officer, f"{SERVICE}/ReviewAnchorFile", review, pb.ReviewAnchorFileResponse)).anchor
    assert approved.approved_version == 1 and approved.latest_version_status == pb.FILE_VERSION_STATUS_APPROVED

    blocked = await unary(agency, f"{SERVICE}/CheckGoLiveEligibility", pb.CheckGoLiveEligibilityRequest(anchor_id=anchor.anchor_id), pb.CheckGoLiveEligibilityResponse)
    assert not blocked.eligible and [b.rule_id for b in blocked.blocks] == ["ANC-05"]

    training = pb.RecordTrainingRequest(
        request_id=rid(), anchor_id=anchor.anchor_id, kind=pb.TRAINING_KIND_ONBOARDING, course_id="live-commerce-law-2026",
        completed_at=stamp(clock.now() - timedelta(hours=1)), passed=True,
    )
    recorded = (await unary(agency, f"{SERVICE}/RecordTraining", training, pb.RecordTrainingResponse)).training
    assert recorded.anchor_id == anchor.anchor_id and recorded.passed

    check = await unary(agency, f"{SERVICE}/CheckGoLiveEligibility", pb.CheckGoLiveEligibilityRequest(anchor_id=anchor.anchor_id), pb.CheckGoLiveEligibilityResponse)
    assert check.eligible and not check.blocks
    assert "未成年人需监护人陪同观看" not in check.room_labels and not check.digital_human

    read = (await unary(officer, f"{SERVICE}/GetAnchor", pb.GetAnchorRequest(anchor_id=anchor.anchor_id), pb.GetAnchorResponse)).anchor
    assert read.pii_visible and read.profile.identity.document_number == request.profile.identity.document_number  # PLT-06: officers see it
    assert read.profile.agency_id == "ag-demo"

    history = await unary(officer, f"{SERVICE}/GetAnchorHistory", pb.GetAnchorHistoryRequest(anchor_id=anchor.anchor_id), pb.GetAnchorHistoryResponse)
    assert [(r.action, r.actor.principal, r.actor.role) for r in history.records] == [
        ("registered", "dev-agency", "agency"),
        ("approved", "dev-compliance-officer", "compliance_officer"),
        ("training_recorded", "dev-agency", "agency"),
    ]


async def test_PLT_04_roles_the_policy_does_not_admit_are_refused_on_another_grpc_stack_and_change_nothing(channel_as, database_url):
    pending = (await unary(channel_as("agency"), REGISTER, registration(), pb.RegisterAnchorResponse)).anchor
    before = await row_counts(database_url, "anchor")

    denied = await refused(unary(channel_as("merchant"), REGISTER, registration(), pb.RegisterAnchorResponse))
    assert denied.status is Status.PERMISSION_DENIED and "PLT-04" in denied.message, denied

    review = pb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=pending.anchor_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    denied = await refused(unary(channel_as("agency"), f"{SERVICE}/ReviewAnchorFile", review, pb.ReviewAnchorFileResponse))
    assert denied.status is Status.PERMISSION_DENIED and "PLT-04" in denied.message, denied

    assert await row_counts(database_url, "anchor") == before
    read = (await unary(channel_as("compliance_officer"), f"{SERVICE}/GetAnchor", pb.GetAnchorRequest(anchor_id=pending.anchor_id), pb.GetAnchorResponse)).anchor
    assert (read.approved_version, read.latest_version_status) == (0, pb.FILE_VERSION_STATUS_PENDING_REVIEW)


async def test_ANC_01_a_resident_id_with_a_wrong_check_digit_is_refused_naming_field_and_rule_on_another_grpc_stack(channel_as, database_url):
    before = await row_counts(database_url, "anchor")
    bad = registration()
    bad.profile.identity.document_number = with_bad_check_digit(resident_id(date(1995, 5, 17)))
    error = await refused(unary(channel_as("agency"), REGISTER, bad, pb.RegisterAnchorResponse))
    assert error.status is Status.INVALID_ARGUMENT, error
    assert error.names("profile.identity.document_number", "ANC-01"), error
    assert await row_counts(database_url, "anchor") == before


async def test_ANC_03_an_anchor_under_16_is_refused_naming_the_field_the_age_came_from_on_another_grpc_stack(channel_as, database_url, clock):
    before = await row_counts(database_url, "anchor")
    young = clock.now().date().replace(year=clock.now().year - 15)
    error = await refused(unary(channel_as("agency"), REGISTER, registration(number=resident_id(young)), pb.RegisterAnchorResponse))
    assert error.status is Status.FAILED_PRECONDITION and error.rules == ["ANC-03"], error  # a rule says no (README)
    assert error.names("profile.identity.document_number", "ANC-03"), error
    assert await row_counts(database_url, "anchor") == before


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
async def test_PLT_05_bytes_that_are_not_a_request_are_refused_through_the_gateway_and_the_next_call_is_served(channel_as, database_url, payload):
    agency = channel_as("agency")
    await refused_undecodable(agency, REGISTER, payload, pb.RegisterAnchorResponse, database_url, "anchor")
    anchor = (await unary(agency, REGISTER, registration(), pb.RegisterAnchorResponse)).anchor  # the same channel, the next call
    assert anchor.latest_version == 1
