"""SQL for anchors' registration files: anchors, file versions, trainings, the change history
(PLT-02) and the personal-information access log (PLT-06). Every function takes the caller's
connection first, so the store, the history and the outbox share one transaction (style.md,
habit 3), and returns typed rows, never driver records.

Profiles are stored as one AES-256-GCM ciphertext per file version, bound to (anchor, version)
(`codec.py`); the plain columns hold only what queries need (agency, display name, birth date, flags).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime

import asyncpg

from livecommerce.runtime import history
from livecommerce.runtime.history import ChangeHistory
from livecommerce.runtime.identity import Caller
from services.anchor.convert import actor_json
from services.anchor.files.domain import Document, DocumentKind, TrainingKind, VersionStatus


@dataclass(frozen=True)
class AnchorRow:
    anchor_id: uuid.UUID
    request_id: str | None
    agency_id: str
    display_name: str
    digital_human: bool
    date_of_birth: date
    latest_version: int
    approved_version: int | None
    registered_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class VersionRow:
    anchor_id: uuid.UUID
    version: int
    request_id: str | None
    status: VersionStatus
    profile_sealed: bytes
    submitted_at: datetime
    submitted_by: dict
    reviewed_at: datetime | None
    reviewed_by: dict | None
    review_reason: str


_ANCHOR_COLUMNS = (
    "anchor_id, request_id, agency_id, display_name, digital_human, date_of_birth,"
    " latest_version, approved_version, registered_at, updated_at"
)
_VERSION_COLUMNS = (
    "anchor_id, version, request_id, status, profile_sealed, submitted_at, submitted_by,"
    " reviewed_at, reviewed_by, review_reason"
)


def _anchor(row: asyncpg.Record | None) -> AnchorRow | None:
    return AnchorRow(**dict(row)) if row else None


def _version(row: asyncpg.Record | dict) -> VersionRow:
    data = dict(row)
    data["status"] = VersionStatus(data["status"])
    data["submitted_by"] = json.loads(data["submitted_by"])
    data["reviewed_by"] = json.loads(data["reviewed_by"]) if data["reviewed_by"] else None
    return VersionRow(**data)


async def get(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, for_update: bool = False) -> AnchorRow | None:
    lock = " FOR UPDATE" if for_update else ""
    return _anchor(await conn.fetchrow(f"SELECT {_ANCHOR_COLUMNS} FROM anchors WHERE anchor_id = $1{lock}", anchor_id))


async def get_existing(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, for_update: bool = False) -> AnchorRow:
    """An anchor the caller's transaction has already found or created: its absence is a bug."""
    row = await get(conn, anchor_id=anchor_id, for_update=for_update)
    if row is None:
        raise LookupError(f"anchor {anchor_id} vanished inside the transaction that holds it")
    return row


async def get_by_request_id(conn: asyncpg.Connection, *, request_id: str) -> AnchorRow | None:
    return _anchor(await conn.fetchrow(f"SELECT {_ANCHOR_COLUMNS} FROM anchors WHERE request_id = $1", request_id))


async def exists_with_identity(conn: asyncpg.Connection, *, identity_digest: bytes) -> bool:
    return bool(await conn.fetchval("SELECT true FROM anchors WHERE identity_digest = $1", identity_digest))


@dataclass(frozen=True)
class ListedAnchor:
    """An anchor with its latest file version, as a listing shows it."""

    anchor: AnchorRow
    latest: VersionRow


async def list_page(
    conn: asyncpg.Connection, *, agency_id: str | None, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[ListedAnchor]:
    """Newest first, keyset-paged on (registered_at, anchor_id) so pages stay stable under inserts;
    each anchor comes with its latest version in the same query."""
    anchor_columns = ", ".join(f"a.{c.strip()}" for c in _ANCHOR_COLUMNS.split(","))
    version_columns = ", ".join(f"v.{c.strip()} AS v_{c.strip()}" for c in _VERSION_COLUMNS.split(","))
    rows = await conn.fetch(
        f"SELECT {anchor_columns}, {version_columns} FROM anchors a"
        " JOIN anchor_file_versions v ON v.anchor_id = a.anchor_id AND v.version = a.latest_version"
        " WHERE ($1::text IS NULL OR a.agency_id = $1)"
        "   AND ($2::timestamptz IS NULL OR (a.registered_at, a.anchor_id) < ($2, $3))"
        " ORDER BY a.registered_at DESC, a.anchor_id DESC LIMIT $4",
        agency_id,
        after[0] if after else None,
        after[1] if after else None,
        limit,
    )
    listed = []
    for row in rows:
        data = dict(row)
        version = {k.removeprefix("v_"): data.pop(k) for k in list(data) if k.startswith("v_")}
        listed.append(ListedAnchor(AnchorRow(**data), _version(version)))
    return listed


async def list_for_agency(conn: asyncpg.Connection, *, agency_id: str) -> list[AnchorRow]:
    """Every anchor signed with the agency (the Annex A report of an agency looks at them all)."""
    rows = await conn.fetch(f"SELECT {_ANCHOR_COLUMNS} FROM anchors WHERE agency_id = $1 ORDER BY anchor_id", agency_id)
    return [AnchorRow(**dict(r)) for r in rows]


async def agency_of(conn: asyncpg.Connection, *, anchor_id: uuid.UUID) -> str:
    """The agency the anchor is signed with; '' for none or an unknown anchor."""
    return await conn.fetchval("SELECT agency_id FROM anchors WHERE anchor_id = $1", anchor_id) or ""


async def create(
    conn: asyncpg.Connection,
    *,
    anchor_id: uuid.UUID,
    identity_digest: bytes,
    request_id: str | None,
    agency_id: str,
    display_name: str,
    digital_human: bool,
    date_of_birth: date,
    at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO anchors (anchor_id, identity_digest, request_id, agency_id, display_name, digital_human,"
        " date_of_birth, latest_version, approved_version, registered_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, 1, NULL, $8, $8)",
        anchor_id,
        identity_digest,
        request_id,
        agency_id,
        display_name,
        digital_human,
        date_of_birth,
        at,
    )


async def update_pointers(
    conn: asyncpg.Connection,
    *,
    anchor_id: uuid.UUID,
    at: datetime,
    latest_version: int | None = None,
    approved_version: int | None = None,
    agency_id: str | None = None,
    display_name: str | None = None,
    digital_human: bool | None = None,
) -> None:
    await conn.execute(
        "UPDATE anchors SET updated_at = $2,"
        " latest_version = COALESCE($3, latest_version), approved_version = COALESCE($4, approved_version),"
        " agency_id = COALESCE($5, agency_id), display_name = COALESCE($6, display_name),"
        " digital_human = COALESCE($7, digital_human)"
        " WHERE anchor_id = $1",
        anchor_id,
        at,
        latest_version,
        approved_version,
        agency_id,
        display_name,
        digital_human,
    )


async def add_version(
    conn: asyncpg.Connection,
    *,
    anchor_id: uuid.UUID,
    version: int,
    request_id: str | None,
    profile_sealed: bytes,
    at: datetime,
    by: Caller,
) -> None:
    await conn.execute(
        "INSERT INTO anchor_file_versions (anchor_id, version, request_id, status, profile_sealed, submitted_at, submitted_by)"
        " VALUES ($1, $2, $3, 'pending_review', $4, $5, $6::jsonb)",
        anchor_id,
        version,
        request_id,
        profile_sealed,
        at,
        actor_json(by),
    )


async def get_version(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, version: int) -> VersionRow | None:
    row = await conn.fetchrow(
        f"SELECT {_VERSION_COLUMNS} FROM anchor_file_versions WHERE anchor_id = $1 AND version = $2", anchor_id, version
    )
    return _version(row) if row else None


async def get_existing_version(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, version: int) -> VersionRow:
    """A version the anchor's pointers name: its absence is a bug."""
    row = await get_version(conn, anchor_id=anchor_id, version=version)
    if row is None:
        raise LookupError(f"anchor {anchor_id} names version {version}, which does not exist")
    return row


async def get_version_by_request_id(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, request_id: str) -> VersionRow | None:
    row = await conn.fetchrow(
        f"SELECT {_VERSION_COLUMNS} FROM anchor_file_versions WHERE anchor_id = $1 AND request_id = $2",
        anchor_id,
        request_id,
    )
    return _version(row) if row else None


async def get_version_by_review_request_id(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, request_id: str) -> VersionRow | None:
    """The version a review with this request id decided, if one did."""
    row = await conn.fetchrow(
        f"SELECT {_VERSION_COLUMNS} FROM anchor_file_versions WHERE anchor_id = $1 AND review_request_id = $2",
        anchor_id,
        request_id,
    )
    return _version(row) if row else None


async def get_versions(conn: asyncpg.Connection, *, keys: list[tuple[uuid.UUID, int]]) -> dict[tuple[uuid.UUID, int], VersionRow]:
    """Several (anchor, version) pairs in one query."""
    rows = await conn.fetch(
        f"SELECT {_VERSION_COLUMNS} FROM anchor_file_versions"
        " WHERE (anchor_id, version) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))",
        [k[0] for k in keys],
        [k[1] for k in keys],
    )
    return {(r["anchor_id"], r["version"]): _version(r) for r in rows}


async def list_versions(conn: asyncpg.Connection, *, anchor_id: uuid.UUID) -> list[VersionRow]:
    rows = await conn.fetch(
        f"SELECT {_VERSION_COLUMNS} FROM anchor_file_versions WHERE anchor_id = $1 ORDER BY version", anchor_id
    )
    return [_version(r) for r in rows]


async def decide_version(
    conn: asyncpg.Connection,
    *,
    anchor_id: uuid.UUID,
    version: int,
    status: VersionStatus,
    at: datetime,
    by: Caller | None = None,
    reason: str = "",
    request_id: str | None = None,
) -> None:
    await conn.execute(
        "UPDATE anchor_file_versions SET status = $3, reviewed_at = $4, reviewed_by = $5::jsonb, review_reason = $6,"
        " review_request_id = $7 WHERE anchor_id = $1 AND version = $2",
        anchor_id,
        version,
        status.value,
        at,
        actor_json(by) if by else None,
        reason,
        request_id,
    )


async def add_training(
    conn: asyncpg.Connection,
    *,
    training_id: uuid.UUID,
    anchor_id: uuid.UUID,
    request_id: str | None,
    kind: TrainingKind,
    course_id: str,
    completed_at: datetime,
    passed: bool,
    certificate: Document | None,
    at: datetime,
    by: Caller,
) -> None:
    await conn.execute(
        "INSERT INTO anchor_trainings (training_id, anchor_id, request_id, kind, course_id, completed_at, passed,"
        " certificate, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb)",
        training_id,
        anchor_id,
        request_id,
        kind.value,
        course_id,
        completed_at,
        passed,
        json.dumps(asdict(certificate)) if certificate else None,
        at,
        actor_json(by),
    )


@dataclass(frozen=True)
class TrainingRow:
    training_id: uuid.UUID
    anchor_id: uuid.UUID
    kind: TrainingKind
    course_id: str
    completed_at: datetime
    passed: bool
    certificate: Document | None


def _certificate(text: str | None) -> Document | None:
    if not text:
        return None
    data = json.loads(text)
    # a certificate recorded before its kind was checked may hold none: it can only be this one
    return Document(DocumentKind(data["kind"] or DocumentKind.TRAINING_CERTIFICATE), data["uri"], data["sha256"])


async def get_training_by_request_id(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, request_id: str) -> TrainingRow | None:
    row = await conn.fetchrow(
        "SELECT training_id, anchor_id, kind, course_id, completed_at, passed, certificate"
        " FROM anchor_trainings WHERE anchor_id = $1 AND request_id = $2",
        anchor_id,
        request_id,
    )
    if row is None:
        return None
    return TrainingRow(
        row["training_id"],
        row["anchor_id"],
        TrainingKind(row["kind"]),
        row["course_id"],
        row["completed_at"],
        row["passed"],
        _certificate(row["certificate"]),
    )


async def onboarded(conn: asyncpg.Connection, *, anchor_ids: list[uuid.UUID], by: datetime) -> set[uuid.UUID]:
    """Of these anchors, those with a passed onboarding training completed by `by` (ANC-05), in one query."""
    rows = await conn.fetch(
        "SELECT DISTINCT anchor_id FROM anchor_trainings WHERE anchor_id = ANY($1::uuid[]) AND kind = 'onboarding'"
        " AND passed AND completed_at <= $2",
        anchor_ids,
        by,
    )
    return {r["anchor_id"] for r in rows}


async def onboarding_passed(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, by: datetime) -> bool:
    return anchor_id in await onboarded(conn, anchor_ids=[anchor_id], by=by)


_HISTORY = ChangeHistory("anchor_history", "anchor_id")
HistoryRow = history.HistoryRow


async def append_history(
    conn: asyncpg.Connection,
    *,
    anchor_id: uuid.UUID,
    at: datetime,
    by: Caller,
    action: str,
    version: int = 0,
    changes: Sequence[tuple[str, str, str]] = (),
    reason: str = "",
) -> None:
    await _HISTORY.append(conn, anchor_id, at=at, by=by, action=action, version=version, changes=changes, reason=reason)


async def history_page(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, after_seq: int, limit: int) -> list[HistoryRow]:
    return await _HISTORY.page(conn, anchor_id, after_seq=after_seq, limit=limit)


async def log_pii_access(conn: asyncpg.Connection, *, anchor_id: uuid.UUID, at: datetime, by: Caller, method: str) -> None:
    await conn.execute(
        "INSERT INTO pii_access_log (anchor_id, at, actor, method) VALUES ($1, $2, $3::jsonb, $4)",
        anchor_id,
        at,
        actor_json(by),
        method,
    )
