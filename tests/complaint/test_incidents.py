"""CMP-06: an emergency plan per incident type (reviewed seed data, new versions published by
compliance officers), an incident opened from a complaint or by an operator follows its plan's
steps in order, and is archived with its session when the session ends (the session service's
real SessionEnded, published on JetStream)."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import events_pb2 as session_events
from services.complaint import plans
from tests.complaint.messages import phone_complaint, request_id
from tests.complaint.test_bad_input import row_counts
from tests.complaint.test_intake import project
from tests.support import rich_error


def opening(**fields) -> pb.OpenIncidentRequest:
    fields.setdefault("incident_type", "product_safety")
    fields.setdefault("summary", "直播间售卖的电热毯起火")
    return pb.OpenIncidentRequest(request_id=request_id(), **fields)


def done(incident_id: str, index: int, note: str = "已完成") -> pb.CompleteIncidentStepRequest:
    return pb.CompleteIncidentStepRequest(request_id=request_id(), incident_id=incident_id, step_index=index, note=note)


async def test_CMP_06_every_seeded_type_has_a_reviewed_plan(officer):
    seed = plans.load_seed()
    assert set(seed.plans) >= {"data_leak", "stream_outage", "product_safety", "public_opinion"}
    plan = (await officer.incidents.GetEmergencyPlan(pb.GetEmergencyPlanRequest(incident_type="data_leak"))).plan
    assert plan.version == 1 and [s.title for s in plan.steps] == [s.title for s in seed.plans["data_leak"]]
    assert plan.note == seed.reviewed


async def test_CMP_06_an_incident_from_a_complaint_follows_its_plan_in_order_and_closes(staff, officer, stubs_for, db):
    complaint = (await staff.FileComplaint(phone_complaint(concern=pb.Concern(session_id="s-9")))).complaint
    incident = (await staff_incidents(stubs_for).OpenIncident(opening(complaint_id=complaint.complaint_id))).incident
    assert (incident.session_id, incident.complaint_id, incident.plan_version) == ("s-9", complaint.complaint_id, 1)
    assert incident.status == pb.INCIDENT_STATUS_OPEN and len(incident.steps) == 4
    sre = stubs_for("sre").incidents
    with pytest.raises(grpc.aio.AioRpcError) as skipped:
        await sre.CompleteIncidentStep(done(incident.incident_id, 1))
    error = rich_error(skipped.value)
    assert (error["code"], error["rules"], list(error["fields"])) == (grpc.StatusCode.FAILED_PRECONDITION, ["CMP-06"], ["step_index"])
    for index in range(4):
        incident = (await sre.CompleteIncidentStep(done(incident.incident_id, index, f"第{index}步完成"))).incident
    assert incident.status == pb.INCIDENT_STATUS_CLOSED
    assert [s.done_by.role for s in incident.steps] == ["sre"] * 4 and incident.steps[2].note == "第2步完成"
    actions = [r["action"] for r in await db.fetch("SELECT action FROM incident_history ORDER BY seq")]
    assert actions == ["opened", "step 0 done", "step 1 done", "step 2 done", "step 3 done"]
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE subject LIKE '%.complaint.incident.opened'") == 1


def staff_incidents(stubs_for):
    return stubs_for("customer_service").incidents


async def test_CMP_06_a_new_plan_version_leaves_open_incidents_on_theirs(officer, stubs_for):
    admin = stubs_for("platform_admin").incidents
    before = (await admin.OpenIncident(opening(incident_type="stream_outage", summary="推流中断"))).incident
    published = (await officer.incidents.PublishEmergencyPlan(pb.PublishEmergencyPlanRequest(
        request_id=request_id(), incident_type="stream_outage", note="2026 年演练后修订",
        steps=[pb.PlanStep(title="切换备用线路"), pb.PlanStep(title="通知商家")],
    ))).plan  # fmt: skip
    assert published.version == 2 and published.published_by.role == "compliance_officer"
    after = (await admin.OpenIncident(opening(incident_type="stream_outage", summary="再次中断"))).incident
    assert (before.plan_version, len(before.steps), after.plan_version, len(after.steps)) == (1, 4, 2, 2)
    first = (await officer.incidents.GetEmergencyPlan(pb.GetEmergencyPlanRequest(incident_type="stream_outage", version=1))).plan
    assert len(first.steps) == 4


async def test_CMP_06_plans_are_published_by_compliance_officers_only(stubs_for, database_url):
    before = await row_counts(database_url)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stubs_for("platform_admin").incidents.PublishEmergencyPlan(pb.PublishEmergencyPlanRequest(
            request_id=request_id(), incident_type="data_leak", note="n", steps=[pb.PlanStep(title="x")],
        ))  # fmt: skip
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await row_counts(database_url) == before


async def test_CMP_06_an_incident_for_an_unknown_type_is_refused_and_writes_nothing(stubs_for, database_url):
    before = await row_counts(database_url)
    for incident_type, why in (("alien_invasion", "no emergency plan"), ("Bad Type!", "lower-case")):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await staff_incidents(stubs_for).OpenIncident(opening(incident_type=incident_type))
        error = rich_error(refused.value)
        assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT and "CMP-06" in error["fields"]["incident_type"]
        assert why in error["fields"]["incident_type"]
    assert await row_counts(database_url) == before


async def test_CMP_06_an_incident_is_archived_with_its_session(stubs_for, officer, complaint_service, probe_js, settings, clock):
    opened = (await staff_incidents(stubs_for).OpenIncident(opening(session_id="s-42"))).incident
    assert not opened.HasField("archived_at")
    ended_at = clock.now() + timedelta(hours=1)
    await project(probe_js, settings, ("session", "session.ended", session_events.SessionEnded(
        session_id="s-42", anchor_id="an-1", ended_at=stamp(ended_at),
    )))  # fmt: skip
    archive = (await officer.incidents.ListIncidents(pb.ListIncidentsRequest(session_id="s-42"))).incidents
    assert [i.incident_id for i in archive] == [opened.incident_id]
    assert archive[0].archived_at.ToDatetime() == ended_at.replace(tzinfo=None)
    # Opened after its session ended: archived with it at once.
    late = (await staff_incidents(stubs_for).OpenIncident(opening(session_id="s-42", summary="事后发现"))).incident
    assert late.archived_at.ToDatetime() == ended_at.replace(tzinfo=None)
