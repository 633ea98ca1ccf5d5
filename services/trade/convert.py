"""Proto <-> domain for orders and docking acknowledgements."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter, methodcaller

from livecommerce.runtime.timestamps import read, stamp
from livecommerce.trade.v1 import trade_pb2 as pb
from services.trade import domain
from services.trade.batch import MOMENTS, Batch, OrderColumns
from services.trade.commands import BatchOutcome
from services.trade.store import OrderRow

STATUSES = {
    pb.ORDER_STATUS_PLACED: domain.Status.PLACED,
    pb.ORDER_STATUS_PAID: domain.Status.PAID,
    pb.ORDER_STATUS_SHIPPED: domain.Status.SHIPPED,
    pb.ORDER_STATUS_COMPLETED: domain.Status.COMPLETED,
    pb.ORDER_STATUS_REFUNDED: domain.Status.REFUNDED,
    pb.ORDER_STATUS_CANCELLED: domain.Status.CANCELLED,
}
_STATUS_PB = {status: number for number, status in STATUSES.items()}


def order(message: pb.DockedOrder) -> domain.Order:
    return domain.Order(
        external_order_id=message.external_order_id, session_id=message.session_id, product_id=message.product_id,
        merchant_id=message.merchant_id, amount_fen=message.amount_fen, currency=message.currency,
        quantity=message.quantity, status=STATUSES.get(message.status), placed_at=read(message, "placed_at"),
        paid_at=read(message, "paid_at"), completed_at=read(message, "completed_at"),
        shipped_at=read(message, "shipped_at"), refunded_fen=message.refunded_fen, refunded_at=read(message, "refunded_at"),
    )


def batch(messages: Sequence[pb.DockedOrder]) -> Batch:
    """A request's orders as columns, field by field (TRD-01's fast path), and as `Order`s on demand."""
    m = list(messages)
    moments = {name: _micros(m, name) for name in MOMENTS}
    columns = OrderColumns(
        external_order_ids=[o.external_order_id for o in m], session_ids=[o.session_id for o in m],
        product_ids=[o.product_id for o in m], merchant_ids=[o.merchant_id for o in m],
        amount_fen=[o.amount_fen for o in m], currencies=[o.currency for o in m], quantities=[o.quantity for o in m],
        statuses=list(map(STATUSES.get, map(_STATUS, m))), refunded_fen=[o.refunded_fen for o in m], **moments,
    )  # fmt: skip
    return Batch(columns, lambda: [order(o) for o in m])


_STATUS = attrgetter("status")


def _micros(messages: list[pb.DockedOrder], name: str) -> list[int | None]:
    """A Timestamp field as microseconds since the epoch, None where unset; truncated toward zero
    as `Timestamp.ToDatetime` does, so both paths read the same moment."""
    given = map(methodcaller("HasField", name), messages)
    return [t.seconds * 1_000_000 + int(t.nanos / 1000) if g else None for t, g in zip(map(attrgetter(name), messages), given)]


def docked_order_pb(o: domain.Order) -> pb.DockedOrder:
    return pb.DockedOrder(
        external_order_id=o.external_order_id, session_id=o.session_id, product_id=o.product_id,
        merchant_id=o.merchant_id, amount_fen=o.amount_fen, currency=o.currency, quantity=o.quantity,
        status=_STATUS_PB[o.status] if o.status else pb.ORDER_STATUS_UNSPECIFIED,
        placed_at=stamp(o.placed_at), paid_at=stamp(o.paid_at), completed_at=stamp(o.completed_at),
        shipped_at=stamp(o.shipped_at), refunded_fen=o.refunded_fen, refunded_at=stamp(o.refunded_at),
    )


def order_pb(row: OrderRow) -> pb.Order:
    return pb.Order(
        order_id=str(row.order_id), platform=row.platform, order=docked_order_pb(row.order), linked=row.linked,
        anchor_id=row.anchor_id, docked_at=stamp(row.docked_at),
    )


def acknowledgement(request_id: str, outcome: BatchOutcome) -> pb.DockOrdersResponse:
    return pb.DockOrdersResponse(
        request_id=request_id, accepted=outcome.accepted, duplicate=outcome.duplicate, conflict=len(outcome.conflicts),
        unlinked=len(outcome.unlinked), refused=len(outcome.refusals),
        refusals=[
            pb.OrderRefusal(index=r.index, external_order_id=r.external_order_id, field=r.field, rule=r.rule, description=r.description)
            for r in outcome.refusals
        ],
        conflicts=outcome.conflicts, unlinked_orders=outcome.unlinked, updated=len(outcome.updated), updated_orders=outcome.updated,
    )
