"""Agencies (直播营销服务机构): the companies that sign anchors, registered with their unified
social credit code (GB 32100). An agency's users act only on their own agency and its anchors;
anchors name a registered agency (ANC-01: who answers for the anchor is on file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.credit_code import parse_credit_code
from livecommerce.runtime.errors import AlreadyExists, FieldViolation, InvalidArgument, NotFound, PermissionDenied
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import decode_token, encode_token, page_size
from livecommerce.runtime.service import Runtime
from services.anchor import events
from services.anchor.store import actor_json

_AGENCY_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PLATFORM_ROLES = frozenset({"platform_admin", "compliance_officer", "regulator", "customer_service"})


@dataclass(frozen=True)
class AgencyRow:
    agency_id: str
    legal_name: str
    credit_code: str
    contact_email: str
    registered_at: datetime
    signed_anchors: int


def check_registration(*, agency_id: str, legal_name: str, credit_code: str, contact_email: str) -> str:
    """Every problem named at once; returns the normalised credit code."""
    violations = []
    if not _AGENCY_ID.match(agency_id):
        violations.append(FieldViolation("agency_id", "must be 1-64 letters, digits or ._:-"))
    if not legal_name.strip() or len(legal_name) > 200:
        violations.append(FieldViolation("legal_name", "is required, at most 200 characters"))
    code = ""
    try:
        code = parse_credit_code(credit_code)
    except ValueError as error:
        violations.append(FieldViolation("credit_code", f"is not a unified social credit code (GB 32100): {error}"))
    if contact_email and (len(contact_email) > 254 or not _EMAIL.match(contact_email)):
        violations.append(FieldViolation("contact_email", "is not an e-mail address"))
    if violations:
        raise InvalidArgument(violations)
    return code


_COLUMNS = (
    "a.agency_id, a.legal_name, a.credit_code, a.contact_email, a.registered_at,"
    " (SELECT count(*) FROM anchors n WHERE n.agency_id = a.agency_id AND n.approved_version IS NOT NULL)::int AS signed_anchors"
)


async def get(conn: asyncpg.Connection, *, agency_id: str) -> AgencyRow | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM agencies a WHERE a.agency_id = $1", agency_id)
    return AgencyRow(**dict(row)) if row else None


async def exists(conn: asyncpg.Connection, *, agency_id: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM agencies WHERE agency_id = $1", agency_id))


class Agencies:
    def __init__(self, runtime: Runtime) -> None:
        self._pool, self._clock, self._events = runtime.pool, runtime.clock, runtime.events

    async def register(self, caller: Caller, *, agency_id: str, legal_name: str, credit_code: str, contact_email: str) -> AgencyRow:
        code = check_registration(agency_id=agency_id, legal_name=legal_name, credit_code=credit_code, contact_email=contact_email)
        try:
            async with self._events.transaction(self._pool) as conn:
                await conn.execute(
                    "INSERT INTO agencies (agency_id, legal_name, credit_code, contact_email, registered_at, registered_by)"
                    " VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
                    agency_id, legal_name.strip(), code, contact_email, self._clock.now(), actor_json(caller),
                )
                await events.agency_registered(conn, self._events, agency_id=agency_id, legal_name=legal_name.strip())
                return await get(conn, agency_id=agency_id)
        except asyncpg.UniqueViolationError as error:
            what = "agency id" if error.constraint_name == "agencies_pkey" else "unified social credit code"
            raise AlreadyExists("agency", f"an agency with this {what} is already registered") from None

    async def get(self, caller: Caller, agency_id: str) -> AgencyRow:
        if caller.role not in PLATFORM_ROLES and not (caller.role == "agency" and caller.tenant == agency_id):
            raise PermissionDenied(f"{caller.role} {caller.tenant or caller.principal} may not read agency {agency_id}")
        async with self._pool.acquire() as conn:
            row = await get(conn, agency_id=agency_id)
        if row is None:
            raise NotFound("agency", agency_id)
        return row

    async def list(self, caller: Caller, *, token: str, size: int) -> tuple[list[AgencyRow], str]:
        if caller.role not in PLATFORM_ROLES:
            raise PermissionDenied(f"{caller.role} may not list agencies")
        after = decode_token(token, field="page.page_token", parse=lambda p: str(p["id"])) or ""
        limit = page_size(size)
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT {_COLUMNS} FROM agencies a WHERE a.agency_id > $1 ORDER BY a.agency_id LIMIT $2", after, limit + 1
            )
        page = [AgencyRow(**dict(r)) for r in rows[:limit]]
        return page, encode_token({"id": page[-1].agency_id}) if len(rows) > limit else ""
