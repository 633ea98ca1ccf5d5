"""SQL for agencies. Every function takes the caller's connection first (style.md, habit 3) and
returns typed rows; an agency's count of signed anchors comes with it in the same query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.identity import Caller
from services.anchor.convert import actor_json


@dataclass(frozen=True)
class AgencyRow:
    agency_id: str
    legal_name: str
    credit_code: str
    contact_email: str
    registered_at: datetime
    signed_anchors: int


_COLUMNS = (
    "a.agency_id, a.legal_name, a.credit_code, a.contact_email, a.registered_at,"
    " (SELECT count(*) FROM anchors n WHERE n.agency_id = a.agency_id AND n.approved_version IS NOT NULL)::int AS signed_anchors"
)


async def get(conn: asyncpg.Connection, *, agency_id: str) -> AgencyRow | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM agencies a WHERE a.agency_id = $1", agency_id)
    return AgencyRow(**dict(row)) if row else None


async def get_by_request_id(conn: asyncpg.Connection, *, request_id: str) -> AgencyRow | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM agencies a WHERE a.request_id = $1", request_id)
    return AgencyRow(**dict(row)) if row else None


async def exists(conn: asyncpg.Connection, *, agency_id: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM agencies WHERE agency_id = $1", agency_id))


async def create(
    conn: asyncpg.Connection, *, agency_id: str, legal_name: str, credit_code: str, contact_email: str, request_id: str,
    at: datetime, by: Caller,
) -> None:
    await conn.execute(
        "INSERT INTO agencies (agency_id, legal_name, credit_code, contact_email, request_id, registered_at, registered_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
        agency_id, legal_name, credit_code, contact_email, request_id, at, actor_json(by),
    )


async def list_page(conn: asyncpg.Connection, *, after: str, limit: int) -> list[AgencyRow]:
    """Ordered by agency id, keyset-paged on it."""
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM agencies a WHERE a.agency_id > $1 ORDER BY a.agency_id LIMIT $2", after, limit)
    return [AgencyRow(**dict(r)) for r in rows]
