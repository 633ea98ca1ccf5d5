"""What the anchor service does when another service's event arrives (architecture.md, Events).

- session: a session ended, with its violations (ANC-06, ANC-07), or a violation was confirmed
  after it ended; the same use cases as the DisciplineService API.
- complaint: an upheld complaint counts in the anchor's and its agency's archives (CMP-04, ANC-10).
- trade: completed orders and returns give the return rate (TRD-06, ANC-10).

Handlers run in the consumer's transaction, whose inbox row makes a redelivery harmless. An event
the rules refuse (an unknown anchor, a session recorded twice) is logged and acknowledged: it
cannot succeed on redelivery, and its producer's outbox still holds it for replay once mended.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC

import asyncpg

from livecommerce.common.v1 import envelope_pb2
from livecommerce.complaint.v1 import events_pb2 as complaint_events
from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.errors import DomainError
from livecommerce.runtime.service import Runtime
from livecommerce.session.v1 import events_pb2 as session_events
from livecommerce.trade.v1 import events_pb2 as trade_events
from services.anchor import store
from services.anchor.api_discipline import violation_report
from services.anchor.archive import CreditArchives, subjects_of
from services.anchor.archive_store import Subject
from services.anchor.commands import parse_anchor_id, system_actor
from services.anchor.conduct import SessionOutcome, check_outcome, check_violation
from services.anchor.credit import CreditItemKind
from services.anchor.discipline import Discipline
from services.anchor.facts import SubjectKind

log = logging.getLogger(__name__)

CONSUMED = ("session", "complaint", "trade")


class Intake:
    def __init__(self, *, clock, discipline: Discipline, archives: CreditArchives) -> None:
        self._clock, self._discipline, self._archives = clock, discipline, archives
        self._handlers: dict[str, tuple[type, Callable[[asyncpg.Connection, object], Awaitable[None]]]] = {
            "livecommerce.session.v1.SessionEnded": (session_events.SessionEnded, self._session_ended),
            "livecommerce.session.v1.SessionViolationConfirmed": (session_events.SessionViolationConfirmed, self._violation_confirmed),
            "livecommerce.complaint.v1.ComplaintUpheld": (complaint_events.ComplaintUpheld, self._complaint_upheld),
            "livecommerce.trade.v1.OrderCompleted": (trade_events.OrderCompleted, self._order_completed),
            "livecommerce.trade.v1.ReturnCompleted": (trade_events.ReturnCompleted, self._return_completed),
        }

    def consumers(self, runtime: Runtime) -> list[EventConsumer]:
        settings = runtime.settings
        return [
            EventConsumer(
                pool=runtime.pool, js=runtime.js, name=f"anchor-from-{source}", stream=settings.stream_for(source),
                subject=f"{settings.subject_root}.{source}.>", handler=self.handle,
            )
            for source in CONSUMED
        ]

    async def handle(self, conn: asyncpg.Connection, envelope: envelope_pb2.EventEnvelope) -> None:
        known = self._handlers.get(envelope.type)
        if known is None:
            return  # another service's event this one has no use for
        message_type, handler = known
        payload = message_type()
        envelope.payload.Unpack(payload)
        try:
            async with conn.transaction():  # a refusal undoes its own partial writes only
                await handler(conn, payload)
        except DomainError as refusal:
            log.error("event %s (%s) refused, acknowledged without effect: %s", envelope.id, envelope.type, refusal)

    async def _anchor(self, conn: asyncpg.Connection, anchor_id: str) -> store.AnchorRow | None:
        try:
            return await store.get(conn, anchor_id=uuid.UUID(anchor_id))
        except ValueError:
            return None

    async def _session_ended(self, conn: asyncpg.Connection, event: session_events.SessionEnded) -> None:
        outcome = SessionOutcome(
            session_id=event.session_id,
            started_at=event.started_at.ToDatetime(tzinfo=UTC) if event.HasField("started_at") else None,
            ended_at=event.ended_at.ToDatetime(tzinfo=UTC) if event.HasField("ended_at") else None,
            violations=tuple(violation_report(v.report) for v in event.violations),
        )
        check_outcome(outcome, now=self._clock.now())
        await self._discipline.apply_session(
            conn, system_actor("session"), parse_anchor_id(event.anchor_id), outcome, choice=None,
            violation_keys=[f"session:{v.violation_id}" for v in event.violations],
        )

    async def _violation_confirmed(self, conn: asyncpg.Connection, event: session_events.SessionViolationConfirmed) -> None:
        report = violation_report(event.violation.report)
        check_violation(report, session_id=event.session_id, now=self._clock.now())
        await self._discipline.apply_violation(
            conn, system_actor("session"), parse_anchor_id(event.anchor_id), event.session_id, report, choice=None,
            key=f"session:{event.violation.violation_id}",
        )

    async def _complaint_upheld(self, conn: asyncpg.Connection, event: complaint_events.ComplaintUpheld) -> None:
        """CMP-04: the complaint counts against the anchor and the agency it names (or the anchor's agency)."""
        anchor = await self._anchor(conn, event.anchor_id) if event.anchor_id else None
        subjects = subjects_of(str(anchor.anchor_id), anchor.agency_id) if anchor else []
        if event.agency_id and Subject(SubjectKind.AGENCY, event.agency_id) not in subjects:
            subjects.append(Subject(SubjectKind.AGENCY, event.agency_id))
        at = event.upheld_at.ToDatetime(tzinfo=UTC) if event.HasField("upheld_at") else self._clock.now()
        await self._archives.record(
            conn, subjects, kind=CreditItemKind.UPHELD_COMPLAINT, at=at, source=f"complaint:{event.complaint_id}",
            cause="upheld_complaint", detail=f"complaint {event.complaint_id} upheld ({event.category or 'uncategorised'})",
        )

    async def _order_completed(self, conn: asyncpg.Connection, event: trade_events.OrderCompleted) -> None:
        await self._count(conn, event.anchor_id, orders=1, returns=0, detail=f"order {event.order_id} completed")

    async def _return_completed(self, conn: asyncpg.Connection, event: trade_events.ReturnCompleted) -> None:
        await self._count(conn, event.anchor_id, orders=0, returns=1, detail=f"order {event.order_id} returned")

    async def _count(self, conn: asyncpg.Connection, anchor_id: str, *, orders: int, returns: int, detail: str) -> None:
        """TRD-06: orders and returns of an anchor we keep an archive for; others' are not ours to count."""
        anchor = await self._anchor(conn, anchor_id)
        if anchor is None:
            return
        await self._archives.count_trade(
            conn, subjects_of(str(anchor.anchor_id), anchor.agency_id), orders=orders, returns=returns, at=self._clock.now(), detail=detail
        )
