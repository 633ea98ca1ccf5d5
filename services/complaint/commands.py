"""Use cases of complaints, one transaction each: file (CMP-01, CMP-02, CMP-05), read, advance a
step of the workflow (CMP-03) with the credit feed of an upheld one (CMP-04), escalate what is
overdue (CMP-02, the active replica's timer)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from livecommerce.runtime import requests
from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.errors import PermissionDenied
from livecommerce.runtime.history import ChangeHistory, HistoryRow
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.merchant_tenancy import system_actor
from livecommerce.runtime.paging import Keyset, page_size
from livecommerce.runtime.service import Runtime
from services.complaint import domain, events, privacy, references, store, tenancy
from services.complaint.domain import Status
from services.complaint.rules_config import ComplaintRules

log = logging.getLogger(__name__)

HISTORY = ChangeHistory("complaint_history", "complaint_id")
_PAGES = Keyset(datetime, uuid.UUID)
_HISTORY_PAGES = Keyset(int)
ESCALATION_BATCH = 500
ESCALATOR = system_actor("complaint-escalation")


class Complaints:
    def __init__(self, runtime: Runtime, rules: ComplaintRules) -> None:
        self._runtime, self.rules = runtime, rules

    async def file(self, caller: Caller, intake: domain.Intake, *, request_id: str, method: str = "FileComplaint") -> store.ComplaintRow:
        """CMP-01: checked whole before anything is written; a retry of the request returns the
        complaint the first attempt filed."""
        requests.check_request_id(request_id)
        domain.check_intake(intake, self.rules.intake)
        assert intake.channel is not None
        tenancy.check_filer(caller, intake.channel)
        runtime = self._runtime
        async with runtime.uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method=method, caller=caller)) is not None:
                return await tenancy.load(conn, caller, uuid.UUID(done))
            now = runtime.clock.now()
            complaint_id = uuid.uuid4()
            row = store.ComplaintRow(
                complaint_id, intake.channel, intake.category, Status.RECEIVED, await references.resolve(conn, intake.concern),
                intake.description, intake.attachments, privacy.seal(runtime.cipher, complaint_id, intake.contact),
                intake.whistle_blower, intake.referral_reference, now, domain.promised_by(intake, now, self.rules), None, "", 1,
            )
            await store.insert(conn, row, received_by=actor_json(caller))
            # CMP-03 (PLT-02): the first step of the record; never the contact (CMP-05).
            await HISTORY.append(
                conn, complaint_id, at=now, by=caller, action=Status.RECEIVED.value, version=1,
                changes=[
                    ("status", "", Status.RECEIVED.value), ("channel", "", intake.channel.value), ("category", "", intake.category),
                    ("promised_feedback_by", "", row.promised_by.isoformat()),
                    *((f"concern.{k}", "", v) for k, v in row.resolved.concern.named().items()),
                    *((f"unresolved.{k}", "", "not known to this service") for k in row.resolved.unresolved),
                ],
            )
            await requests.remember(conn, request_id=request_id, method=method, caller=caller, outcome=str(complaint_id))
        log.info("complaint %s received via %s (%s)", complaint_id, intake.channel, intake.category)
        return row

    async def get(self, caller: Caller, complaint_id: uuid.UUID) -> store.ComplaintRow:
        """One complaint; when this read opens a whistle-blower's identity (a compliance officer),
        the opening is recorded first, with who opened it (CMP-05, PLT-06: access audited)."""
        async with self._runtime.pool.acquire() as conn:
            row = await tenancy.load(conn, caller, complaint_id)
        if privacy.opens_identity(caller, whistle_blower=row.whistle_blower):
            async with self._runtime.uow.transaction() as conn:
                await HISTORY.append(
                    conn, complaint_id, at=self._runtime.clock.now(), by=caller, action="reporter_identity_viewed",
                    version=row.version, reason="the whistle-blower's identity was shown (CMP-05)",
                )
        return row

    async def page(self, caller: Caller, *, status: Status | None, overdue_only: bool, token: str, size: int) -> tuple[list[store.ComplaintRow], str]:
        tenancy.check_lister(caller)
        overdue_at = self._runtime.clock.now() if overdue_only else None
        async with self._runtime.pool.acquire() as conn:
            return await _PAGES.page(
                token=token, size=size,
                fetch=lambda after, limit: store.page(conn, status=status, overdue_at=overdue_at, after=after, limit=limit),
                key=lambda row: (row.received_at, row.complaint_id),
            )

    async def advance(self, caller: Caller, complaint_id: uuid.UUID, *, to: Status | None, note: str, request_id: str) -> store.ComplaintRow:
        """CMP-03: one step of the workflow, recorded with who, when and what was said; an upheld
        complaint (resolved) is published to the credit archives in the same transaction (CMP-04)."""
        requests.check_request_id(request_id)
        runtime = self._runtime
        async with runtime.uow.transaction() as conn:
            if (await requests.replayed(conn, request_id=request_id, method="AdvanceComplaint", caller=caller)) is not None:
                return await tenancy.load(conn, caller, complaint_id)
            row = await tenancy.load(conn, caller, complaint_id, for_update=True)
            tenancy.check_worker(caller, row)
            domain.check_step(row.status, to, note)
            assert to is not None
            now = runtime.clock.now()
            advanced = await store.advance(conn, complaint_id, to=to, feedback=note if to is Status.FEEDBACK_SENT else None)
            await HISTORY.append(
                conn, complaint_id, at=now, by=caller, action=to.value, version=row.version + 1,
                changes=[("status", row.status.value, to.value)], reason=note,
            )
            if to is Status.RESOLVED:
                await events.upheld(conn, runtime.events, row, at=now)  # CMP-04
            await requests.remember(conn, request_id=request_id, method="AdvanceComplaint", caller=caller, outcome=str(complaint_id))
            return advanced

    async def history(self, caller: Caller, complaint_id: uuid.UUID, *, token: str, size: int) -> tuple[list[HistoryRow], str]:
        async with self._runtime.pool.acquire() as conn:
            row = await tenancy.load(conn, caller, complaint_id)
            if caller.role == "integration":
                raise PermissionDenied("the history of a complaint is for staff")
            after = _HISTORY_PAGES.decode(token)
            limit = page_size(size)
            rows = await HISTORY.page(conn, row.complaint_id, after_seq=after[0] if after else 0, limit=limit + 1)
        return rows[:limit], _HISTORY_PAGES.encode((rows[limit - 1].seq,)) if len(rows) > limit else ""

    async def escalate_overdue(self) -> int:
        """CMP-02: every complaint past its promised time without feedback is escalated once, by
        the clock: marked, recorded in its history and published (ComplaintEscalated)."""
        runtime, total = self._runtime, 0
        while True:
            async with runtime.uow.transaction() as conn:
                now = runtime.clock.now()
                rows = await store.escalate_due(conn, now=now, limit=ESCALATION_BATCH)
                for row in rows:
                    await HISTORY.append(
                        conn, row.complaint_id, at=now, by=ESCALATOR, action="escalated", version=row.version,
                        changes=[("escalated_at", "", now.isoformat())],
                        reason=f"no feedback by the promised {row.promised_by.isoformat()} (CMP-02)",
                    )
                await events.escalated(conn, runtime.events, rows)
            total += len(rows)
            if len(rows) < ESCALATION_BATCH:
                if total:
                    log.warning("%d complaint(s) past their promised feedback time escalated (CMP-02)", total)
                return total

