"""Who may act on which session (PLT-04): the merchant tenancy every service shares
(livecommerce/runtime/merchant_tenancy.py), applied to sessions."""

from __future__ import annotations

import uuid

import asyncpg

from livecommerce.runtime import merchant_tenancy
from livecommerce.runtime.errors import NotFound
from livecommerce.runtime.formats import parse_uuid
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.merchant_tenancy import may_act_on, system_actor
from services.session import store

__all__ = ["listing_scope", "load_session", "may_act_on", "merchant_of", "parse_session_id", "system_actor"]


def merchant_of(caller: Caller) -> str:
    return merchant_tenancy.merchant_of(caller, "schedules sessions")


def listing_scope(caller: Caller, merchant_id: str) -> str | None:
    return merchant_tenancy.listing_scope(caller, merchant_id, "sessions")


def parse_session_id(session_id: str, *, field: str = "session_id") -> uuid.UUID:
    return parse_uuid(session_id, field, "must be a session id this service issued (a UUID)")


async def load_session(conn: asyncpg.Connection, caller: Caller, session_id: uuid.UUID, *, for_update: bool = False) -> store.SessionRow:
    """PLT-04: another merchant's session and a missing one give the same NOT_FOUND."""
    row = await store.get(conn, session_id=session_id, for_update=for_update)
    if row is None or not may_act_on(caller, row.merchant_id):
        raise NotFound("session", str(session_id))
    return row
