"""What the trade service consumes: the session and product services' events, kept as projections
(`session_projection`, `product_projection`) that tell a linked order from an unlinked one (TRD-01)
and give a linked order its anchor, and the sessions' promises (`promise_projection`, SES-10). Through the shared intake (livecommerce/runtime/intake.py);
the consumer's inbox makes a redelivery harmless and the upserts make a replay harmless."""

from __future__ import annotations

import asyncpg

from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.runtime.intake import Intake
from livecommerce.runtime.timestamps import read
from livecommerce.session.v1 import events_pb2 as session_events
from livecommerce.session.v1 import session_pb2 as session_pb
from services.trade import store
from services.trade.shipping import domain as shipping
from services.trade.shipping import store as shipping_store

CONSUMED = ("session", "product")


async def session_opened(conn: asyncpg.Connection, event: session_events.SessionOpened) -> None:
    await store.project_session(conn, session_id=event.session_id, merchant_id=event.merchant_id, anchor_id=event.anchor_id)


async def product_listed(conn: asyncpg.Connection, event) -> None:
    """ProductApproved, ProductChanged, ProductRelisted: the product is known from then on (a
    delisting keeps it known: orders already taken still belong to it)."""
    listing = event.listing
    await store.project_product(
        conn, product_id=listing.product_id, merchant_id=listing.merchant_id, perishable=listing.perishable.perishable,
        strict_after_sales=listing.perishable.strict_after_sales, claim_window_hours=listing.perishable.claim_window_hours,
    )  # fmt: skip


async def promise_recorded(conn: asyncpg.Connection, event: session_events.PromiseRecorded) -> None:
    """SES-10: the session's promises, matched to its orders (a shipping time sets their ship-by,
    TRD-03)."""
    p = event.promise
    kind = session_pb.PromiseKind.Name(p.kind).removeprefix("PROMISE_KIND_").lower()
    await shipping_store.project_promise(
        conn, promise_id=p.promise_id, session_id=p.session_id, kind=kind, text=p.text, product_id=p.product_id,
        responsible=session_pb.ResponsibleParty.Name(p.responsible).removeprefix("RESPONSIBLE_PARTY_").lower(),
        responsible_id=p.responsible_id, made_at=read(p, "made_at"),
        ship_within_hours=shipping.promised_hours(p.text) if kind == "shipping_time" else None,
    )  # fmt: skip


HANDLERS = {
    "livecommerce.session.v1.PromiseRecorded": (session_events.PromiseRecorded, promise_recorded),
    "livecommerce.session.v1.SessionOpened": (session_events.SessionOpened, session_opened),
    "livecommerce.product.v1.ProductApproved": (product_events.ProductApproved, product_listed),
    "livecommerce.product.v1.ProductChanged": (product_events.ProductChanged, product_listed),
    "livecommerce.product.v1.ProductRelisted": (product_events.ProductRelisted, product_listed),
}


def intake() -> Intake:
    return Intake("trade", CONSUMED, HANDLERS)
