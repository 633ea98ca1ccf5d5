"""ANC-07: a suspension lasts one calendar month on the platform's calendar, Beijing time. Where a
month end falls in the hours when Beijing's date is already the next one, a UTC calendar clamps
to a different day: a suspension imposed at 2025-01-30T17:00Z (01:00 on 31 January in Beijing)
ends at 01:00 on 28 February in Beijing (2025-02-27T17:00Z), not a day later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import discipline_pb2 as dpb
from livecommerce.runtime.clock import PLATFORM_TZ
from tests.anchor.builders import profile, rid
from tests.anchor.discipline_builders import outcome, report, stamp

IMPOSED = datetime(2025, 1, 30, 17, 0, tzinfo=UTC)  # 2025-01-31 01:00 in Beijing
ENDS = datetime(2025, 2, 28, 1, 0, tzinfo=PLATFORM_TZ)  # 31 January + one month, clamped to February's last day


async def eligible_now(anchors, officer, clock) -> str:
    anchor_id = (await anchors.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()))).anchor.anchor_id
    await officer.ReviewAnchorFile(pb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=anchor_id, version=1, decision=pb.REVIEW_DECISION_APPROVE))
    await officer.RecordTraining(pb.RecordTrainingRequest(
        request_id=rid(), anchor_id=anchor_id, kind=pb.TRAINING_KIND_ONBOARDING, course_id="law-2025",
        completed_at=stamp(clock.now() - timedelta(days=1)), passed=True))
    return anchor_id


async def blocks(officer, anchor_id: str) -> list[str]:
    answer = await officer.anchors.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor_id))
    return [b.rule_id for b in answer.blocks]


async def test_ANC_07_a_month_of_suspension_ends_on_beijings_month_end_not_utcs(stubs_for, clock):
    officer = stubs_for("compliance_officer")
    clock.set(IMPOSED - timedelta(days=2))
    anchor_id = await eligible_now(stubs_for("agency", "ag-1").anchors, officer.anchors, clock)
    await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    clock.set(IMPOSED)
    second = await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    assert second.standing.standing == dpb.STANDING_SUSPENDED
    assert second.standing.until.ToDatetime(tzinfo=UTC) == ENDS == datetime(2025, 2, 27, 17, 0, tzinfo=UTC)

    clock.set(ENDS - timedelta(microseconds=1))
    assert await blocks(officer, anchor_id) == ["ANC-07"]
    clock.set(ENDS)
    assert await blocks(officer, anchor_id) == []
