"""PromiseBroken on `<root>.trade.promise.broken` (SES-10), in the transaction that found it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import events_pb2


@dataclass(frozen=True)
class Broken:
    promise_id: str
    session_id: str
    order_id: str
    kind: str
    responsible: str
    responsible_id: str
    anchor_id: str
    detail: str


async def broken(conn: asyncpg.Connection, events: EventWriter, items: Sequence[Broken], *, at: datetime) -> None:
    await events.add_many(conn, noun="promise", verb="broken", events=[
        (
            events_pb2.PromiseBroken(
                promise_id=b.promise_id, session_id=b.session_id, order_id=b.order_id, kind=b.kind, responsible=b.responsible,
                responsible_id=b.responsible_id, anchor_id=b.anchor_id, detail=b.detail, at=stamp(at),
            ),
            b.promise_id,
        )
        for b in items
    ])  # fmt: skip
