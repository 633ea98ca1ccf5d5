"""Who may act on which product (PLT-04): the merchant tenancy every service shares
(livecommerce/runtime/merchant_tenancy.py), applied to products, licences and authorizations."""

from __future__ import annotations

import uuid

import asyncpg

from livecommerce.runtime import merchant_tenancy
from livecommerce.runtime.errors import NotFound
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.merchant_tenancy import may_act_on, system_actor
from services.product import store

__all__ = ["listing_scope", "load_product", "may_act_on", "merchant_of", "system_actor"]


def merchant_of(caller: Caller) -> str:
    return merchant_tenancy.merchant_of(caller, "files products and records")


def listing_scope(caller: Caller, merchant_id: str) -> str | None:
    return merchant_tenancy.listing_scope(caller, merchant_id, "products or records")


async def load_product(conn: asyncpg.Connection, caller: Caller, product_id: uuid.UUID, *, for_update: bool = False) -> store.ProductRow:
    """PLT-04: another merchant's product and a missing one give the same NOT_FOUND."""
    row = await store.get(conn, product_id=product_id, for_update=for_update)
    if row is None or not may_act_on(caller, row.merchant_id):
        raise NotFound("product", str(product_id))
    return row
