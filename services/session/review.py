"""Promises made on air (SES-10) and the post-session review of patrol hits (SES-05 d): record and
list promises bound to the party that must honour them; confirm a kept hit as a violation, which
the anchor's ladder learns of from SessionViolationConfirmed; list a session's hits.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from livecommerce.runtime import requests
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied, PreconditionFailed
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from services.session import domain, events, hits, projections, store, tenancy
from services.session.convert import actor_dict, promise_pb
from services.session.domain import Status
from services.session.hits import HitRow
from services.session.patrol import Grade
from services.session.store import PromiseRow

_PROMISE_PAGES = Keyset(datetime, uuid.UUID)  # (made_at, promise_id), newest first
_HIT_PAGES = Keyset(int)  # seq, in the order found
MAX_PROMISE_CHARS = 500


class Review:
    def __init__(self, runtime: Runtime) -> None:
        self._uow, self._pool, self._clock, self._events = runtime.uow, runtime.pool, runtime.clock, runtime.events

    async def record_promise(
        self, caller: Caller, session_id: uuid.UUID, *, kind: str | None, text: str, product_id: str, agency: bool,
        made_at: datetime | None, request_id: str,
    ) -> PromiseRow:
        """SES-10: bound to the merchant, or to the anchor's agency (refused when they have none)."""
        requests.check_request_id(request_id)
        problems = []
        if kind is None:
            problems.append(FieldViolation("kind", "must be a known promise kind", rule="SES-10"))
        if not text.strip() or len(text) > MAX_PROMISE_CHARS:
            problems.append(FieldViolation("text", f"is required, at most {MAX_PROMISE_CHARS} characters", rule="SES-10"))
        if problems:
            raise InvalidArgument(problems)
        assert kind is not None
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="RecordPromise", caller=caller)):
                return await store.get_promise(conn, promise_id=uuid.UUID(done))
            row = await tenancy.load_session(conn, caller, session_id)
            now = self._clock.now()
            made_at = made_at or now
            if row.opened_at is None or made_at < row.opened_at or made_at > (row.ended_at or now):
                raise PreconditionFailed("SES-10", "promise", "a promise is one made while the session was live", field="made_at")
            if product_id and product_id not in {item.product_id for item in row.room.lineup}:
                raise PreconditionFailed("SES-10", "promise", f"{product_id} is not in the session's line-up", field="product_id")
            responsible_id = row.merchant_id
            if agency:
                facts = await projections.anchor(conn, row.anchor_id)
                responsible_id = facts.agency_id if facts else ""
                if not responsible_id:
                    raise PreconditionFailed("SES-10", "promise", "the anchor has no agency to bind the promise to", field="responsible")
            promise = PromiseRow(
                promise_id=uuid.uuid4(), session_id=session_id, kind=kind, text=text.strip(), product_id=product_id,
                responsible="agency" if agency else "merchant", responsible_id=responsible_id, made_at=made_at,
                recorded_by=actor_dict(caller),
            )
            await store.add_promise(conn, promise, by=caller, at=now)
            await store.HISTORY.append(
                conn, session_id, at=now, by=caller, action="promise_recorded",
                changes=[("promise", "", f"{kind} -> {promise.responsible} {responsible_id}")], reason=promise.text,
            )
            await events.promise_recorded(conn, self._events, row, promise_pb(promise))
            await requests.remember(conn, request_id=request_id, method="RecordPromise", caller=caller, outcome=str(promise.promise_id))
            return promise

    async def promises(self, caller: Caller, session_id: uuid.UUID, *, token: str, size: int) -> tuple[list[PromiseRow], str]:
        async with self._pool.acquire() as conn:
            await tenancy.load_session(conn, caller, session_id)
            return await _PROMISE_PAGES.page(
                token=token, size=size, fetch=lambda after, limit: store.page_promises(conn, session_id=session_id, after=after, limit=limit),
                key=lambda p: (p.made_at, p.promise_id),
            )

    async def confirm_violation(
        self, caller: Caller, session_id: uuid.UUID, hit_id: uuid.UUID, *, reason: str, request_id: str
    ) -> HitRow:
        """SES-05 d: an officer confirms a hit of an ended session as a violation; a hit already
        counting as one is answered as it stands, with no second event."""
        requests.check_request_id(request_id)
        if caller.role != "compliance_officer":
            raise PermissionDenied("only a compliance officer confirms violations", rule="SES-05")
        reason = domain.check_reason(reason, rule="SES-05")
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="ConfirmViolation", caller=caller)):
                return await self._hit(conn, uuid.UUID(done))
            row = await tenancy.load_session(conn, caller, session_id, for_update=True)
            hit = await hits.get(conn, hit_id=hit_id, for_update=True)
            if hit is None or hit.session_id != session_id:
                raise NotFound("hit", str(hit_id))
            if row.status not in (Status.ENDED, Status.STOPPED):
                raise PreconditionFailed("SES-05", "session", f"the review follows the session; it is {row.status}")
            if hit.violation_id is None:
                violation_id, now = uuid.uuid4(), self._clock.now()
                await hits.confirm(conn, hit_id=hit_id, violation_id=violation_id)
                found = events.violation(
                    str(violation_id), session_id=str(session_id), category=domain.violation_category(hit.category),
                    severity=domain.SEVERITY_OF_GRADE[Grade(hit.grade)],
                    description=f"review by {caller.principal}: {reason} (hit {hit.term!r}, {hit.category})",
                    evidence_key=f"hits/{hit.hit_id}", at=hit.at,
                )
                await events.violation_confirmed(conn, self._events, row, found)
                await store.HISTORY.append(
                    conn, session_id, at=now, by=caller, action="violation_confirmed", changes=[("hit", str(hit_id), str(violation_id))],
                    reason=reason,
                )
            await requests.remember(conn, request_id=request_id, method="ConfirmViolation", caller=caller, outcome=str(hit_id))
            return await self._hit(conn, hit_id)

    async def hits(self, caller: Caller, session_id: uuid.UUID, *, token: str, size: int) -> tuple[list[HitRow], str]:
        async with self._pool.acquire() as conn:
            await tenancy.load_session(conn, caller, session_id)
            return await _HIT_PAGES.page(
                token=token, size=size, fetch=lambda after, limit: hits.page(conn, session_id=session_id, after=after, limit=limit),
                key=lambda h: (h.seq,),
            )

    @staticmethod
    async def _hit(conn, hit_id: uuid.UUID) -> HitRow:
        hit = await hits.get(conn, hit_id=hit_id)
        assert hit is not None
        return hit
