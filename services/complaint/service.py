"""The complaint service's definition: its schema, gRPC servicers, event consumers and timer.

Two APIs: ComplaintService (`api`): intake through every channel (CMP-01), the workflow with its
history (CMP-03), the promised feedback time (CMP-02), whistle-blowers' privacy (CMP-05,
`privacy`), the credit feed (CMP-04, `events`); and IncidentService (`incident_api`): emergency
plans and incidents (CMP-06). It consumes the anchor, product, session and trade services' events
into the projections that resolve what a complaint concerns (`intake`), and the active replica
escalates overdue complaints by the clock. This module builds them and says how they meet.
"""

from __future__ import annotations

from pathlib import Path

from livecommerce.complaint.v1 import complaint_pb2, complaint_pb2_grpc
from livecommerce.runtime.service import Runtime, ServiceDefinition, ServiceParts, every
from services.complaint import plans, rules_config
from services.complaint.api import ComplaintApi
from services.complaint.commands import Complaints
from services.complaint.incident_api import IncidentApi
from services.complaint.incidents import Incidents
from services.complaint.intake import CONSUMED, intake
from services.complaint.retention import RETENTION


def build(runtime: Runtime) -> ServiceParts:
    rules = rules_config.load(runtime.settings.rules_file)
    complaints = Complaints(runtime, rules)
    incidents = Incidents(runtime, plans.load_seed())
    complaint_api, incident_api = ComplaintApi(complaints, runtime.cipher), IncidentApi(incidents)

    def register(server) -> None:
        complaint_pb2_grpc.add_ComplaintServiceServicer_to_server(complaint_api, server)
        complaint_pb2_grpc.add_IncidentServiceServicer_to_server(incident_api, server)

    return ServiceParts(
        register=register,
        consumers=intake(incidents.archive_session, clock=runtime.clock).consumers(runtime),
        # CMP-02: only the active replica escalates (PLT-03), by the injected clock.
        timers=[("complaint escalation", every(rules.escalation.check_seconds, complaints.escalate_overdue))],
    )


DEFINITION = ServiceDefinition(
    name="complaint",
    migrations=Path(__file__).parent / "migrations",
    service_names=[
        complaint_pb2.DESCRIPTOR.services_by_name["ComplaintService"].full_name,
        complaint_pb2.DESCRIPTOR.services_by_name["IncidentService"].full_name,
    ],
    build=build,
    consumes=CONSUMED,
    retention=RETENTION,
)
