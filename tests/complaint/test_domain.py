"""The pure rules of complaints and plans, message by message and at their bounds (CMP-01..03, CMP-06)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from livecommerce.runtime.errors import InvalidArgument, PreconditionFailed
from services.complaint import domain, plans
from services.complaint.domain import NEXT, Channel, Concern, Contact, Intake, Status
from services.complaint.rules_config import ComplaintRules, IntakeRules

RULES = IntakeRules()
NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


def intake(**changes) -> Intake:
    fields = dict(channel=Channel.PHONE, category="after_sales", concern=Concern(order_id="tb-1"), description="", contact=Contact(phone="13800138000"))
    fields.update(changes)
    return Intake(**fields)  # type: ignore[arg-type]


def faults(value: Intake) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as refused:
        domain.check_intake(value, RULES)
    return {v.field: v.rule for v in refused.value.violations}


def test_CMP_01_a_reference_alone_or_a_description_alone_names_the_concern():
    domain.check_intake(intake(), RULES)
    domain.check_intake(intake(concern=Concern(), description="商品破损"), RULES)
    assert faults(intake(concern=Concern(), description=" \n")) == {"concern": "CMP-01"}


def test_CMP_01_every_fault_is_named_at_once():
    bad = intake(channel=None, category="", contact=Contact(name="x"), concern=Concern(), description="")
    assert faults(bad) == {"channel": "CMP-01", "category": "CMP-01", "contact": "CMP-01", "concern": "CMP-01"}


@pytest.mark.parametrize(("count", "ok"), [(10, True), (11, False)])
def test_CMP_01_attachments_at_the_bound(count, ok):
    attached = tuple(domain.Attachment(f"{n}.jpg", f"{n:064x}", 1) for n in range(count))
    if ok:
        domain.check_intake(intake(attachments=attached), RULES)
    else:
        assert faults(intake(attachments=attached)) == {"attachments": "CMP-01"}


@pytest.mark.parametrize(("size", "ok"), [(0, False), (1, True), (RULES.max_attachment_bytes, True), (RULES.max_attachment_bytes + 1, False)])
def test_CMP_01_an_attachments_size_at_the_bounds(size, ok):
    one = intake(attachments=(domain.Attachment("a.jpg", "0" * 64, size),))
    if ok:
        domain.check_intake(one, RULES)
    else:
        assert faults(one) == {"attachments[0].size_bytes": "CMP-01"}


@pytest.mark.parametrize(("chars", "ok"), [(4000, True), (4001, False)])
def test_CMP_01_description_at_the_bound(chars, ok):
    text = intake(description="字" * chars)
    if ok:
        domain.check_intake(text, RULES)
    else:
        assert faults(text) == {"description": "CMP-01"}


def test_CMP_01_online_needs_the_consumer_and_a_referral_its_case():
    assert faults(intake(channel=Channel.ONLINE)) == {"contact.consumer_id": "CMP-01"}
    assert faults(intake(channel=Channel.REGULATOR)) == {"referral_reference": "CMP-01"}
    domain.check_intake(intake(channel=Channel.REGULATOR, referral_reference="SAMR-1"), RULES)


def test_CMP_02_promised_by_is_receipt_plus_the_channels_hours():
    rules = ComplaintRules()
    assert domain.promised_by(intake(category="product_quality"), NOW, rules) == NOW + timedelta(hours=24)
    assert domain.promised_by(intake(channel=Channel.EMAIL), NOW, rules) == NOW + timedelta(hours=72)


ALL_STEPS = [(a, b) for a in Status for b in Status]


@pytest.mark.parametrize(("current", "to"), ALL_STEPS, ids=[f"{a}->{b}" for a, b in ALL_STEPS])
def test_CMP_03_only_the_workflows_steps_are_taken(current, to):
    legal = {
        (Status.RECEIVED, Status.ACKNOWLEDGED), (Status.ACKNOWLEDGED, Status.INVESTIGATING),
        (Status.INVESTIGATING, Status.RESOLVED), (Status.INVESTIGATING, Status.REJECTED),
        (Status.RESOLVED, Status.FEEDBACK_SENT), (Status.REJECTED, Status.FEEDBACK_SENT),
    }
    assert ((current, to) in legal) == (to in NEXT[current])
    if (current, to) in legal:
        domain.check_step(current, to, "说明")
    else:
        with pytest.raises(PreconditionFailed) as refused:
            domain.check_step(current, to, "说明")
        assert refused.value.rule == "CMP-03" and refused.value.field == "to"


def test_CMP_03_findings_and_feedback_need_text_the_others_do_not():
    domain.check_step(Status.RECEIVED, Status.ACKNOWLEDGED, "")
    for current, to in ((Status.INVESTIGATING, Status.RESOLVED), (Status.INVESTIGATING, Status.REJECTED), (Status.RESOLVED, Status.FEEDBACK_SENT)):
        with pytest.raises(InvalidArgument) as refused:
            domain.check_step(current, to, "  ")
        assert [(v.field, v.rule) for v in refused.value.violations] == [("note", "CMP-03")]


def test_CMP_06_plans_have_steps_and_the_next_step_is_the_first_not_done():
    with pytest.raises(InvalidArgument):
        plans.check_steps([])
    with pytest.raises(InvalidArgument):
        plans.check_steps([plans.Step("x", "")] * 31)
    plans.check_steps([plans.Step("x", "")] * 30)
    assert plans.next_step([True, False, False]) == 1 and plans.next_step([True, True]) is None
