"""Who may act on which product (PLT-04; architecture.md, Gateway).

The gateway decides which roles may call a method at all; this module decides the rest from the
forwarded identity: a merchant acts on its own products and records (tenant = merchant id),
platform roles and the session service (integration) on every one. A caller who may not act on
a record is told it is NOT_FOUND, exactly as for an id that does not exist, so a merchant cannot
probe for another's products.
"""

from __future__ import annotations

import uuid

import asyncpg

from livecommerce.runtime.errors import NotFound, PermissionDenied
from livecommerce.runtime.identity import Caller
from services.product import store

PLATFORM_ROLES = frozenset({"platform_admin", "compliance_officer", "regulator", "customer_service", "integration"})
SYSTEM_ROLE = "system"


def system_actor(source: str) -> Caller:
    """Who the history names when the clock or a list publication changed a product."""
    return Caller(principal=source, role=SYSTEM_ROLE)


def merchant_of(caller: Caller) -> str:
    """The merchant a submitting caller acts for: a merchant's certificate names it as tenant."""
    if caller.role != "merchant" or not caller.tenant:
        raise PermissionDenied("only a merchant (a certificate naming its merchant id as tenant) files products and records")
    return caller.tenant


def may_act_on(caller: Caller, merchant_id: str) -> bool:
    if caller.role in PLATFORM_ROLES or caller.role == SYSTEM_ROLE:
        return True
    return caller.role == "merchant" and bool(caller.tenant) and caller.tenant == merchant_id


def listing_scope(caller: Caller, merchant_id: str) -> str | None:
    """Whose records a listing shows: a merchant's own always; a platform role's choice (None: all)."""
    if caller.role == "merchant":
        return merchant_of(caller)
    if caller.role not in PLATFORM_ROLES:
        raise PermissionDenied(f"{caller.role} may not list products or records")
    return merchant_id or None


async def load_product(conn: asyncpg.Connection, caller: Caller, product_id: uuid.UUID, *, for_update: bool = False) -> store.ProductRow:
    """PLT-04: another merchant's product and a missing one give the same NOT_FOUND."""
    row = await store.get(conn, product_id=product_id, for_update=for_update)
    if row is None or not may_act_on(caller, row.merchant_id):
        raise NotFound("product", str(product_id))
    return row
