"""Bad input gets INVALID_ARGUMENT (or FAILED_PRECONDITION for a rule) naming the field and the
rule, and writes nothing: no complaint, no history, no event, no request outcome (CMP-01, CMP-03,
CMP-06). Bytes that are not a request at all are refused before any handler runs."""

from __future__ import annotations

import asyncpg
import grpc
import pytest

from livecommerce.complaint.v1 import complaint_pb2 as pb
from tests.complaint.messages import attachment, email, online_complaint, phone_complaint, referral, request_id
from tests.conftest import server_tls
from tests.support import rich_error

TABLES = ("complaints", "complaint_history", "incidents", "incident_history", "emergency_plans", "outbox", "request_outcomes")


async def row_counts(database_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "complaint"})
    try:
        return {table: await conn.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES}
    finally:
        await conn.close()


BAD_COMPLAINTS = {
    "no contact": (phone_complaint(contact=pb.Contact(name="张三")), "contact", "CMP-01"),
    "no concern": (phone_complaint(concern=pb.Concern(), description=" "), "concern", "CMP-01"),
    "unknown channel": (phone_complaint(channel=pb.CHANNEL_UNSPECIFIED), "channel", "CMP-01"),
    "channel out of range": (phone_complaint(channel=42), "channel", "CMP-01"),
    "unknown category": (phone_complaint(category="weather"), "category", "CMP-01"),
    "too many attachments": (phone_complaint(attachments=[attachment(n) for n in range(11)]), "attachments", "CMP-01"),
    "attachment digest": (phone_complaint(attachments=[pb.Attachment(name="a.jpg", sha256="xyz", size_bytes=1)]), "attachments[0].sha256", ""),
    "oversized attachment": (phone_complaint(attachments=[pb.Attachment(name="a.mp4", sha256="0" * 64, size_bytes=1 << 40)]), "attachments[0].size_bytes", "CMP-01"),
    "bad phone": (phone_complaint(contact=pb.Contact(phone="call me")), "contact.phone", "CMP-01"),
    "bad email": (phone_complaint(contact=pb.Contact(email="nobody")), "contact.email", "CMP-01"),
    "bad reference": (phone_complaint(concern=pb.Concern(order_id="tb 1/2")), "concern.order_id", "CMP-01"),
    "long description": (phone_complaint(description="长" * 4001), "description", "CMP-01"),
    "no request id": (phone_complaint(request_id=""), "request_id", ""),
    "referral without case": (referral(referral_reference=""), "referral_reference", "CMP-01"),
}  # fmt: skip


@pytest.mark.parametrize(("request_", "field", "rule"), BAD_COMPLAINTS.values(), ids=BAD_COMPLAINTS.keys())
async def test_CMP_01_a_bad_complaint_is_refused_naming_field_and_rule_and_writes_nothing(
    stubs_for, database_url, request_, field, rule
):
    role = "regulator" if request_.channel == pb.CHANNEL_REGULATOR else "customer_service"
    before = await row_counts(database_url)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stubs_for(role).complaints.FileComplaint(request_)
    error = rich_error(refused.value)
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert field in error["fields"], error["fields"]
    assert rule in error["fields"][field]
    assert await row_counts(database_url) == before


async def test_CMP_01_an_online_complaint_without_its_consumer_and_an_email_without_sender(app, database_url):
    before = await row_counts(database_url)
    with pytest.raises(grpc.aio.AioRpcError) as online:
        await app.FileComplaint(online_complaint(contact=pb.Contact(phone="13800138000")))
    with pytest.raises(grpc.aio.AioRpcError) as mail:
        await app.ReceiveEmailComplaint(email(from_address=""))
    assert "contact.consumer_id" in rich_error(online.value)["fields"]
    assert "contact" in rich_error(mail.value)["fields"]
    assert await row_counts(database_url) == before


async def test_CMP_03_a_step_to_no_status_and_an_unknown_complaint(staff, database_url):
    filed = (await staff.FileComplaint(phone_complaint())).complaint
    before = await row_counts(database_url)
    with pytest.raises(grpc.aio.AioRpcError) as nowhere:
        await staff.AdvanceComplaint(pb.AdvanceComplaintRequest(request_id=request_id(), complaint_id=filed.complaint_id))
    assert rich_error(nowhere.value)["fields"].keys() == {"to"}
    with pytest.raises(grpc.aio.AioRpcError) as garbled:
        await staff.AdvanceComplaint(pb.AdvanceComplaintRequest(request_id=request_id(), complaint_id="c-1", to=2))
    assert rich_error(garbled.value)["fields"].keys() == {"complaint_id"}
    assert await row_counts(database_url) == before


UNDECODABLE = {
    "garbage": b"\xff\xff\xff\xff",
    "truncated varint": b"\x08\x80",
    "invalid UTF-8 in request_id": b"\x0a\x02\xff\xfe",  # FileComplaintRequest.request_id = b"\xff\xfe"
}


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
async def test_bytes_that_are_not_a_request_are_refused_and_write_nothing(complaint_service, pki, database_url, payload):
    before = await row_counts(database_url)
    async with grpc.aio.secure_channel(f"127.0.0.1:{complaint_service.port}", server_tls(pki, "gateway").channel_credentials()) as channel:
        for method in ("ComplaintService/FileComplaint", "ComplaintService/AdvanceComplaint", "IncidentService/OpenIncident"):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await channel.unary_unary(f"/livecommerce.complaint.v1.{method}")(payload, timeout=5)
            assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT, refused.value.details()
    assert await row_counts(database_url) == before
