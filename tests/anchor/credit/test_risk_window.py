"""RSK-01: a risk point is exposed by the violations of the last 365 days (`[risk] window_days`),
counted in days: a violation 365 days old still counts, one a day older no longer does."""

from __future__ import annotations

from datetime import timedelta

from livecommerce.anchor.v1 import credit_pb2 as cpb
from livecommerce.common.v1 import conduct_pb2
from tests.anchor.discipline_builders import eligible_anchor, outcome, report

CONTENT_POINT = 12  # 内容安全: banned content, default level high
BANNED = conduct_pb2.VIOLATION_CATEGORY_BANNED_CONTENT


async def test_RSK_01_a_violation_exposes_its_point_for_365_days_then_no_longer(stubs_for, clock):
    officer = stubs_for("compliance_officer")
    anchor_id = await eligible_anchor(stubs_for("agency", "ag-1").anchors, officer.anchors)
    subject = cpb.CreditSubject(kind=cpb.SUBJECT_KIND_ANCHOR, id=anchor_id)

    async def content_level() -> int:
        found = (await officer.credit.GetRiskReport(cpb.GetRiskReportRequest(subject=subject))).report
        return next(p.level for p in found.points if p.number == CONTENT_POINT)

    assert await content_level() == cpb.RISK_LEVEL_LOW
    recorded = (await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now(), category=BANNED)])))
    recorded_at = recorded.violations[0].recorded_at.ToDatetime().replace(tzinfo=clock.now().tzinfo)
    assert await content_level() == cpb.RISK_LEVEL_HIGH
    clock.set(recorded_at + timedelta(days=365))
    assert await content_level() == cpb.RISK_LEVEL_HIGH
    clock.advance(timedelta(microseconds=1))
    assert await content_level() == cpb.RISK_LEVEL_LOW
