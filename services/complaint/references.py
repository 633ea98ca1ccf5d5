"""CMP-01: what a complaint concerns, resolved against the local projections of the anchor,
product, session and trade services' events. A known order names its session, anchor, merchant and
product; a known session its anchor and merchant; a product its merchant; an anchor its agency.
A reference no event named is kept as given and flagged, never refused: the complainant may know
an order before its platform docked it, and staff look into it anyway."""

from __future__ import annotations

import dataclasses

import asyncpg

from services.complaint import store
from services.complaint.domain import Concern, Resolved


async def resolve(conn: asyncpg.Connection, given: Concern) -> Resolved:
    concern, merchant, unresolved = given, "", []
    if given.order_id:
        order = await store.find_order(conn, given.order_id)
        if order is None:
            unresolved.append("order_id")
        else:
            concern = _fill(concern, session_id=order["session_id"], anchor_id=order["anchor_id"], product_id=order["product_id"])
            merchant = order["merchant_id"]
    if concern.session_id:  # the complainant's, or the order's
        session = await store.find_session(conn, concern.session_id)
        if session is not None:
            concern = _fill(concern, anchor_id=session["anchor_id"])
            merchant = merchant or session["merchant_id"]
        elif given.session_id:
            unresolved.append("session_id")
    if given.product_id:
        product_merchant = await store.find_product(conn, given.product_id)
        if product_merchant is None:
            unresolved.append("product_id")
        merchant = merchant or (product_merchant or "")
    agency = ""
    if concern.anchor_id:
        known = await store.find_anchor(conn, concern.anchor_id)
        if known is None and given.anchor_id:
            unresolved.append("anchor_id")
        agency = known or ""
    return Resolved(concern, agency_id=agency, merchant_id=merchant, unresolved=tuple(unresolved))


def _fill(concern: Concern, **known: str) -> Concern:
    """The complainant's own references stay; only the empty ones are filled in."""
    return dataclasses.replace(concern, **{k: v for k, v in known.items() if v and not getattr(concern, k)})
