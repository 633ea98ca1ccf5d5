"""SQL of sessions, their line-ups and promises (style habit 3: the caller's connection, so the
store, the room log and the outbox share one transaction). Rows come back typed, never as driver
records; a room's state is stored as its `RoomState` message, which is what every reader shows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.history import ChangeHistory
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import newest_first
from livecommerce.session.v1 import session_pb2 as pb
from services.session.domain import OPEN_STATUSES, Status

HISTORY = ChangeHistory("session_history", "session_id")

_COLUMNS = (
    "session_id, merchant_id, anchor_id, agency_id, room_id, title, planned_start, status, checklist, scheduled_at,"
    " opened_at, ended_at, stop, room, room_sequence"
)


@dataclass(frozen=True)
class SessionRow:
    session_id: uuid.UUID
    merchant_id: str
    anchor_id: str
    agency_id: str
    room_id: str
    title: str
    planned_start: datetime
    status: Status
    checklist: list[dict]
    """[{"item": ChecklistItem value, "at": ISO time, "by": actor}] in the order done."""
    scheduled_at: datetime
    opened_at: datetime | None
    ended_at: datetime | None
    stop: dict | None
    """{"rule_id", "reason", "operator": actor, "at": ISO time} once stopped."""
    room: pb.RoomState
    room_sequence: int


def _row(record: asyncpg.Record) -> SessionRow:
    return SessionRow(
        session_id=record["session_id"], merchant_id=record["merchant_id"], anchor_id=record["anchor_id"],
        agency_id=record["agency_id"], room_id=record["room_id"], title=record["title"],
        planned_start=record["planned_start"], status=Status(record["status"]), checklist=json.loads(record["checklist"]),
        scheduled_at=record["scheduled_at"], opened_at=record["opened_at"], ended_at=record["ended_at"],
        stop=json.loads(record["stop"]) if record["stop"] else None, room=pb.RoomState.FromString(record["room"]),
        room_sequence=record["room_sequence"],
    )


async def create(conn: asyncpg.Connection, row: SessionRow) -> None:
    await conn.execute(
        f"INSERT INTO sessions ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13::jsonb, $14, $15)",
        row.session_id, row.merchant_id, row.anchor_id, row.agency_id, row.room_id, row.title, row.planned_start,
        row.status.value, json.dumps(row.checklist), row.scheduled_at, row.opened_at, row.ended_at,
        json.dumps(row.stop) if row.stop else None, row.room.SerializeToString(), row.room_sequence,
    )
    await conn.executemany(
        "INSERT INTO session_products (session_id, product_id) VALUES ($1, $2)",
        [(row.session_id, item.product_id) for item in row.room.lineup],
    )


async def get(conn: asyncpg.Connection, *, session_id: uuid.UUID, for_update: bool = False) -> SessionRow | None:
    lock = " FOR UPDATE" if for_update else ""
    record = await conn.fetchrow(f"SELECT {_COLUMNS} FROM sessions WHERE session_id = $1{lock}", session_id)
    return _row(record) if record else None


async def get_many(conn: asyncpg.Connection, *, session_ids: Sequence[uuid.UUID], for_update: bool = False) -> list[SessionRow]:
    """In session id order, so concurrent writers lock rows in one order (no deadlock)."""
    lock = " FOR UPDATE" if for_update else ""
    records = await conn.fetch(f"SELECT {_COLUMNS} FROM sessions WHERE session_id = ANY($1::uuid[]) ORDER BY session_id{lock}", list(session_ids))
    return [_row(r) for r in records]


async def set_checklist(conn: asyncpg.Connection, *, session_id: uuid.UUID, checklist: list[dict], status: Status) -> None:
    await conn.execute(
        "UPDATE sessions SET checklist = $2::jsonb, status = $3 WHERE session_id = $1", session_id, json.dumps(checklist), status.value
    )


async def set_status(
    conn: asyncpg.Connection, *, session_id: uuid.UUID, status: Status, opened_at: datetime | None = None,
    ended_at: datetime | None = None, stop: dict | None = None,
) -> None:
    """Moves the session on; a moment or stop given is set, one not given is kept."""
    await conn.execute(
        "UPDATE sessions SET status = $2, opened_at = coalesce($3, opened_at), ended_at = coalesce($4, ended_at),"
        " stop = coalesce($5::jsonb, stop) WHERE session_id = $1",
        session_id, status.value, opened_at, ended_at, json.dumps(stop) if stop else None,
    )
    if status not in OPEN_STATUSES:  # an ended session's line-up is history: no take-down reaches it
        await conn.execute("DELETE FROM session_products WHERE session_id = $1", session_id)


async def live_in_room(conn: asyncpg.Connection, *, room_id: str) -> uuid.UUID | None:
    return await conn.fetchval("SELECT session_id FROM sessions WHERE room_id = $1 AND status = 'live'", room_id)


async def live_of_anchor(conn: asyncpg.Connection, *, anchor_id: str) -> list[uuid.UUID]:
    return [r["session_id"] for r in await conn.fetch("SELECT session_id FROM sessions WHERE anchor_id = $1 AND status = 'live'", anchor_id)]


async def showing_product(conn: asyncpg.Connection, *, product_id: str) -> list[uuid.UUID]:
    """Sessions not yet over whose line-up has the product."""
    return [r["session_id"] for r in await conn.fetch("SELECT session_id FROM session_products WHERE product_id = $1", product_id)]


async def drop_product(conn: asyncpg.Connection, *, session_ids: Sequence[uuid.UUID], product_id: str) -> None:
    await conn.execute(
        "DELETE FROM session_products WHERE session_id = ANY($1::uuid[]) AND product_id = $2", list(session_ids), product_id
    )


async def page(
    conn: asyncpg.Connection, *, merchant_id: str | None, anchor_id: str | None, status: Status | None, after: tuple | None, limit: int
) -> list[SessionRow]:
    sql, args = newest_first(
        table="sessions", columns=_COLUMNS, order=("planned_start", "session_id"),
        filters={"merchant_id": merchant_id, "anchor_id": anchor_id, "status": status.value if status else None},
        after=after, limit=limit,
    )
    return [_row(r) for r in await conn.fetch(sql, *args)]


# -- promises (SES-10)


@dataclass(frozen=True)
class PromiseRow:
    promise_id: uuid.UUID
    session_id: uuid.UUID
    kind: str
    text: str
    product_id: str
    responsible: str
    responsible_id: str
    made_at: datetime
    recorded_by: dict


_PROMISE_COLUMNS = "promise_id, session_id, kind, text, product_id, responsible, responsible_id, made_at, recorded_by"


def _promise(record: asyncpg.Record) -> PromiseRow:
    return PromiseRow(**{**dict(record), "recorded_by": json.loads(record["recorded_by"])})


async def add_promise(conn: asyncpg.Connection, promise: PromiseRow, *, by: Caller, at: datetime) -> None:
    await conn.execute(
        f"INSERT INTO promises ({_PROMISE_COLUMNS}, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)",
        promise.promise_id, promise.session_id, promise.kind, promise.text, promise.product_id, promise.responsible,
        promise.responsible_id, promise.made_at, actor_json(by), at,
    )


async def get_promise(conn: asyncpg.Connection, *, promise_id: uuid.UUID) -> PromiseRow:
    return _promise(await conn.fetchrow(f"SELECT {_PROMISE_COLUMNS} FROM promises WHERE promise_id = $1", promise_id))


async def page_promises(conn: asyncpg.Connection, *, session_id: uuid.UUID, after: tuple | None, limit: int) -> list[PromiseRow]:
    sql, args = newest_first(
        table="promises", columns=_PROMISE_COLUMNS, order=("made_at", "promise_id"), filters={"session_id": session_id},
        after=after, limit=limit,
    )
    return [_promise(r) for r in await conn.fetch(sql, *args)]
