"""Who may act on which order (PLT-04): a trading platform on the orders it docked (tenant =
platform id), a merchant on orders naming it, platform roles on all. The platform of a docked
order is always the caller's tenant, never a field of the request. Another's order and a missing
one give the same NOT_FOUND."""

from __future__ import annotations

import uuid

import asyncpg

from livecommerce.runtime import merchant_tenancy
from livecommerce.runtime.errors import NotFound, PermissionDenied
from livecommerce.runtime.formats import parse_uuid
from livecommerce.runtime.identity import Caller
from services.trade import store

PLATFORM_ROLE = "trading_platform"


def platform_of(caller: Caller, action: str) -> str:
    """The platform a caller acts for when it `action`s: its certificate names it as tenant."""
    if caller.role != PLATFORM_ROLE or not caller.tenant:
        raise PermissionDenied(f"only a trading platform (a certificate naming its platform id as tenant) {action}")
    return caller.tenant


def may_read(caller: Caller, order: store.OrderRow) -> bool:
    if caller.role == PLATFORM_ROLE:
        return bool(caller.tenant) and caller.tenant == order.platform
    return merchant_tenancy.may_act_on(caller, order.order.merchant_id)


def listing_scope(caller: Caller, merchant_id: str) -> tuple[str | None, str | None]:
    """(platform, merchant) whose orders a listing shows: a platform's own, a merchant's own, or
    a platform role's choice of merchant (None: all)."""
    if caller.role == PLATFORM_ROLE:
        return platform_of(caller, "lists its orders"), merchant_id or None
    return None, merchant_tenancy.listing_scope(caller, merchant_id, "orders")


def parse_order_id(order_id: str) -> uuid.UUID:
    return parse_uuid(order_id, "order_id", "must be an order id this service issued (a UUID)")


async def load_order(conn: asyncpg.Connection, caller: Caller, order_id: uuid.UUID) -> store.OrderRow:
    row = await store.get(conn, order_id=order_id)
    if row is None or not may_read(caller, row):
        raise NotFound("order", str(order_id))
    return row
