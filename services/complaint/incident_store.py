"""SQL of emergency plans and incidents (CMP-06). Connection first, so the caller's transaction
holds store, history and outbox."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.paging import newest_first
from services.complaint.plans import Step

_PLAN = "incident_type, version, steps, published_by, published_at, note"
_INCIDENT = (
    "incident_id, incident_type, plan_version, status, complaint_id, session_id, summary, steps, opened_at, opened_by,"
    " archived_at, version"
)


@dataclass(frozen=True)
class PlanRow:
    incident_type: str
    version: int
    steps: tuple[Step, ...]
    published_by: dict
    published_at: datetime
    note: str


@dataclass(frozen=True)
class IncidentRow:
    incident_id: uuid.UUID
    incident_type: str
    plan_version: int
    status: str
    complaint_id: uuid.UUID | None
    session_id: str
    summary: str
    steps: list[dict]
    """[{title, done_at (ISO), done_by, note}] in the plan's order."""
    opened_at: datetime
    opened_by: dict
    archived_at: datetime | None
    version: int


def _plan(r: asyncpg.Record) -> PlanRow:
    steps = tuple(Step(s["title"], s["instructions"]) for s in json.loads(r["steps"]))
    return PlanRow(r["incident_type"], r["version"], steps, json.loads(r["published_by"]), r["published_at"], r["note"])


def _incident(r: asyncpg.Record) -> IncidentRow:
    return IncidentRow(
        r["incident_id"], r["incident_type"], r["plan_version"], r["status"], r["complaint_id"], r["session_id"],
        r["summary"], json.loads(r["steps"]), r["opened_at"], json.loads(r["opened_by"]), r["archived_at"], r["version"],
    )


async def seed_plan(
    conn: asyncpg.Connection, *, incident_type: str, steps: Sequence[Step], published_by: str, at: datetime, note: str
) -> None:
    """Version 1 from the reviewed seed file, once (a replay or a twin replica changes nothing)."""
    await conn.execute(
        f"INSERT INTO emergency_plans ({_PLAN}) VALUES ($1, 1, $2::jsonb, $3::jsonb, $4, $5) ON CONFLICT DO NOTHING",
        incident_type, _steps_json(steps), published_by, at, note,
    )


async def publish_plan(
    conn: asyncpg.Connection, *, incident_type: str, steps: Sequence[Step], published_by: str, at: datetime, note: str
) -> PlanRow:
    # One publisher of a type at a time, so two never take the same version number.
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 15))", incident_type)
    r = await conn.fetchrow(
        f"INSERT INTO emergency_plans ({_PLAN})"
        " SELECT $1, COALESCE(max(version), 0) + 1, $2::jsonb, $3::jsonb, $4, $5 FROM emergency_plans WHERE incident_type = $1"
        f" RETURNING {_PLAN}",
        incident_type, _steps_json(steps), published_by, at, note,
    )
    return _plan(r)


async def plan(conn: asyncpg.Connection, incident_type: str, version: int = 0) -> PlanRow | None:
    """The given version, or (0) the current one."""
    if version:
        r = await conn.fetchrow(f"SELECT {_PLAN} FROM emergency_plans WHERE incident_type = $1 AND version = $2", incident_type, version)
    else:
        r = await conn.fetchrow(
            f"SELECT {_PLAN} FROM emergency_plans WHERE incident_type = $1 ORDER BY version DESC LIMIT 1", incident_type
        )
    return _plan(r) if r is not None else None


def _steps_json(steps: Sequence[Step]) -> str:
    return json.dumps([{"title": s.title, "instructions": s.instructions} for s in steps], ensure_ascii=False)


async def insert_incident(conn: asyncpg.Connection, row: IncidentRow) -> None:
    await conn.execute(
        f"INSERT INTO incidents ({_INCIDENT}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb, $11, $12)",
        row.incident_id, row.incident_type, row.plan_version, row.status, row.complaint_id, row.session_id, row.summary,
        json.dumps(row.steps, ensure_ascii=False), row.opened_at, json.dumps(row.opened_by), row.archived_at, row.version,
    )


async def get_incident(conn: asyncpg.Connection, incident_id: uuid.UUID, *, for_update: bool = False) -> IncidentRow | None:
    lock = " FOR UPDATE" if for_update else ""
    r = await conn.fetchrow(f"SELECT {_INCIDENT} FROM incidents WHERE incident_id = $1{lock}", incident_id)
    return _incident(r) if r is not None else None


async def save_steps(conn: asyncpg.Connection, incident_id: uuid.UUID, *, steps: list[dict], status: str) -> None:
    await conn.execute(
        "UPDATE incidents SET steps = $2::jsonb, status = $3, version = version + 1 WHERE incident_id = $1",
        incident_id, json.dumps(steps, ensure_ascii=False), status,
    )


async def archive_session(conn: asyncpg.Connection, session_id: str, at: datetime) -> list[IncidentRow]:
    rows = await conn.fetch(
        f"UPDATE incidents SET archived_at = $2, version = version + 1 WHERE session_id = $1 AND archived_at IS NULL"
        f" RETURNING {_INCIDENT}",
        session_id, at,
    )
    return [_incident(r) for r in rows]


async def page(conn: asyncpg.Connection, *, session_id: str | None, after: tuple | None, limit: int) -> list[IncidentRow]:
    sql, args = newest_first(
        table="incidents", columns=_INCIDENT, order=("opened_at", "incident_id"), filters={"session_id": session_id},
        after=after, limit=limit,
    )
    return [_incident(r) for r in await conn.fetch(sql, *args)]
