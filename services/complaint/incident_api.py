"""gRPC API of emergency plans and incidents (IncidentService, CMP-06): proto <-> domain only."""

from __future__ import annotations

from datetime import datetime

from livecommerce.common.v1 import identity_pb2, paging_pb2
from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.complaint.v1 import complaint_pb2_grpc
from livecommerce.runtime.actors import actor_pb
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import stamp
from services.complaint.incident_store import IncidentRow, PlanRow
from services.complaint.incidents import Incidents, parse_incident_id
from services.complaint.plans import Step

_STATUS = {"open": pb.INCIDENT_STATUS_OPEN, "closed": pb.INCIDENT_STATUS_CLOSED}


def plan_pb(row: PlanRow) -> pb.EmergencyPlan:
    return pb.EmergencyPlan(
        incident_type=row.incident_type, version=row.version,
        steps=[pb.PlanStep(title=s.title, instructions=s.instructions) for s in row.steps],
        published_by=identity_pb2.Actor(**row.published_by), published_at=stamp(row.published_at), note=row.note,
    )


def incident_pb(row: IncidentRow) -> pb.Incident:
    return pb.Incident(
        incident_id=str(row.incident_id), incident_type=row.incident_type, plan_version=row.plan_version,
        status=_STATUS[row.status], complaint_id=str(row.complaint_id or ""), session_id=row.session_id, summary=row.summary,
        steps=[
            pb.IncidentStep(
                index=i, title=s["title"], done_at=stamp(datetime.fromisoformat(s["done_at"])) if s["done_at"] else None,
                done_by=actor_pb(s["done_by"]), note=s["note"],
            )
            for i, s in enumerate(row.steps)
        ],
        opened_at=stamp(row.opened_at), opened_by=actor_pb(row.opened_by), archived_at=stamp(row.archived_at),
    )


class IncidentApi(complaint_pb2_grpc.IncidentServiceServicer):
    def __init__(self, incidents: Incidents) -> None:
        self._incidents = incidents

    async def GetEmergencyPlan(self, request: pb.GetEmergencyPlanRequest, context) -> pb.GetEmergencyPlanResponse:
        row = await self._incidents.plan(caller(context), request.incident_type, request.version)
        return pb.GetEmergencyPlanResponse(plan=plan_pb(row))

    async def PublishEmergencyPlan(self, request: pb.PublishEmergencyPlanRequest, context) -> pb.PublishEmergencyPlanResponse:
        row = await self._incidents.publish(
            caller(context), request.incident_type, [Step(s.title, s.instructions) for s in request.steps], note=request.note,
            request_id=request.request_id,
        )
        return pb.PublishEmergencyPlanResponse(plan=plan_pb(row))

    async def OpenIncident(self, request: pb.OpenIncidentRequest, context) -> pb.OpenIncidentResponse:
        row = await self._incidents.open(
            caller(context), incident_type=request.incident_type, complaint_id=request.complaint_id,
            session_id=request.session_id, summary=request.summary, request_id=request.request_id,
        )
        return pb.OpenIncidentResponse(incident=incident_pb(row))

    async def CompleteIncidentStep(self, request: pb.CompleteIncidentStepRequest, context) -> pb.CompleteIncidentStepResponse:
        row = await self._incidents.complete_step(
            caller(context), parse_incident_id(request.incident_id), step_index=request.step_index, note=request.note,
            request_id=request.request_id,
        )
        return pb.CompleteIncidentStepResponse(incident=incident_pb(row))

    async def GetIncident(self, request: pb.GetIncidentRequest, context) -> pb.GetIncidentResponse:
        row = await self._incidents.get(caller(context), parse_incident_id(request.incident_id))
        return pb.GetIncidentResponse(incident=incident_pb(row))

    async def ListIncidents(self, request: pb.ListIncidentsRequest, context) -> pb.ListIncidentsResponse:
        rows, token = await self._incidents.page(
            caller(context), session_id=request.session_id, token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListIncidentsResponse(incidents=[incident_pb(r) for r in rows], page=paging_pb2.PageResponse(next_page_token=token))
