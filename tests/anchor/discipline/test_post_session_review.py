"""ANC-07 with the post-session review: a violation found later in a session recorded clean makes
that session violating, and it takes its rung on the ladder then (docs/credit.md, the ladder)."""

from __future__ import annotations

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import discipline_pb2 as dpb
from tests.anchor.builders import rid
from tests.anchor.discipline_builders import eligible_anchor, outcome, report


async def test_ANC_07_a_violation_found_in_review_of_a_clean_session_steps_the_ladder(stubs_for, clock):
    officer = stubs_for("compliance_officer")
    anchor_id = await eligible_anchor(stubs_for("agency", "ag-1").anchors, officer.anchors)
    recorded_clean = outcome(anchor_id, clock.now())
    clean = await officer.discipline.RecordSessionOutcome(recorded_clean)
    assert not clean.violating and clean.standing.consecutive_violating_sessions == 0
    after = await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    assert after.standing.standing == dpb.STANDING_GOOD and after.standing.consecutive_violating_sessions == 1

    # The review finds a violation in the first session: it and the next are now two consecutive violating sessions.
    found = await officer.discipline.RecordViolation(dpb.RecordViolationRequest(
        request_id=rid(), anchor_id=anchor_id, session_id=recorded_clean.session_id, violation=report(clock.now())))
    assert found.standing.standing == dpb.STANDING_SUSPENDED
    assert [(c.kind, c.rule_id) for c in found.changes] == [(dpb.STANDING_CHANGE_KIND_SUSPENDED, "ANC-07")]
    check = await officer.anchors.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor_id))
    assert [b.rule_id for b in check.blocks] == ["ANC-07"]
