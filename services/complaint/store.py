"""SQL of complaints (CMP-01..05) and of the projections that resolve their references.
Connection first, so the caller's transaction holds store, history and outbox."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from services.complaint.domain import Attachment, Channel, Concern, Resolved, Status

_COLUMNS = (
    "complaint_id, channel, category, status, anchor_id, product_id, order_id, session_id, agency_id, merchant_id,"
    " unresolved, description, attachments, contact_sealed, whistle_blower, referral_reference, received_at,"
    " promised_by, escalated_at, feedback, version"
)


@dataclass(frozen=True)
class ComplaintRow:
    complaint_id: uuid.UUID
    channel: Channel
    category: str
    status: Status
    resolved: Resolved
    description: str
    attachments: tuple[Attachment, ...]
    contact_sealed: bytes
    whistle_blower: bool
    referral_reference: str
    received_at: datetime
    promised_by: datetime
    escalated_at: datetime | None
    feedback: str
    version: int


def _row(r: asyncpg.Record) -> ComplaintRow:
    concern = Concern(r["anchor_id"], r["product_id"], r["order_id"], r["session_id"])
    return ComplaintRow(
        r["complaint_id"], Channel(r["channel"]), r["category"], Status(r["status"]),
        Resolved(concern, r["agency_id"], r["merchant_id"], tuple(r["unresolved"])), r["description"],
        tuple(Attachment(**a) for a in json.loads(r["attachments"])), r["contact_sealed"], r["whistle_blower"],
        r["referral_reference"], r["received_at"], r["promised_by"], r["escalated_at"], r["feedback"], r["version"],
    )


async def insert(conn: asyncpg.Connection, row: ComplaintRow, *, received_by: str) -> None:
    c = row.resolved.concern
    await conn.execute(
        f"INSERT INTO complaints ({_COLUMNS}, received_by) VALUES"
        " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17, $18, $19, $20, $21, $22::jsonb)",
        row.complaint_id, row.channel.value, row.category, row.status.value, c.anchor_id, c.product_id, c.order_id,
        c.session_id, row.resolved.agency_id, row.resolved.merchant_id, list(row.resolved.unresolved), row.description,
        json.dumps([vars(a) for a in row.attachments], ensure_ascii=False), row.contact_sealed, row.whistle_blower,
        row.referral_reference, row.received_at, row.promised_by, row.escalated_at, row.feedback, row.version, received_by,
    )


async def get(conn: asyncpg.Connection, complaint_id: uuid.UUID, *, for_update: bool = False) -> ComplaintRow | None:
    lock = " FOR UPDATE" if for_update else ""
    r = await conn.fetchrow(f"SELECT {_COLUMNS} FROM complaints WHERE complaint_id = $1{lock}", complaint_id)
    return _row(r) if r is not None else None


async def advance(conn: asyncpg.Connection, complaint_id: uuid.UUID, *, to: Status, feedback: str | None) -> ComplaintRow:
    """The complaint after the step (one round trip: no read after the write)."""
    r = await conn.fetchrow(
        "UPDATE complaints SET status = $2, feedback = COALESCE($3, feedback), version = version + 1 WHERE complaint_id = $1"
        f" RETURNING {_COLUMNS}",
        complaint_id, to.value, feedback,
    )
    return _row(r)


async def escalate_due(conn: asyncpg.Connection, *, now: datetime, limit: int) -> list[ComplaintRow]:
    """CMP-02: marks up to `limit` complaints past their promised time as escalated at `now`;
    SKIP LOCKED leaves one being advanced to its own transaction (it is looked at next time)."""
    rows = await conn.fetch(
        f"""
        WITH due AS (
            SELECT complaint_id FROM complaints
            WHERE status <> 'feedback_sent' AND escalated_at IS NULL AND promised_by <= $1
            ORDER BY promised_by LIMIT $2 FOR UPDATE SKIP LOCKED
        )
        UPDATE complaints c SET escalated_at = $1, version = c.version + 1 FROM due
        WHERE c.complaint_id = due.complaint_id RETURNING {', '.join('c.' + col.strip() for col in _COLUMNS.split(','))}
        """,
        now, limit,
    )
    return [_row(r) for r in rows]


async def page(
    conn: asyncpg.Connection, *, status: Status | None, overdue_at: datetime | None, after: tuple | None, limit: int
) -> list[ComplaintRow]:
    """Newest receipt first; `overdue_at`: only those without feedback whose promised time passed."""
    conditions: list[str] = []
    args: list[object] = []

    def where(condition: str, *values: object) -> None:
        args.extend(values)
        conditions.append(condition.format(*[f"${len(args) - len(values) + i + 1}" for i in range(len(values))]))

    if status is not None:
        where("status = {}", status.value)
    if overdue_at is not None:
        where("status <> 'feedback_sent' AND promised_by <= {}", overdue_at)
    if after is not None:
        where("(received_at, complaint_id) < ({}, {})", *after)
    filtered = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    args.append(limit)
    sql = f"SELECT {_COLUMNS} FROM complaints{filtered} ORDER BY received_at DESC, complaint_id DESC LIMIT ${len(args)}"
    return [_row(r) for r in await conn.fetch(sql, *args)]


# --- projections (CMP-01) -------------------------------------------------------------------


async def project_anchor(conn: asyncpg.Connection, *, anchor_id: str, agency_id: str) -> None:
    await conn.execute(
        "INSERT INTO anchor_projection (anchor_id, agency_id) VALUES ($1, $2)"
        " ON CONFLICT (anchor_id) DO UPDATE SET agency_id = EXCLUDED.agency_id",
        anchor_id, agency_id,
    )


async def project_product(conn: asyncpg.Connection, *, product_id: str, merchant_id: str) -> None:
    await conn.execute(
        "INSERT INTO product_projection (product_id, merchant_id) VALUES ($1, $2)"
        " ON CONFLICT (product_id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id",
        product_id, merchant_id,
    )


async def project_session(conn: asyncpg.Connection, *, session_id: str, merchant_id: str, anchor_id: str) -> None:
    await conn.execute(
        "INSERT INTO session_projection (session_id, merchant_id, anchor_id) VALUES ($1, $2, $3)"
        " ON CONFLICT (session_id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id, anchor_id = EXCLUDED.anchor_id",
        session_id, merchant_id, anchor_id,
    )


async def session_ended(conn: asyncpg.Connection, *, session_id: str, anchor_id: str, ended_at: datetime) -> None:
    """A session can end before this service saw it open (its merchant is then unknown here)."""
    await conn.execute(
        "INSERT INTO session_projection (session_id, merchant_id, anchor_id, ended_at) VALUES ($1, '', $2, $3)"
        " ON CONFLICT (session_id) DO UPDATE SET ended_at = EXCLUDED.ended_at",
        session_id, anchor_id, ended_at,
    )


async def project_order(
    conn: asyncpg.Connection, *, order_id: str, external_order_id: str, session_id: str, anchor_id: str, merchant_id: str,
    product_id: str,
) -> None:
    await conn.execute(
        "INSERT INTO order_projection (order_id, external_order_id, session_id, anchor_id, merchant_id, product_id)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING",
        order_id, external_order_id, session_id, anchor_id, merchant_id, product_id,
    )


async def project_orders(
    conn: asyncpg.Connection, *, order_ids: Sequence[str], external_order_ids: Sequence[str], session_ids: Sequence[str],
    anchor_ids: Sequence[str], merchant_ids: Sequence[str], product_ids: Sequence[str],
) -> None:
    """`project_order` for the columns of a batch (the i-th of each list is one order)."""
    await conn.execute(
        "INSERT INTO order_projection (order_id, external_order_id, session_id, anchor_id, merchant_id, product_id)"
        " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])"
        " ON CONFLICT (order_id) DO NOTHING",
        list(order_ids), list(external_order_ids), list(session_ids), list(anchor_ids), list(merchant_ids), list(product_ids),
    )


async def find_order(conn: asyncpg.Connection, reference: str) -> asyncpg.Record | None:
    """An order by the trade service's id or, as a consumer knows it, the platform's own number."""
    return await conn.fetchrow(
        "SELECT order_id, session_id, anchor_id, merchant_id, product_id FROM order_projection"
        " WHERE order_id = $1 OR external_order_id = $1 LIMIT 1",
        reference,
    )


async def find_session(conn: asyncpg.Connection, session_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT merchant_id, anchor_id, ended_at FROM session_projection WHERE session_id = $1", session_id)


async def find_product(conn: asyncpg.Connection, product_id: str) -> str | None:
    return await conn.fetchval("SELECT merchant_id FROM product_projection WHERE product_id = $1", product_id)


async def find_anchor(conn: asyncpg.Connection, anchor_id: str) -> str | None:
    return await conn.fetchval("SELECT agency_id FROM anchor_projection WHERE anchor_id = $1", anchor_id)
