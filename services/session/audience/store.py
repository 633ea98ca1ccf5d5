"""SQL of the viewer counter (SES-08): the sessions it counts for, read from the session
service's own table, and the durable peaks (migration 0004), written only upwards. The caller's
connection is passed in (style habit 3)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg


@dataclass(frozen=True)
class CountedSession:
    session_id: uuid.UUID
    merchant_id: str
    live: bool
    peak: int
    peak_at: datetime | None


async def sessions(conn: asyncpg.Connection, *, session_ids: Sequence[uuid.UUID]) -> list[CountedSession]:
    """The sessions that exist among `session_ids`, with their durable peaks (0 when none)."""
    records = await conn.fetch(
        "SELECT s.session_id, s.merchant_id, s.status = 'live' AS live, coalesce(p.peak, 0) AS peak, p.peak_at"
        " FROM sessions s LEFT JOIN viewer_peaks p USING (session_id) WHERE s.session_id = ANY($1::uuid[])",
        list(session_ids),
    )
    return [CountedSession(**dict(r)) for r in records]


async def platform_peak(conn: asyncpg.Connection) -> tuple[int, datetime | None]:
    record = await conn.fetchrow("SELECT peak, peak_at FROM platform_viewer_peak")
    return (record["peak"], record["peak_at"]) if record else (0, None)


async def raise_peaks(
    conn: asyncpg.Connection, *, sessions: Sequence[tuple[uuid.UUID, int, datetime]], platform: tuple[int, datetime] | None
) -> None:
    """Stores each peak unless a higher one is stored already (a checkpoint never lowers one)."""
    if sessions:
        await conn.execute(
            "INSERT INTO viewer_peaks (session_id, peak, peak_at)"
            " SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[])"
            " ON CONFLICT (session_id) DO UPDATE SET peak = excluded.peak, peak_at = excluded.peak_at"
            " WHERE viewer_peaks.peak < excluded.peak",
            [s for s, _, _ in sessions], [p for _, p, _ in sessions], [at for _, _, at in sessions],
        )
    if platform is not None:
        await conn.execute(
            "INSERT INTO platform_viewer_peak (peak, peak_at) VALUES ($1, $2)"
            " ON CONFLICT (one) DO UPDATE SET peak = excluded.peak, peak_at = excluded.peak_at"
            " WHERE platform_viewer_peak.peak < excluded.peak",
            *platform,
        )
