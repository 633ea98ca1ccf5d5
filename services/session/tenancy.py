"""Who may act on which session (PLT-04; architecture.md, Gateway).

The gateway decides which roles may call a method at all (gateway/policy.toml); this module
decides the rest from the forwarded identity: a merchant acts on its own sessions (tenant =
merchant id), platform roles and integrations on every one. A caller who may not see a session is
told it is NOT_FOUND, exactly as for an id that does not exist, so a merchant cannot probe for
another's sessions.
"""

from __future__ import annotations

import uuid

import asyncpg

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied
from livecommerce.runtime.identity import Caller
from services.session import store

PLATFORM_ROLES = frozenset({"platform_admin", "compliance_officer", "regulator", "customer_service", "integration"})
SYSTEM_ROLE = "system"
"""Acts for another service's event or the patrol; no certificate can carry it."""


def system_actor(source: str) -> Caller:
    """Who the history names when an event or the patrol changed a session."""
    return Caller(principal=source, role=SYSTEM_ROLE)


def merchant_of(caller: Caller) -> str:
    """The merchant a scheduling caller acts for: its certificate names it as tenant."""
    if caller.role != "merchant" or not caller.tenant:
        raise PermissionDenied("only a merchant (a certificate naming its merchant id as tenant) schedules sessions")
    return caller.tenant


def may_act_on(caller: Caller, merchant_id: str) -> bool:
    if caller.role in PLATFORM_ROLES or caller.role == SYSTEM_ROLE:
        return True
    return caller.role == "merchant" and bool(caller.tenant) and caller.tenant == merchant_id


def listing_scope(caller: Caller, merchant_id: str) -> str | None:
    """Whose sessions a listing shows: a merchant's own always; a platform role's choice (None: all)."""
    if caller.role == "merchant":
        return merchant_of(caller)
    if caller.role not in PLATFORM_ROLES:
        raise PermissionDenied(f"{caller.role} may not list sessions")
    return merchant_id or None


def parse_session_id(session_id: str, *, field: str = "session_id") -> uuid.UUID:
    try:
        return uuid.UUID(session_id)
    except ValueError:
        raise InvalidArgument([FieldViolation(field, "must be a session id this service issued (a UUID)")]) from None


async def load_session(conn: asyncpg.Connection, caller: Caller, session_id: uuid.UUID, *, for_update: bool = False) -> store.SessionRow:
    """PLT-04: another merchant's session and a missing one give the same NOT_FOUND."""
    row = await store.get(conn, session_id=session_id, for_update=for_update)
    if row is None or not may_act_on(caller, row.merchant_id):
        raise NotFound("session", str(session_id))
    return row
