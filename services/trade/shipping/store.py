"""SQL of shipping (TRD-03) and of the promise projection (SES-10). Connection first."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from services.trade.shipping.domain import LogisticsEvent

# The strictest shipping promise of the order's session that concerns its product (or no product).
PROMISED_HOURS = """
LEFT JOIN LATERAL (
    SELECT pr.ship_within_hours AS hours, pr.promise_id, pr.responsible, pr.responsible_id FROM promise_projection pr
    WHERE pr.session_id = o.session_id AND pr.kind = 'shipping_time' AND pr.ship_within_hours IS NOT NULL
      AND (pr.product_id = '' OR pr.product_id = o.product_id)
    ORDER BY pr.ship_within_hours, pr.promise_id LIMIT 1
) promised ON true
"""

# TRD-03: every paid order not shipped (no status move, no logistics) whose ship-by has come, once.
_OVERDUE = f"""
WITH due AS (
    SELECT o.order_id, promised.hours, promised.promise_id, promised.responsible, promised.responsible_id, o.paid_at + make_interval(hours => COALESCE(promised.hours, $2)) AS ship_by
    FROM orders o {PROMISED_HOURS}
    WHERE o.status = 'paid' AND o.paid_at <= $1
      AND NOT EXISTS (SELECT 1 FROM shipping_alerts a WHERE a.order_id = o.order_id)
      AND NOT EXISTS (SELECT 1 FROM logistics_events l WHERE l.order_id = o.order_id)
), alerted AS (
    INSERT INTO shipping_alerts (order_id, ship_by, promised, alerted_at)
    SELECT order_id, ship_by, hours IS NOT NULL, $1 FROM due WHERE ship_by <= $1
    ORDER BY ship_by LIMIT $3
    ON CONFLICT (order_id) DO NOTHING
    RETURNING order_id, ship_by, promised
)
SELECT a.order_id, a.ship_by, a.promised, o.platform, o.external_order_id, o.session_id, o.anchor_id, o.merchant_id, o.product_id,
    d.promise_id, d.responsible, d.responsible_id
FROM alerted a JOIN orders o USING (order_id) JOIN due d USING (order_id)
"""


async def project_promise(
    conn: asyncpg.Connection, *, promise_id: str, session_id: str, kind: str, text: str, product_id: str,
    responsible: str, responsible_id: str, made_at: datetime | None, ship_within_hours: int | None,
) -> None:
    await conn.execute(
        "INSERT INTO promise_projection (promise_id, session_id, kind, text, product_id, responsible, responsible_id, made_at,"
        " ship_within_hours) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (promise_id) DO NOTHING",
        promise_id, session_id, kind, text, product_id, responsible, responsible_id, made_at, ship_within_hours,
    )  # fmt: skip


async def platform_order(conn: asyncpg.Connection, *, platform: str, external_order_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT order_id, placed_at, status FROM orders WHERE platform = $1 AND external_order_id = $2 FOR UPDATE",
        platform, external_order_id,
    )  # fmt: skip


async def record_logistics(conn: asyncpg.Connection, *, order_id: uuid.UUID, event: LogisticsEvent, at: datetime, by: str) -> None:
    """The event, and the order's first delivery moment when it is a delivery (the after-sales
    windows count from it, TRD-04)."""
    await conn.execute(
        "INSERT INTO logistics_events (order_id, kind, carrier, tracking_number, at, note, recorded_at, recorded_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)",
        order_id, str(event.kind), event.carrier, event.tracking_number, event.at, event.note, at, by,
    )  # fmt: skip
    if event.kind == "delivered":
        await conn.execute("UPDATE orders SET delivered_at = COALESCE(delivered_at, $2) WHERE order_id = $1", order_id, event.at)


async def shipping_of(conn: asyncpg.Connection, *, order_id: uuid.UUID, default_hours: int) -> asyncpg.Record:
    return await conn.fetchrow(
        "SELECT o.paid_at, o.shipped_at, o.delivered_at, promised.hours,"
        f" o.paid_at + make_interval(hours => COALESCE(promised.hours, $2)) AS ship_by,"
        " (SELECT alerted_at FROM shipping_alerts a WHERE a.order_id = o.order_id) AS alerted_at"
        f" FROM orders o {PROMISED_HOURS} WHERE o.order_id = $1",
        order_id, default_hours,
    )  # fmt: skip


async def logistics(conn: asyncpg.Connection, *, order_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT kind, carrier, tracking_number, at, note FROM logistics_events WHERE order_id = $1 ORDER BY seq", order_id
    )


async def alert_overdue(conn: asyncpg.Connection, *, now: datetime, default_hours: int, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(_OVERDUE, now, default_hours, limit)
