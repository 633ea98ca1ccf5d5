"""Use cases of a session's normal course (SES-01, SES-02, SES-09, PLT-02): schedule, complete the
checklist, open the room, end, read. Each write is one unit-of-work transaction of domain checks,
store writes, the room's change, history and outbox events, keyed by its request_id
(runtime/requests.py); a refusal writes nothing. Eligibility and the line-up are decided from the
service's projections, never by calling the anchor or product service.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TypeVar

import asyncpg

from livecommerce.runtime import requests
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import session_pb2 as pb
from services.session import domain, events, projections, store, tenancy
from services.session.convert import actor_dict, lineup_item
from services.session.domain import ChecklistItem, Status
from services.session.eligibility import ineligibility
from services.session.lifecycle import Lifecycle
from services.session.store import SessionRow

T = TypeVar("T")
_SESSION_PAGES = Keyset(datetime, uuid.UUID)  # (planned_start, session_id), newest first


class Sessions:
    def __init__(self, runtime: Runtime, lifecycle: Lifecycle) -> None:
        self._uow, self._pool, self._clock, self._events = runtime.uow, runtime.pool, runtime.clock, runtime.events
        self._lifecycle = lifecycle

    async def schedule(
        self, caller: Caller, *, anchor_id: str, room_id: str, title: str, planned_start: datetime | None,
        product_ids: Sequence[str], request_id: str,
    ) -> SessionRow:
        requests.check_request_id(request_id)
        merchant_id = tenancy.merchant_of(caller)
        now = self._clock.now()
        domain.check_schedule(room_id=room_id, title=title, planned_start=planned_start, product_ids=product_ids, now=now)
        assert planned_start is not None  # check_schedule refused it otherwise
        if not anchor_id:
            raise InvalidArgument([FieldViolation("anchor_id", "is required")])
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="ScheduleSession", caller=caller)):
                return await tenancy.load_session(conn, caller, uuid.UUID(done))
            # SES-01, ANC-09: the anchor as the projection knows them now.
            facts = await projections.anchor(conn, anchor_id)
            if (why := ineligibility(facts, now)) is not None:
                raise PreconditionFailed(why.rule_id, "anchor", why.reason, field="anchor_id")
            assert facts is not None
            # SES-01, PRD-10: every product approved, listed and the merchant's own.
            found = await projections.products(conn, product_ids)
            for i, product_id in enumerate(product_ids):
                product = found.get(product_id)
                if product is None or not product.listed or product.merchant_id != merchant_id:
                    raise PreconditionFailed(
                        "PRD-10", "product", f"{product_id} is not an approved, listed product of this merchant",
                        field=f"product_ids[{i}]",
                    )
            session_id = uuid.uuid4()
            room = pb.RoomState(
                session_id=str(session_id), room_id=room_id, status=pb.SESSION_STATUS_SCHEDULED,
                lineup=[lineup_item(found[p].listing) for p in product_ids],
                labels=domain.labels(digital_human=facts.digital_human),  # SES-09
            )
            row = SessionRow(
                session_id=session_id, merchant_id=merchant_id, anchor_id=anchor_id, agency_id=facts.agency_id, room_id=room_id,
                title=title.strip(), planned_start=planned_start, status=Status.SCHEDULED, checklist=[], scheduled_at=now,
                opened_at=None, ended_at=None, stop=None, room=room, room_sequence=0,
            )
            await store.create(conn, row)
            await store.HISTORY.append(
                conn, session_id, at=now, by=caller, action="scheduled",
                changes=[("anchor_id", "", anchor_id), ("room_id", "", room_id), ("product_ids", "", ",".join(product_ids))],
            )
            await requests.remember(conn, request_id=request_id, method="ScheduleSession", caller=caller, outcome=str(session_id))
            return row

    async def complete_checklist(
        self, caller: Caller, session_id: uuid.UUID, items: Sequence[ChecklistItem], *, request_id: str
    ) -> SessionRow:
        """SES-02: items done from 30 minutes before the start; all three make the session READY."""
        requests.check_request_id(request_id)
        if not items:
            raise InvalidArgument([FieldViolation("items", "name at least one checklist item", rule="SES-02")])
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="CompleteChecklist", caller=caller)):
                return await tenancy.load_session(conn, caller, uuid.UUID(done))
            row = await tenancy.load_session(conn, caller, session_id, for_update=True)
            now = self._clock.now()
            domain.check_checklist(status=row.status, planned_start=row.planned_start, now=now)
            already = {entry["item"] for entry in row.checklist}
            fresh = [item for item in dict.fromkeys(items) if item.value not in already]
            checklist = row.checklist + [{"item": item.value, "at": now.isoformat(), "by": actor_dict(caller)} for item in fresh]
            complete = domain.checklist_complete([entry["item"] for entry in checklist])
            status = Status.READY if complete else row.status
            await store.set_checklist(conn, session_id=session_id, checklist=checklist, status=status)
            after = dataclasses.replace(row, checklist=checklist, status=status)
            await store.HISTORY.append(
                conn, session_id, at=now, by=caller, action="checklist", changes=[("checklist", "", item.value) for item in fresh]
            )
            if status is not row.status:
                after = await self._lifecycle.change_room(conn, after, pb.RoomChange(kind=pb.ROOM_CHANGE_KIND_READY, at=stamp(now)))
            await requests.remember(conn, request_id=request_id, method="CompleteChecklist", caller=caller, outcome=str(session_id))
            return after

    async def open_room(self, caller: Caller, session_id: uuid.UUID, *, request_id: str) -> SessionRow:
        """SES-02: a READY session whose anchor is eligible at this instant, in a room with no other live session."""
        requests.check_request_id(request_id)
        try:
            async with self._uow.transaction() as conn:
                if (done := await requests.replayed(conn, request_id=request_id, method="OpenRoom", caller=caller)):
                    return await tenancy.load_session(conn, caller, uuid.UUID(done))
                row = await tenancy.load_session(conn, caller, session_id, for_update=True)
                now = self._clock.now()
                domain.check_open(row.status)
                if (why := ineligibility(await projections.anchor(conn, row.anchor_id), now)) is not None:
                    raise PreconditionFailed(why.rule_id, "anchor", why.reason, field="anchor_id")
                if (other := await store.live_in_room(conn, room_id=row.room_id)) is not None:
                    raise _room_taken(row.room_id, other)
                await store.set_status(conn, session_id=session_id, status=Status.LIVE, opened_at=now)
                after = dataclasses.replace(row, status=Status.LIVE, opened_at=now)
                after = await self._lifecycle.change_room(conn, after, pb.RoomChange(kind=pb.ROOM_CHANGE_KIND_OPENED, at=stamp(now)))
                await store.HISTORY.append(conn, session_id, at=now, by=caller, action="opened", changes=[("status", "ready", "live")])
                await events.opened(conn, self._events, after)
                await requests.remember(conn, request_id=request_id, method="OpenRoom", caller=caller, outcome=str(session_id))
                return after
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name == "sessions_one_live_per_room":  # a concurrent twin opened first
                raise _room_taken("", None) from None
            raise

    async def end(self, caller: Caller, session_id: uuid.UUID, *, request_id: str) -> SessionRow:
        requests.check_request_id(request_id)
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="EndSession", caller=caller)):
                return await tenancy.load_session(conn, caller, uuid.UUID(done))
            row = await tenancy.load_session(conn, caller, session_id, for_update=True)
            after = await self._lifecycle.end(conn, row, by=caller, at=self._clock.now())
            await requests.remember(conn, request_id=request_id, method="EndSession", caller=caller, outcome=str(session_id))
            return after

    # -- reads

    async def get(self, caller: Caller, session_id: uuid.UUID) -> SessionRow:
        async with self._pool.acquire() as conn:
            return await tenancy.load_session(conn, caller, session_id)

    async def watch_start(self, caller: Caller, session_id: uuid.UUID, first: Callable[[asyncpg.Connection, SessionRow], Awaitable[T]]) -> T:
        """What a watcher is sent first (rooms.catch_up), read from the session the caller may see."""
        async with self._pool.acquire() as conn:
            return await first(conn, await tenancy.load_session(conn, caller, session_id))

    async def page(
        self, caller: Caller, *, merchant_id: str, anchor_id: str, status: Status | None, token: str, size: int
    ) -> tuple[list[SessionRow], str]:
        scope = tenancy.listing_scope(caller, merchant_id)
        async with self._pool.acquire() as conn:
            return await _SESSION_PAGES.page(
                token=token, size=size,
                fetch=lambda after, limit: store.page(conn, merchant_id=scope, anchor_id=anchor_id or None, status=status, after=after, limit=limit),
                key=lambda row: (row.planned_start, row.session_id),
            )


def _room_taken(room_id: str, other: uuid.UUID | None) -> PreconditionFailed:
    which = f" ({other})" if other else ""
    return PreconditionFailed("SES-02", "room", f"room {room_id} already has a live session{which}", field="session_id")
