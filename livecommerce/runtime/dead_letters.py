"""Dead letters: consumer messages that cannot be handled are kept, shown and replayed, never dropped.

A consumer writes one here when a message failed its last allowed delivery or cannot be decoded,
in its own fenced transaction, and only then tells JetStream to stop redelivering it. An SRE lists
them (`lc dead-letters`) and, once the cause is mended, asks for a replay (`lc dead-letters
replay`); the CLI has no handler to run, so it only marks the rows, and the active replica's
consumer takes them when idle and runs them through its handler with the inbox, exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg


@dataclass(frozen=True)
class DeadLetter:
    id: int
    consumer: str
    event_id: uuid.UUID | None
    subject: str
    envelope: bytes
    deliveries: int
    last_error: str
    first_seen: datetime
    last_seen: datetime
    replay_requested_at: datetime | None
    replayed_at: datetime | None


_COLUMNS = (
    "id, consumer, event_id, subject, envelope, deliveries, last_error, first_seen, last_seen,"
    " replay_requested_at, replayed_at"
)


async def record(
    conn: asyncpg.Connection, *, consumer: str, event_id: uuid.UUID | None, subject: str, envelope: bytes,
    deliveries: int, error: str,
) -> None:
    """Keeps a failed message; the same event failing again (a republish) reopens its record."""
    await conn.execute(
        "INSERT INTO dead_letters (consumer, event_id, subject, envelope, deliveries, last_error)"
        " VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (consumer, event_id) DO UPDATE SET deliveries = dead_letters.deliveries + EXCLUDED.deliveries,"
        " last_error = EXCLUDED.last_error, last_seen = now(), replay_requested_at = NULL, replayed_at = NULL",
        consumer, event_id, subject, envelope, deliveries, error[:4000],
    )  # fmt: skip


async def _select(conn: asyncpg.Connection, condition: str, *arguments: object) -> list[DeadLetter]:
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM dead_letters WHERE {condition}", *arguments)
    return [DeadLetter(**dict(row)) for row in rows]


async def list_open(conn: asyncpg.Connection, *, consumer: str | None = None, include_replayed: bool = False) -> list[DeadLetter]:
    condition = "($1::text IS NULL OR consumer = $1) AND ($2 OR replayed_at IS NULL) ORDER BY id"
    return await _select(conn, condition, consumer, include_replayed)


async def count_open(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL")


async def request_replay(conn: asyncpg.Connection, *, ids: Sequence[int] = (), consumer: str | None = None) -> int:
    """Marks open dead letters (by id, or all of a consumer's) for replay; returns how many."""
    if not ids and consumer is None:
        raise ValueError("name dead letters by id or by consumer")
    result = await conn.execute(
        "UPDATE dead_letters SET replay_requested_at = now() WHERE replayed_at IS NULL"
        " AND (cardinality($1::bigint[]) = 0 OR id = ANY($1::bigint[])) AND ($2::text IS NULL OR consumer = $2)",
        list(ids), consumer,
    )  # fmt: skip
    return int(result.split()[-1])


async def any_requested(conn: asyncpg.Connection, *, consumer: str) -> bool:
    """A cheap look, outside any transaction, before an idle consumer opens a fenced one."""
    return await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM dead_letters WHERE consumer = $1 AND replay_requested_at IS NOT NULL AND replayed_at IS NULL)",
        consumer,
    )


async def take_requested(conn: asyncpg.Connection, *, consumer: str, limit: int) -> list[DeadLetter]:
    """Replays asked for, locked for this transaction (SKIP LOCKED: a second replica racing during a
    failover takes other ones)."""
    condition = "consumer = $1 AND replay_requested_at IS NOT NULL AND replayed_at IS NULL ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED"
    return await _select(conn, condition, consumer, limit)


async def replayed(conn: asyncpg.Connection, *, dead_letter_id: int) -> None:
    await conn.execute("UPDATE dead_letters SET replayed_at = now() WHERE id = $1", dead_letter_id)


async def replay_failed(conn: asyncpg.Connection, *, dead_letter_id: int, error: str) -> None:
    """The handler still fails: the letter stays open, with the new error, until asked again."""
    await conn.execute(
        "UPDATE dead_letters SET replay_requested_at = NULL, last_error = $2, last_seen = now() WHERE id = $1",
        dead_letter_id, error[:4000],
    )  # fmt: skip
