"""The session service's own copies of what it needs from the anchor and product services (SES-01,
architecture.md "Events"): eligibility facts per anchor and the listing per product, written by
the event handlers in the consumer's transaction and read by the commands. Scheduling and opening
a room never call another service, so they work while it is down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.product.v1 import events_pb2 as product_events
from services.session.eligibility import AnchorFacts, Sanction

_ANCHOR_COLUMNS = (
    "anchor_id, approved, agency_id, digital_human, adult_on, onboarded, sanction_rule, sanction_standing,"
    " sanction_starts_at, sanction_until, sanction_expired_at"
)


async def anchor(conn: asyncpg.Connection, anchor_id: str, *, for_update: bool = False) -> AnchorFacts | None:
    lock = " FOR UPDATE" if for_update else ""
    r = await conn.fetchrow(f"SELECT {_ANCHOR_COLUMNS} FROM anchor_projection WHERE anchor_id = $1{lock}", anchor_id)
    if r is None:
        return None
    sanction = (
        Sanction(r["sanction_rule"], r["sanction_standing"], r["sanction_starts_at"], r["sanction_until"])
        if r["sanction_rule"] is not None else None
    )
    return AnchorFacts(
        anchor_id=r["anchor_id"], approved=r["approved"], agency_id=r["agency_id"], digital_human=r["digital_human"],
        adult_on=r["adult_on"], onboarded=r["onboarded"], sanction=sanction, sanction_expired_at=r["sanction_expired_at"],
    )


async def anchor_for_update(conn: asyncpg.Connection, anchor_id: str, *, at: datetime) -> AnchorFacts:
    """The anchor's facts, locked for an event to change them (a fresh row when none yet)."""
    await conn.execute(
        "INSERT INTO anchor_projection (anchor_id, updated_at) VALUES ($1, $2) ON CONFLICT DO NOTHING", anchor_id, at
    )
    facts = await anchor(conn, anchor_id, for_update=True)
    assert facts is not None
    return facts


async def save_anchor(conn: asyncpg.Connection, facts: AnchorFacts, *, at: datetime) -> None:
    s = facts.sanction
    await conn.execute(
        "UPDATE anchor_projection SET approved = $2, agency_id = $3, digital_human = $4, adult_on = $5, onboarded = $6,"
        " sanction_rule = $7, sanction_standing = $8, sanction_starts_at = $9, sanction_until = $10,"
        " sanction_expired_at = $11, updated_at = $12 WHERE anchor_id = $1",
        facts.anchor_id, facts.approved, facts.agency_id, facts.digital_human, facts.adult_on, facts.onboarded,
        s.rule_id if s else None, s.standing if s else None, s.starts_at if s else None, s.until if s else None,
        facts.sanction_expired_at, at,
    )


@dataclass(frozen=True)
class ProductFacts:
    product_id: str
    merchant_id: str
    listed: bool
    listing: product_events.ProductListing
    """As the product service last described it (empty before its approval arrived)."""


async def products(conn: asyncpg.Connection, product_ids: Sequence[str]) -> dict[str, ProductFacts]:
    rows = await conn.fetch(
        "SELECT product_id, merchant_id, listed, listing FROM product_projection WHERE product_id = ANY($1::text[])",
        list(product_ids),
    )
    return {
        r["product_id"]: ProductFacts(r["product_id"], r["merchant_id"], r["listed"], product_events.ProductListing.FromString(r["listing"]))
        for r in rows
    }


async def save_product(
    conn: asyncpg.Connection, *, product_id: str, merchant_id: str, listed: bool,
    listing: product_events.ProductListing | None, as_of: datetime,
) -> bool:
    """Keeps the product's newest state: an event older than the one held changes nothing (False).
    A delisting keeps the listing held (None), so a relisting shows the product as it was."""
    changed = await conn.fetchval(
        "INSERT INTO product_projection (product_id, merchant_id, listed, listing, as_of) VALUES ($1, $2, $3, coalesce($4, ''::bytea), $5)"
        " ON CONFLICT (product_id) DO UPDATE SET merchant_id = $2, listed = $3,"
        " listing = coalesce($4, product_projection.listing), as_of = $5"
        " WHERE product_projection.as_of <= $5 RETURNING true",
        product_id, merchant_id, listed, listing.SerializeToString() if listing is not None else None, as_of,
    )
    return bool(changed)
