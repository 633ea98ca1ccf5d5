"""Events of products (architecture.md, Events): approved, changed, delisted, relisted, on
`<root>.product.product.<past_verb>`. Each carries what the session and trade services'
projections need to show and sell the product without calling back (PRD-05, PRD-09, PRD-10).
Written in the command's transaction, so an event leaves exactly when its change commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg

from livecommerce.common.v1 import identity_pb2
from livecommerce.product.v1 import events_pb2
from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from services.product import convert
from services.product.catalogue import Category
from services.product.domain import Details
from services.product.links import Link, PerishableTreatment
from services.product.review import Delisting


@dataclass(frozen=True)
class Shown:
    """A product as rooms and trades see it: its approved version and what goes with it."""

    product_id: uuid.UUID
    merchant_id: str
    approved_version: int
    details: Details
    category: Category
    link: Link
    perishable: PerishableTreatment
    listed: bool

    def listing(self) -> events_pb2.ProductListing:
        return events_pb2.ProductListing(
            product_id=str(self.product_id),
            merchant_id=self.merchant_id,
            approved_version=self.approved_version,
            category=self.category.key,
            category_path=list(self.category.path),
            title=self.details.title,
            price_fen=self.details.price_fen,
            crossed_out_price_fen=self.details.crossed_out_price_fen,
            perishable=convert.perishable_pb(self.perishable),
            link=convert.link_pb(self.link),
            listed=self.listed,
        )


async def approved(conn: asyncpg.Connection, events: EventWriter, shown: Shown, *, reviewer: str) -> None:
    payload = events_pb2.ProductApproved(listing=shown.listing(), reviewer=reviewer)
    await events.add(conn, noun="product", verb="approved", payload=payload, subject_id=str(shown.product_id))


async def changed(conn: asyncpg.Connection, events: EventWriter, shown: Shown, *, previous_version: int, reviewer: str = "") -> None:
    """A later version was approved, or the approved one became listable (a passing inspection)."""
    payload = events_pb2.ProductChanged(listing=shown.listing(), previous_version=previous_version, reviewer=reviewer)
    await events.add(conn, noun="product", verb="changed", payload=payload, subject_id=str(shown.product_id))


async def delisted(
    conn: asyncpg.Connection, events: EventWriter, *, product_id: uuid.UUID, merchant_id: str, approved_version: int, delisting: Delisting
) -> None:
    payload = events_pb2.ProductDelisted(
        product_id=str(product_id),
        merchant_id=merchant_id,
        approved_version=approved_version,
        cause=convert.CAUSES_PB[delisting.cause],
        rule_id=delisting.rule_id,
        reason=delisting.reason,
        operator=identity_pb2.Actor(principal=delisting.operator, role=delisting.operator_role),
        delisted_at=stamp(delisting.at),
        session_id=delisting.session_id,
        list_version=delisting.list_version,
        list_entry_id=delisting.list_entry_id,
    )
    await events.add(conn, noun="product", verb="delisted", payload=payload, subject_id=str(product_id))


async def relisted(
    conn: asyncpg.Connection, events: EventWriter, shown: Shown, *, operator: identity_pb2.Actor, reason: str, at
) -> None:
    payload = events_pb2.ProductRelisted(listing=shown.listing(), operator=operator, reason=reason, relisted_at=stamp(at))
    await events.add(conn, noun="product", verb="relisted", payload=payload, subject_id=str(shown.product_id))
