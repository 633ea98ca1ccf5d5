"""SQL for anchor discipline: sessions, violations, the ladder's state, standing changes and
regulator notifications. Every function takes the caller's connection first (style.md, habit 3)
and returns typed rows."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.identity import Caller
from services.anchor.convert import actor_json
from services.anchor.discipline.domain import Evidence, ViolationReport
from services.anchor.discipline.ladder import EscalationChoice, LadderState, Standing, Transition, TransitionKind
from services.anchor.vocabulary import Severity, ViolationCategory


@dataclass(frozen=True)
class SessionRow:
    session_id: str
    anchor_id: uuid.UUID
    started_at: datetime
    ended_at: datetime
    violating: bool
    request_id: str | None


@dataclass(frozen=True)
class ViolationRow:
    violation_id: uuid.UUID
    anchor_id: uuid.UUID
    session_id: str
    category: ViolationCategory
    severity: Severity
    description: str
    evidence: tuple[Evidence, ...]
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: dict


@dataclass(frozen=True)
class ChangeRow:
    change_id: uuid.UUID
    anchor_id: uuid.UUID
    kind: TransitionKind
    rule_id: str
    at: datetime
    before: Standing
    after: Standing
    until: datetime | None
    choice: EscalationChoice | None
    choice_was_default: bool
    reason: str
    session_id: str | None
    actor: dict


async def get_session(conn: asyncpg.Connection, *, session_id: str) -> SessionRow | None:
    row = await conn.fetchrow(
        "SELECT session_id, anchor_id, started_at, ended_at, violating, request_id FROM anchor_sessions WHERE session_id = $1",
        session_id,
    )
    return SessionRow(**dict(row)) if row else None


async def add_session(
    conn: asyncpg.Connection, *, session_id: str, anchor_id: uuid.UUID, started_at: datetime, ended_at: datetime,
    violating: bool, request_id: str | None, at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO anchor_sessions (session_id, anchor_id, started_at, ended_at, violating, request_id, recorded_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        session_id, anchor_id, started_at, ended_at, violating, request_id, at,
    )


async def mark_violating(conn: asyncpg.Connection, *, session_id: str) -> None:
    await conn.execute("UPDATE anchor_sessions SET violating = true WHERE session_id = $1", session_id)


_VIOLATION_COLUMNS = (
    "violation_id, anchor_id, session_id, category, severity, description, evidence, occurred_at, recorded_at, recorded_by"
)


def _violation(row: asyncpg.Record) -> ViolationRow:
    data = dict(row)
    data["category"] = ViolationCategory(data["category"])
    data["severity"] = Severity(data["severity"])
    data["evidence"] = tuple(Evidence(**e) for e in json.loads(data["evidence"]))
    data["recorded_by"] = json.loads(data["recorded_by"])
    return ViolationRow(**data)


async def add_violation(
    conn: asyncpg.Connection, *, violation_id: uuid.UUID, anchor_id: uuid.UUID, session_id: str, source_key: str | None,
    report: ViolationReport, at: datetime, by: Caller,
) -> ViolationRow:
    assert report.category is not None and report.severity is not None  # a checked report
    row = await conn.fetchrow(
        "INSERT INTO violations (violation_id, anchor_id, session_id, source_key, category, severity, description,"
        " evidence, occurred_at, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11::jsonb)"
        f" RETURNING {_VIOLATION_COLUMNS}",
        violation_id, anchor_id, session_id, source_key, report.category.value, report.severity.value, report.description,
        json.dumps([asdict(e) for e in report.evidence]), report.occurred_at, at, actor_json(by),
    )
    return _violation(row)


async def violation_by_key(conn: asyncpg.Connection, *, source_key: str) -> ViolationRow | None:
    row = await conn.fetchrow(f"SELECT {_VIOLATION_COLUMNS} FROM violations WHERE source_key = $1", source_key)
    return _violation(row) if row else None


async def session_violations(conn: asyncpg.Connection, *, session_id: str) -> list[ViolationRow]:
    rows = await conn.fetch(
        f"SELECT {_VIOLATION_COLUMNS} FROM violations WHERE session_id = $1 ORDER BY recorded_at, violation_id", session_id
    )
    return [_violation(r) for r in rows]


async def violations_page(
    conn: asyncpg.Connection, *, anchor_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[ViolationRow]:
    rows = await conn.fetch(
        f"SELECT {_VIOLATION_COLUMNS} FROM violations WHERE anchor_id = $1"
        " AND ($2::timestamptz IS NULL OR (recorded_at, violation_id) > ($2, $3))"
        " ORDER BY recorded_at, violation_id LIMIT $4",
        anchor_id, after[0] if after else None, after[1] if after else None, limit,
    )
    return [_violation(r) for r in rows]


async def violations_of(conn: asyncpg.Connection, *, anchor_ids: list[uuid.UUID], until: datetime) -> list[ViolationRow]:
    """Every violation of these anchors recorded by `until`, oldest first, in one query."""
    rows = await conn.fetch(
        f"SELECT {_VIOLATION_COLUMNS} FROM violations WHERE anchor_id = ANY($1::uuid[]) AND recorded_at <= $2"
        " ORDER BY recorded_at, violation_id",
        anchor_ids, until,
    )
    return [_violation(r) for r in rows]


async def violation_counts(
    conn: asyncpg.Connection, *, since: datetime, anchor_id: uuid.UUID | None = None, agency_id: str | None = None
) -> dict[ViolationCategory, int]:
    """Violations by category recorded since `since`, of one anchor or of every anchor of one agency (RSK-01)."""
    rows = await conn.fetch(
        "SELECT category, count(*) AS n FROM violations WHERE recorded_at >= $1"
        " AND ($2::uuid IS NULL OR anchor_id = $2)"
        " AND ($3::text IS NULL OR anchor_id IN (SELECT anchor_id FROM anchors WHERE agency_id = $3))"
        " GROUP BY category",
        since, anchor_id, agency_id,
    )
    return {ViolationCategory(r["category"]): r["n"] for r in rows}


async def get_standing(conn: asyncpg.Connection, *, anchor_id: uuid.UUID) -> LadderState:
    row = await conn.fetchrow(
        "SELECT standing, until, streak, suspended_before FROM anchor_standing WHERE anchor_id = $1", anchor_id
    )
    if row is None:
        return LadderState()
    return LadderState(Standing(row["standing"]), row["until"], row["streak"], row["suspended_before"])


async def save_standing(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, state: LadderState, at: datetime) -> None:
    await conn.execute(
        "INSERT INTO anchor_standing (anchor_id, standing, until, streak, suspended_before, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (anchor_id) DO UPDATE SET standing = $2, until = $3, streak = $4,"
        " suspended_before = $5, updated_at = $6",
        anchor_id, state.standing.value, state.until, state.streak, state.suspended_before, at,
    )


async def due_for_expiry(conn: asyncpg.Connection, *, now: datetime, limit: int = 100) -> list[uuid.UUID]:
    rows = await conn.fetch("SELECT anchor_id FROM anchor_standing WHERE until <= $1 ORDER BY until LIMIT $2", now, limit)
    return [r["anchor_id"] for r in rows]


_CHANGE_COLUMNS = (
    "change_id, anchor_id, kind, rule_id, at, before, after, until, choice, choice_was_default, reason, session_id, actor"
)


def _change(row: asyncpg.Record) -> ChangeRow:
    data = dict(row)
    data["kind"] = TransitionKind(data["kind"])
    data["before"], data["after"] = Standing(data["before"]), Standing(data["after"])
    data["choice"] = EscalationChoice(data["choice"]) if data["choice"] else None
    data["actor"] = json.loads(data["actor"])
    return ChangeRow(**data)


async def add_change(
    conn: asyncpg.Connection, *, change_id: uuid.UUID, anchor_id: uuid.UUID, transition: Transition, session_id: str | None, by: Caller,
    request_id: str | None = None,
) -> ChangeRow:
    t = transition
    row = await conn.fetchrow(
        "INSERT INTO standing_changes (change_id, anchor_id, kind, rule_id, at, before, after, until, choice,"
        " choice_was_default, reason, session_id, actor, request_id)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14)"
        f" RETURNING {_CHANGE_COLUMNS}",
        change_id, anchor_id, t.kind.value, t.rule_id, t.at, t.before.value, t.after.value, t.until,
        t.choice.value if t.choice else None, t.choice_was_default, t.reason, session_id, actor_json(by), request_id,
    )
    return _change(row)


async def changes_by_request(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, request_id: str) -> list[ChangeRow]:
    """The changes one request's step made to this anchor, in order."""
    rows = await conn.fetch(
        f"SELECT {_CHANGE_COLUMNS} FROM standing_changes WHERE anchor_id = $1 AND request_id = $2 ORDER BY seq", anchor_id, request_id
    )
    return [_change(r) for r in rows]


async def list_changes(conn: asyncpg.Connection, *, anchor_id: uuid.UUID) -> list[ChangeRow]:
    rows = await conn.fetch(f"SELECT {_CHANGE_COLUMNS} FROM standing_changes WHERE anchor_id = $1 ORDER BY seq", anchor_id)
    return [_change(r) for r in rows]


async def add_notification(
    conn: asyncpg.Connection, *, notification_id: uuid.UUID, anchor_id: uuid.UUID, change_id: uuid.UUID, at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO regulator_notifications (notification_id, anchor_id, change_id, created_at) VALUES ($1, $2, $3, $4)",
        notification_id, anchor_id, change_id, at,
    )


@dataclass(frozen=True)
class NotificationRow:
    """A regulator notification (ANC-08) with the anchor's agency and display name."""

    seq: int
    notification_id: uuid.UUID
    anchor_id: uuid.UUID
    change_id: uuid.UUID
    created_at: datetime
    agency_id: str
    display_name: str


async def notifications_page(
    conn: asyncpg.Connection, *, anchor_id: uuid.UUID | None, after_seq: int, limit: int
) -> list[NotificationRow]:
    rows = await conn.fetch(
        "SELECT n.seq, n.notification_id, n.anchor_id, n.change_id, n.created_at, a.agency_id, a.display_name"
        " FROM regulator_notifications n JOIN anchors a USING (anchor_id)"
        " WHERE ($1::uuid IS NULL OR n.anchor_id = $1) AND n.seq > $2 ORDER BY n.seq LIMIT $3",
        anchor_id, after_seq, limit,
    )
    return [NotificationRow(**dict(r)) for r in rows]


async def get_changes(conn: asyncpg.Connection, *, change_ids: list[uuid.UUID]) -> dict[uuid.UUID, ChangeRow]:
    rows = await conn.fetch(f"SELECT {_CHANGE_COLUMNS} FROM standing_changes WHERE change_id = ANY($1::uuid[])", change_ids)
    return {r["change_id"]: _change(r) for r in rows}
