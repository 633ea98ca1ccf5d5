"""SQL of reconciliation (PLT-01): every sum and every match of orders is done by PostgreSQL (a
GROUP BY, a FULL JOIN against the platform's list COPYed into a staging table), so a session or
a period of a million orders never travels to Python. Connection first, the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import asyncpg

from services.trade.reconciliation.domain import Figures

# Dropped at commit: the platform's list of one reconciliation, seen by its transaction only.
_CREATE_LISTED = """
CREATE TEMP TABLE platform_listed (external_order_id text NOT NULL, amount_fen bigint NOT NULL) ON COMMIT DROP
"""

_COUNTED = "SELECT external_order_id, amount_fen FROM orders WHERE platform = $1 AND session_id = $2 AND status <> 'cancelled'"

_SESSION_TOTALS = f"SELECT count(*) AS n, COALESCE(sum(amount_fen), 0)::bigint AS fen FROM ({_COUNTED}) o"

# Only the orders that differ come back: a million matching orders cost one hash join, no rows.
_SESSION_DIFFERING = f"""
SELECT COALESCE(o.external_order_id, p.external_order_id) AS external_order_id, o.amount_fen AS ours, p.amount_fen AS theirs
FROM ({_COUNTED}) o
FULL JOIN platform_listed p ON p.external_order_id = o.external_order_id
WHERE o.amount_fen IS DISTINCT FROM p.amount_fen
"""

_BY_SESSION = """
SELECT platform, session_id, count(*) AS n, sum(amount_fen)::bigint AS fen FROM orders
WHERE placed_at >= $1 AND placed_at < $2 AND status <> 'cancelled' AND ($3::text IS NULL OR platform = $3)
GROUP BY platform, session_id
"""


async def session(
    conn: asyncpg.Connection, *, platform: str, session_id: str, listed: Iterable[tuple[str, int]]
) -> tuple[Figures, list[tuple[str, int | None, int | None]]]:
    """Our figures of the session and every order that differs from the platform's `listed`."""
    await conn.execute(_CREATE_LISTED)
    await conn.copy_records_to_table("platform_listed", records=listed, columns=("external_order_id", "amount_fen"))
    await conn.execute("ANALYZE platform_listed")  # a temp table has no statistics: the planner would guess it tiny
    totals = await conn.fetchrow(_SESSION_TOTALS, platform, session_id)
    rows = await conn.fetch(_SESSION_DIFFERING, platform, session_id)
    return (totals["n"], totals["fen"]), [(r["external_order_id"], r["ours"], r["theirs"]) for r in rows]


async def by_session(
    conn: asyncpg.Connection, *, start: datetime, end: datetime, platform: str | None = None
) -> dict[str, dict[str, Figures]]:
    """platform -> session -> our figures of the orders placed in [start, end) (every platform's
    when `platform` is None)."""
    figures: dict[str, dict[str, Figures]] = {}
    for r in await conn.fetch(_BY_SESSION, start, end, platform):
        figures.setdefault(r["platform"], {})[r["session_id"]] = (r["n"], r["fen"])
    return figures


async def keep_figures(
    conn: asyncpg.Connection, *, platform: str, start: datetime, end: datetime, totals: Figures, sessions: str, at: datetime
) -> None:
    """The platform's latest figures for exactly this period (`sessions` as JSON)."""
    await conn.execute(
        "INSERT INTO platform_figures (platform, period_start, period_end, order_count, amount_fen, sessions, given_at)"
        " VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) ON CONFLICT (platform, period_start, period_end) DO UPDATE SET"
        " order_count = EXCLUDED.order_count, amount_fen = EXCLUDED.amount_fen, sessions = EXCLUDED.sessions, given_at = EXCLUDED.given_at",
        platform, start, end, totals[0], totals[1], sessions, at,
    )  # fmt: skip


async def given_figures(conn: asyncpg.Connection, *, start: datetime, end: datetime) -> dict[str, tuple[Figures, str]]:
    """platform -> (totals, sessions as JSON) the platforms gave for exactly [start, end)."""
    rows = await conn.fetch(
        "SELECT platform, order_count, amount_fen, sessions FROM platform_figures WHERE period_start = $1 AND period_end = $2",
        start, end,
    )  # fmt: skip
    return {r["platform"]: ((r["order_count"], r["amount_fen"]), r["sessions"]) for r in rows}


async def claim_night(conn: asyncpg.Connection, *, day: date, at: datetime) -> bool:
    """Marks `day` as run; False when it already was (by this replica or one before a failover)."""
    return await conn.fetchval(
        "INSERT INTO nightly_runs (day, ran_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING RETURNING true", day, at
    ) is True


async def night_done(conn: asyncpg.Connection, *, day: date) -> bool:
    return await conn.fetchval("SELECT true FROM nightly_runs WHERE day = $1", day) is True


async def record_night(
    conn: asyncpg.Connection, *, day: date, platform: str, exact: bool, platform_reported: bool, report: str, at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO nightly_reconciliations (day, platform, exact, platform_reported, report, ran_at)"
        " VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
        day, platform, exact, platform_reported, report, at,
    )  # fmt: skip


async def nights(
    conn: asyncpg.Connection, *, platform: str | None, after: tuple | None, limit: int
) -> list[asyncpg.Record]:
    """Nightly results, newest day first (then platform, descending); `after` is (day text, platform)."""
    return await conn.fetch(
        "SELECT day, platform, platform_reported, report FROM nightly_reconciliations"
        " WHERE ($1::text IS NULL OR platform = $1) AND ($2::date IS NULL OR (day, platform) < ($2::date, $3::text))"
        " ORDER BY day DESC, platform DESC LIMIT $4",
        platform, date.fromisoformat(after[0]) if after else None, after[1] if after else None, limit,
    )  # fmt: skip
