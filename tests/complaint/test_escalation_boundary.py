"""CMP-02 at its boundary: the escalation, called as the active replica's timer calls it, escalates
a complaint exactly when its promise passes, once, and never one whose feedback was sent. The
service here keeps the default 60 s timer, which looked once at start-up when nothing was due, so
no timer pass races the calls."""

from __future__ import annotations

from datetime import timedelta

import pytest

from livecommerce.complaint.v1 import complaint_pb2 as pb
from services.complaint import rules_config
from services.complaint.commands import Complaints
from tests.complaint.messages import UPHOLD, phone_complaint, walk
from tests.complaint.test_promised_feedback import escalated


@pytest.fixture
def rules_file():
    return rules_config.DEFAULTS_FILE


async def test_CMP_02_escalation_comes_exactly_at_the_promise_once_never_after_feedback(staff, complaint_service, db, clock):
    escalation = Complaints(complaint_service.runtime, rules_config.load(rules_config.DEFAULTS_FILE))
    due = (await staff.FileComplaint(phone_complaint(category="product_quality"))).complaint  # 24 h
    answered = (await staff.FileComplaint(phone_complaint(category="product_quality"))).complaint
    await walk(staff, answered.complaint_id, *UPHOLD, (pb.COMPLAINT_STATUS_FEEDBACK_SENT, "已处理"))
    clock.advance(timedelta(hours=24) - timedelta(microseconds=1))
    assert await escalation.escalate_overdue() == 0
    clock.advance(timedelta(microseconds=1))
    assert await escalation.escalate_overdue() == 1
    assert await escalated(db, due.complaint_id) and not await escalated(db, answered.complaint_id)
    assert await escalation.escalate_overdue() == 0
