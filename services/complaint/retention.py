"""What the complaint service keeps: every complaint, incident and plan, for good. rules.md gives
complaints no purge age: every step of a complaint is recorded (CMP-03) and every record keeps its
full history (PLT-02); an incident is archived with its session (CMP-06). Declared so the status
lists them and a purge request is refused naming the rule. The projections of other services'
events are not records of this service (they are rebuilt from those events) and are not declared."""

from __future__ import annotations

from livecommerce.complaint.v1 import retention_pb2, retention_pb2_grpc
from livecommerce.runtime.retention import RetentionDeclaration, kept

_CMP_03 = ("complaints", "complaint_history")
_CMP_06 = ("emergency_plans", "incidents", "incident_history")

RETENTION = RetentionDeclaration(
    kinds=tuple(kept(t, t, "CMP-03") for t in _CMP_03) + tuple(kept(t, t, "CMP-06") for t in _CMP_06),
    service_name=retention_pb2.DESCRIPTOR.services_by_name["RetentionService"].full_name,
    add_servicer=retention_pb2_grpc.add_RetentionServiceServicer_to_server,
    hold_rule="PLT-02",
)
