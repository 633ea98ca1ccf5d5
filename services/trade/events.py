"""Events of orders (events.proto): the completed orders of a docked batch leave as one
OrdersCompleted on `<root>.trade.orders.completed`, written in the docking transaction, so they
are published exactly when the orders commit (and a duplicate, never docked again, publishes
nothing). One event per batch, as columns: an event per order cost more than docking it."""

from __future__ import annotations

import asyncpg
from google.protobuf import timestamp_pb2

from livecommerce.runtime.outbox import EventWriter
from livecommerce.trade.v1 import events_pb2
from services.trade.batch import OrderColumns

MAX_ORDERS_PER_EVENT = 1000
"""A batch larger than this (the limit is a setting) is published in several events, each well
under the broker's 1 MB message limit."""


class Completed:
    """The completed orders of one batch, gathered as the batch is docked."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self._orders: list[tuple[OrderColumns, int, str, str]] = []

    def add(self, columns: OrderColumns, index: int, order_id: str, anchor_id: str) -> None:
        self._orders.append((columns, index, order_id, anchor_id))

    def __len__(self) -> int:
        return len(self._orders)

    async def write(self, conn: asyncpg.Connection, events: EventWriter) -> None:
        chunks = [self._orders[i : i + MAX_ORDERS_PER_EVENT] for i in range(0, len(self._orders), MAX_ORDERS_PER_EVENT)]
        await events.add_many(conn, noun="orders", verb="completed", events=[(self._event(chunk), self.platform) for chunk in chunks])

    def _event(self, chunk: list[tuple[OrderColumns, int, str, str]]) -> events_pb2.OrdersCompleted:
        event = events_pb2.OrdersCompleted(
            platform=self.platform,
            order_ids=[order_id for _, _, order_id, _ in chunk],
            anchor_ids=[anchor_id for _, _, _, anchor_id in chunk],
            external_order_ids=[c.external_order_ids[i] for c, i, _, _ in chunk],
            session_ids=[c.session_ids[i] for c, i, _, _ in chunk],
            merchant_ids=[c.merchant_ids[i] for c, i, _, _ in chunk],
            product_ids=[c.product_ids[i] for c, i, _, _ in chunk],
            amount_fen=[c.amount_fen[i] for c, i, _, _ in chunk],
        )
        event.completed_at.extend(_stamp(c.completed_at[i]) for c, i, _, _ in chunk)
        return event


def _stamp(us: int | None) -> timestamp_pb2.Timestamp:
    assert us is not None, "a completed order has its completion moment (domain.missing_moment)"
    seconds, remainder = divmod(us, 1_000_000)
    return timestamp_pb2.Timestamp(seconds=seconds, nanos=remainder * 1000)
