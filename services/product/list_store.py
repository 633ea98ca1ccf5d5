"""SQL for the prohibited-goods list's versions (PRD-06): proposed off to the side, at most one
live, every version kept with who proposed and who published it and why (PLT-02)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.product.v1 import prohibited_pb2
from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.identity import Caller


@dataclass(frozen=True)
class ListRow:
    version: str
    list: prohibited_pb2.ProhibitedList
    entry_count: int
    live: bool
    proposed_at: datetime
    proposed_by: dict
    published_at: datetime | None
    published_by: dict | None
    publish_reason: str


_COLUMNS = "version, list, entry_count, live, proposed_at, proposed_by, published_at, published_by, publish_reason"


def _row(r: asyncpg.Record | None) -> ListRow | None:
    if r is None:
        return None
    data = dict(r)
    data["list"] = prohibited_pb2.ProhibitedList.FromString(data["list"])
    data["proposed_by"] = json.loads(data["proposed_by"])
    data["published_by"] = json.loads(data["published_by"]) if data["published_by"] else None
    return ListRow(**data)


async def add(conn: asyncpg.Connection, *, proposed: prohibited_pb2.ProhibitedList, at: datetime, by: Caller) -> None:
    await conn.execute(
        "INSERT INTO prohibited_lists (version, list, entry_count, proposed_at, proposed_by) VALUES ($1, $2, $3, $4, $5::jsonb)",
        proposed.version, proposed.SerializeToString(deterministic=True), len(proposed.entries), at, actor_json(by),
    )


async def get(conn: asyncpg.Connection, *, version: str, for_update: bool = False) -> ListRow | None:
    lock = " FOR UPDATE" if for_update else ""
    return _row(await conn.fetchrow(f"SELECT {_COLUMNS} FROM prohibited_lists WHERE version = $1{lock}", version))


async def live(conn: asyncpg.Connection, *, for_update: bool = False) -> ListRow | None:
    lock = " FOR UPDATE" if for_update else ""
    return _row(await conn.fetchrow(f"SELECT {_COLUMNS} FROM prohibited_lists WHERE live{lock}"))


async def live_version(conn: asyncpg.Connection) -> str | None:
    """Just the live version's name: cheap enough to ask on every check (the compiled list is cached)."""
    return await conn.fetchval("SELECT version FROM prohibited_lists WHERE live")


async def publish(conn: asyncpg.Connection, *, version: str, at: datetime, by: Caller, reason: str) -> None:
    await conn.execute("UPDATE prohibited_lists SET live = false WHERE live")
    await conn.execute(
        "UPDATE prohibited_lists SET live = true, published_at = $2, published_by = $3::jsonb, publish_reason = $4 WHERE version = $1",
        version, at, actor_json(by), reason,
    )
