"""What the trade service keeps and for how long (TRD-02; runtime/retention does the rest).

Transaction records are kept at least 3 years from completion (`orders.completed_at`), with no
deletion before; an order never completed (placed, paid, cancelled) has no completion and is never
purged. A hold covers the orders of a session, of a merchant, or of an anchor (the order's own
anchor, else the session's from the projection). What hangs off an order (its status history,
logistics, shipping alert, after-sales requests and their steps, promise outcomes) is part of its
transaction record: kept as long as the order, from the order's completion, under the order's
holds, and purged just before it (`dependents`: their foreign keys point at the order). The
reconciliations and return-rate warnings are kept for good (PLT-01's evidence, ANC-10's credit
record); the projections of other services' events are not records of this service.
"""

from __future__ import annotations

from dataclasses import replace

from livecommerce.runtime.retention import RecordKind, RetentionDeclaration, kept
from livecommerce.trade.v1 import retention_pb2, retention_pb2_grpc


def _of_an_order(name: str, key: tuple[str, ...], order_join: str = "JOIN orders o ON o.order_id = r.order_id") -> RecordKind:
    """A kind whose rows belong to one order: its age, its scopes and its holds are the order's."""
    return RecordKind(
        name=name, table=name, rule="TRD-02", key=key, since="o.completed_at",
        counted_from="its order's completion (orders.completed_at)", minimum="3 years",
        joins=f"{order_join} LEFT JOIN session_projection p ON p.session_id = o.session_id",
        scopes={"session": "lower(o.session_id)", "merchant": "o.merchant_id", "anchor": "coalesce(nullif(o.anchor_id, ''), p.anchor_id)"},
    )


AFTER_SALES_HISTORY = _of_an_order(
    "after_sales_history", ("seq",), "JOIN after_sales a ON a.request_id = r.request_id JOIN orders o ON o.order_id = a.order_id"
)
AFTER_SALES = replace(_of_an_order("after_sales", ("request_id",)), dependents=("after_sales_history",))
OF_AN_ORDER = (
    AFTER_SALES_HISTORY, AFTER_SALES, _of_an_order("order_history", ("seq",)), _of_an_order("logistics_events", ("seq",)),
    _of_an_order("shipping_alerts", ("order_id",)), _of_an_order("promise_outcomes", ("promise_id", "order_id")),
)

ORDERS = RecordKind(
    # TRD-02: 3 years from completion, no deletion before.
    name="orders", table="orders", rule="TRD-02", key=("order_id",), since="r.completed_at",
    counted_from="completion (completed_at)", minimum="3 years",
    joins="LEFT JOIN session_projection p ON p.session_id = r.session_id",
    # Session ids are the session service's UUIDs in text; holds store them lower-case.
    scopes={"session": "lower(r.session_id)", "merchant": "r.merchant_id", "anchor": "coalesce(nullif(r.anchor_id, ''), p.anchor_id)"},
    dependents=("after_sales", "order_history", "logistics_events", "shipping_alerts", "promise_outcomes"),
)

KEPT = (
    kept("platform_figures", "platform_figures", "PLT-01"), kept("nightly_reconciliations", "nightly_reconciliations", "PLT-01"),
    kept("nightly_runs", "nightly_runs", "PLT-01"), kept("return_rate_warnings", "return_rate_warnings", "TRD-06"),
)

RETENTION = RetentionDeclaration(
    kinds=(*OF_AN_ORDER, ORDERS, *KEPT),
    service_name=retention_pb2.DESCRIPTOR.services_by_name["RetentionService"].full_name,
    add_servicer=retention_pb2_grpc.add_RetentionServiceServicer_to_server,
    hold_rule="TRD-02",
)
