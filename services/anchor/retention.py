"""What the anchor service keeps: everything, for good. rules.md gives anchors no purge age: every
record keeps its full history (PLT-02) and credit history is kept, not erased (ANC-12). The kinds
are declared so the status lists them and a purge request is refused naming the rule."""

from __future__ import annotations

from livecommerce.anchor.v1 import retention_pb2, retention_pb2_grpc
from livecommerce.runtime.retention import RetentionDeclaration, kept

_PLT_02 = (
    "anchors", "anchor_file_versions", "anchor_trainings", "anchor_history", "pii_access_log", "agencies",
    "anchor_sessions", "violations", "anchor_standing", "standing_changes", "regulator_notifications",
)
_ANC_12 = ("credit_items", "credit_archives", "credit_history", "credit_warnings", "credit_repairs", "risk_attestations")

RETENTION = RetentionDeclaration(
    kinds=tuple(kept(t, t, "PLT-02") for t in _PLT_02) + tuple(kept(t, t, "ANC-12") for t in _ANC_12),
    service_name=retention_pb2.DESCRIPTOR.services_by_name["RetentionService"].full_name,
    add_servicer=retention_pb2_grpc.add_RetentionServiceServicer_to_server,
    hold_rule="PLT-02",
)
