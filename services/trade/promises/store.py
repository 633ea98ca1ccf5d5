"""SQL of promise outcomes (SES-10): recorded per promise and order, summed per promise in SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import asyncpg

# Per promise of the session: its orders (all of the session's, or the promised product's; not
# cancelled) and how many were kept, broken, pending. A shipping-time promise is kept by the first
# shipping moment (status or logistics) before payment + its hours; a reported outcome settles it.
_SUMMARY = """
WITH matched AS (
    SELECT pr.promise_id, o.order_id, po.kept,
        pr.kind = 'shipping_time' AND po.kept IS NULL AND o.paid_at IS NOT NULL AND pr.ship_within_hours IS NOT NULL
            AND LEAST(o.shipped_at, (SELECT min(l.at) FROM logistics_events l WHERE l.order_id = o.order_id))
                < o.paid_at + make_interval(hours => pr.ship_within_hours) AS shipped_in_time
    FROM promise_projection pr
    JOIN orders o ON o.session_id = pr.session_id AND (pr.product_id = '' OR o.product_id = pr.product_id) AND o.status <> 'cancelled'
    LEFT JOIN promise_outcomes po ON po.promise_id = pr.promise_id AND po.order_id = o.order_id
    WHERE pr.session_id = $1
)
SELECT pr.promise_id, pr.kind, pr.text, pr.product_id, pr.responsible, pr.responsible_id,
    count(m.order_id) AS orders,
    count(*) FILTER (WHERE m.kept OR m.shipped_in_time) AS kept,
    count(*) FILTER (WHERE NOT m.kept) AS broken,
    COALESCE(array_agg(m.order_id ORDER BY m.order_id) FILTER (WHERE NOT m.kept), '{}') AS broken_orders
FROM promise_projection pr LEFT JOIN matched m USING (promise_id)
WHERE pr.session_id = $1
GROUP BY pr.promise_id ORDER BY pr.made_at, pr.promise_id
"""


async def promise(conn: asyncpg.Connection, *, promise_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM promise_projection WHERE promise_id = $1", promise_id)


async def record(
    conn: asyncpg.Connection, *, outcomes: Sequence[tuple[str, uuid.UUID, bool, str]], at: datetime, by: str
) -> list[tuple[str, uuid.UUID]]:
    """(promise, order, kept, detail) each recorded once; returns those recorded now."""
    rows = await conn.fetch(
        "INSERT INTO promise_outcomes (promise_id, order_id, kept, detail, at, by)"
        " SELECT p, o, k, d, $5, $6::jsonb FROM unnest($1::text[], $2::uuid[], $3::bool[], $4::text[]) AS u(p, o, k, d)"
        " ON CONFLICT (promise_id, order_id) DO NOTHING RETURNING promise_id, order_id",
        [o[0] for o in outcomes], [o[1] for o in outcomes], [o[2] for o in outcomes], [o[3] for o in outcomes], at, by,
    )  # fmt: skip
    return [(r["promise_id"], r["order_id"]) for r in rows]


async def outcome(conn: asyncpg.Connection, *, promise_id: str, order_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT kept, detail FROM promise_outcomes WHERE promise_id = $1 AND order_id = $2", promise_id, order_id)


async def summary(conn: asyncpg.Connection, *, session_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(_SUMMARY, session_id)
