"""SQL of after-sales requests (TRD-04, TRD-05). Connection first, the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from livecommerce.runtime.history import ChangeHistory

HISTORY = ChangeHistory("after_sales_history", "request_id")

_COLUMNS = (
    "request_id, order_id, merchant_id, anchor_id, session_id, kind, reason, description, refund_fen, state, honoured,"
    " opened_at, respond_by, resolve_by, responded_at, response, resolved_at, resolution, response_escalated_at,"
    " resolution_escalated_at"
)

# What the rules need of the order, and the perishables treatment of its product (PRD-09).
_ORDER_FACTS = """
SELECT o.order_id, o.platform, o.merchant_id, o.anchor_id, o.session_id, o.status, o.amount_fen, o.refunded_fen,
    COALESCE(o.delivered_at, o.completed_at) AS received_at, pp.strict_after_sales, pp.claim_window_hours
FROM orders o LEFT JOIN product_projection pp ON pp.product_id = o.product_id AND pp.perishable
WHERE o.order_id = $1
FOR UPDATE OF o
"""

# TRD-05: every request past a deadline it has not met, escalated once per deadline.
_ESCALATE = {
    "response": """
        UPDATE after_sales SET response_escalated_at = $1
        WHERE request_id IN (SELECT request_id FROM after_sales WHERE responded_at IS NULL AND response_escalated_at IS NULL
                             AND respond_by <= $1 ORDER BY respond_by LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING request_id, order_id, merchant_id, anchor_id, respond_by AS deadline
    """,
    "resolution": """
        UPDATE after_sales SET resolution_escalated_at = $1
        WHERE request_id IN (SELECT request_id FROM after_sales WHERE resolved_at IS NULL AND resolution_escalated_at IS NULL
                             AND resolve_by <= $1 ORDER BY resolve_by LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING request_id, order_id, merchant_id, anchor_id, resolve_by AS deadline
    """,
}


async def order_facts(conn: asyncpg.Connection, *, order_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(_ORDER_FACTS, order_id)


async def open_request(conn: asyncpg.Connection, *, values: dict) -> None:
    columns = ", ".join(values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    await conn.execute(f"INSERT INTO after_sales ({columns}) VALUES ({placeholders})", *values.values())


async def get(conn: asyncpg.Connection, *, request_id: uuid.UUID, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_COLUMNS} FROM after_sales WHERE request_id = $1{' FOR UPDATE' if lock else ''}", request_id)


async def respond(conn: asyncpg.Connection, *, request_id: uuid.UUID, state: str, at: datetime, response: str) -> None:
    await conn.execute(
        "UPDATE after_sales SET state = $2, responded_at = $3, response = $4,"
        " resolved_at = CASE WHEN $2 = 'rejected' THEN $3 ELSE resolved_at END WHERE request_id = $1",
        request_id, state, at, response,
    )  # fmt: skip


async def resolve(conn: asyncpg.Connection, *, request_id: uuid.UUID, state: str, at: datetime, resolution: str) -> None:
    """Resolving answers too: a request resolved at once needs no separate response."""
    await conn.execute(
        "UPDATE after_sales SET state = $2, resolved_at = $3, resolution = $4, responded_at = COALESCE(responded_at, $3)"
        " WHERE request_id = $1",
        request_id, state, at, resolution,
    )  # fmt: skip


async def page(
    conn: asyncpg.Connection, *, merchant_id: str | None, order_id: uuid.UUID | None, after: tuple | None, limit: int
) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {_COLUMNS} FROM after_sales WHERE ($1::text IS NULL OR merchant_id = $1) AND ($2::uuid IS NULL OR order_id = $2)"
        " AND ($3::timestamptz IS NULL OR (opened_at, request_id) < ($3, $4::uuid)) ORDER BY opened_at DESC, request_id DESC LIMIT $5",
        merchant_id, order_id, after[0] if after else None, after[1] if after else None, limit,
    )  # fmt: skip


async def escalate(conn: asyncpg.Connection, *, stage: str, now: datetime, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(_ESCALATE[stage], now, limit)
