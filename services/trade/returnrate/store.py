"""SQL of return rates (TRD-06): counted in PostgreSQL over the window, warnings kept."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from services.trade.returnrate.domain import Rate

_COLUMN = {"merchant": "merchant_id", "anchor": "anchor_id"}


async def rate(conn: asyncpg.Connection, *, subject_kind: str, subject_id: str, since: datetime) -> Rate:
    """Completed returns and completed orders (refunded later included) of the subject since `since`."""
    column = _COLUMN[subject_kind]
    row = await conn.fetchrow(
        f"SELECT (SELECT count(*) FROM orders WHERE {column} = $1 AND completed_at IS NOT NULL AND completed_at > $2) AS orders,"
        f" (SELECT count(*) FROM after_sales WHERE {column} = $1 AND kind = 'return' AND state = 'completed'"
        "   AND resolved_at > $2) AS returns",
        subject_id, since,
    )  # fmt: skip
    return Rate(subject_kind, subject_id, row["returns"], row["orders"])


async def warned_since(conn: asyncpg.Connection, *, subject_kind: str, subject_id: str, since: datetime) -> bool:
    return await conn.fetchval(
        "SELECT true FROM return_rate_warnings WHERE subject_kind = $1 AND subject_id = $2 AND raised_at > $3 LIMIT 1",
        subject_kind, subject_id, since,
    ) is True  # fmt: skip


async def warn(conn: asyncpg.Connection, *, warning_id: uuid.UUID, rate: Rate, at: datetime) -> None:
    # One subject at a time: two returns completing together must not both warn.
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 6))", f"{rate.subject_kind}:{rate.subject_id}")
    await conn.execute(
        "INSERT INTO return_rate_warnings (warning_id, subject_kind, subject_id, returns, orders, rate, raised_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        warning_id, rate.subject_kind, rate.subject_id, rate.returns, rate.orders, rate.value, at,
    )  # fmt: skip
