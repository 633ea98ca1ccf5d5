"""SQL of retention (runtime migration 0006): policies, legal holds and the audit; the connection
is passed in, in the caller's transaction."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.retention import kinds as k

HOLD_COLUMNS = "hold_id, scope_kind, scope_id, reason, placed_by, placed_at, released_by, released_at, release_reason"
# Holds against purges: a placement waits for purge batches in flight and no batch that began
# before it commits without seeing it (purges take the lock shared).
HOLDS_LOCK = "SELECT pg_advisory_xact_lock{mode}(hashtext('livecommerce.retention.holds'))"


@dataclass(frozen=True)
class Hold:
    hold_id: uuid.UUID
    scope_kind: str
    scope_id: str
    reason: str
    placed_by: dict
    placed_at: datetime
    released_by: dict | None
    released_at: datetime | None
    release_reason: str


def _hold(row: asyncpg.Record) -> Hold:
    data = dict(row)
    for column in ("placed_by", "released_by"):
        if isinstance(data[column], str):
            data[column] = json.loads(data[column])
    return Hold(**data)


async def install_policy(conn: asyncpg.Connection, kind: k.RecordKind, minimum: str, at: datetime) -> None:
    """The kind's policy as the DELETE guard reads it (every replica upserts the same at start-up)."""
    await conn.execute(
        "INSERT INTO retention_policies (kind, rule, kept, minimum, guard_sql, updated_at)"
        " VALUES ($1, $2, $3, $4::text::interval, $5, $6) ON CONFLICT (kind) DO UPDATE SET"
        " rule = excluded.rule, kept = excluded.kept, minimum = excluded.minimum,"
        " guard_sql = excluded.guard_sql, updated_at = excluded.updated_at",
        kind.name, kind.rule, kind.kept, minimum or None, k.guard_sql(kind), at,
    )


async def at_least(conn: asyncpg.Connection, configured: str, default: str) -> bool:
    """Whether the interval `configured` is at least `default` (both "60 days"-like text), as of
    now: 2 months is longer than 60 days in some months, so the calendar decides, not a constant."""
    return bool(await conn.fetchval("SELECT now() - $1::text::interval <= now() - $2::text::interval", configured, default))


async def cutoff(conn: asyncpg.Connection, now: datetime, minimum: str) -> datetime:
    """Now minus the minimum, on PostgreSQL's calendar (3 years from 2024-02-29 is 2027-02-28)."""
    return await conn.fetchval("SELECT $1::timestamptz - $2::text::interval", now, minimum)


async def lock_holds(conn: asyncpg.Connection, *, shared: bool) -> None:
    await conn.execute(HOLDS_LOCK.format(mode="_shared" if shared else ""))


async def purge_batch(
    conn: asyncpg.Connection, kind: k.RecordKind, *, now: datetime, older_than: datetime, rows: int, actor: str | None,
    replica: str,
) -> int:
    """Deletes one bounded batch and audits it in the same transaction; the number deleted."""
    await lock_holds(conn, shared=True)
    # The guard counts from the earlier of the database's clock and ours (migration 0006).
    await conn.execute("SELECT set_config('livecommerce.retention_now', $1, true)", now.isoformat())
    deleted = await conn.fetch(k.purge_sql(kind), older_than, rows)
    if deleted:
        keys = sorted(r["key"] for r in deleted)
        moments = sorted(r["since_at"] for r in deleted)
        detail = {
            "oldest": moments[0].isoformat(), "newest": moments[-1].isoformat(),
            "sha256": hashlib.sha256("\n".join(keys).encode()).hexdigest(), "replica": replica,
        }
        await audit(conn, at=now, action="purged", kind=kind.name, actor=actor, rows=len(deleted), cutoff=older_than, detail=detail)
    return len(deleted)


async def audit(
    conn: asyncpg.Connection, *, at: datetime, action: str, kind: str = "", hold_id: uuid.UUID | None = None,
    actor: str | None = None, rows: int = 0, cutoff: datetime | None = None, detail: dict | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO retention_audit (at, action, kind, hold_id, actor, rows, cutoff, detail)"
        " VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb)",
        at, action, kind, hold_id, actor, rows, cutoff, json.dumps(detail or {}),
    )


async def insert_hold(
    conn: asyncpg.Connection, *, hold_id: uuid.UUID, scope_kind: str, scope_id: str, reason: str, by: str, at: datetime,
) -> Hold:
    await lock_holds(conn, shared=False)
    row = await conn.fetchrow(
        f"INSERT INTO legal_holds (hold_id, scope_kind, scope_id, reason, placed_by, placed_at)"
        f" VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING {HOLD_COLUMNS}",
        hold_id, scope_kind, scope_id, reason, by, at,
    )
    return _hold(row)


async def hold_for_update(conn: asyncpg.Connection, hold_id: uuid.UUID) -> Hold | None:
    row = await conn.fetchrow(f"SELECT {HOLD_COLUMNS} FROM legal_holds WHERE hold_id = $1 FOR UPDATE", hold_id)
    return _hold(row) if row else None


async def get_hold(conn: asyncpg.Connection, hold_id: uuid.UUID) -> Hold | None:
    row = await conn.fetchrow(f"SELECT {HOLD_COLUMNS} FROM legal_holds WHERE hold_id = $1", hold_id)
    return _hold(row) if row else None


async def release_hold(conn: asyncpg.Connection, hold_id: uuid.UUID, *, by: str, at: datetime, reason: str) -> Hold:
    row = await conn.fetchrow(
        f"UPDATE legal_holds SET released_by = $2::jsonb, released_at = $3, release_reason = $4"
        f" WHERE hold_id = $1 RETURNING {HOLD_COLUMNS}",
        hold_id, by, at, reason,
    )
    return _hold(row)


async def holds_page(conn: asyncpg.Connection, sql: str, args: list) -> list[Hold]:
    return [_hold(r) for r in await conn.fetch(sql, *args)]
