"""What the trade service keeps and for how long (TRD-02; runtime/retention does the rest).

Transaction records are kept at least 3 years from completion (`orders.completed_at`), with no
deletion before; an order never completed (placed, paid, cancelled) has no completion and is never
purged. A hold covers the orders of a session, of a merchant, or of an anchor (the order's own
anchor, else the session's from the projection). Kinds added later (shipments, after-sales
requests) declare themselves here the same way, one `RecordKind` each, with a migration creating
their DELETE guard trigger.
"""

from __future__ import annotations

from livecommerce.runtime.retention import RecordKind, RetentionDeclaration
from livecommerce.trade.v1 import retention_pb2, retention_pb2_grpc

ORDERS = RecordKind(
    # TRD-02: 3 years from completion, no deletion before.
    name="orders", table="orders", rule="TRD-02", key=("order_id",), since="r.completed_at",
    counted_from="completion (completed_at)", minimum="3 years",
    joins="LEFT JOIN session_projection p ON p.session_id = r.session_id",
    # Session ids are the session service's UUIDs in text; holds store them lower-case.
    scopes={"session": "lower(r.session_id)", "merchant": "r.merchant_id", "anchor": "coalesce(nullif(r.anchor_id, ''), p.anchor_id)"},
)

RETENTION = RetentionDeclaration(
    kinds=(ORDERS,),
    service_name=retention_pb2.DESCRIPTOR.services_by_name["RetentionService"].full_name,
    add_servicer=retention_pb2_grpc.add_RetentionServiceServicer_to_server,
    hold_rule="TRD-02",
)
