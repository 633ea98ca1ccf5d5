"""SQL for credit archives: facts, the current score, its history, warnings, repairs and
Annex A attestations. Every function takes the caller's connection first and keyword-only
arguments (style.md, habit 3), and returns typed rows."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.identity import Caller
from services.anchor.convert import actor_json
from services.anchor.credit.domain import CreditItem, CreditItemKind, FiredThreshold, RepairStatus, Subject
from services.anchor.vocabulary import RiskLevel, Severity, SubjectKind, ViolationCategory


@dataclass(frozen=True)
class ArchiveRow:
    score: float
    level: RiskLevel
    parts: list
    orders: int
    returns: int
    repaired_at: datetime | None
    repair_epoch: int
    updated_at: datetime


@dataclass(frozen=True)
class RepairRow:
    repair_id: uuid.UUID
    subject: Subject
    request_id: str | None
    status: RepairStatus
    statement: str
    applied_at: datetime
    applied_by: dict
    decided_at: datetime | None
    decided_by: dict | None
    reason: str
    decision_request_id: str | None
    """The request that decided it (DecideCreditRepair): its retry answers from this row."""


async def add_item(
    conn: asyncpg.Connection, *, subject: Subject, kind: CreditItemKind, at: datetime, source: str,
    severity: Severity | None = None, category: ViolationCategory | None = None,
) -> bool:
    """Adds a fact once per source; False when it was already there."""
    return bool(
        await conn.fetchval(
            "INSERT INTO credit_items (subject_kind, subject_id, kind, at, severity, category, source)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING true",
            subject.kind.value, subject.id, kind.value, at, severity.value if severity else None,
            category.value if category else None, source,
        )
    )


async def items(conn: asyncpg.Connection, *, subject: Subject) -> tuple[CreditItem, ...]:
    rows = await conn.fetch(
        "SELECT kind, at, severity, category FROM credit_items WHERE subject_kind = $1 AND subject_id = $2 ORDER BY seq",
        subject.kind.value, subject.id,
    )
    return tuple(
        CreditItem(
            CreditItemKind(r["kind"]), r["at"], Severity(r["severity"]) if r["severity"] else None,
            ViolationCategory(r["category"]) if r["category"] else None,
        )
        for r in rows
    )


async def get_archive(conn: asyncpg.Connection, *, subject: Subject, for_update: bool = False) -> ArchiveRow | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        "SELECT score, level, parts, orders, returns, repaired_at, repair_epoch, updated_at FROM credit_archives"
        f" WHERE subject_kind = $1 AND subject_id = $2{lock}",
        subject.kind.value, subject.id,
    )
    if row is None:
        return None
    data = dict(row)
    data["level"], data["parts"] = RiskLevel(data["level"]), json.loads(data["parts"])
    return ArchiveRow(**data)


async def ensure_archive(conn: asyncpg.Connection, *, subject: Subject, score: float, level: RiskLevel, at: datetime) -> ArchiveRow:
    """The archive row, created at the base score if new, locked for this transaction."""
    await conn.execute(
        "INSERT INTO credit_archives (subject_kind, subject_id, score, level, parts, updated_at)"
        " VALUES ($1, $2, $3, $4, '[]'::jsonb, $5) ON CONFLICT DO NOTHING",
        subject.kind.value, subject.id, score, level.value, at,
    )
    archive = await get_archive(conn, subject=subject, for_update=True)
    assert archive is not None  # inserted above or already there, and now locked
    return archive


async def save_archive(
    conn: asyncpg.Connection, *, subject: Subject, score: float, level: RiskLevel, parts: list, at: datetime,
    orders: int = 0, returns: int = 0, repaired_at: datetime | None = None,
) -> None:
    """Stores a new score; adds `orders`/`returns` to the counters; a repair moves the epoch on."""
    await conn.execute(
        "UPDATE credit_archives SET score = $3, level = $4, parts = $5::jsonb, updated_at = $6,"
        " orders = orders + $7, returns = returns + $8, repaired_at = COALESCE($9, repaired_at),"
        " repair_epoch = repair_epoch + (CASE WHEN $9::timestamptz IS NULL THEN 0 ELSE 1 END)"
        " WHERE subject_kind = $1 AND subject_id = $2",
        subject.kind.value, subject.id, score, level.value, json.dumps(parts, ensure_ascii=False), at, orders, returns, repaired_at,
    )


async def add_history(
    conn: asyncpg.Connection, *, subject: Subject, at: datetime, cause: str, detail: str,
    old: tuple[float, RiskLevel], new: tuple[float, RiskLevel],
) -> None:
    await conn.execute(
        "INSERT INTO credit_history (subject_kind, subject_id, at, cause, detail, old_score, new_score, old_level, new_level)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        subject.kind.value, subject.id, at, cause, detail, old[0], new[0], old[1].value, new[1].value,
    )


@dataclass(frozen=True)
class CreditHistoryRow:
    """One change of a subject's archive (ANC-10): its cause and the score and level before and after."""

    seq: int
    at: datetime
    cause: str
    detail: str
    old_score: float
    new_score: float
    old_level: RiskLevel
    new_level: RiskLevel


async def history_page(conn: asyncpg.Connection, *, subject: Subject, after_seq: int, limit: int) -> list[CreditHistoryRow]:
    rows = await conn.fetch(
        "SELECT seq, at, cause, detail, old_score, new_score, old_level, new_level FROM credit_history"
        " WHERE subject_kind = $1 AND subject_id = $2 AND seq > $3 ORDER BY seq LIMIT $4",
        subject.kind.value, subject.id, after_seq, limit,
    )
    return [
        CreditHistoryRow(**{**dict(r), "old_level": RiskLevel(r["old_level"]), "new_level": RiskLevel(r["new_level"])})
        for r in rows
    ]


@dataclass(frozen=True)
class WarningRow:
    """A warning raised once per threshold and repair epoch (ANC-11, RSK-02)."""

    seq: int
    warning_id: uuid.UUID
    subject: Subject
    agency_id: str
    threshold_id: str
    rule_id: str
    description: str
    value: float
    limit: float
    responsible_roles: list[str]
    raised_at: datetime


_WARNING_COLUMNS = (
    "seq, warning_id, subject_kind, subject_id, agency_id, threshold_id, rule_id, description, value, limit_value,"
    " responsible_roles, raised_at"
)


def _warning(row: asyncpg.Record) -> WarningRow:
    return WarningRow(
        seq=row["seq"], warning_id=row["warning_id"], subject=Subject(SubjectKind(row["subject_kind"]), row["subject_id"]),
        agency_id=row["agency_id"], threshold_id=row["threshold_id"], rule_id=row["rule_id"], description=row["description"],
        value=row["value"], limit=row["limit_value"], responsible_roles=list(row["responsible_roles"]), raised_at=row["raised_at"],
    )


async def add_warning(
    conn: asyncpg.Connection, *, subject: Subject, agency_id: str, fired: FiredThreshold, epoch: int, roles: list[str], at: datetime
) -> WarningRow | None:
    """The new warning, or None when this threshold already warned in this epoch (delivered once)."""
    row = await conn.fetchrow(
        "INSERT INTO credit_warnings (warning_id, subject_kind, subject_id, agency_id, threshold_id, repair_epoch, rule_id,"
        " description, value, limit_value, responsible_roles, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        f" ON CONFLICT DO NOTHING RETURNING {_WARNING_COLUMNS}",
        uuid.uuid4(), subject.kind.value, subject.id, agency_id, fired.threshold_id, epoch, fired.rule_id,
        fired.description, fired.value, fired.limit, roles, at,
    )
    return _warning(row) if row else None


async def warnings_page(
    conn: asyncpg.Connection, *, subject: Subject | None, agency_id: str | None, after_seq: int, limit: int
) -> list[WarningRow]:
    rows = await conn.fetch(
        f"SELECT {_WARNING_COLUMNS} FROM credit_warnings WHERE ($1::text IS NULL OR (subject_kind = $1 AND subject_id = $2))"
        " AND ($3::text IS NULL OR agency_id = $3 OR (subject_kind = 'agency' AND subject_id = $3))"
        " AND seq > $4 ORDER BY seq LIMIT $5",
        subject.kind.value if subject else None, subject.id if subject else None, agency_id, after_seq, limit,
    )
    return [_warning(r) for r in rows]


def _repair(row: asyncpg.Record) -> RepairRow:
    return RepairRow(
        repair_id=row["repair_id"], subject=Subject(SubjectKind(row["subject_kind"]), row["subject_id"]),
        request_id=row["request_id"], status=RepairStatus(row["status"]), statement=row["statement"],
        applied_at=row["applied_at"], applied_by=json.loads(row["applied_by"]), decided_at=row["decided_at"],
        decided_by=json.loads(row["decided_by"]) if row["decided_by"] else None, reason=row["reason"],
        decision_request_id=row["decision_request_id"],
    )


async def add_repair(
    conn: asyncpg.Connection, *, subject: Subject, repair_id: uuid.UUID, request_id: str | None, statement: str, at: datetime, by: Caller
) -> RepairRow:
    return _repair(
        await conn.fetchrow(
            "INSERT INTO credit_repairs (repair_id, subject_kind, subject_id, request_id, status, statement, applied_at, applied_by)"
            " VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7::jsonb) RETURNING *",
            repair_id, subject.kind.value, subject.id, request_id, statement, at, actor_json(by),
        )
    )


async def get_repair(conn: asyncpg.Connection, *, repair_id: uuid.UUID, for_update: bool = False) -> RepairRow | None:
    row = await conn.fetchrow(
        "SELECT * FROM credit_repairs WHERE repair_id = $1" + (" FOR UPDATE" if for_update else ""), repair_id
    )
    return _repair(row) if row else None


async def repair_by_request(conn: asyncpg.Connection, *, subject: Subject, request_id: str) -> RepairRow | None:
    row = await conn.fetchrow(
        "SELECT * FROM credit_repairs WHERE subject_kind = $1 AND subject_id = $2 AND request_id = $3",
        subject.kind.value, subject.id, request_id,
    )
    return _repair(row) if row else None


async def decide_repair(
    conn: asyncpg.Connection, *, repair_id: uuid.UUID, status: RepairStatus, reason: str, at: datetime, by: Caller, request_id: str
) -> RepairRow:
    return _repair(
        await conn.fetchrow(
            "UPDATE credit_repairs SET status = $2, reason = $3, decided_at = $4, decided_by = $5::jsonb, decision_request_id = $6"
            " WHERE repair_id = $1 RETURNING *",
            repair_id, status.value, reason, at, actor_json(by), request_id,
        )
    )


async def list_repairs(conn: asyncpg.Connection, *, subject: Subject) -> list[RepairRow]:
    rows = await conn.fetch(
        "SELECT * FROM credit_repairs WHERE subject_kind = $1 AND subject_id = $2 ORDER BY seq",
        subject.kind.value, subject.id,
    )
    return [_repair(r) for r in rows]


async def add_attestation(
    conn: asyncpg.Connection, *, subject: Subject, number: int, level: RiskLevel, note: str, request_id: str, at: datetime, by: Caller
) -> None:
    """Once per subject and request: a concurrent twin's insert waits for the first and adds nothing."""
    await conn.execute(
        "INSERT INTO risk_attestations (subject_kind, subject_id, point_number, level, note, request_id, attested_at, attested_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (subject_kind, subject_id, request_id) DO NOTHING",
        subject.kind.value, subject.id, number, level.value, note, request_id, at, actor_json(by),
    )


@dataclass(frozen=True)
class AttestationRow:
    """A compliance officer's finding on one Annex A point (RSK-01)."""

    point_number: int
    level: RiskLevel
    note: str
    attested_at: datetime
    attested_by: dict


async def latest_attestations(conn: asyncpg.Connection, *, subject: Subject) -> list[AttestationRow]:
    """The newest attestation of each point."""
    rows = await conn.fetch(
        "SELECT DISTINCT ON (point_number) point_number, level, note, attested_at, attested_by FROM risk_attestations"
        " WHERE subject_kind = $1 AND subject_id = $2 ORDER BY point_number, seq DESC",
        subject.kind.value, subject.id,
    )
    return [
        AttestationRow(r["point_number"], RiskLevel(r["level"]), r["note"], r["attested_at"], json.loads(r["attested_by"]))
        for r in rows
    ]


async def attestation_by_request(conn: asyncpg.Connection, *, subject: Subject, request_id: str) -> AttestationRow | None:
    row = await conn.fetchrow(
        "SELECT point_number, level, note, attested_at, attested_by FROM risk_attestations"
        " WHERE subject_kind = $1 AND subject_id = $2 AND request_id = $3",
        subject.kind.value, subject.id, request_id,
    )
    if row is None:
        return None
    return AttestationRow(row["point_number"], RiskLevel(row["level"]), row["note"], row["attested_at"], json.loads(row["attested_by"]))
