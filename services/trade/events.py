"""Events of orders (events.proto): a docked order that is completed leaves as OrderCompleted on
`<root>.trade.order.completed`, written in the docking transaction, so it is published exactly
when the order commits (and a duplicate, never docked again, publishes nothing)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import events_pb2
from services.trade.domain import Order
from services.trade.progress import Docked


async def completed(conn: asyncpg.Connection, events: EventWriter, *, platform: str, docked: Sequence[tuple[Docked, Order]]) -> None:
    """Every newly docked completed order of a batch, in one round trip."""
    await events.add_many(conn, noun="order", verb="completed", events=[
        (
            events_pb2.OrderCompleted(
                order_id=str(d.order_id), platform=platform, external_order_id=order.external_order_id,
                session_id=order.session_id, anchor_id=d.anchor_id, merchant_id=order.merchant_id,
                product_id=order.product_id, amount_fen=order.amount_fen, completed_at=stamp(order.completed_at),
            ),
            str(d.order_id),
        )
        for d, order in docked
    ])  # fmt: skip
