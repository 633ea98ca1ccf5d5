"""SQL for the patrol lexicon's versions (SES-04): every version ever proposed, immutable, at most
one live, with who proposed it and every publication's who, when and why (PLT-02)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.identity import Caller
from livecommerce.session.v1 import patrol_pb2


@dataclass(frozen=True)
class LexiconRow:
    version: str
    lexicon: patrol_pb2.Lexicon
    term_count: int
    allow_count: int
    live: bool
    proposed_at: datetime | None
    proposed_by: dict | None
    published_at: datetime | None
    published_by: dict | None
    publish_reason: str
    shipped: bool = False
    """The seed version shipped with the engine: live before any publication."""

    @property
    def retired(self) -> bool:
        """Was live, replaced since (and can be published again to roll back)."""
        return not self.live and (self.published_at is not None or self.shipped)


_COLUMNS = (
    "version, lexicon, term_count, allow_count, live, proposed_at, proposed_by, published_at, published_by, publish_reason"
)


def _row(r: asyncpg.Record | None) -> LexiconRow | None:
    if r is None:
        return None
    data = dict(r)
    data["lexicon"] = patrol_pb2.Lexicon.FromString(data["lexicon"])
    data["proposed_by"] = json.loads(data["proposed_by"])
    data["published_by"] = json.loads(data["published_by"]) if data["published_by"] else None
    return LexiconRow(**data)


async def add(conn: asyncpg.Connection, *, lexicon: patrol_pb2.Lexicon, at: datetime, by: Caller) -> None:
    await conn.execute(
        "INSERT INTO lexicon_versions (version, lexicon, term_count, allow_count, proposed_at, proposed_by)"
        " VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
        lexicon.version, lexicon.SerializeToString(deterministic=True), len(lexicon.entries), len(lexicon.allow), at, actor_json(by),
    )


async def get(conn: asyncpg.Connection, *, version: str, for_update: bool = False) -> LexiconRow | None:
    lock = " FOR UPDATE" if for_update else ""
    return _row(await conn.fetchrow(f"SELECT {_COLUMNS} FROM lexicon_versions WHERE version = $1{lock}", version))


async def live(conn: asyncpg.Connection, *, for_update: bool = False) -> LexiconRow | None:
    lock = " FOR UPDATE" if for_update else ""
    return _row(await conn.fetchrow(f"SELECT {_COLUMNS} FROM lexicon_versions WHERE live{lock}"))


async def live_version(conn: asyncpg.Connection) -> str | None:
    """Just the live version's name (None: the seed is live): one index read, cheap to poll."""
    return await conn.fetchval("SELECT version FROM lexicon_versions WHERE live")


async def lock_publishing(conn: asyncpg.Connection) -> None:
    """Publications one at a time, until the transaction ends (with the seed live, no row to lock)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('livecommerce.session.lexicon.publish'))")


async def publish(conn: asyncpg.Connection, *, version: str, previous_version: str, at: datetime, by: Caller, reason: str) -> None:
    await conn.execute("UPDATE lexicon_versions SET live = false WHERE live")
    await conn.execute(
        "UPDATE lexicon_versions SET live = true, published_at = $2, published_by = $3::jsonb, publish_reason = $4 WHERE version = $1",
        version, at, actor_json(by), reason,
    )
    await conn.execute(
        "INSERT INTO lexicon_publications (version, previous_version, published_at, published_by, reason) VALUES ($1, $2, $3, $4::jsonb, $5)",
        version, previous_version, at, actor_json(by), reason,
    )
