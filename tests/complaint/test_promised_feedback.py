"""CMP-02: a promised feedback time per channel and category (rules.toml), shown to the consumer;
a complaint past it without feedback is escalated by the active replica's timer, by the clock
(ManualClock: the time never passes by waiting), once, with an event and a history entry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from livecommerce.common.v1 import envelope_pb2
from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.complaint.v1 import events_pb2
from services.complaint import rules_config
from tests.complaint.messages import UPHOLD, email, online_complaint, phone_complaint, walk
from tests.replicas import wait_until


def hours(complaint: pb.Complaint) -> float:
    return (complaint.promised_feedback_by.ToDatetime() - complaint.received_at.ToDatetime()) / timedelta(hours=1)


async def test_CMP_02_the_promised_time_follows_channel_and_category(staff, app):
    quality_call = (await staff.FileComplaint(phone_complaint(category="product_quality"))).complaint
    service_call = (await staff.FileComplaint(phone_complaint(category="after_sales"))).complaint
    mail = (await app.ReceiveEmailComplaint(email())).complaint
    online = (await app.FileComplaint(online_complaint(category="counterfeit"))).complaint
    assert [hours(c) for c in (quality_call, service_call, mail, online)] == [24, 48, 72, 24]
    # The consumer (through the app) sees the promise on the complaint it filed.
    seen = (await app.GetComplaint(pb.GetComplaintRequest(complaint_id=online.complaint_id))).complaint
    assert seen.promised_feedback_by == online.promised_feedback_by


async def escalated(db, complaint_id: str) -> bool:
    return await db.fetchval("SELECT escalated_at IS NOT NULL FROM complaints WHERE complaint_id = $1::uuid", complaint_id)


async def test_CMP_02_an_overdue_complaint_escalates_by_the_clock_once_with_an_event(staff, app, officer, db, clock):
    overdue = (await staff.FileComplaint(phone_complaint(category="product_quality"))).complaint  # 24 h
    answered = (await staff.FileComplaint(phone_complaint(category="product_quality"))).complaint
    await walk(staff, answered.complaint_id, *UPHOLD, (pb.COMPLAINT_STATUS_FEEDBACK_SENT, "已退款并致歉"))
    later = (await app.ReceiveEmailComplaint(email())).complaint  # 72 h
    clock.advance(timedelta(hours=23, minutes=59))
    listed = await officer.complaints.ListComplaints(pb.ListComplaintsRequest(overdue_only=True))
    assert list(listed.complaints) == []
    clock.advance(timedelta(minutes=1))

    async def the_overdue_one_escalated() -> bool:
        return await escalated(db, overdue.complaint_id)

    await wait_until(the_overdue_one_escalated)
    assert not await escalated(db, answered.complaint_id) and not await escalated(db, later.complaint_id)
    shown = (await staff.GetComplaint(pb.GetComplaintRequest(complaint_id=overdue.complaint_id))).complaint
    assert shown.escalated_at.ToDatetime() == clock.now().replace(tzinfo=None)
    listed = await officer.complaints.ListComplaints(pb.ListComplaintsRequest(overdue_only=True))
    assert [c.complaint_id for c in listed.complaints] == [overdue.complaint_id]
    history = (await staff.GetComplaintHistory(pb.GetComplaintHistoryRequest(complaint_id=overdue.complaint_id))).records
    assert [r.action for r in history] == ["received", "escalated"] and "CMP-02" in history[-1].reason
    [row] = await db.fetch("SELECT envelope FROM outbox WHERE subject LIKE '%.complaint.complaint.escalated'")
    event = events_pb2.ComplaintEscalated()
    envelope_pb2.EventEnvelope.FromString(row["envelope"]).payload.Unpack(event)
    assert (event.complaint_id, event.channel, event.category) == (overdue.complaint_id, "phone", "product_quality")
    # Escalated once: when the email's 72 hours pass, the timer escalates it and not the first again.
    clock.advance(timedelta(hours=48))

    async def the_email_escalated() -> bool:
        return await escalated(db, later.complaint_id)

    await wait_until(the_email_escalated)
    escalations = await db.fetch("SELECT complaint_id::text FROM complaint_history WHERE action = 'escalated' ORDER BY seq")
    assert [r["complaint_id"] for r in escalations] == [overdue.complaint_id, later.complaint_id]


def test_CMP_02_the_promised_hours_are_data(tmp_path):
    rules = rules_config.parse("[promised_hours.phone]\ndefault = 2\nafter_sales = 1\n")
    assert rules.promised.promised("phone", "after_sales") == timedelta(hours=1)
    assert rules.promised.promised("phone", "privacy") == timedelta(hours=2)
    assert rules.promised.promised("email", "privacy") == timedelta(hours=72)  # other channels keep their defaults
    with pytest.raises(ValueError, match="unknown categories"):
        rules_config.parse("[promised_hours.phone]\ndefault = 2\nweather = 1\n")
    with pytest.raises(ValueError, match="needs a default"):
        rules_config.parse("[promised_hours.email]\nprivacy = 1\n")
    with pytest.raises(ValueError, match="unknown channels"):
        rules_config.parse("[promised_hours.fax]\ndefault = 1\n")


def test_the_rules_file_holds_the_code_defaults():
    assert rules_config.parse(rules_config.DEFAULTS_FILE.read_text(encoding="utf-8")) == rules_config.ComplaintRules()

