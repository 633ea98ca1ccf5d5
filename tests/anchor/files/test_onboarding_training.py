"""ANC-05: only a passed *onboarding* training on live-commerce law opens the way to the first
session; a periodic (refresher) training, however well passed, is not onboarding."""

from __future__ import annotations

from datetime import timedelta

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import credit_pb2 as cpb
from tests.anchor.builders import profile, rid
from tests.anchor.discipline_builders import stamp


async def test_ANC_05_a_passed_periodic_training_is_not_onboarding(stubs_for, clock):
    agency, officer = stubs_for("agency", "ag-1"), stubs_for("compliance_officer")
    anchor_id = (await agency.anchors.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()))).anchor.anchor_id
    await officer.anchors.ReviewAnchorFile(pb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=anchor_id, version=1, decision=pb.REVIEW_DECISION_APPROVE))

    def training(kind) -> pb.RecordTrainingRequest:
        return pb.RecordTrainingRequest(
            request_id=rid(), anchor_id=anchor_id, kind=kind, course_id="law-2026",
            completed_at=stamp(clock.now() - timedelta(hours=1)), passed=True,
        )

    async def check():
        return await officer.anchors.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor_id))

    async def training_point() -> int:
        subject = cpb.CreditSubject(kind=cpb.SUBJECT_KIND_ANCHOR, id=anchor_id)
        report = (await officer.credit.GetRiskReport(cpb.GetRiskReportRequest(subject=subject))).report
        return next(p.level for p in report.points if p.number == 9)

    await agency.anchors.RecordTraining(training(pb.TRAINING_KIND_PERIODIC))
    refused = await check()
    assert not refused.eligible and [b.rule_id for b in refused.blocks] == ["ANC-05"]
    assert await training_point() == cpb.RISK_LEVEL_MEDIUM  # RSK-01 point 9 reads the same fact

    await agency.anchors.RecordTraining(training(pb.TRAINING_KIND_ONBOARDING))
    assert (await check()).eligible
    assert await training_point() == cpb.RISK_LEVEL_LOW
