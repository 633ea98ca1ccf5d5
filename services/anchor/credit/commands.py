"""Credit archive reads, credit repair (ANC-12) and the Annex A risk report (RSK-01).

Repair approval changes the current standing (the score forgets repaired penalties by the
configured weight, the ladder forgets its streak and served suspension) but never the history:
every fact and every earlier score stays on record. Risk reports are assessed when asked, from
the facts the platform holds now and the newest attestation per point, so changing a fact
changes the next report.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import asyncpg

from livecommerce.runtime.clock import PLATFORM_TZ, platform_date
from livecommerce.runtime.errors import AlreadyExists, FieldViolation, InvalidArgument, NotFound, PermissionDenied
from livecommerce.runtime.formats import parse_uuid
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.unit_of_work import UnitOfWork
from services.anchor import tenancy
from services.anchor.agencies import store as agencies
from services.anchor.credit import events, risk
from services.anchor.credit import store as archive_store
from services.anchor.credit.archives import CreditArchives, CreditRules
from services.anchor.credit.domain import (
    CreditItemKind,
    RepairStatus,
    Subject,
    check_observation_period,
    check_repair_application,
    check_repair_decision,
)
from services.anchor.credit.store import CreditHistoryRow, RepairRow, WarningRow
from services.anchor.discipline import ladder
from services.anchor.discipline import store as dstore
from services.anchor.discipline.commands import Discipline
from services.anchor.files import store
from services.anchor.files.codec import ProfileCodec
from services.anchor.files.domain import ADULT_AGE, DocumentKind, add_years
from services.anchor.vocabulary import RiskLevel, SubjectKind, check_request_id

_HISTORY_PAGES = Keyset(int)  # credit history sequence number
_WARNING_PAGES = Keyset(int)  # warning sequence number


class Assessments:
    def __init__(self, *, uow: UnitOfWork, clock, events_writer, archives: CreditArchives, discipline: Discipline, codec: ProfileCodec) -> None:
        self._uow, self._pool, self._clock, self._events = uow, uow.pool, clock, events_writer
        self._archives, self._discipline, self._codec = archives, discipline, codec
        self._rules: CreditRules = archives.rules

    async def _check_subject(self, conn: asyncpg.Connection, caller: Caller, subject: Subject | None, *, lock: bool = False) -> Subject:
        """The subject exists and the caller may act on it (tenancy); an anchor subject's row is locked on request."""
        if subject is None:
            raise InvalidArgument([FieldViolation("subject.kind", "must be ANCHOR or AGENCY", "ANC-10")])
        if subject.kind is SubjectKind.ANCHOR:
            anchor_id = parse_uuid(subject.id, "subject.id", "must be an anchor UUID", "ANC-10")
            await tenancy.load_anchor(conn, caller, anchor_id, for_update=lock, rule="ANC-10")
            return Subject(SubjectKind.ANCHOR, str(anchor_id))
        tenancy.check_agency(caller, subject.id, exists=await agencies.exists(conn, agency_id=subject.id), rule="ANC-10")
        return subject

    # -- the archive (ANC-10)

    async def archive(self, caller: Caller, subject: Subject | None):
        async with self._pool.acquire() as conn:
            subject = await self._check_subject(conn, caller, subject)
            return subject, await self._archives.current(conn, subject)

    async def history(self, caller: Caller, subject: Subject | None, *, token: str, size: int) -> tuple[list[CreditHistoryRow], str]:
        async with self._pool.acquire() as conn:
            subject = await self._check_subject(conn, caller, subject)
            return await _HISTORY_PAGES.page(
                token=token, size=size, key=lambda row: (row.seq,),
                fetch=lambda after, limit: archive_store.history_page(
                    conn, subject=subject, after_seq=after[0] if after else 0, limit=limit
                ),
            )

    async def warnings(self, caller: Caller, subject: Subject | None, *, token: str, size: int) -> tuple[list[WarningRow], str]:
        """RSK-02: an agency sees its own and its anchors' warnings, an anchor its own, officers all."""
        async with self._pool.acquire() as conn:
            agency_id = None
            if subject is not None:
                subject = await self._check_subject(conn, caller, subject)
            elif caller.role == "agency":
                # An agency id of '' would match every anchor signed with no agency.
                if not caller.tenant:
                    raise PermissionDenied("an agency identity without an agency id may not list credit warnings")
                agency_id = caller.tenant
            elif caller.role == "anchor":
                subject = await self._check_subject(conn, caller, Subject(SubjectKind.ANCHOR, caller.tenant))
            else:
                tenancy.check_platform_role(caller, "list credit warnings")
            return await _WARNING_PAGES.page(
                token=token, size=size, key=lambda row: (row.seq,),
                fetch=lambda after, limit: archive_store.warnings_page(
                    conn, subject=subject, agency_id=agency_id, after_seq=after[0] if after else 0, limit=limit
                ),
            )

    # -- repair (ANC-12)

    async def apply_for_repair(self, caller: Caller, subject: Subject | None, *, statement: str, request_id: str) -> RepairRow:
        check_request_id(request_id)
        now = self._clock.now()
        async with self._uow.transaction() as conn:
            subject = await self._check_subject(conn, caller, subject, lock=True)
            if (done := await archive_store.repair_by_request(conn, subject=subject, request_id=request_id)):
                return done
            in_force = final = False
            if subject.kind is SubjectKind.ANCHOR:
                standing = ladder.effective(await dstore.get_standing(conn, anchor_id=uuid.UUID(subject.id)), now=now).standing
                in_force = standing in (ladder.Standing.SUSPENDED, ladder.Standing.BANNED)
                final = standing in (ladder.Standing.TERMINATED, ladder.Standing.BLACKLISTED)
            facts = await self._archives.facts(conn, subject)
            check_repair_application(
                now=now, facts=facts, sanction_in_force=in_force, final_sanction=final,
                observation_days=self._rules.repair_observation_days, statement=statement,
            )
            try:
                async with conn.transaction():
                    repair = await archive_store.add_repair(
                        conn, subject=subject, repair_id=uuid.uuid4(), request_id=request_id, statement=statement.strip(), at=now, by=caller
                    )
            except asyncpg.UniqueViolationError:
                raise AlreadyExists("credit repair", "an application is already pending for this subject", rule="ANC-12") from None
            await events.repair_applied(conn, self._events, repair=repair)
            return repair

    async def decide_repair(
        self, caller: Caller, repair_id: str, *, approve: bool | None, reason: str, request_id: str
    ) -> tuple[RepairRow, Subject]:
        check_request_id(request_id)
        parsed = parse_uuid(repair_id, "repair_id", "must be a UUID", "ANC-12")
        async with self._uow.transaction() as conn:
            found = await archive_store.get_repair(conn, repair_id=parsed, for_update=True)
            subject = None
            if found is not None:
                try:
                    subject = await self._check_subject(conn, caller, found.subject, lock=True)
                except NotFound:
                    found = None  # PLT-04: another tenant's application reads as no application at all
            if found is not None and subject is not None and found.decision_request_id == request_id:
                return found, subject  # a retry: this request decided it
            check_repair_decision(status=found.status if found else None, approve=approve, reason=reason)
            now = self._clock.now()
            status = RepairStatus.APPROVED if approve else RepairStatus.REJECTED
            assert subject is not None  # check_repair_decision refused a missing application
            repair = await archive_store.decide_repair(
                conn, repair_id=parsed, status=status, reason=reason, at=now, by=caller, request_id=request_id
            )
            if approve:
                # ANC-12: the clean period must still hold now; a violation since the application breaks it.
                facts = await self._archives.facts(conn, subject)
                check_observation_period(now=now, facts=facts, observation_days=self._rules.repair_observation_days)
                await self._archives.refresh(conn, subject, at=now, cause="repair", detail=f"credit repair {repair_id} approved", repaired_at=now)
                if subject.kind is SubjectKind.ANCHOR:
                    anchor = await store.get_existing(conn, anchor_id=uuid.UUID(subject.id))
                    state = await dstore.get_standing(conn, anchor_id=anchor.anchor_id)
                    await self._discipline.take_step(conn, caller, anchor, ladder.repair(state, at=now.astimezone(PLATFORM_TZ)))
            await events.repair_decided(conn, self._events, repair=repair)
            return repair, subject

    async def repairs(self, caller: Caller, subject: Subject | None) -> list[RepairRow]:
        async with self._pool.acquire() as conn:
            subject = await self._check_subject(conn, caller, subject)
            return await archive_store.list_repairs(conn, subject=subject)

    # -- Annex A (RSK-01)

    async def attest(
        self, caller: Caller, subject: Subject | None, *, number: int, level: RiskLevel | None, note: str, request_id: str
    ) -> risk.PointAssessment:
        check_request_id(request_id)
        risk.check_attestation(number=number, level=level, note=note)
        assert level is not None  # check_attestation refused it otherwise
        async with self._uow.transaction() as conn:
            subject = await self._check_subject(conn, caller, subject)
            # Request ids are kept per subject, so another subject's attestation is never replayed (PLT-04).
            done = await archive_store.attestation_by_request(conn, subject=subject, request_id=request_id)
            if done is None:
                await archive_store.add_attestation(
                    conn, subject=subject, number=number, level=level, note=note.strip(), request_id=request_id,
                    at=self._clock.now(), by=caller,
                )
                done = await archive_store.attestation_by_request(conn, subject=subject, request_id=request_id)
                assert done is not None  # inserted now, or by a concurrent twin that committed first
            report = await self._assess(conn, subject)
        return report.points[done.point_number - 1]

    async def report(self, caller: Caller, subject: Subject | None) -> risk.RiskReport:
        async with self._pool.acquire() as conn:
            subject = await self._check_subject(conn, caller, subject)
            return await self._assess(conn, subject)

    async def _assess(self, conn: asyncpg.Connection, subject: Subject) -> risk.RiskReport:
        """RSK-01: the facts of one subject, gathered in a fixed number of queries (an agency's
        anchors are read together, not one by one)."""
        now = self._clock.now()
        since = now - timedelta(days=self._rules.risk_window_days)
        attestations = {
            r.point_number: risk.Attestation(r.level, r.note, r.attested_by.get("principal", ""), r.attested_at)
            for r in await archive_store.latest_attestations(conn, subject=subject)
        }
        archive, facts, _, _, _ = await self._archives.current(conn, subject)
        orders, returns = (archive.orders, archive.returns) if archive else (0, 0)
        enough = orders >= self._rules.warnings.min_orders_for_return_rate
        complaints = sum(1 for i in facts.items if i.kind is CreditItemKind.UPHELD_COMPLAINT and i.at >= since)
        common: dict[str, Any] = dict(
            subject_kind=subject.kind, subject_id=subject.id, upheld_complaints=complaints,
            # Returns can outrun orders (events of one order arrive out of order, or its order predates
            # the docking); a rate above 1 is still "every order came back", not a broken report.
            return_rate=min(1.0, returns / orders) if enough else None, attestations=attestations,
        )
        adult_born_by = add_years(platform_date(now), -ADULT_AGE)
        if subject.kind is SubjectKind.ANCHOR:
            anchor_id = uuid.UUID(subject.id)
            row = await store.get_existing(conn, anchor_id=anchor_id)
            minor = row.date_of_birth > adult_born_by
            return risk.assess(
                risk.RiskFacts(
                    **common,
                    violations=await dstore.violation_counts(conn, since=since, anchor_id=anchor_id),
                    approved_file=row.approved_version is not None,
                    onboarding_trained=await store.onboarding_passed(conn, anchor_id=anchor_id, by=now),
                    minor=minor,
                    guardian_consent_on_file=await self._consent_on_file(conn, [row]) == 1 if minor else None,
                    digital_human=row.digital_human,
                ),
                now=now,
            )
        rows = await store.list_for_agency(conn, agency_id=subject.id)
        trained = await store.onboarded(conn, anchor_ids=[r.anchor_id for r in rows], by=now)
        minors = [r for r in rows if r.date_of_birth > adult_born_by]
        return risk.assess(
            risk.RiskFacts(
                **common,
                violations=await dstore.violation_counts(conn, since=since, agency_id=subject.id),
                anchors=len(rows),
                anchors_approved=sum(r.approved_version is not None for r in rows),
                anchors_trained=len(trained),
                minors_without_consent=len(minors) - await self._consent_on_file(conn, minors),
                valid_credit_code=True,  # checked against GB 32100 at registration
            ),
            now=now,
        )

    async def _consent_on_file(self, conn: asyncpg.Connection, rows: list[store.AnchorRow]) -> int:
        """ANC-04: how many of these anchors' approved files hold the guardian's identity and written consent."""
        keys = [(r.anchor_id, r.approved_version) for r in rows if r.approved_version is not None]
        versions = await store.get_versions(conn, keys=keys) if keys else {}
        consenting = 0
        for (anchor_id, number), version in versions.items():
            profile = self._codec.open(version.profile_sealed, anchor_id=anchor_id, version=number)
            consenting += profile.guardian is not None and profile.has_document(DocumentKind.GUARDIAN_CONSENT)
        return consenting
