"""Who may act on which anchor and which agency (PLT-04; architecture.md, Gateway).

The gateway decides which roles may call a method at all; this module decides the rest from the
forwarded identity: platform roles act on every record, an agency on itself and its signed
anchors, an anchor on its own file, the system on behalf of another service's event. A caller
who may not act on a record is told it is NOT_FOUND, exactly as for an id that does not exist,
so a tenant cannot probe for other tenants' records.
"""

from __future__ import annotations

import uuid

import asyncpg

from livecommerce.runtime.errors import NotFound, PermissionDenied
from livecommerce.runtime.identity import Caller
from services.anchor.files import store as anchors

PLATFORM_ROLES = frozenset({"platform_admin", "compliance_officer", "regulator", "customer_service"})
SYSTEM_ROLE = "system"
"""Acts for another service's event; no certificate can carry it (identity.ROLES does not list it)."""


def system_actor(source: str) -> Caller:
    """Who the history names when another service's event caused a change."""
    return Caller(principal=f"{source}-events", role=SYSTEM_ROLE)


def may_act_on_anchor(caller: Caller, row: anchors.AnchorRow) -> bool:
    if caller.role in PLATFORM_ROLES or caller.role == SYSTEM_ROLE:
        return True
    if caller.role == "agency":
        return bool(row.agency_id) and row.agency_id == caller.tenant
    return caller.role == "anchor" and caller.tenant == str(row.anchor_id)


def may_act_on_agency(caller: Caller, agency_id: str) -> bool:
    return caller.role in PLATFORM_ROLES or (caller.role == "agency" and bool(agency_id) and caller.tenant == agency_id)


async def load_anchor(
    conn: asyncpg.Connection, caller: Caller, anchor_id: uuid.UUID, *, for_update: bool = False, rule: str = ""
) -> anchors.AnchorRow:
    """The anchor's row (locked on request) if the caller may act on it.

    PLT-04: another tenant's anchor and a missing one give the same NOT_FOUND."""
    row = await anchors.get(conn, anchor_id=anchor_id, for_update=for_update)
    if row is None or not may_act_on_anchor(caller, row):
        raise NotFound("anchor", str(anchor_id), rule=rule)
    return row


def check_agency(caller: Caller, agency_id: str, *, exists: bool, rule: str = "") -> None:
    """PLT-04: another agency's record and a missing one give the same NOT_FOUND."""
    if not exists or not may_act_on_agency(caller, agency_id):
        raise NotFound("agency", agency_id, rule=rule)


def check_platform_role(caller: Caller, action: str) -> None:
    """Listings across tenants are for platform roles only (the refusal names the role, no record)."""
    if caller.role not in PLATFORM_ROLES:
        raise PermissionDenied(f"{caller.role} may not {action}")
