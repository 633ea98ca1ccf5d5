"""SQL of patrol hits kept for the post-session review (SES-05) and of the chunks already acted
on (a retried verdict batch changes nothing more)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

_COLUMNS = "seq, hit_id, session_id, chunk_id, hit_index, source, term, category, grade, lexicon_version, at, violation_id"


@dataclass(frozen=True)
class HitRow:
    hit_id: uuid.UUID
    session_id: uuid.UUID
    chunk_id: str
    hit_index: int
    source: str
    term: str
    category: str
    grade: str
    lexicon_version: str
    at: datetime
    violation_id: uuid.UUID | None
    """Set once the hit counts as a violation: a grade-a hit at once, others by a review."""
    seq: int = 0
    """The order found (assigned by the database)."""


async def first_time(conn: asyncpg.Connection, *, session_id: uuid.UUID, chunk_id: str) -> bool:
    """Marks the chunk acted on; False when it already was."""
    return bool(
        await conn.fetchval(
            "INSERT INTO session_chunks (session_id, chunk_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
            session_id, chunk_id,
        )
    )


async def acted_on(conn: asyncpg.Connection, chunks: list[tuple[uuid.UUID, str]]) -> set[tuple[uuid.UUID, str]]:
    """Which of these (session, chunk) pairs were acted on already."""
    records = await conn.fetch(
        "SELECT c.session_id, c.chunk_id FROM session_chunks c"
        " JOIN unnest($1::uuid[], $2::text[]) AS w(session_id, chunk_id) ON c.session_id = w.session_id AND c.chunk_id = w.chunk_id",
        [s for s, _ in chunks], [c for _, c in chunks],
    )
    return {(r["session_id"], r["chunk_id"]) for r in records}


async def add(conn: asyncpg.Connection, rows: list[HitRow]) -> None:
    await conn.executemany(
        f"INSERT INTO session_hits ({_COLUMNS.removeprefix('seq, ')}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        [
            (h.hit_id, h.session_id, h.chunk_id, h.hit_index, h.source, h.term, h.category, h.grade, h.lexicon_version, h.at, h.violation_id)
            for h in rows
        ],
    )


async def get(conn: asyncpg.Connection, *, hit_id: uuid.UUID, for_update: bool = False) -> HitRow | None:
    lock = " FOR UPDATE" if for_update else ""
    record = await conn.fetchrow(f"SELECT {_COLUMNS} FROM session_hits WHERE hit_id = $1{lock}", hit_id)
    return HitRow(**dict(record)) if record else None


async def confirm(conn: asyncpg.Connection, *, hit_id: uuid.UUID, violation_id: uuid.UUID) -> None:
    await conn.execute("UPDATE session_hits SET violation_id = $2 WHERE hit_id = $1", hit_id, violation_id)


async def violations(conn: asyncpg.Connection, *, session_id: uuid.UUID) -> list[HitRow]:
    """The session's hits that count as violations, in the order found."""
    records = await conn.fetch(
        f"SELECT {_COLUMNS} FROM session_hits WHERE session_id = $1 AND violation_id IS NOT NULL ORDER BY seq", session_id
    )
    return [HitRow(**dict(r)) for r in records]


async def page(conn: asyncpg.Connection, *, session_id: uuid.UUID, after: tuple | None, limit: int) -> list[HitRow]:
    """In the order found: a review reads the session as it went."""
    records = await conn.fetch(
        f"SELECT {_COLUMNS} FROM session_hits WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        session_id, after[0] if after else 0, limit,
    )
    return [HitRow(**dict(r)) for r in records]
