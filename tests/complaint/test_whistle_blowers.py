"""CMP-05: a whistle-blower's identity is encrypted at rest and shown to compliance officers only.
Proven by reading every table of the service's schema (the identity is in none, in the clear or
hex-encoded, yet opens with the service's key), by calling as every role, and by the service's
logs and events (tests/complaint/test_gateway.py proves the gateway's audit holds none of it)."""

from __future__ import annotations

import logging

import grpc
import pytest

from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.runtime.identity import ROLES
from services.complaint import privacy
from tests.complaint.messages import UPHOLD, online_complaint, phone_complaint, step, walk

WHISTLE_PHONE, WHISTLE_NAME, WHISTLE_ID = "13912345678", "李四举报人", "u-whistle-77"
SECRETS = (WHISTLE_PHONE, WHISTLE_NAME, WHISTLE_ID)


def whistle_blowing(**changes) -> pb.FileComplaintRequest:
    return phone_complaint(
        whistle_blower=True, category="anchor_conduct", description="主播诱导私下交易",
        contact=pb.Contact(name=WHISTLE_NAME, phone=WHISTLE_PHONE), **changes,
    )


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text or s.encode().hex() in text]


async def every_table_as_text(db) -> str:
    tables = [r["tablename"] for r in await db.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'complaint'")]
    assert {"complaints", "complaint_history", "outbox", "request_outcomes"} <= set(tables)
    rows = []
    for table in tables:
        rows += [r["row"] for r in await db.fetch(f"SELECT t::text AS row FROM {table} t")]
    return "\n".join(rows)


async def test_CMP_05_the_reporters_identity_is_sealed_at_rest_and_nowhere_in_the_clear(staff, app, officer, db, complaint_service, caplog):
    caplog.set_level(logging.DEBUG)
    by_phone = (await staff.FileComplaint(whistle_blowing())).complaint
    online = online_complaint(whistle_blower=True, contact=pb.Contact(name=WHISTLE_NAME, consumer_id=WHISTLE_ID))
    await app.FileComplaint(online)
    await walk(officer.complaints, by_phone.complaint_id, *UPHOLD, (pb.COMPLAINT_STATUS_FEEDBACK_SENT, "已回复举报人"))
    shown = (await officer.complaints.GetComplaint(pb.GetComplaintRequest(complaint_id=by_phone.complaint_id))).complaint
    assert shown.contact.phone == WHISTLE_PHONE
    assert leaks(await every_table_as_text(db)) == []
    assert leaks("\n".join(r.getMessage() for r in caplog.records)) == []
    # PLT-06: the opening is recorded, with who opened it, and nothing of what was shown.
    viewed = await db.fetch("SELECT actor->>'principal' AS who FROM complaint_history WHERE action = 'reporter_identity_viewed'")
    assert [r["who"] for r in viewed] == ["officer-li"]
    # It is there, sealed: the service's key opens it, bound to its complaint.
    sealed = await db.fetchval("SELECT contact_sealed FROM complaints WHERE complaint_id = $1::uuid", by_phone.complaint_id)
    opened = privacy.open_contact(complaint_service.runtime.cipher, by_phone.complaint_id, sealed)
    assert (opened.name, opened.phone) == (WHISTLE_NAME, WHISTLE_PHONE)


@pytest.mark.parametrize("role", ROLES)
async def test_CMP_05_only_compliance_officers_see_the_reporter_whatever_role_calls(staff, stubs_for, role):
    filed = (await staff.FileComplaint(whistle_blowing())).complaint
    assert filed.contact_withheld and not filed.contact.phone  # not even to the staff who took the call
    caller = stubs_for(role, {"merchant": "m-1", "agency": "ag-1", "anchor": "an-1", "trading_platform": "taobao"}.get(role, ""))
    reads = [
        (True, lambda: caller.complaints.GetComplaint(pb.GetComplaintRequest(complaint_id=filed.complaint_id))),
        (False, lambda: caller.complaints.ListComplaints(pb.ListComplaintsRequest())),  # lists never open an identity
    ]
    for opens, read in reads:
        try:
            answer = await read()
        except grpc.aio.AioRpcError as refused:
            assert refused.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND), refused
            continue
        shown = [answer.complaint] if hasattr(answer, "complaint") else list(answer.complaints)
        for complaint in shown:
            texts = str(complaint)
            if role == "compliance_officer" and opens:
                assert (complaint.contact.phone, complaint.contact.name, complaint.contact_withheld) == (WHISTLE_PHONE, WHISTLE_NAME, False)
            else:
                assert complaint.contact_withheld and leaks(texts) == [], role


async def test_CMP_05_an_ordinary_complaints_contact_is_masked_for_readers_who_do_not_answer_it(staff, stubs_for):
    filed = (await staff.FileComplaint(phone_complaint())).complaint
    admin = (await stubs_for("platform_admin").complaints.GetComplaint(pb.GetComplaintRequest(complaint_id=filed.complaint_id))).complaint
    assert (admin.contact.phone, admin.contact.name, admin.contact_withheld) == ("138****8000", "张*", False)


async def test_CMP_05_a_whistle_blowers_report_is_worked_by_compliance_officers_only(staff, officer, db):
    filed = (await staff.FileComplaint(whistle_blowing())).complaint
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await staff.AdvanceComplaint(step(filed.complaint_id, pb.COMPLAINT_STATUS_ACKNOWLEDGED))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED and "CMP-05" in refused.value.details()
    assert await db.fetchval("SELECT status FROM complaints") == "received"
    done = await walk(officer.complaints, filed.complaint_id, UPHOLD[0])
    assert done.status == pb.COMPLAINT_STATUS_ACKNOWLEDGED
