"""The complaint service behind a real gateway (PLT-04, PLT-05), called with the development
certificates over mutual TLS, on real PostgreSQL and JetStream: a consumer's online complaint
through the app's backend (integration), a whistle-blower's call taken by service staff, the
workflow to feedback, the overdue escalation by the test clock; the gateway's audit names every
call and none of the reporter's identity (CMP-05); a role the policy does not admit never reaches
the service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import grpc
import pytest

from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.complaint.v1 import complaint_pb2_grpc
from tests.complaint.messages import UPHOLD, online_complaint, walk
from tests.complaint.test_whistle_blowers import WHISTLE_NAME, WHISTLE_PHONE, leaks, whistle_blowing
from tests.replicas import GatewayUnderTest, gateway_to, wait_until


@pytest.fixture
async def gateway(complaint_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("complaint", [f"127.0.0.1:{complaint_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


def stub(gateway: GatewayUnderTest, role: str) -> complaint_pb2_grpc.ComplaintServiceStub:
    return complaint_pb2_grpc.ComplaintServiceStub(gateway.channel(role))


async def test_CMP_01_02_03_05_end_to_end_through_the_gateway(gateway, db, clock):
    app, staff, officer = stub(gateway, "integration"), stub(gateway, "customer_service"), stub(gateway, "compliance_officer")
    online = (await app.FileComplaint(online_complaint(category="after_sales"))).complaint
    assert online.promised_feedback_by.ToDatetime() - online.received_at.ToDatetime() == timedelta(hours=48)
    done = await walk(staff, online.complaint_id, *UPHOLD, (pb.COMPLAINT_STATUS_FEEDBACK_SENT, "已为您办理退款"))
    assert (await app.GetComplaint(pb.GetComplaintRequest(complaint_id=online.complaint_id))).complaint.feedback == done.feedback

    reported = (await staff.FileComplaint(whistle_blowing())).complaint
    assert reported.contact_withheld
    seen = (await officer.GetComplaint(pb.GetComplaintRequest(complaint_id=reported.complaint_id))).complaint
    assert (seen.contact.name, seen.contact.phone) == (WHISTLE_NAME, WHISTLE_PHONE)
    history = (await officer.GetComplaintHistory(pb.GetComplaintHistoryRequest(complaint_id=online.complaint_id))).records
    assert history[0].actor.principal == "dev-integration" and history[1].actor.principal == "dev-customer-service"

    clock.advance(timedelta(hours=48))  # the whistle-blower's anchor_conduct call: 48 h by phone

    async def overdue_listed() -> bool:
        listed = await officer.ListComplaints(pb.ListComplaintsRequest(overdue_only=True))
        return [c.complaint_id for c in listed.complaints if c.HasField("escalated_at")] == [reported.complaint_id]

    await wait_until(overdue_listed)
    audit = gateway.audit.path.read_text(encoding="utf-8")
    assert "ComplaintService/GetComplaint" in audit and "dev-compliance-officer" in audit
    assert leaks(audit) == []


async def test_PLT_04_the_gateway_admits_no_merchant_to_complaints(gateway, db):
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub(gateway, "merchant").FileComplaint(whistle_blowing())
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub(gateway, "anchor").ListComplaints(pb.ListComplaintsRequest())
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await db.fetchval("SELECT count(*) FROM complaints") == 0
