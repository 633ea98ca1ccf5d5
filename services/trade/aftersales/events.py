"""After-sales events, in the transaction that causes them: ReturnCompleted on
`<root>.trade.return.completed` when a return completes (the anchor service's credit archive
counts it, TRD-06), AfterSalesEscalated on `<root>.trade.aftersales.escalated` (TRD-05)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import events_pb2


async def return_completed(conn: asyncpg.Connection, events: EventWriter, request: asyncpg.Record, *, at: datetime) -> None:
    await events.add(
        conn, noun="return", verb="completed", subject_id=str(request["order_id"]),
        payload=events_pb2.ReturnCompleted(
            order_id=str(request["order_id"]), anchor_id=request["anchor_id"], merchant_id=request["merchant_id"],
            session_id=request["session_id"], returned_at=stamp(at),
        ),
    )  # fmt: skip


async def escalated(conn: asyncpg.Connection, events: EventWriter, *, stage: str, rows: Sequence[asyncpg.Record]) -> None:
    await events.add_many(conn, noun="aftersales", verb="escalated", events=[
        (
            events_pb2.AfterSalesEscalated(
                after_sales_id=str(r["request_id"]), order_id=str(r["order_id"]), merchant_id=r["merchant_id"],
                anchor_id=r["anchor_id"], stage=stage, deadline=stamp(r["deadline"]),
            ),
            str(r["request_id"]),
        )
        for r in rows
    ])  # fmt: skip
