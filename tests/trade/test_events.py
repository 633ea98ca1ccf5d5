"""TRD-01's OrdersCompleted, pure: a batch's completed orders as columns, in events small enough
for the broker whatever batch size the rules allow."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, timedelta

from services.trade import convert, events
from services.trade.rules_config import DockingRules
from tests.trade.messages import NOW, order

NATS_MAX_PAYLOAD = 1024 * 1024


class Captured:
    """Stands in for the outbox writer: keeps what would be written (the outbox itself is proven by
    the docking tests against PostgreSQL)."""

    def __init__(self) -> None:
        self.written: list[tuple[str, str, list]] = []

    async def add_many(self, conn, *, noun, verb, events):
        self.written.append((noun, verb, list(events)))
        return [uuid.uuid4() for _ in events]


def test_TRD_01_a_large_batch_is_published_in_events_under_the_brokers_limit():
    assert DockingRules().max_batch_orders <= events.MAX_ORDERS_PER_EVENT  # the default batch is one event
    # The longest ids the rules allow (64 characters each), 2,500 orders: a batch limit raised in rules.toml.
    columns = convert.batch([
        order(n, external_order_id=f"{n:064d}", session_id="s" * 64, product_id="p" * 64, merchant_id="m" * 64) for n in range(2500)
    ]).columns  # fmt: skip
    completed = events.Completed("taobao")
    for i in range(len(columns)):
        completed.add(columns, i, str(uuid.uuid4()), "a" * 36)
    writer = Captured()
    asyncio.run(completed.write(None, writer))  # type: ignore[arg-type]
    [(noun, verb, written)] = writer.written
    assert (noun, verb) == ("orders", "completed")
    sizes = [len(event.external_order_ids) for event, _ in written]
    assert sizes == [1000, 1000, 500]
    assert all(len(event.SerializeToString()) < NATS_MAX_PAYLOAD // 2 for event, _ in written)
    last, subject_id = written[-1]
    assert subject_id == "taobao" and last.external_order_ids[-1] == f"{2499:064d}"
    assert len({len(last.order_ids), len(last.session_ids), len(last.amount_fen), len(last.completed_at)}) == 1  # aligned columns
    assert last.completed_at[0].ToDatetime(UTC) == NOW - timedelta(hours=1)  # as order() completes it
