"""Anchor discipline over real mutual TLS against real PostgreSQL and JetStream: violations
(ANC-06), the sanction ladder (ANC-07..09), regulator notifications, digital humans (ANC-13),
agencies, and the session service's events."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import grpc
import pytest

from livecommerce.anchor.v1 import agency_pb2
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import discipline_pb2 as dpb
from livecommerce.common.v1 import conduct_pb2
from livecommerce.session.v1 import events_pb2 as session_events
from services.anchor.tenancy import system_actor
from tests.anchor.builders import profile, rid
from tests.anchor.discipline_builders import eligible_anchor, outcome, report, stamp
from tests.anchor.files.test_api import count
from tests.support import credit_code, publish_event, rich_error


@pytest.fixture
async def officer(stubs_for):
    return stubs_for("compliance_officer", principal="officer-li")


@pytest.fixture
async def anchor_id(stubs_for, officer) -> str:
    return await eligible_anchor(stubs_for("agency", "ag-1").anchors, officer.anchors)


async def blocks(stubs, anchor_id: str) -> list[str]:
    answer = await stubs.anchors.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor_id))
    return [b.rule_id for b in answer.blocks]


async def test_ANC_06_violation_is_recorded_with_type_severity_evidence_and_session(officer, anchor_id, clock):
    recorded = await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    assert recorded.violating and len(recorded.violations) == 1
    listed = (await officer.discipline.ListViolations(dpb.ListViolationsRequest(anchor_id=anchor_id))).violations
    assert [v.violation_id for v in listed] == [recorded.violations[0].violation_id]
    found = listed[0]
    assert found.category == conduct_pb2.VIOLATION_CATEGORY_ABSOLUTE_TERMS
    assert found.severity == conduct_pb2.VIOLATION_SEVERITY_MAJOR
    assert found.evidence[0].uri == "s3://evidence/clip.mp4" and found.session_id
    assert found.recorded_by.principal == "officer-li"


async def test_ANC_06_bad_violations_are_refused_naming_the_field_and_nothing_is_written(officer, anchor_id, clock, database_url):
    bad = report(clock.now())
    bad.ClearField("evidence")
    bad.severity = 99  # a value the contract does not define
    bad.occurred_at.CopyFrom(stamp(clock.now() + timedelta(hours=1)))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[bad]))
    error = rich_error(refused.value)
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert {"violations[0].evidence", "violations[0].severity", "violations[0].occurred_at"} <= set(error["fields"])
    assert "ANC-06" in error["message"]
    with pytest.raises(grpc.aio.AioRpcError) as unknown_session:
        await officer.discipline.RecordViolation(dpb.RecordViolationRequest(request_id=rid(), anchor_id=anchor_id, session_id="s-nowhere", violation=report(clock.now())))
    assert unknown_session.value.code() == grpc.StatusCode.NOT_FOUND and "ANC-06" in unknown_session.value.details()
    with pytest.raises(grpc.aio.AioRpcError) as unknown_anchor:
        await officer.discipline.RecordSessionOutcome(outcome(str(uuid.uuid4()), clock.now(), violations=[report(clock.now())]))
    assert unknown_anchor.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as bad_choice:
        await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())], escalation=7))
    assert rich_error(bad_choice.value)["fields"].keys() == {"escalation"}
    assert await count(database_url, "violations") == 0 and await count(database_url, "anchor_sessions") == 0


async def test_ANC_07_two_consecutive_violating_sessions_suspend_for_a_month(officer, anchor_id, clock):
    first = await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    assert first.standing.standing == dpb.STANDING_GOOD and first.standing.consecutive_violating_sessions == 1
    assert await blocks(officer, anchor_id) == []
    second = await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    assert second.standing.standing == dpb.STANDING_SUSPENDED
    [change] = second.changes
    assert change.kind == dpb.STANDING_CHANGE_KIND_SUSPENDED and change.rule_id == "ANC-07"
    until = change.until.ToDatetime().date()
    assert until == (clock.now() + timedelta(hours=8)).date().replace(month=12)  # one calendar month, Beijing time
    assert await blocks(officer, anchor_id) == ["ANC-07"]


async def test_ANC_07_a_clean_session_breaks_the_streak(officer, anchor_id, clock):
    await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    clean = await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now()))
    assert not clean.violating and clean.standing.consecutive_violating_sessions == 0
    again = await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    assert again.standing.standing == dpb.STANDING_GOOD and again.standing.consecutive_violating_sessions == 1


async def test_ANC_07_several_violations_in_one_session_are_one_rung(officer, anchor_id, clock):
    session = outcome(anchor_id, clock.now(), violations=[report(clock.now()), report(clock.now())])
    recorded = await officer.discipline.RecordSessionOutcome(session)
    assert recorded.standing.consecutive_violating_sessions == 1
    later = await officer.discipline.RecordViolation(
        dpb.RecordViolationRequest(request_id=rid(), anchor_id=anchor_id, session_id=session.session_id, violation=report(clock.now()))
    )
    assert later.standing.consecutive_violating_sessions == 1 and not later.changes


async def test_ANC_07_concurrent_violating_sessions_take_each_step_once(officer, anchor_id, clock):
    """Four violating sessions at once: exactly one suspension, never two, never none."""
    calls = [officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())])) for _ in range(4)]
    results = await asyncio.gather(*calls)
    changes = [c for r in results for c in r.changes]
    assert [c.kind for c in changes] == [dpb.STANDING_CHANGE_KIND_SUSPENDED]
    history = (await officer.discipline.ListStandingChanges(dpb.ListStandingChangesRequest(anchor_id=anchor_id))).changes
    assert len(history) == 1


async def test_ANC_08_violation_after_a_suspension_bans_or_terminates_and_notifies_the_regulator(stubs_for, officer, anchor_id, clock):
    for _ in range(2):
        await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    clock.advance(timedelta(days=31))
    third = await officer.discipline.RecordSessionOutcome(
        outcome(anchor_id, clock.now(), violations=[report(clock.now())], escalation=dpb.ESCALATION_CHOICE_TERMINATE_CONTRACT)
    )
    assert [c.kind for c in third.changes] == [dpb.STANDING_CHANGE_KIND_EXPIRED, dpb.STANDING_CHANGE_KIND_TERMINATED]
    terminated = third.changes[1]
    assert terminated.rule_id == "ANC-08" and not terminated.choice_was_default
    assert await blocks(officer, anchor_id) == ["ANC-08"]
    regulator = stubs_for("regulator")
    [notice] = (await regulator.discipline.ListRegulatorNotifications(dpb.ListRegulatorNotificationsRequest())).notifications
    assert notice.anchor_id == anchor_id and notice.change.change_id == terminated.change_id
    assert len(notice.violations) == 3 and notice.agency_id == "ag-1"
    with pytest.raises(grpc.aio.AioRpcError) as denied:
        await stubs_for("agency", "ag-1").discipline.ListRegulatorNotifications(dpb.ListRegulatorNotificationsRequest())
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_ANC_09_a_suspension_expires_at_its_end_instant(officer, anchor_id, clock, anchor_service):
    for _ in range(2):
        second = await officer.discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
    until = second.standing.until.ToDatetime().replace(tzinfo=clock.now().tzinfo)
    clock.set(until - timedelta(microseconds=1))
    assert await blocks(officer, anchor_id) == ["ANC-07"]
    clock.set(until)
    assert await blocks(officer, anchor_id) == []
    # The active replica's timer (Discipline.expire_due) records the expiry as a change and an event.
    changes = (await officer.discipline.ListStandingChanges(dpb.ListStandingChangesRequest(anchor_id=anchor_id))).changes
    async with asyncio.timeout(10):
        while len(changes) < 2:
            await asyncio.sleep(0.05)
            changes = (await officer.discipline.ListStandingChanges(dpb.ListStandingChangesRequest(anchor_id=anchor_id))).changes
    assert [c.kind for c in changes] == [dpb.STANDING_CHANGE_KIND_SUSPENDED, dpb.STANDING_CHANGE_KIND_EXPIRED]
    assert changes[1].at == second.standing.until and changes[1].rule_id == "ANC-09"


async def test_ANC_09_blacklisted_anchors_never_go_live(officer, anchor_id):
    with pytest.raises(grpc.aio.AioRpcError) as no_reason:
        await officer.discipline.BlacklistAnchor(dpb.BlacklistAnchorRequest(request_id=rid(), anchor_id=anchor_id))
    assert rich_error(no_reason.value)["fields"].keys() == {"reason"}
    listed = await officer.discipline.BlacklistAnchor(dpb.BlacklistAnchorRequest(request_id=rid(), anchor_id=anchor_id, reason="fraud ring"))
    assert listed.standing.standing == dpb.STANDING_BLACKLISTED
    assert await blocks(officer, anchor_id) == ["ANC-09"]


async def test_ANC_09_tenancy_an_agency_sees_only_its_own_anchors_standing(stubs_for, anchor_id):
    own = await stubs_for("agency", "ag-1").discipline.GetStanding(dpb.GetStandingRequest(anchor_id=anchor_id))
    assert own.standing.standing == dpb.STANDING_GOOD
    with pytest.raises(grpc.aio.AioRpcError) as other:
        await stubs_for("agency", "ag-2").discipline.GetStanding(dpb.GetStandingRequest(anchor_id=anchor_id))
    assert other.value.code() == grpc.StatusCode.NOT_FOUND  # PLT-04: as for a missing one


async def test_ANC_13_digital_human_rooms_carry_the_label(stubs_for, officer):
    anchor_id = await eligible_anchor(stubs_for("agency", "ag-1").anchors, officer.anchors, digital_human=True)
    answer = await officer.anchors.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor_id))
    assert answer.eligible and answer.digital_human and list(answer.room_labels) == ["数字 AI 直播"]
    human = await eligible_anchor(stubs_for("agency", "ag-1").anchors, officer.anchors)
    answer = await officer.anchors.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=human))
    assert not answer.digital_human and list(answer.room_labels) == []


async def test_agencies_register_with_a_valid_credit_code_and_anchors_name_a_registered_one(stubs_for):
    admin = stubs_for("platform_admin")
    request = agency_pb2.RegisterAgencyRequest(request_id=rid(), agency_id="ag-new", legal_name="新机构有限公司", credit_code=credit_code(77))
    agency = (await admin.agencies.RegisterAgency(request)).agency
    assert agency.credit_code == credit_code(77) and agency.signed_anchors == 0
    request.request_id = rid()  # another registration of the same agency, not a retry
    with pytest.raises(grpc.aio.AioRpcError) as twice:
        await admin.agencies.RegisterAgency(request)
    assert twice.value.code() == grpc.StatusCode.ALREADY_EXISTS
    bad = agency_pb2.RegisterAgencyRequest(request_id=rid(), agency_id="ag-bad", legal_name="x", credit_code=credit_code(78)[:-1] + "0")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await admin.agencies.RegisterAgency(bad)
    assert "credit_code" in rich_error(refused.value)["fields"]
    with pytest.raises(grpc.aio.AioRpcError) as unknown:
        await stubs_for("agency", "ag-ghost").anchors.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile(agency_id="")))
    assert rich_error(unknown.value)["fields"].keys() == {"profile.agency_id"} and "ANC-01" in unknown.value.details()


async def publish(datastores, settings, subject: str, payload, *, event_id: str | None = None) -> str:
    """Publishes an event as the session service would: an envelope with a stable id, through the
    tests' probe connection (the anchor service's certificate may publish only anchor events)."""
    nc = await datastores.nats_client("session-probe")
    try:
        published, _ = await publish_event(nc.jetstream(), settings.subject_root, "session", subject.removeprefix("session."), payload, event_id=event_id)
    finally:
        await nc.close()
    return published


async def test_ANC_07_session_events_step_the_ladder_once_even_when_redelivered(officer, anchor_id, clock, datastores, settings):
    ended = [
        session_events.SessionEnded(
            session_id=f"live-{n}", anchor_id=anchor_id, room_id="room-9", started_at=stamp(clock.now() - timedelta(hours=2)),
            ended_at=stamp(clock.now()),
            violations=[session_events.SessionViolation(violation_id=f"pv-{n}", report=report(clock.now()))],
        )
        for n in range(2)
    ]
    first = await publish(datastores, settings, "session.session.ended", ended[0])
    await publish(datastores, settings, "session.session.ended", ended[0], event_id=first)  # redelivered
    await publish(datastores, settings, "session.session.ended", ended[1])
    async with asyncio.timeout(20):
        while (await officer.discipline.GetStanding(dpb.GetStandingRequest(anchor_id=anchor_id))).standing.standing != dpb.STANDING_SUSPENDED:
            await asyncio.sleep(0.05)
    violations = (await officer.discipline.ListViolations(dpb.ListViolationsRequest(anchor_id=anchor_id))).violations
    assert sorted(v.session_id for v in violations) == ["live-0", "live-1"]
    assert {v.recorded_by.principal for v in violations} == {system_actor("session").principal}
