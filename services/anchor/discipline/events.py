"""Events of anchor discipline (architecture.md, Events): what it publishes (a violation recorded,
a sanction imposed or expired, the regulator notified) and what it does when the session
service's events arrive (ANC-06, ANC-07).

- `SessionEnded`: a session with every violation found in it, the same use case as
  `RecordSessionOutcome`;
- `SessionViolationConfirmed`: one violation found after the session, as `RecordViolation`.
The session's violation ids key the violations, so a redelivered event adds nothing.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import asyncpg

from livecommerce.anchor.v1 import events_pb2
from livecommerce.runtime.clock import Clock
from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import read, stamp
from livecommerce.session.v1 import events_pb2 as session_events
from services.anchor.convert import CATEGORIES_PB, CHOICES_PB, SEVERITIES_PB, STANDINGS_PB, parse_anchor_id, violation_report
from services.anchor.discipline.domain import SessionOutcome, check_outcome, check_violation
from services.anchor.discipline.store import ChangeRow, ViolationRow
from services.anchor.tenancy import system_actor

if TYPE_CHECKING:  # the use cases publish through this module's builders
    from services.anchor.discipline.commands import Discipline


async def violation_recorded(conn: asyncpg.Connection, events: EventWriter, *, violation: ViolationRow, agency_id: str) -> None:
    payload = events_pb2.ViolationRecorded(
        violation_id=str(violation.violation_id), anchor_id=str(violation.anchor_id), agency_id=agency_id,
        session_id=violation.session_id, category=CATEGORIES_PB[violation.category.value],
        severity=SEVERITIES_PB[violation.severity.value], occurred_at=stamp(violation.occurred_at),
    )
    await events.add(conn, noun="violation", verb="recorded", payload=payload, subject_id=str(violation.anchor_id))


async def sanction_imposed(conn: asyncpg.Connection, events: EventWriter, *, change: ChangeRow, agency_id: str) -> None:
    payload = events_pb2.SanctionImposed(
        change_id=str(change.change_id), anchor_id=str(change.anchor_id), agency_id=agency_id,
        standing=STANDINGS_PB[change.after.value], rule_id=change.rule_id, starts_at=stamp(change.at),
        until=stamp(change.until), choice=CHOICES_PB[change.choice.value if change.choice else None],
        choice_was_default=change.choice_was_default, session_id=change.session_id or "", reason=change.reason,
    )
    await events.add(conn, noun="sanction", verb="imposed", payload=payload, subject_id=str(change.anchor_id))


async def sanction_expired(conn: asyncpg.Connection, events: EventWriter, *, change: ChangeRow) -> None:
    payload = events_pb2.SanctionExpired(
        change_id=str(change.change_id), anchor_id=str(change.anchor_id), standing_before=STANDINGS_PB[change.before.value],
        expired_at=stamp(change.at),
    )
    await events.add(conn, noun="sanction", verb="expired", payload=payload, subject_id=str(change.anchor_id))


async def regulator_notified(conn: asyncpg.Connection, events: EventWriter, *, notification_id: uuid.UUID, change: ChangeRow) -> None:
    payload = events_pb2.RegulatorNotified(
        notification_id=str(notification_id), anchor_id=str(change.anchor_id), change_id=str(change.change_id), rule_id=change.rule_id
    )
    await events.add(conn, noun="regulator", verb="notified", payload=payload, subject_id=str(change.anchor_id))



class SessionEventHandlers:
    """Handlers of the session service's events; each runs in the consumer's transaction."""

    def __init__(self, *, clock: Clock, discipline: Discipline) -> None:
        self._clock, self._discipline = clock, discipline

    def handlers(self) -> dict:
        """Event type -> (payload message, handler)."""
        return {
            "livecommerce.session.v1.SessionEnded": (session_events.SessionEnded, self.session_ended),
            "livecommerce.session.v1.SessionViolationConfirmed": (session_events.SessionViolationConfirmed, self.violation_confirmed),
        }

    async def session_ended(self, conn: asyncpg.Connection, event: session_events.SessionEnded) -> None:
        outcome = SessionOutcome(
            session_id=event.session_id,
            started_at=read(event, "started_at"),
            ended_at=read(event, "ended_at"),
            violations=tuple(violation_report(v.report) for v in event.violations),
        )
        check_outcome(outcome, now=self._clock.now())
        await self._discipline.apply_session(
            conn, system_actor("session"), parse_anchor_id(event.anchor_id), outcome, choice=None,
            violation_keys=[f"session:{v.violation_id}" for v in event.violations],
        )

    async def violation_confirmed(self, conn: asyncpg.Connection, event: session_events.SessionViolationConfirmed) -> None:
        report = violation_report(event.violation.report)
        check_violation(report, session_id=event.session_id, now=self._clock.now())
        await self._discipline.apply_violation(
            conn, system_actor("session"), parse_anchor_id(event.anchor_id), event.session_id, report, choice=None,
            key=f"session:{event.violation.violation_id}",
        )
