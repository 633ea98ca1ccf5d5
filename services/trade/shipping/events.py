"""Shipping's events: ShipmentOverdue on `<root>.trade.shipment.overdue`, in the alert's transaction."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import events_pb2


async def overdue(conn: asyncpg.Connection, events: EventWriter, alerts: Sequence[asyncpg.Record]) -> None:
    await events.add_many(conn, noun="shipment", verb="overdue", events=[
        (
            events_pb2.ShipmentOverdue(
                order_id=str(a["order_id"]), platform=a["platform"], external_order_id=a["external_order_id"],
                session_id=a["session_id"], anchor_id=a["anchor_id"], merchant_id=a["merchant_id"],
                product_id=a["product_id"], ship_by=stamp(a["ship_by"]), promised=a["promised"],
            ),
            str(a["order_id"]),
        )
        for a in alerts
    ])  # fmt: skip
