"""Credit archive reads, credit repair (ANC-12) and the Annex A risk report (RSK-01).

Repair approval changes the current standing (the score forgets repaired penalties by the
configured weight, the ladder forgets its streak and served suspension) but never the history:
every fact and every earlier score stays on record. Risk reports are assessed when asked, from
the facts the platform holds now and the newest attestation per point, so changing a fact
changes the next report.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import asyncpg

from livecommerce.anchor.v1 import credit_pb2
from livecommerce.common.v1 import identity_pb2
from livecommerce.runtime.clock import PLATFORM_TZ
from livecommerce.runtime.errors import AlreadyExists, FieldViolation, InvalidArgument, NotFound, PermissionDenied
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import decode_token, encode_token, page_size
from services.anchor import agencies, archive_store, events, ladder, risk, store
from services.anchor import discipline_store as dstore
from services.anchor.archive import CreditArchives, CreditRules
from services.anchor.archive_store import RepairRow, Subject
from services.anchor.commands import PLATFORM_ROLES, check_tenancy
from services.anchor.credit import (
    CreditItemKind,
    RepairStatus,
    check_observation_period,
    check_repair_application,
    check_repair_decision,
)
from services.anchor.discipline import Discipline
from services.anchor.domain import ADULT_AGE, DocumentKind, add_years, check_request_id
from services.anchor.facts import RiskLevel, SubjectKind, ViolationCategory
from services.anchor.store import ProfileCodec


def repair_pb(row: RepairRow) -> credit_pb2.CreditRepair:
    statuses = {RepairStatus.PENDING: credit_pb2.REPAIR_STATUS_PENDING, RepairStatus.APPROVED: credit_pb2.REPAIR_STATUS_APPROVED,
                RepairStatus.REJECTED: credit_pb2.REPAIR_STATUS_REJECTED}
    return credit_pb2.CreditRepair(
        repair_id=str(row.repair_id), subject=events.subject_pb(row.subject.kind.value, row.subject.id), status=statuses[row.status],
        statement=row.statement, applied_at=events.timestamp(row.applied_at), applied_by=identity_pb2.Actor(**row.applied_by),
        decided_at=events.timestamp(row.decided_at) if row.decided_at else None,
        decided_by=identity_pb2.Actor(**row.decided_by) if row.decided_by else None, reason=row.reason,
    )


class Assessments:
    def __init__(self, *, pool: asyncpg.Pool, clock, events_writer, archives: CreditArchives, discipline: Discipline, codec: ProfileCodec) -> None:
        self._pool, self._clock, self._events = pool, clock, events_writer
        self._archives, self._discipline, self._codec = archives, discipline, codec
        self._rules: CreditRules = archives.rules

    async def _check_subject(self, conn: asyncpg.Connection, caller: Caller, subject: Subject | None, *, lock: bool = False) -> Subject:
        """The subject exists and the caller may act on it (tenancy); an anchor subject's row is locked on request."""
        if subject is None:
            raise InvalidArgument([FieldViolation("subject.kind", "must be ANCHOR or AGENCY", "ANC-10")])
        if subject.kind is SubjectKind.ANCHOR:
            try:
                anchor_id = uuid.UUID(subject.id)
            except ValueError:
                raise InvalidArgument([FieldViolation("subject.id", "must be an anchor UUID", "ANC-10")]) from None
            row = await store.get(conn, anchor_id=anchor_id, for_update=lock)
            if row is None:
                raise NotFound("anchor", subject.id, rule="ANC-10")
            check_tenancy(caller, row)
            return Subject(SubjectKind.ANCHOR, str(anchor_id))
        if not await agencies.exists(conn, agency_id=subject.id):
            raise NotFound("agency", subject.id, rule="ANC-10")
        if caller.role not in PLATFORM_ROLES and not (caller.role == "agency" and caller.tenant == subject.id):
            raise PermissionDenied(f"{caller.role} {caller.tenant or caller.principal} may not read agency {subject.id}'s credit")
        return subject

    # -- the archive (ANC-10)

    async def archive(self, caller: Caller, subject: Subject | None):
        async with self._pool.acquire() as conn:
            subject = await self._check_subject(conn, caller, subject)
            return subject, await self._archives.current(conn, subject)

    async def history(self, caller: Caller, subject: Subject | None, *, token: str, size: int) -> tuple[list, str]:
        after_seq = decode_token(token, field="page.page_token", parse=lambda p: int(p["seq"])) or 0
        limit = page_size(size)
        async with self._pool.acquire() as conn:
            subject = await self._check_subject(conn, caller, subject)
            rows = await archive_store.history_page(conn, subject, after_seq=after_seq, limit=limit + 1)
        return rows[:limit], encode_token({"seq": rows[limit - 1]["seq"]}) if len(rows) > limit else ""

    async def warnings(self, caller: Caller, subject: Subject | None, *, token: str, size: int) -> tuple[list, str]:
        """RSK-02: an agency sees its own and its anchors' warnings, an anchor its own, officers all."""
        after_seq = decode_token(token, field="page.page_token", parse=lambda p: int(p["seq"])) or 0
        limit = page_size(size)
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
            elif caller.role not in PLATFORM_ROLES:
                raise PermissionDenied(f"{caller.role} may not list credit warnings")
            rows = await archive_store.warnings_page(conn, subject=subject, agency_id=agency_id, after_seq=after_seq, limit=limit + 1)
        return rows[:limit], encode_token({"seq": rows[limit - 1]["seq"]}) if len(rows) > limit else ""

    # -- repair (ANC-12)

    async def apply_for_repair(self, caller: Caller, subject: Subject | None, *, statement: str, request_id: str) -> RepairRow:
        check_request_id(request_id)
        now = self._clock.now()
        async with self._events.transaction(self._pool) as conn:
            subject = await self._check_subject(conn, caller, subject, lock=True)
            if request_id and (done := await archive_store.repair_by_request(conn, subject, request_id=request_id)):
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
                        conn, subject, repair_id=uuid.uuid4(), request_id=request_id or None, statement=statement.strip(), at=now, by=caller
                    )
            except asyncpg.UniqueViolationError:
                raise AlreadyExists("credit repair", "an application is already pending for this subject", rule="ANC-12") from None
            await events.repair_applied(conn, self._events, repair=repair_pb(repair))
            return repair

    async def decide_repair(self, caller: Caller, repair_id: str, *, approve: bool | None, reason: str) -> tuple[RepairRow, Subject]:
        try:
            parsed = uuid.UUID(repair_id)
        except ValueError:
            raise InvalidArgument([FieldViolation("repair_id", "must be a UUID", "ANC-12")]) from None
        async with self._events.transaction(self._pool) as conn:
            found = await archive_store.get_repair(conn, repair_id=parsed, for_update=True)
            check_repair_decision(status=found.status if found else None, approve=approve, reason=reason)
            subject = await self._check_subject(conn, caller, found.subject, lock=True)
            now = self._clock.now()
            status = RepairStatus.APPROVED if approve else RepairStatus.REJECTED
            repair = await archive_store.decide_repair(conn, repair_id=parsed, status=status, reason=reason, at=now, by=caller)
            if approve:
                # ANC-12: the clean period must still hold now; a violation since the application breaks it.
                facts = await self._archives.facts(conn, subject)
                check_observation_period(now=now, facts=facts, observation_days=self._rules.repair_observation_days)
                await self._archives.refresh(conn, subject, at=now, cause="repair", detail=f"credit repair {repair_id} approved", repaired_at=now)
                if subject.kind is SubjectKind.ANCHOR:
                    anchor = await store.get(conn, anchor_id=uuid.UUID(subject.id))
                    state = await dstore.get_standing(conn, anchor_id=anchor.anchor_id)
                    await self._discipline.take_step(conn, caller, anchor, ladder.repair(state, at=now.astimezone(PLATFORM_TZ)))
            await events.repair_decided(conn, self._events, repair=repair_pb(repair))
            return repair, subject

    async def repairs(self, caller: Caller, subject: Subject | None) -> list[RepairRow]:
        async with self._pool.acquire() as conn:
            subject = await self._check_subject(conn, caller, subject)
            return await archive_store.list_repairs(conn, subject)

    # -- Annex A (RSK-01)

    async def attest(self, caller: Caller, subject: Subject | None, *, number: int, level: RiskLevel | None, note: str) -> risk.PointAssessment:
        risk.check_attestation(number=number, level=level, note=note)
        async with self._pool.acquire() as conn, conn.transaction():
            subject = await self._check_subject(conn, caller, subject)
            await archive_store.add_attestation(conn, subject, number=number, level=level, note=note.strip(), at=self._clock.now(), by=caller)
            report = await self._assess(conn, subject)
        return report.points[number - 1]

    async def report(self, caller: Caller, subject: Subject | None) -> risk.RiskReport:
        async with self._pool.acquire() as conn:
            subject = await self._check_subject(conn, caller, subject)
            return await self._assess(conn, subject)

    async def _assess(self, conn: asyncpg.Connection, subject: Subject) -> risk.RiskReport:
        now = self._clock.now()
        since = now - timedelta(days=self._rules.risk_window_days)
        attestations = {
            r["point_number"]: risk.Attestation(RiskLevel(r["level"]), r["note"], actor_json_principal(r["attested_by"]), r["attested_at"])
            for r in await archive_store.latest_attestations(conn, subject)
        }
        archive, facts, _, _, _ = await self._archives.current(conn, subject)
        orders, returns = (archive.orders, archive.returns) if archive else (0, 0)
        enough = orders >= self._rules.warnings.min_orders_for_return_rate
        complaints = sum(1 for i in facts.items if i.kind is CreditItemKind.UPHELD_COMPLAINT and i.at >= since)
        common = dict(
            subject_kind=subject.kind, subject_id=subject.id, upheld_complaints=complaints,
            # Returns can outrun orders (events of one order arrive out of order, or its order predates
            # the docking); a rate above 1 is still "every order came back", not a broken report.
            return_rate=min(1.0, returns / orders) if enough else None, attestations=attestations,
        )
        today = now.astimezone(PLATFORM_TZ).date()
        if subject.kind is SubjectKind.ANCHOR:
            anchor_id = uuid.UUID(subject.id)
            row = await store.get(conn, anchor_id=anchor_id)
            minor = row.date_of_birth > add_years(today, -ADULT_AGE)
            return risk.assess(
                risk.RiskFacts(
                    **common,
                    violations=await _violation_counts(conn, "anchor_id = $1", anchor_id, since),
                    approved_file=row.approved_version is not None,
                    onboarding_trained=await store.onboarding_passed(conn, anchor_id=anchor_id, by=now),
                    minor=minor,
                    guardian_consent_on_file=await self._consent_on_file(conn, row) if minor else None,
                    digital_human=row.digital_human,
                ),
                now=now,
            )
        anchors = await conn.fetch("SELECT anchor_id FROM anchors WHERE agency_id = $1", subject.id)
        rows = [await store.get(conn, anchor_id=a["anchor_id"]) for a in anchors]
        trained = [await store.onboarding_passed(conn, anchor_id=r.anchor_id, by=now) for r in rows]
        minors = [r for r in rows if r.date_of_birth > add_years(today, -ADULT_AGE)]
        return risk.assess(
            risk.RiskFacts(
                **common,
                violations=await _violation_counts(
                    conn, "anchor_id IN (SELECT anchor_id FROM anchors WHERE agency_id = $1)", subject.id, since
                ),
                anchors=len(rows),
                anchors_approved=sum(r.approved_version is not None for r in rows),
                anchors_trained=sum(trained),
                minors_without_consent=sum([not await self._consent_on_file(conn, r) for r in minors]),
                valid_credit_code=True,  # checked against GB 32100 at registration
            ),
            now=now,
        )

    async def _consent_on_file(self, conn: asyncpg.Connection, row: store.AnchorRow) -> bool:
        """ANC-04: the approved file holds the guardian's identity and written consent."""
        if row.approved_version is None:
            return False
        version = await store.get_version(conn, anchor_id=row.anchor_id, version=row.approved_version)
        profile = self._codec.open(version.profile_sealed, anchor_id=row.anchor_id, version=version.version)
        return profile.guardian is not None and profile.has_document(DocumentKind.GUARDIAN_CONSENT)


def actor_json_principal(actor: str) -> str:
    return json.loads(actor).get("principal", "")


async def _violation_counts(conn: asyncpg.Connection, where: str, key, since: datetime) -> dict[ViolationCategory, int]:
    rows = await conn.fetch(
        f"SELECT category, count(*) AS n FROM violations WHERE {where} AND recorded_at >= $2 GROUP BY category", key, since
    )
    return {ViolationCategory(r["category"]): r["n"] for r in rows}
