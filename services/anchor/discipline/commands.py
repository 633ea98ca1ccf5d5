"""Anchor discipline use cases (ANC-06..09): sessions and their violations in, ladder steps out.

Each use case is one transaction that locks the anchor's row first, so concurrent violations
for one anchor queue up and the ladder never skips or doubles a step. A step's transitions are
stored as standing changes, written to the anchor's history, published as events, counted in
the credit archives (ANC-10), and an ANC-08 escalation creates a regulator notification.
The same code serves the API and the session service's events.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.clock import PLATFORM_TZ
from livecommerce.runtime.errors import AlreadyExists, FieldViolation, InvalidArgument, NotFound
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.unit_of_work import UnitOfWork
from services.anchor import tenancy
from services.anchor.credit.archives import CreditArchives, subjects_of
from services.anchor.credit.domain import CreditItemKind
from services.anchor.discipline import events, ladder
from services.anchor.discipline import store as dstore
from services.anchor.discipline.domain import SessionOutcome, ViolationReport, check_outcome, check_violation
from services.anchor.discipline.ladder import EscalationChoice, LadderPolicy, LadderState, Step, TransitionKind
from services.anchor.files import store
from services.anchor.vocabulary import check_request_id

log = logging.getLogger(__name__)

# What each ladder transition puts into the credit archives (ANC-10).
_CREDIT_KIND = {
    TransitionKind.SUSPENDED: CreditItemKind.SUSPENSION,
    TransitionKind.BANNED: CreditItemKind.BAN,
    TransitionKind.TERMINATED: CreditItemKind.TERMINATION,
    TransitionKind.BLACKLISTED: CreditItemKind.BLACKLISTING,
}
MAX_REASON = 1000
MAX_NOTIFIED_VIOLATIONS = 1000
"""A regulator notification lists at most this many violations then on record."""
_VIOLATION_PAGES = Keyset(datetime, uuid.UUID)  # (recorded_at, violation_id)
_NOTIFICATION_PAGES = Keyset(int)  # notification sequence number


@dataclass(frozen=True)
class LadderResult:
    """What a call did to the anchor's standing: its state now and the changes it made."""

    anchor_id: uuid.UUID
    state: LadderState
    changes: list[dstore.ChangeRow]


class Discipline:
    def __init__(self, *, uow: UnitOfWork, clock, events_writer, archives: CreditArchives, policy: LadderPolicy) -> None:
        self._uow, self._pool, self._clock, self._events = uow, uow.pool, clock, events_writer
        self._archives, self._policy = archives, policy

    def _now(self) -> datetime:
        """Months on the ladder are calendar months in Beijing time."""
        return self._clock.now().astimezone(PLATFORM_TZ)

    async def _lock(self, conn: asyncpg.Connection, caller: Caller, anchor_id: uuid.UUID) -> store.AnchorRow:
        """The anchor's row, locked: every ladder step for one anchor queues behind this."""
        return await self._load(conn, caller, anchor_id, lock=True)

    # -- sessions and violations

    async def record_session(
        self, caller: Caller, anchor_id: uuid.UUID, outcome: SessionOutcome, *, choice: EscalationChoice | None, request_id: str
    ) -> tuple[list[dstore.ViolationRow], LadderResult]:
        check_request_id(request_id)
        check_outcome(outcome, now=self._clock.now())
        async with self._uow.transaction() as conn:
            done = await dstore.get_session(conn, session_id=outcome.session_id)
            if done and done.request_id == request_id and done.anchor_id == anchor_id:
                await self._lock(conn, caller, anchor_id)
                return await dstore.session_violations(conn, session_id=done.session_id), await self._result(conn, anchor_id, [])
            return await self.apply_session(conn, caller, anchor_id, outcome, choice=choice, request_id=request_id)

    async def apply_session(
        self, conn: asyncpg.Connection, caller: Caller, anchor_id: uuid.UUID, outcome: SessionOutcome, *,
        choice: EscalationChoice | None, request_id: str | None = None, violation_keys: list[str] | None = None,
    ) -> tuple[list[dstore.ViolationRow], LadderResult]:
        anchor = await self._lock(conn, caller, anchor_id)
        if await dstore.get_session(conn, session_id=outcome.session_id):
            raise AlreadyExists("session", f"session {outcome.session_id} is already recorded", rule="ANC-06")
        now = self._now()
        assert outcome.started_at is not None and outcome.ended_at is not None  # check_outcome refused it otherwise
        violating = bool(outcome.violations)
        await dstore.add_session(
            conn, session_id=outcome.session_id, anchor_id=anchor_id, started_at=outcome.started_at, ended_at=outcome.ended_at,
            violating=violating, request_id=request_id, at=now,
        )
        keys: list[str | None] = list(violation_keys) if violation_keys else [None] * len(outcome.violations)
        violations = [
            await self._add_violation(conn, caller, anchor, outcome.session_id, report, key, now)
            for report, key in zip(outcome.violations, keys)
        ]
        # ANC-07: the session, not each violation, is one rung; a clean session breaks the streak.
        state = await dstore.get_standing(conn, anchor_id=anchor_id)
        if violating:
            step = ladder.violating_session(state, at=now, policy=self._policy, choice=choice)
        else:
            step = ladder.clean_session(state, at=now)
        changes = await self.take_step(conn, caller, anchor, step, session_id=outcome.session_id)
        return violations, LadderResult(anchor_id, step.state, changes)

    async def record_violation(
        self, caller: Caller, anchor_id: uuid.UUID, session_id: str, report: ViolationReport, *,
        choice: EscalationChoice | None, request_id: str,
    ) -> tuple[dstore.ViolationRow, LadderResult]:
        check_request_id(request_id)
        check_violation(report, session_id=session_id, now=self._clock.now())
        async with self._uow.transaction() as conn:
            key = f"request:{anchor_id}:{request_id}"
            return await self.apply_violation(conn, caller, anchor_id, session_id, report, choice=choice, key=key)

    async def apply_violation(
        self, conn: asyncpg.Connection, caller: Caller, anchor_id: uuid.UUID, session_id: str, report: ViolationReport, *,
        choice: EscalationChoice | None, key: str | None,
    ) -> tuple[dstore.ViolationRow, LadderResult]:
        anchor = await self._lock(conn, caller, anchor_id)
        if key and (done := await dstore.violation_by_key(conn, source_key=key)):
            return done, await self._result(conn, anchor_id, [])
        session = await dstore.get_session(conn, session_id=session_id)
        if session is None or session.anchor_id != anchor_id:
            raise NotFound("session", f"{session_id} of anchor {anchor_id}", rule="ANC-06")
        now = self._now()
        violation = await self._add_violation(conn, caller, anchor, session_id, report, key, now)
        changes: list[dstore.ChangeRow] = []
        state = await dstore.get_standing(conn, anchor_id=anchor_id)
        if not session.violating:
            # A clean session turned out to have a violation (post-session review): it is a rung now.
            await dstore.mark_violating(conn, session_id=session_id)
            step = ladder.violating_session(state, at=now, policy=self._policy, choice=choice)
            changes = await self.take_step(conn, caller, anchor, step, session_id=session_id)
            state = step.state
        return violation, LadderResult(anchor_id, state, changes)

    async def _add_violation(
        self, conn: asyncpg.Connection, caller: Caller, anchor: store.AnchorRow, session_id: str,
        report: ViolationReport, key: str | None, now: datetime,
    ) -> dstore.ViolationRow:
        """ANC-06: the violation on record, in the history, as an event and in the credit archives."""
        assert report.category is not None and report.severity is not None  # check_violation refused it otherwise
        violation = await dstore.add_violation(
            conn, violation_id=uuid.uuid4(), anchor_id=anchor.anchor_id, session_id=session_id, source_key=key,
            report=report, at=now, by=caller,
        )
        await store.append_history(
            conn, anchor_id=anchor.anchor_id, at=now, by=caller, action="violation_recorded",
            changes=[("violation", "", f"{report.category.value}:{report.severity.value}:{session_id}")],
            reason=report.description,
        )
        await events.violation_recorded(conn, self._events, violation=violation, agency_id=anchor.agency_id)
        await self._archives.record(
            conn, subjects_of(str(anchor.anchor_id), anchor.agency_id), kind=CreditItemKind.VIOLATION, at=now,
            source=str(violation.violation_id), cause="violation", detail=f"{report.category.value} ({report.severity.value})",
            severity=report.severity, category=report.category,
        )
        return violation

    # -- the ladder

    async def take_step(
        self, conn: asyncpg.Connection, caller: Caller, anchor: store.AnchorRow, step: Step, *, session_id: str | None = None,
        request_id: str | None = None,
    ) -> list[dstore.ChangeRow]:
        """Stores the ladder's new state and everything each transition requires."""
        now = self._now()
        await dstore.save_standing(conn, anchor_id=anchor.anchor_id, state=step.state, at=now)
        changes = []
        for transition in step.transitions:
            change = await dstore.add_change(
                conn, change_id=uuid.uuid4(), anchor_id=anchor.anchor_id, transition=transition, session_id=session_id, by=caller,
                request_id=request_id,
            )
            changes.append(change)
            await store.append_history(
                conn, anchor_id=anchor.anchor_id, at=now, by=caller, action=f"standing_{transition.kind.value}",
                changes=[("standing", transition.before.value, transition.after.value)],
                reason=f"{transition.rule_id}: {transition.reason}",
            )
            if transition.kind is TransitionKind.EXPIRED:
                await events.sanction_expired(conn, self._events, change=change)
            elif transition.kind in _CREDIT_KIND:
                await events.sanction_imposed(conn, self._events, change=change, agency_id=anchor.agency_id)
                await self._archives.record(
                    conn, subjects_of(str(anchor.anchor_id), anchor.agency_id), kind=_CREDIT_KIND[transition.kind],
                    at=now, source=str(change.change_id), cause=transition.kind.value, detail=transition.reason,
                )
            if transition.notify_regulator:
                # ANC-08: the anchor's record goes to the market regulator with the escalation.
                notification_id = uuid.uuid4()
                await dstore.add_notification(
                    conn, notification_id=notification_id, anchor_id=anchor.anchor_id, change_id=change.change_id, at=now
                )
                await events.regulator_notified(conn, self._events, notification_id=notification_id, change=change)
        return changes

    async def blacklist(self, caller: Caller, anchor_id: uuid.UUID, *, reason: str, request_id: str) -> LadderResult:
        check_request_id(request_id)
        if not reason.strip() or len(reason) > MAX_REASON:
            raise InvalidArgument([FieldViolation("reason", f"is required, at most {MAX_REASON} characters", "ANC-09")])
        async with self._uow.transaction() as conn:
            anchor = await self._lock(conn, caller, anchor_id)
            if (done := await dstore.changes_by_request(conn, anchor_id=anchor_id, request_id=request_id)):
                return await self._result(conn, anchor_id, done)
            step = ladder.blacklist(await dstore.get_standing(conn, anchor_id=anchor_id), at=self._now(), reason=reason)
            return LadderResult(anchor_id, step.state, await self.take_step(conn, caller, anchor, step, request_id=request_id))

    async def expire_due(self, actor: Caller) -> int:
        """ANC-09: sanctions whose end has come are lifted, one transaction per anchor."""
        now = self._now()
        async with self._pool.acquire() as conn:
            due = await dstore.due_for_expiry(conn, now=now)
        for anchor_id in due:
            async with self._uow.transaction() as conn:
                anchor = await store.get_existing(conn, anchor_id=anchor_id, for_update=True)
                step = ladder.expire(await dstore.get_standing(conn, anchor_id=anchor_id), now=now)
                if step.transitions:
                    await self.take_step(conn, actor, anchor, step)
        return len(due)

    # -- reads

    async def _result(self, conn: asyncpg.Connection, anchor_id: uuid.UUID, changes: list) -> LadderResult:
        state = ladder.effective(await dstore.get_standing(conn, anchor_id=anchor_id), now=self._now())
        return LadderResult(anchor_id, state, changes)

    async def standing(self, caller: Caller, anchor_id: uuid.UUID) -> LadderResult:
        async with self._pool.acquire() as conn:
            await self._load(conn, caller, anchor_id)
            return await self._result(conn, anchor_id, [])

    async def changes(self, caller: Caller, anchor_id: uuid.UUID) -> list[dstore.ChangeRow]:
        async with self._pool.acquire() as conn:
            await self._load(conn, caller, anchor_id)
            return await dstore.list_changes(conn, anchor_id=anchor_id)

    async def violations(self, caller: Caller, anchor_id: uuid.UUID, *, token: str, size: int) -> tuple[list[dstore.ViolationRow], str]:
        async with self._pool.acquire() as conn:
            await self._load(conn, caller, anchor_id)
            return await _VIOLATION_PAGES.page(
                token=token, size=size, key=lambda row: (row.recorded_at, row.violation_id),
                fetch=lambda after, limit: dstore.violations_page(conn, anchor_id=anchor_id, after=after, limit=limit),
            )

    async def notifications(self, caller: Caller, *, anchor_id: uuid.UUID | None, token: str, size: int) -> tuple[list, str]:
        """ANC-08: what went to the regulator, each with the change and the violations then on record.
        Three queries per page, however many notifications it holds."""
        tenancy.check_platform_role(caller, "read regulator notifications")
        async with self._pool.acquire() as conn:
            rows, next_token = await _NOTIFICATION_PAGES.page(
                token=token, size=size, key=lambda row: (row.seq,),
                fetch=lambda after, limit: dstore.notifications_page(conn, anchor_id=anchor_id, after_seq=after[0] if after else 0, limit=limit),
            )
            if not rows:
                return [], next_token
            changes = await dstore.get_changes(conn, change_ids=[r.change_id for r in rows])
            recorded = await dstore.violations_of(
                conn, anchor_ids=list({r.anchor_id for r in rows}), until=max(r.created_at for r in rows)
            )
        found = []
        for row in rows:
            then = [v for v in recorded if v.anchor_id == row.anchor_id and v.recorded_at <= row.created_at]
            found.append((row, changes[row.change_id], then[:MAX_NOTIFIED_VIOLATIONS]))
        return found, next_token

    @staticmethod
    async def _load(conn: asyncpg.Connection, caller: Caller, anchor_id: uuid.UUID, *, lock: bool = False) -> store.AnchorRow:
        return await tenancy.load_anchor(conn, caller, anchor_id, for_update=lock, rule="ANC-06")
