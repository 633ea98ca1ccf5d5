"""Emergency actions on a session (SES-06, OPS 7.4.6), each recorded with operator and reason:
terminate the stream, take a product down (PRD-10), ban the anchor (ANC-08); and muting a viewer
(SES-03). One unit-of-work transaction each, keyed by request_id.

A take-down is a request to the product service (ProductTakeDownRequested): the product is
delisted there, and every room drops it when the product's `delisted` event comes back
(intake.py), so a room never shows a product the product service still lists, or the reverse.
"""

from __future__ import annotations

import uuid

from livecommerce.common.v1 import identity_pb2
from livecommerce.runtime import requests
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PermissionDenied, PreconditionFailed
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.service import Runtime
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import session_pb2 as pb
from services.session import domain, events, store, tenancy
from services.session.convert import actor_dict
from services.session.domain import Status
from services.session.lifecycle import Lifecycle
from services.session.store import SessionRow


def _officer(caller: Caller, action: str) -> None:
    if caller.role != "compliance_officer":
        raise PermissionDenied(f"only a compliance officer may {action}", rule="SES-06")


class Emergency:
    def __init__(self, runtime: Runtime, lifecycle: Lifecycle) -> None:
        self._uow, self._clock, self._events = runtime.uow, runtime.clock, runtime.events
        self._lifecycle = lifecycle

    async def stop_stream(self, caller: Caller, session_id: uuid.UUID, *, reason: str, request_id: str) -> SessionRow:
        requests.check_request_id(request_id)
        _officer(caller, "stop a stream")
        reason = domain.check_reason(reason, rule="SES-06")
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="StopStream", caller=caller)):
                return await tenancy.load_session(conn, caller, uuid.UUID(done))
            row = await tenancy.load_session(conn, caller, session_id, for_update=True)
            after = await self._lifecycle.stop(conn, row, rule_id="SES-06", reason=reason, by=caller, at=self._clock.now())
            await requests.remember(conn, request_id=request_id, method="StopStream", caller=caller, outcome=str(session_id))
            return after

    async def take_down_product(
        self, caller: Caller, session_id: uuid.UUID, product_id: str, *, reason: str, request_id: str
    ) -> SessionRow:
        requests.check_request_id(request_id)
        _officer(caller, "take a product down")
        reason = domain.check_reason(reason, rule="SES-06")
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="TakeDownProduct", caller=caller)):
                return await tenancy.load_session(conn, caller, uuid.UUID(done))
            row = await tenancy.load_session(conn, caller, session_id, for_update=True)
            if product_id not in {item.product_id for item in row.room.lineup}:
                raise PreconditionFailed("PRD-10", "product", f"{product_id} is not in this session's line-up", field="product_id")
            now = self._clock.now()
            await events.take_down_requested(
                conn, self._events, row, request_id=request_id, product_id=product_id, reason=reason,
                operator=identity_pb2.Actor(**actor_dict(caller)), at=now,
            )
            await store.HISTORY.append(
                conn, session_id, at=now, by=caller, action="take_down_requested", changes=[("product", product_id, "")],
                reason=f"SES-06: {reason}",
            )
            await requests.remember(conn, request_id=request_id, method="TakeDownProduct", caller=caller, outcome=str(session_id))
            return row

    async def ban_anchor(self, caller: Caller, session_id: uuid.UUID, *, reason: str, request_id: str) -> tuple[SessionRow, str]:
        """SES-06, ANC-08: a severe violation for the anchor's ladder, and the stream stopped. The
        violation rides on SessionEnded too, under the same id, so the ladder has it whichever of
        the two events it reads first (the anchor service keys violations by that id)."""
        requests.check_request_id(request_id)
        _officer(caller, "ban an anchor")
        reason = domain.check_reason(reason, rule="SES-06")
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="BanAnchor", caller=caller)):
                session, violation_id = done.split("/")
                return await tenancy.load_session(conn, caller, uuid.UUID(session)), violation_id
            row = await tenancy.load_session(conn, caller, session_id, for_update=True)
            if row.opened_at is None:
                raise PreconditionFailed("SES-06", "session", f"the session never went live; it is {row.status}")
            now, violation_id = self._clock.now(), str(uuid.uuid4())
            found = events.violation(
                violation_id, session_id=str(session_id), category="OTHER", severity="SEVERE",
                description=f"anchor banned by {caller.principal}: {reason}", evidence_key=f"bans/{violation_id}", at=now,
            )
            after = row
            if row.status is Status.LIVE:
                after = await self._lifecycle.stop(conn, row, rule_id="SES-06", reason=reason, by=caller, at=now, extra=[found])
            await events.violation_confirmed(conn, self._events, after, found)
            await store.HISTORY.append(
                conn, session_id, at=now, by=caller, action="anchor_banned", changes=[("violation", "", violation_id)],
                reason=f"SES-06: {reason}",
            )
            outcome = f"{session_id}/{violation_id}"
            await requests.remember(conn, request_id=request_id, method="BanAnchor", caller=caller, outcome=outcome)
            return after, violation_id

    async def mute_viewer(self, caller: Caller, session_id: uuid.UUID, viewer_id: str, *, reason: str, request_id: str) -> SessionRow:
        requests.check_request_id(request_id)
        if not ID_TOKEN.match(viewer_id):
            raise InvalidArgument([FieldViolation("viewer_id", ID_TOKEN_RULE)])
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="MuteViewer", caller=caller)):
                return await tenancy.load_session(conn, caller, uuid.UUID(done))
            row = await tenancy.load_session(conn, caller, session_id, for_update=True)
            domain.check_live(row.status, rule="SES-03", action="muting a viewer")
            now = self._clock.now()

            def mute(state: pb.RoomState) -> None:
                if viewer_id not in state.muted_viewer_ids:
                    state.muted_viewer_ids.append(viewer_id)

            change = pb.RoomChange(kind=pb.ROOM_CHANGE_KIND_VIEWER_MUTED, viewer_id=viewer_id, reason=reason.strip(), rule_id="SES-03", at=stamp(now))
            after = await self._lifecycle.change_room(conn, row, change, mute)
            await store.HISTORY.append(conn, session_id, at=now, by=caller, action="viewer_muted", changes=[("muted", "", viewer_id)], reason=reason.strip())
            await requests.remember(conn, request_id=request_id, method="MuteViewer", caller=caller, outcome=str(session_id))
            return after

