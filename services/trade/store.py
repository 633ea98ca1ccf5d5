"""SQL of orders (TRD-01): the docking of a batch as COPY into a staging table and one set-based
insert, and the reads. Connection first, so the caller's transaction holds store and outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.paging import newest_first
from services.trade.domain import Order, Status

_COLUMNS = (
    "order_id, platform, external_order_id, session_id, product_id, merchant_id, amount_fen, currency, quantity,"
    " status, placed_at, paid_at, completed_at, linked, anchor_id, docked_at"
)
_STAGED = (
    "position", "order_id", "external_order_id", "session_id", "product_id", "merchant_id", "amount_fen", "currency",
    "quantity", "status", "placed_at", "paid_at", "completed_at",
)
_CONTENT = "session_id, product_id, merchant_id, amount_fen, currency, quantity, status, placed_at, paid_at, completed_at"

# Dropped at commit: each batch stages into a table only its own transaction sees.
_CREATE_STAGING = """
CREATE TEMP TABLE dock_staging (
    position integer NOT NULL, order_id uuid NOT NULL, external_order_id text NOT NULL, session_id text NOT NULL,
    product_id text NOT NULL, merchant_id text NOT NULL, amount_fen bigint NOT NULL, currency text NOT NULL,
    quantity integer NOT NULL, status text NOT NULL, placed_at timestamptz NOT NULL, paid_at timestamptz,
    completed_at timestamptz
) ON COMMIT DROP
"""

# One statement classifies every staged order: inserted (accepted), or already there with the same
# content (duplicate) or another (conflict; the docked row is left as it was). The outer query's
# `orders` is the statement's snapshot, which does not hold the rows the CTE inserts: `o` is the
# order as it was before this batch.
_DOCK = f"""
WITH staged AS (
    SELECT s.*, (sp.session_id IS NOT NULL AND pp.product_id IS NOT NULL) AS linked, COALESCE(sp.anchor_id, '') AS anchor_id
    FROM dock_staging s
    LEFT JOIN session_projection sp ON sp.session_id = s.session_id
    LEFT JOIN product_projection pp ON pp.product_id = s.product_id
), inserted AS (
    INSERT INTO orders ({_COLUMNS}, docked_by)
    SELECT order_id, $1, external_order_id, {_CONTENT}, linked, anchor_id, $2, $3::jsonb FROM staged
    ON CONFLICT (platform, external_order_id) DO NOTHING
    RETURNING order_id
)
SELECT s.position, s.order_id, s.external_order_id, s.linked, s.anchor_id,
    CASE WHEN i.order_id IS NOT NULL THEN 'accepted'
         WHEN (o.{_CONTENT.replace(', ', ', o.')}) IS NOT DISTINCT FROM (s.{_CONTENT.replace(', ', ', s.')}) THEN 'duplicate'
         ELSE 'conflict' END AS outcome
FROM staged s
LEFT JOIN inserted i ON i.order_id = s.order_id
LEFT JOIN orders o ON o.platform = $1 AND o.external_order_id = s.external_order_id
ORDER BY s.position
"""


@dataclass(frozen=True)
class OrderRow:
    order_id: uuid.UUID
    platform: str
    order: Order
    linked: bool
    anchor_id: str
    docked_at: datetime


@dataclass(frozen=True)
class Docked:
    """What one staged order came to."""

    position: int
    order_id: uuid.UUID
    external_order_id: str
    outcome: str
    """"accepted", "duplicate" or "conflict"."""
    linked: bool
    anchor_id: str


async def dock(
    conn: asyncpg.Connection, *, platform: str, orders: Sequence[tuple[int, Order]], docked_at: datetime, docked_by: str
) -> list[Docked]:
    """Stages `orders` (position, order) with COPY and docks them in one statement; `docked_by`
    is the caller as `actor_json` gives it."""
    if not orders:
        return []
    # One batch of a platform at a time: a concurrent twin would otherwise see neither its own
    # insert nor the other's row, and could not tell a duplicate from a conflict.
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 14))", platform)
    await conn.execute(_CREATE_STAGING)
    await conn.copy_records_to_table(
        "dock_staging",
        records=[
            (
                position, uuid.uuid4(), o.external_order_id, o.session_id, o.product_id, o.merchant_id, o.amount_fen,
                o.currency, o.quantity, str(o.status), o.placed_at, o.paid_at, o.completed_at,
            )
            for position, o in orders
        ],
        columns=_STAGED,
    )
    rows = await conn.fetch(_DOCK, platform, docked_at, docked_by)
    return [
        Docked(r["position"], r["order_id"], r["external_order_id"], r["outcome"], r["linked"], r["anchor_id"])
        for r in rows
    ]


def _row(r: asyncpg.Record) -> OrderRow:
    order = Order(
        external_order_id=r["external_order_id"], session_id=r["session_id"], product_id=r["product_id"],
        merchant_id=r["merchant_id"], amount_fen=r["amount_fen"], currency=r["currency"], quantity=r["quantity"],
        status=Status(r["status"]), placed_at=r["placed_at"], paid_at=r["paid_at"], completed_at=r["completed_at"],
    )
    return OrderRow(r["order_id"], r["platform"], order, r["linked"], r["anchor_id"], r["docked_at"])


async def get(conn: asyncpg.Connection, *, order_id: uuid.UUID) -> OrderRow | None:
    r = await conn.fetchrow(f"SELECT {_COLUMNS} FROM orders WHERE order_id = $1", order_id)
    return _row(r) if r is not None else None


async def page(
    conn: asyncpg.Connection, *, platform: str | None, merchant_id: str | None, session_id: str | None,
    after: tuple | None, limit: int,
) -> list[OrderRow]:
    sql, args = newest_first(
        table="orders", columns=_COLUMNS, order=("placed_at", "order_id"),
        filters={"platform": platform, "merchant_id": merchant_id, "session_id": session_id}, after=after, limit=limit,
    )
    return [_row(r) for r in await conn.fetch(sql, *args)]


async def counted_amounts(conn: asyncpg.Connection, *, platform: str, session_id: str) -> dict[str, int]:
    """PLT-01: external order id -> amount in fen of the session's docked orders that count
    (every one not cancelled)."""
    rows = await conn.fetch(
        "SELECT external_order_id, amount_fen FROM orders WHERE platform = $1 AND session_id = $2 AND status <> 'cancelled'",
        platform, session_id,
    )
    return {r["external_order_id"]: r["amount_fen"] for r in rows}


async def project_session(conn: asyncpg.Connection, *, session_id: str, merchant_id: str, anchor_id: str) -> None:
    await conn.execute(
        "INSERT INTO session_projection (session_id, merchant_id, anchor_id) VALUES ($1, $2, $3)"
        " ON CONFLICT (session_id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id, anchor_id = EXCLUDED.anchor_id",
        session_id, merchant_id, anchor_id,
    )


async def project_product(conn: asyncpg.Connection, *, product_id: str, merchant_id: str) -> None:
    await conn.execute(
        "INSERT INTO product_projection (product_id, merchant_id) VALUES ($1, $2)"
        " ON CONFLICT (product_id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id",
        product_id, merchant_id,
    )
