"""Orders as a platform sends them, valid unless a test changes them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import trade_pb2 as pb

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
"""The test clock's start (tests/conftest.py, clock)."""


def order(n: int, **changes) -> pb.DockedOrder:
    """A completed order of session s-1 and product p-1 of merchant m-1, 100.00 CNY + n fen."""
    values = dict(
        external_order_id=f"tb-{n}", session_id="s-1", product_id="p-1", merchant_id="m-1", amount_fen=10_000 + n,
        currency="CNY", quantity=1, status=pb.ORDER_STATUS_COMPLETED, placed_at=stamp(NOW - timedelta(hours=2)),
        paid_at=stamp(NOW - timedelta(hours=2) + timedelta(minutes=1)), completed_at=stamp(NOW - timedelta(hours=1)),
    )
    values.update(changes)
    return pb.DockedOrder(**values)


async def dock(stub, *batches: list[pb.DockedOrder]) -> list[pb.DockOrdersResponse]:
    """Sends each batch on one docking stream and returns the acknowledgements, in order."""

    return [ack async for ack in stub.DockOrders(requests(*batches))]


async def requests(*batches: list[pb.DockedOrder]):
    """A docking stream's requests, one per batch, named batch-0, batch-1, ..."""
    for i, batch in enumerate(batches):
        yield pb.DockOrdersRequest(request_id=f"batch-{i}", orders=batch)


async def dock_in_lockstep(stub, *batches: list[pb.DockedOrder]) -> list[tuple[str, int]]:
    """Sends each batch only after the one before was acknowledged, as a cautious platform does;
    (request_id, accepted) per acknowledgement. A missing acknowledgement fails after 10 s."""
    acknowledged = asyncio.Event()

    async def lockstep():
        for i, batch in enumerate(batches):
            acknowledged.clear()
            yield pb.DockOrdersRequest(request_id=f"batch-{i}", orders=batch)
            await asyncio.wait_for(acknowledged.wait(), 10)

    acks = []
    async for ack in stub.DockOrders(lockstep()):
        acks.append((ack.request_id, ack.accepted))
        acknowledged.set()
    return acks


async def completed_published(conn) -> list[str]:
    """The external ids of the orders published as completed (OrdersCompleted in the outbox), in
    the order published; one entry per order per event, so a repeat shows twice."""
    from livecommerce.common.v1 import envelope_pb2
    from livecommerce.trade.v1 import events_pb2

    ids: list[str] = []
    for row in await conn.fetch("SELECT envelope FROM outbox WHERE subject LIKE '%.trade.orders.completed' ORDER BY seq"):
        event = events_pb2.OrdersCompleted()
        envelope_pb2.EventEnvelope.FromString(row["envelope"]).payload.Unpack(event)
        ids.extend(event.external_order_ids)
    return ids
