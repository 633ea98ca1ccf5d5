"""What the complaint service consumes: the anchor, product, session and trade services' events,
kept as projections that resolve what a complaint concerns (CMP-01, `references`), and a session's
end, which archives its incidents with it (CMP-06). Through the shared intake
(livecommerce/runtime/intake.py); the consumer's inbox makes a redelivery harmless and the upserts
make a replay harmless."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import asyncpg

from livecommerce.anchor.v1 import events_pb2 as anchor_events
from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.runtime.clock import Clock
from livecommerce.runtime.intake import Intake
from livecommerce.runtime.timestamps import read
from livecommerce.session.v1 import events_pb2 as session_events
from livecommerce.trade.v1 import events_pb2 as trade_events
from services.complaint import store

CONSUMED = ("anchor", "product", "session", "trade")
SessionArchiver = Callable[[asyncpg.Connection, str, datetime], Awaitable[None]]


async def anchor_known(conn: asyncpg.Connection, event, _at: datetime) -> None:
    """AnchorRegistered, AnchorFileApproved: the anchor and the agency that signed it."""
    await store.project_anchor(conn, anchor_id=event.anchor_id, agency_id=event.agency_id)


async def product_listed(conn: asyncpg.Connection, event, _at: datetime) -> None:
    """ProductApproved, ProductChanged, ProductRelisted: the product and its merchant (a delisting
    keeps it known: complaints about it still concern it)."""
    await store.project_product(conn, product_id=event.listing.product_id, merchant_id=event.listing.merchant_id)


async def session_opened(conn: asyncpg.Connection, event: session_events.SessionOpened, _at: datetime) -> None:
    await store.project_session(conn, session_id=event.session_id, merchant_id=event.merchant_id, anchor_id=event.anchor_id)


async def order_completed(conn: asyncpg.Connection, event: trade_events.OrderCompleted, _at: datetime) -> None:
    await store.project_order(
        conn, order_id=event.order_id, external_order_id=event.external_order_id, session_id=event.session_id,
        anchor_id=event.anchor_id, merchant_id=event.merchant_id, product_id=event.product_id,
    )


async def orders_completed(conn: asyncpg.Connection, event: trade_events.OrdersCompleted, _at: datetime) -> None:
    """A docked batch's completed orders (columns, one event per batch), projected in one statement."""
    await store.project_orders(
        conn, order_ids=event.order_ids, external_order_ids=event.external_order_ids, session_ids=event.session_ids,
        anchor_ids=event.anchor_ids, merchant_ids=event.merchant_ids, product_ids=event.product_ids,
    )


def intake(archive_session: SessionArchiver, *, clock: Clock) -> Intake:
    """`archive_session(conn, session_id, ended_at)` archives a session's incidents (CMP-06)."""

    async def session_ended(conn: asyncpg.Connection, event: session_events.SessionEnded, at: datetime) -> None:
        ended_at = read(event, "ended_at") or at
        await store.session_ended(conn, session_id=event.session_id, anchor_id=event.anchor_id, ended_at=ended_at)
        await archive_session(conn, event.session_id, ended_at)

    handlers = {
        "livecommerce.anchor.v1.AnchorRegistered": (anchor_events.AnchorRegistered, anchor_known),
        "livecommerce.anchor.v1.AnchorFileApproved": (anchor_events.AnchorFileApproved, anchor_known),
        "livecommerce.product.v1.ProductApproved": (product_events.ProductApproved, product_listed),
        "livecommerce.product.v1.ProductChanged": (product_events.ProductChanged, product_listed),
        "livecommerce.product.v1.ProductRelisted": (product_events.ProductRelisted, product_listed),
        "livecommerce.session.v1.SessionOpened": (session_events.SessionOpened, session_opened),
        "livecommerce.session.v1.SessionEnded": (session_events.SessionEnded, session_ended),
        "livecommerce.trade.v1.OrdersCompleted": (trade_events.OrdersCompleted, orders_completed),
        # Published one per order before OrdersCompleted; still read, for events already in the stream.
        "livecommerce.trade.v1.OrderCompleted": (trade_events.OrderCompleted, order_completed),
    }
    return Intake("complaint", CONSUMED, handlers, clock=clock)
