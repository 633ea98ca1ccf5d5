"""What the session service consumes (architecture.md, Events; SES-01, ANC-09, PRD-10): the anchor
and product services' events, kept as projections in the consumer's transaction (its inbox makes
a redelivery harmless), and what they do to sessions:

- a sanction in force for an anchor who is live stops the session (SES-06, naming the sanction's rule);
- a delisted product leaves the line-up of every session still showing it, each room getting a
  PRODUCT_REMOVED update (PRD-10); a changed one is updated in place (PRODUCT_CHANGED, PRD-05).

One durable consumer per source service, through the shared intake (livecommerce/runtime/intake.py),
which logs and acknowledges a refusal by the rules (an anchor id the events never named, say).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

import asyncpg

from livecommerce.anchor.v1 import discipline_pb2
from livecommerce.anchor.v1 import events_pb2 as anchor_events
from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.runtime.clock import Clock
from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.intake import Intake as SharedIntake
from livecommerce.runtime.service import Runtime
from livecommerce.runtime.timestamps import read, stamp
from livecommerce.session.v1 import session_pb2 as pb
from services.session import projections, store
from services.session.convert import lineup_item
from services.session.domain import Status
from services.session.eligibility import Sanction, expired, imposed
from services.session.lifecycle import Lifecycle
from services.session.rooms import RoomLog
from services.session.tenancy import system_actor

log = logging.getLogger(__name__)

CONSUMED = ("anchor", "product")
Handler = Callable[[asyncpg.Connection, Any, datetime], Awaitable[None]]


class Intake:
    def __init__(self, *, clock: Clock, lifecycle: Lifecycle, rooms: RoomLog) -> None:
        self._clock, self._lifecycle, self._rooms = clock, lifecycle, rooms
        self._handlers: dict[str, tuple[type, Handler]] = {
            "livecommerce.anchor.v1.AnchorFileApproved": (anchor_events.AnchorFileApproved, self.file_approved),
            "livecommerce.anchor.v1.TrainingRecorded": (anchor_events.TrainingRecorded, self.training_recorded),
            "livecommerce.anchor.v1.SanctionImposed": (anchor_events.SanctionImposed, self.sanction_imposed),
            "livecommerce.anchor.v1.SanctionExpired": (anchor_events.SanctionExpired, self.sanction_expired),
            "livecommerce.product.v1.ProductApproved": (product_events.ProductApproved, self.listing_changed),
            "livecommerce.product.v1.ProductChanged": (product_events.ProductChanged, self.listing_changed),
            "livecommerce.product.v1.ProductRelisted": (product_events.ProductRelisted, self.listing_changed),
            "livecommerce.product.v1.ProductDelisted": (product_events.ProductDelisted, self.product_delisted),
        }

    def consumers(self, runtime: Runtime) -> list[EventConsumer]:
        return SharedIntake("session", CONSUMED, self._handlers, clock=self._clock).consumers(runtime)

    # -- the anchor service (ANC-09)

    async def file_approved(self, conn: asyncpg.Connection, event: anchor_events.AnchorFileApproved, at: datetime) -> None:
        facts = await projections.anchor_for_update(conn, event.anchor_id, at=at)
        adult_on = date.fromisoformat(event.adult_on) if event.adult_on else None
        facts = dataclasses.replace(facts, approved=True, agency_id=event.agency_id, digital_human=event.digital_human, adult_on=adult_on)
        await projections.save_anchor(conn, facts, at=at)

    async def training_recorded(self, conn: asyncpg.Connection, event: anchor_events.TrainingRecorded, at: datetime) -> None:
        if event.onboarding and event.passed:
            facts = await projections.anchor_for_update(conn, event.anchor_id, at=at)
            await projections.save_anchor(conn, dataclasses.replace(facts, onboarded=True), at=at)

    async def sanction_imposed(self, conn: asyncpg.Connection, event: anchor_events.SanctionImposed, at: datetime) -> None:
        facts = await projections.anchor_for_update(conn, event.anchor_id, at=at)
        standing = discipline_pb2.Standing.Name(event.standing).removeprefix("STANDING_").lower()
        sanction = Sanction(event.rule_id, standing, read(event, "starts_at") or at, read(event, "until"))
        facts = imposed(facts, sanction)
        await projections.save_anchor(conn, facts, at=at)
        now = self._clock.now()
        if facts.sanction is not sanction or not sanction.in_force(now):
            return
        # SES-06: a sanctioned anchor's live session stops now, naming the sanction's rule.
        reason = f"the anchor is {standing} under {event.rule_id}" + (f": {event.reason}" if event.reason else "")
        for session_id in await store.live_of_anchor(conn, anchor_id=event.anchor_id):
            row = await store.get(conn, session_id=session_id, for_update=True)
            if row is not None and row.status is Status.LIVE:
                await self._lifecycle.stop(conn, row, rule_id="SES-06", reason=reason, by=system_actor("anchor-events"), at=now)

    async def sanction_expired(self, conn: asyncpg.Connection, event: anchor_events.SanctionExpired, at: datetime) -> None:
        facts = await projections.anchor_for_update(conn, event.anchor_id, at=at)
        await projections.save_anchor(conn, expired(facts, read(event, "expired_at") or at), at=at)

    # -- the product service (PRD-05, PRD-10)

    async def listing_changed(self, conn: asyncpg.Connection, event, at: datetime) -> None:
        listing: product_events.ProductListing = event.listing
        kept = await projections.save_product(
            conn, product_id=listing.product_id, merchant_id=listing.merchant_id, listed=listing.listed, listing=listing, as_of=at
        )
        if not kept or not isinstance(event, product_events.ProductChanged):
            return
        item = lineup_item(listing)

        def replace_item(state: pb.RoomState) -> None:
            for shown in state.lineup:
                if shown.product_id == item.product_id:
                    shown.CopyFrom(item)

        change = pb.RoomChange(kind=pb.ROOM_CHANGE_KIND_PRODUCT_CHANGED, product_id=listing.product_id, rule_id="PRD-05", at=stamp(at))
        await self._each_room_showing(conn, listing.product_id, change, replace_item)

    async def product_delisted(self, conn: asyncpg.Connection, event: product_events.ProductDelisted, at: datetime) -> None:
        kept = await projections.save_product(
            conn, product_id=event.product_id, merchant_id=event.merchant_id, listed=False, listing=None, as_of=at
        )
        if not kept:
            return

        def remove(state: pb.RoomState) -> None:
            kept_items = [shown for shown in state.lineup if shown.product_id != event.product_id]
            del state.lineup[:]
            state.lineup.extend(kept_items)

        change = pb.RoomChange(
            kind=pb.ROOM_CHANGE_KIND_PRODUCT_REMOVED, product_id=event.product_id, rule_id=event.rule_id or "PRD-10",
            reason=event.reason, at=stamp(at),
        )
        session_ids = await self._each_room_showing(conn, event.product_id, change, remove)
        await store.drop_product(conn, session_ids=session_ids, product_id=event.product_id)

    async def _each_room_showing(self, conn: asyncpg.Connection, product_id: str, change: pb.RoomChange, edit) -> list:
        session_ids = await store.showing_product(conn, product_id=product_id)
        if not session_ids:
            return []
        rows = await store.get_many(conn, session_ids=session_ids, for_update=True)
        await self._rooms.record(conn, [(row, change, edit) for row in rows])
        return session_ids
