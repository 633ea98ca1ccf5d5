"""SQL of orders (TRD-01): the docking of a batch as COPY into a staging table and one set-based
insert (beside each resent order the docked one, for `progress` to judge), the set-based status
updates with their history, the reads and the projections. Connection first, so the caller's transaction holds store and outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.paging import newest_first
from services.trade.batch import OrderColumns
from services.trade.domain import Order, Status

_COLUMNS = (
    "order_id, platform, external_order_id, session_id, product_id, merchant_id, amount_fen, currency, quantity,"
    " status, placed_at, paid_at, completed_at, shipped_at, refunded_fen, refunded_at, linked, anchor_id, docked_at"
)
_STAGED_COLUMNS = (
    "position", "external_order_id", "session_id", "product_id", "merchant_id", "amount_fen", "currency", "quantity",
    "status", "placed_us", "paid_us", "completed_us", "shipped_us", "refunded_fen", "refunded_us",
)
_CONTENT = (
    "session_id, product_id, merchant_id, amount_fen, currency, quantity, status, placed_at, paid_at, completed_at,"
    " shipped_at, refunded_fen, refunded_at"
)
_PROGRESS = ("status", "paid_at", "shipped_at", "completed_at", "refunded_fen", "refunded_at")

# One staging table per connection, emptied at each commit, so a batch's rows are seen by its own
# transaction only (created once: a table per batch cost a catalog write per batch). Moments come as
# whole microseconds since the epoch, what the batch's columns hold (no datetime per order in
# Python), and `_STAGED` reads them back as timestamps, exactly (integer arithmetic, no float).
_CREATE_STAGING = """
CREATE TEMP TABLE IF NOT EXISTS dock_staging (
    position integer NOT NULL, order_id uuid NOT NULL DEFAULT gen_random_uuid(), external_order_id text NOT NULL,
    session_id text NOT NULL, product_id text NOT NULL, merchant_id text NOT NULL, amount_fen bigint NOT NULL,
    currency text NOT NULL, quantity integer NOT NULL, status text NOT NULL, placed_us bigint NOT NULL, paid_us bigint,
    completed_us bigint, shipped_us bigint, refunded_fen bigint NOT NULL, refunded_us bigint
) ON COMMIT DELETE ROWS
"""
_STAGED = "SELECT position, order_id, external_order_id, session_id, product_id, merchant_id, amount_fen, currency, quantity, status, refunded_fen, " + ", ".join(
    f"timestamptz 'epoch' + {c}_us * interval '1 microsecond' AS {c}_at" for c in ("placed", "paid", "completed", "shipped", "refunded")
) + " FROM dock_staging"

# TRD-01: an order is tied to a product of its own merchant. A product the projection knows under
# another merchant refuses the order (taken out of the batch before anything is written); a
# product not known yet docks unlinked.
_MISMATCHED = """
DELETE FROM dock_staging s USING product_projection pp
WHERE pp.product_id = s.product_id AND pp.merchant_id <> s.merchant_id
RETURNING s.position, s.external_order_id, s.product_id, s.merchant_id
"""

# One statement docks every staged order that is new, and returns beside each order that was
# already there that docked order as it was: the outer query's `orders` is the statement's
# snapshot, which does not hold the rows the CTE inserts. What a resend is (duplicate, status
# update, conflict) is the pure `progress` rule's to say.
_DOCK = f"""
WITH staged AS (
    SELECT s.*, (sp.session_id IS NOT NULL AND pp.product_id IS NOT NULL) AS linked, COALESCE(sp.anchor_id, '') AS anchor_id
    FROM ({_STAGED}) s
    LEFT JOIN session_projection sp ON sp.session_id = s.session_id
    LEFT JOIN product_projection pp ON pp.product_id = s.product_id
), inserted AS (
    INSERT INTO orders ({_COLUMNS}, docked_by)
    SELECT order_id, $1, external_order_id, {_CONTENT}, linked, anchor_id, $2, $3::jsonb FROM staged
    ON CONFLICT (platform, external_order_id) DO NOTHING
    RETURNING order_id
)
SELECT s.position, i.order_id IS NOT NULL AS inserted,
    COALESCE(i.order_id, o.order_id)::text AS order_id, COALESCE(o.linked, s.linked) AS linked,
    COALESCE(o.anchor_id, s.anchor_id) AS anchor_id, o.platform, o.external_order_id, o.docked_at,
    {", ".join(f"o.{c}" for c in _CONTENT.split(", "))}
FROM staged s
LEFT JOIN inserted i ON i.order_id = s.order_id
-- One index probe per staged order (LIMIT keeps the planner from flattening it into a join that
-- reads every order of the platform: a cost that would grow with each batch docked).
LEFT JOIN LATERAL (
    SELECT * FROM orders d WHERE i.order_id IS NULL AND d.platform = $1 AND d.external_order_id = s.external_order_id LIMIT 1
) o ON true
ORDER BY s.position
"""

_PROGRESS_UPDATE = f"""
UPDATE orders o SET {", ".join(f"{c} = s.{c}" for c in _PROGRESS)}
FROM ({_STAGED}) s
WHERE s.position = ANY($1::int[]) AND o.platform = $2 AND o.external_order_id = s.external_order_id
"""

_HISTORY = """
INSERT INTO order_history (order_id, at, actor, action, changes)
SELECT order_id, $2, $3::jsonb, 'status', changes::jsonb FROM unnest($1::uuid[], $4::text[]) AS u(order_id, changes)
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
class Staged:
    """A staged order that was docked before, and that docked order."""

    position: int
    order_id: uuid.UUID
    linked: bool
    anchor_id: str
    docked: Order


@dataclass(frozen=True)
class Mismatch:
    position: int
    external_order_id: str
    product_id: str
    merchant_id: str
    """The merchant the order named, whose product it is not (its owner is another tenant's to know)."""


async def stage(conn: asyncpg.Connection, *, platform: str, orders: OrderColumns) -> list[Mismatch]:
    """Stages `orders` with COPY, then takes the platform's lock; returns (and unstages) those
    whose product belongs to another merchant. Positions are indexes into `orders`."""
    await conn.execute(_CREATE_STAGING)
    await conn.copy_records_to_table("dock_staging", records=orders.rows(), columns=_STAGED_COLUMNS)
    # One batch of a platform at a time: a concurrent twin would otherwise see neither its own
    # insert nor the other's row, and could not tell a duplicate from a conflict. Taken after the
    # COPY into this session's own table: PostgreSQL waits on a client stopped in the middle of a
    # COPY (SIGSTOP) without any timeout ending it, and must not hold the platform's lock meanwhile.
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 14))", platform)
    rows = await conn.fetch(_MISMATCHED)
    return sorted((Mismatch(r["position"], r["external_order_id"], r["product_id"], r["merchant_id"]) for r in rows), key=lambda m: m.position)


@dataclass(frozen=True)
class Docking:
    """What the staged orders met: `fresh` (position, order id, linked, anchor id) docked now,
    `existing` docked before, each beside the order as it was docked."""

    fresh: list[tuple[int, str, bool, str]]
    existing: list[Staged]


async def dock(conn: asyncpg.Connection, *, platform: str, docked_at: datetime, docked_by: str) -> Docking:
    """Docks the staged orders in one statement; `docked_by` is the caller as `actor_json` gives it."""
    fresh, existing = [], []
    for r in await conn.fetch(_DOCK, platform, docked_at, docked_by):
        if r[1]:  # inserted: read by position, the common case of a thousand per batch
            fresh.append((r[0], r[2], r[3], r[4]))
        else:
            existing.append(Staged(r["position"], uuid.UUID(r["order_id"]), r["linked"], r["anchor_id"], _order(r)))
    return Docking(fresh, existing)


async def progress(
    conn: asyncpg.Connection, *, platform: str, updates: Sequence[tuple[int, uuid.UUID, str]], at: datetime, by: str
) -> None:
    """TRD-01: the staged orders at these positions move their docked orders' status forward,
    each with its history entry; `updates` is (position, order id, changes as JSON)."""
    if not updates:
        return
    await conn.execute(_PROGRESS_UPDATE, [u[0] for u in updates], platform)
    await conn.execute(_HISTORY, [u[1] for u in updates], at, by, [u[2] for u in updates])


def _order(r: asyncpg.Record) -> Order:
    return Order(
        external_order_id=r["external_order_id"], session_id=r["session_id"], product_id=r["product_id"],
        merchant_id=r["merchant_id"], amount_fen=r["amount_fen"], currency=r["currency"], quantity=r["quantity"],
        status=Status(r["status"]), placed_at=r["placed_at"], paid_at=r["paid_at"], completed_at=r["completed_at"],
        shipped_at=r["shipped_at"], refunded_fen=r["refunded_fen"], refunded_at=r["refunded_at"],
    )


def _row(r: asyncpg.Record) -> OrderRow:
    return OrderRow(r["order_id"], r["platform"], _order(r), r["linked"], r["anchor_id"], r["docked_at"])


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


async def project_session(conn: asyncpg.Connection, *, session_id: str, merchant_id: str, anchor_id: str) -> None:
    await conn.execute(
        "INSERT INTO session_projection (session_id, merchant_id, anchor_id) VALUES ($1, $2, $3)"
        " ON CONFLICT (session_id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id, anchor_id = EXCLUDED.anchor_id",
        session_id, merchant_id, anchor_id,
    )


async def project_product(
    conn: asyncpg.Connection, *, product_id: str, merchant_id: str, perishable: bool = False, strict_after_sales: bool = False,
    claim_window_hours: int = 0,
) -> None:
    """The product and its perishables treatment (PRD-09) as its latest approved version says."""
    await conn.execute(
        "INSERT INTO product_projection (product_id, merchant_id, perishable, strict_after_sales, claim_window_hours)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (product_id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id,"
        " perishable = EXCLUDED.perishable, strict_after_sales = EXCLUDED.strict_after_sales,"
        " claim_window_hours = EXCLUDED.claim_window_hours",
        product_id, merchant_id, perishable, strict_after_sales, claim_window_hours,
    )  # fmt: skip
