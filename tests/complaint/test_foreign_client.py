"""Complaints through the real gateway with a gRPC client that is not grpcio (grpclib, its own
HTTP/2 stack), as an integrator on another stack reads docs/complaints.md ("Try it") and
complaint.proto: service staff file a phone complaint and acknowledge it, its history and the
promised feedback are read back, an incident is opened from it; roles that may not file, a
complaint that names nothing, a step out of order and bytes that are not a request are refused
with a status and its details, change nothing, and the next call is served."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from grpclib.const import Status

from livecommerce.complaint.v1 import complaint_pb2 as pb
from tests.complaint.messages import phone_complaint, request_id
from tests.foreign_client import UNDECODABLE, refused, refused_undecodable, row_counts, unary
from tests.replicas import GatewayUnderTest, gateway_to

COMPLAINTS = "/livecommerce.complaint.v1.ComplaintService"
INCIDENTS = "/livecommerce.complaint.v1.IncidentService"
FILE = f"{COMPLAINTS}/FileComplaint"


@pytest.fixture
async def gateway(complaint_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("complaint", [f"127.0.0.1:{complaint_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


def the_call() -> pb.FileComplaintRequest:
    """docs/complaints.md, "Try it": a consumer's call about an order the platform has not docked."""
    return pb.FileComplaintRequest(
        request_id=request_id(), channel=pb.CHANNEL_PHONE, category="product_quality", concern=pb.Concern(order_id="tb-1001"),
        description="收到的商品有破损", contact=pb.Contact(name="张三", phone="13800138000"),
    )


def step(complaint_id: str, to: int, note: str = "") -> pb.AdvanceComplaintRequest:
    return pb.AdvanceComplaintRequest(request_id=request_id(), complaint_id=complaint_id, to=to, note=note)


async def test_CMP_01_02_03_06_PLT_05_staff_file_and_acknowledge_a_call_on_another_grpc_stack(channel_as):
    staff, officer, regulator = channel_as("customer_service"), channel_as("compliance_officer"), channel_as("regulator")
    filed = (await unary(staff, FILE, the_call(), pb.FileComplaintResponse)).complaint
    assert (filed.channel, filed.status, filed.category) == (pb.CHANNEL_PHONE, pb.COMPLAINT_STATUS_RECEIVED, "product_quality")
    assert list(filed.unresolved) == ["order_id"]  # kept and flagged, never refused (CMP-01)
    assert filed.promised_feedback_by.ToDatetime() - filed.received_at.ToDatetime() == timedelta(hours=24)  # phone, product_quality (CMP-02)

    acknowledged = (await unary(staff, f"{COMPLAINTS}/AdvanceComplaint", step(filed.complaint_id, pb.COMPLAINT_STATUS_ACKNOWLEDGED), pb.AdvanceComplaintResponse)).complaint
    assert acknowledged.status == pb.COMPLAINT_STATUS_ACKNOWLEDGED

    read = pb.GetComplaintRequest(complaint_id=filed.complaint_id)
    as_staff = (await unary(staff, f"{COMPLAINTS}/GetComplaint", read, pb.GetComplaintResponse)).complaint
    assert (as_staff.contact.name, as_staff.contact.phone) == ("张三", "13800138000")
    as_regulator = (await unary(regulator, f"{COMPLAINTS}/GetComplaint", read, pb.GetComplaintResponse)).complaint
    assert (as_regulator.contact.name, as_regulator.contact.phone) == ("张*", "138****8000")  # PLT-06: masked

    history = await unary(officer, f"{COMPLAINTS}/GetComplaintHistory", pb.GetComplaintHistoryRequest(complaint_id=filed.complaint_id), pb.GetComplaintHistoryResponse)
    assert [(r.action, r.actor.principal, r.actor.role) for r in history.records] == [
        ("received", "dev-customer-service", "customer_service"),
        ("acknowledged", "dev-customer-service", "customer_service"),
    ]

    opened = pb.OpenIncidentRequest(request_id=request_id(), incident_type="product_safety", complaint_id=filed.complaint_id, summary="电热毯起火")
    incident = (await unary(officer, f"{INCIDENTS}/OpenIncident", opened, pb.OpenIncidentResponse)).incident
    assert (incident.incident_type, incident.complaint_id, incident.plan_version) == ("product_safety", filed.complaint_id, 1)
    assert incident.steps and incident.opened_by.principal == "dev-compliance-officer"


async def test_CMP_01_PLT_04_roles_that_may_not_file_are_refused_on_another_grpc_stack_and_change_nothing(channel_as, database_url):
    before = await row_counts(database_url, "complaint")
    denied = await refused(unary(channel_as("merchant"), FILE, the_call(), pb.FileComplaintResponse))
    assert denied.status is Status.PERMISSION_DENIED and "PLT-04" in denied.message, denied  # the gateway's policy
    denied = await refused(unary(channel_as("integration"), FILE, the_call(), pb.FileComplaintResponse))
    assert denied.status is Status.PERMISSION_DENIED and "CMP-01" in denied.message, denied  # the app cannot pose as a phone call
    assert "CMP-01" in denied.rules, denied
    assert await row_counts(database_url, "complaint") == before


async def test_CMP_01_a_complaint_naming_nothing_and_reaching_no_one_is_refused_naming_fields_and_rule_on_another_grpc_stack(channel_as, database_url):
    before = await row_counts(database_url, "complaint")
    bad = phone_complaint(concern=pb.Concern(), description="", contact=pb.Contact(name="张三"))
    error = await refused(unary(channel_as("customer_service"), FILE, bad, pb.FileComplaintResponse))
    assert error.status is Status.INVALID_ARGUMENT, error
    assert error.names("contact", "CMP-01") and error.names("concern", "CMP-01"), error
    assert await row_counts(database_url, "complaint") == before


async def test_CMP_03_06_a_step_out_of_order_and_an_unknown_incident_type_are_refused_naming_field_and_rule_on_another_grpc_stack(channel_as, database_url):
    staff, officer = channel_as("customer_service"), channel_as("compliance_officer")
    filed = (await unary(staff, FILE, the_call(), pb.FileComplaintResponse)).complaint
    before = await row_counts(database_url, "complaint")

    skipped = step(filed.complaint_id, pb.COMPLAINT_STATUS_RESOLVED, "经核实属实")
    error = await refused(unary(staff, f"{COMPLAINTS}/AdvanceComplaint", skipped, pb.AdvanceComplaintResponse))
    assert error.status is Status.FAILED_PRECONDITION and error.rules == ["CMP-03"], error
    assert error.names("to", "CMP-03"), error

    unknown = pb.OpenIncidentRequest(request_id=request_id(), incident_type="alien_invasion", complaint_id=filed.complaint_id, summary="?")
    error = await refused(unary(officer, f"{INCIDENTS}/OpenIncident", unknown, pb.OpenIncidentResponse))
    assert error.status is Status.INVALID_ARGUMENT, error
    assert error.names("incident_type", "CMP-06"), error

    assert await row_counts(database_url, "complaint") == before
    read = await unary(staff, f"{COMPLAINTS}/GetComplaint", pb.GetComplaintRequest(complaint_id=filed.complaint_id), pb.GetComplaintResponse)
    assert read.complaint.status == pb.COMPLAINT_STATUS_RECEIVED


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
async def test_PLT_05_bytes_that_are_not_a_request_are_refused_through_the_gateway_and_the_next_call_is_served(channel_as, database_url, payload):
    staff = channel_as("customer_service")
    await refused_undecodable(staff, FILE, payload, pb.FileComplaintResponse, database_url, "complaint")
    filed = (await unary(staff, FILE, the_call(), pb.FileComplaintResponse)).complaint  # the same channel, the next call
    assert filed.status == pb.COMPLAINT_STATUS_RECEIVED
