"""Use cases of anchors' registration files (ANC-01..05, PLT-02, PLT-06): register, revise,
review, record training, read, list and check go-live eligibility. Each write is one transaction
of domain checks, store writes, history and outbox events, so a change, its history entry and
its event commit together or not at all. Who may act on which anchor is `tenancy`'s.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import asyncpg

from livecommerce.runtime.clock import platform_date
from livecommerce.runtime.errors import Aborted, AlreadyExists, FieldViolation, InvalidArgument, NotFound, PermissionDenied
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from services.anchor import tenancy
from services.anchor.agencies import store as agencies
from services.anchor.credit.archives import CreditArchives, subjects_of
from services.anchor.credit.domain import CreditItemKind
from services.anchor.discipline import ladder
from services.anchor.discipline import store as discipline_store
from services.anchor.files import domain, events, privacy, store
from services.anchor.files.codec import ProfileCodec
from services.anchor.files.domain import Block, Document, Profile, ReviewDecision, TrainingKind, VersionStatus
from services.anchor.vocabulary import check_request_id

DIGITAL_HUMAN_LABEL = "数字 AI 直播"
_ANCHOR_PAGES = Keyset(datetime, uuid.UUID)  # (registered_at, anchor_id), newest first
_HISTORY_PAGES = Keyset(int)  # history sequence number


@dataclass(frozen=True)
class AnchorView:
    row: store.AnchorRow
    profile: Profile
    latest_status: VersionStatus
    pii_visible: bool


@dataclass(frozen=True)
class Eligibility:
    blocks: list[Block]
    checked_at: datetime
    digital_human: bool
    room_labels: list[str]


@dataclass(frozen=True)
class VersionView:
    row: store.VersionRow
    profile: Profile


class Anchors:
    def __init__(self, runtime: Runtime, archives: CreditArchives) -> None:
        self._uow, self._pool = runtime.uow, runtime.pool
        self._clock = runtime.clock
        self._events = runtime.events
        self._codec = ProfileCodec(runtime.cipher)
        self._archives = archives

    @staticmethod
    async def _check_agency(conn: asyncpg.Connection, agency_id: str) -> None:
        """An anchor's agency is a registered one: who answers for the anchor is on file."""
        if agency_id and not await agencies.exists(conn, agency_id=agency_id):
            raise InvalidArgument([FieldViolation("profile.agency_id", f"names no registered agency ({agency_id})", "ANC-01")])

    def _today(self) -> date:
        return platform_date(self._clock.now())

    @staticmethod
    async def _load(conn: asyncpg.Connection, caller: Caller, anchor_id: uuid.UUID, *, for_update: bool = False) -> store.AnchorRow:
        return await tenancy.load_anchor(conn, caller, anchor_id, for_update=for_update)

    async def _view(self, conn: asyncpg.Connection, caller: Caller, row: store.AnchorRow, *, method: str) -> AnchorView:
        latest = await store.get_version(conn, anchor_id=row.anchor_id, version=row.latest_version)
        assert latest is not None
        profile = self._codec.open(latest.profile_sealed, anchor_id=row.anchor_id, version=latest.version)
        visible = privacy.may_see_pii(caller, str(row.anchor_id))
        if visible:
            await store.log_pii_access(conn, anchor_id=row.anchor_id, at=self._clock.now(), by=caller, method=method)
        return AnchorView(row, profile if visible else privacy.masked(profile), latest.status, visible)

    async def register(self, caller: Caller, profile: Profile, *, request_id: str) -> AnchorView:
        check_request_id(request_id)
        if caller.role == "agency":
            if profile.agency_id and profile.agency_id != caller.tenant:
                raise PermissionDenied(f"agency {caller.tenant} may register anchors only for itself")
            profile = domain.replace_agency(profile, caller.tenant)
        checked = domain.check_profile(profile, today=self._today())
        anchor_id, now = uuid.uuid4(), self._clock.now()
        digest = self._codec.identity_digest(checked.profile.identity)
        try:
            async with self._uow.transaction() as conn:
                if (done := await store.get_by_request_id(conn, request_id=request_id)):
                    return await self._replay(conn, caller, done)
                await self._check_agency(conn, checked.profile.agency_id)
                if await store.exists_with_identity(conn, identity_digest=digest):
                    raise AlreadyExists("anchor", "an anchor with this identity document is already registered", rule="ANC-01")
                await store.create(
                    conn,
                    anchor_id=anchor_id,
                    identity_digest=digest,
                    request_id=request_id,
                    agency_id=checked.profile.agency_id,
                    display_name=checked.profile.display_name,
                    digital_human=checked.profile.digital_human,
                    date_of_birth=checked.date_of_birth,
                    at=now,
                )
                sealed = self._codec.seal(checked.profile, anchor_id=anchor_id, version=1)
                await store.add_version(conn, anchor_id=anchor_id, version=1, request_id=request_id, profile_sealed=sealed, at=now, by=caller)
                changes = privacy.diff(None, privacy.masked(checked.profile))
                await store.append_history(conn, anchor_id=anchor_id, at=now, by=caller, action="registered", version=1, changes=changes)
                await events.anchor_registered(conn, self._events, anchor_id=anchor_id, checked=checked)
                return await self._view(conn, caller, await store.get_existing(conn, anchor_id=anchor_id), method="RegisterAnchor")
        except asyncpg.UniqueViolationError as error:
            # A concurrent twin won the race: same request -> its result; same person -> refused.
            if error.constraint_name == "anchors_request_id_key":
                async with self._pool.acquire() as conn:
                    twin = await store.get_by_request_id(conn, request_id=request_id)
                    assert twin is not None  # it has just won the unique constraint
                    return await self._replay(conn, caller, twin)
            raise AlreadyExists("anchor", "an anchor with this identity document is already registered", rule="ANC-01") from None

    async def _replay(self, conn: asyncpg.Connection, caller: Caller, done: store.AnchorRow) -> AnchorView:
        """A retried registration answers with the first one's anchor, never another tenant's:
        request ids are unique across the service, so one may collide with a stranger's (PLT-04)."""
        if not tenancy.may_act_on_anchor(caller, done):
            raise AlreadyExists("request", "this request_id was used for another request; choose a new one")
        return await self._view(conn, caller, done, method="RegisterAnchor")

    async def revise(self, caller: Caller, anchor_id: uuid.UUID, profile: Profile, *, expected_latest_version: int, request_id: str) -> AnchorView:
        check_request_id(request_id)
        async with self._uow.transaction() as conn:
            row = await self._load(conn, caller, anchor_id, for_update=True)
            if await store.get_version_by_request_id(conn, anchor_id=anchor_id, request_id=request_id):
                return await self._view(conn, caller, row, method="ReviseAnchorFile")
            if expected_latest_version != row.latest_version:
                raise Aborted(f"the file is at version {row.latest_version}, not {expected_latest_version}; re-read and retry")
            if caller.role == "agency":
                profile = domain.replace_agency(profile, caller.tenant)
            latest = await store.get_existing_version(conn, anchor_id=anchor_id, version=row.latest_version)
            old = self._codec.open(latest.profile_sealed, anchor_id=anchor_id, version=latest.version)
            domain.check_revision(old, profile)
            checked = domain.check_profile(profile, today=self._today())
            await self._check_agency(conn, checked.profile.agency_id)
            now, version = self._clock.now(), row.latest_version + 1
            if latest.status is VersionStatus.PENDING_REVIEW:
                await store.decide_version(conn, anchor_id=anchor_id, version=latest.version, status=VersionStatus.SUPERSEDED, at=now)
            sealed = self._codec.seal(checked.profile, anchor_id=anchor_id, version=version)
            await store.add_version(conn, anchor_id=anchor_id, version=version, request_id=request_id, profile_sealed=sealed, at=now, by=caller)
            await store.update_pointers(conn, anchor_id=anchor_id, at=now, latest_version=version)
            changes = privacy.diff(privacy.masked(old), privacy.masked(checked.profile))
            await store.append_history(conn, anchor_id=anchor_id, at=now, by=caller, action="revised", version=version, changes=changes)
            await events.file_revised(conn, self._events, anchor_id=anchor_id, version=version)
            return await self._view(conn, caller, await store.get_existing(conn, anchor_id=anchor_id), method="ReviseAnchorFile")

    async def review(
        self, caller: Caller, anchor_id: uuid.UUID, version: int, decision: ReviewDecision | None, *, request_id: str
    ) -> AnchorView:
        check_request_id(request_id)
        async with self._uow.transaction() as conn:
            row = await self._load(conn, caller, anchor_id, for_update=True)
            if await store.get_version_by_review_request_id(conn, anchor_id=anchor_id, request_id=request_id):
                return await self._view(conn, caller, row, method="ReviewAnchorFile")
            target = await store.get_version(conn, anchor_id=anchor_id, version=version)
            if target is None:
                raise NotFound("anchor file version", f"{anchor_id}/{version}")
            domain.check_review(
                reviewer_role=caller.role, version=version, latest_version=row.latest_version, status=target.status, decision=decision
            )
            assert decision is not None  # check_review refused it otherwise
            now = self._clock.now()
            profile = self._codec.open(target.profile_sealed, anchor_id=anchor_id, version=version)
            if decision.approve:
                # ANC-03/04 hold on the day of approval, not just the day of registration.
                checked = domain.CheckedProfile(profile, row.date_of_birth, domain.age_source(profile.identity, as_sent=False))
                domain.check_age(checked, today=self._today())
                await store.decide_version(conn, anchor_id=anchor_id, version=version, status=VersionStatus.APPROVED, at=now, by=caller, reason=decision.reason, request_id=request_id)
                await store.update_pointers(
                    conn, anchor_id=anchor_id, at=now, approved_version=version, agency_id=profile.agency_id,
                    display_name=profile.display_name, digital_human=profile.digital_human,
                )
                await store.append_history(conn, anchor_id=anchor_id, at=now, by=caller, action="approved", version=version, reason=decision.reason)
                await events.file_approved(conn, self._events, anchor_id=anchor_id, version=version, checked=checked, reviewer=caller.principal)
            else:
                await store.decide_version(conn, anchor_id=anchor_id, version=version, status=VersionStatus.REJECTED, at=now, by=caller, reason=decision.reason, request_id=request_id)
                await store.update_pointers(conn, anchor_id=anchor_id, at=now)
                await store.append_history(conn, anchor_id=anchor_id, at=now, by=caller, action="rejected", version=version, reason=decision.reason)
                await events.file_rejected(conn, self._events, anchor_id=anchor_id, version=version, reason=decision.reason, reviewer=caller.principal)
            return await self._view(conn, caller, await store.get_existing(conn, anchor_id=anchor_id), method="ReviewAnchorFile")

    async def record_training(
        self,
        caller: Caller,
        anchor_id: uuid.UUID,
        *,
        kind: TrainingKind | None,
        course_id: str,
        completed_at: datetime | None,
        passed: bool,
        certificate: Document | None,
        request_id: str,
    ) -> store.TrainingRow:
        check_request_id(request_id)
        now = self._clock.now()
        domain.check_training(kind=kind, course_id=course_id, completed_at=completed_at, certificate=certificate, now=now)
        assert kind is not None and completed_at is not None  # check_training refused them otherwise
        async with self._uow.transaction() as conn:
            await self._load(conn, caller, anchor_id, for_update=True)
            if (done := await store.get_training_by_request_id(conn, anchor_id=anchor_id, request_id=request_id)):
                return done
            training_id = uuid.uuid4()
            await store.add_training(
                conn, training_id=training_id, anchor_id=anchor_id, request_id=request_id, kind=kind, course_id=course_id,
                completed_at=completed_at, passed=passed, certificate=certificate, at=now, by=caller,
            )
            changes = [("training", "", f"{kind.value}:{course_id}:{'passed' if passed else 'failed'}")]
            await store.append_history(conn, anchor_id=anchor_id, at=now, by=caller, action="training_recorded", changes=changes)
            if passed:
                # ANC-10: completed training counts in the anchor's and its agency's credit archives.
                row = await store.get_existing(conn, anchor_id=anchor_id)
                await self._archives.record(
                    conn, subjects_of(str(anchor_id), row.agency_id), kind=CreditItemKind.TRAINING, at=now,
                    source=str(training_id), cause="training", detail=f"{kind.value} training {course_id} passed",
                )
            await events.training_recorded(
                conn, self._events, anchor_id=anchor_id, training_id=training_id, course_id=course_id, kind=kind, passed=passed, completed_at=completed_at
            )
            return store.TrainingRow(training_id, anchor_id, kind, course_id, completed_at, passed, certificate)

    def _reading(self, caller: Caller, anchor_id: uuid.UUID):
        """PLT-06: a read that shows personal information records the access in the same
        transaction, so it is a fenced write; a masked read is a plain one (no lease round trip)."""
        return self._uow.transaction() if privacy.may_see_pii(caller, str(anchor_id)) else self._pool.acquire()

    async def get(self, caller: Caller, anchor_id: uuid.UUID) -> AnchorView:
        async with self._reading(caller, anchor_id) as conn:
            return await self._view(conn, caller, await self._load(conn, caller, anchor_id), method="GetAnchor")

    async def list_anchors(self, caller: Caller, *, agency_id: str, token: str, size: int) -> tuple[list[AnchorView], str]:
        """Listings always mask personal information: clear text is for one record at a time."""
        if caller.role == "agency":
            agency_id = caller.tenant
        else:
            tenancy.check_platform_role(caller, "list anchors")
        async with self._pool.acquire() as conn:
            listed, next_token = await _ANCHOR_PAGES.page(
                token=token, size=size, key=lambda item: (item.anchor.registered_at, item.anchor.anchor_id),
                fetch=lambda after, limit: store.list_page(conn, agency_id=agency_id or None, after=after, limit=limit),
            )
        views = []
        for item in listed:
            profile = self._codec.open(item.latest.profile_sealed, anchor_id=item.anchor.anchor_id, version=item.latest.version)
            views.append(AnchorView(item.anchor, privacy.masked(profile), item.latest.status, False))
        return views, next_token

    async def versions(self, caller: Caller, anchor_id: uuid.UUID) -> list[VersionView]:
        async with self._reading(caller, anchor_id) as conn:
            await self._load(conn, caller, anchor_id)
            visible = privacy.may_see_pii(caller, str(anchor_id))
            if visible:
                await store.log_pii_access(conn, anchor_id=anchor_id, at=self._clock.now(), by=caller, method="ListAnchorFileVersions")
            views = []
            for row in await store.list_versions(conn, anchor_id=anchor_id):
                profile = self._codec.open(row.profile_sealed, anchor_id=anchor_id, version=row.version)
                views.append(VersionView(row, profile if visible else privacy.masked(profile)))
            return views

    async def history(self, caller: Caller, anchor_id: uuid.UUID, *, token: str, size: int) -> tuple[list[store.HistoryRow], str]:
        async with self._pool.acquire() as conn:
            await self._load(conn, caller, anchor_id)
            return await _HISTORY_PAGES.page(
                token=token, size=size, key=lambda row: (row.seq,),
                fetch=lambda after, limit: store.history_page(conn, anchor_id=anchor_id, after_seq=after[0] if after else 0, limit=limit),
            )

    async def eligibility(self, caller: Caller, anchor_id: uuid.UUID) -> Eligibility:
        now = self._clock.now()
        async with self._pool.acquire() as conn:
            row = await self._load(conn, caller, anchor_id)
            approved = None
            if row.approved_version:
                version = await store.get_existing_version(conn, anchor_id=anchor_id, version=row.approved_version)
                approved = self._codec.open(version.profile_sealed, anchor_id=anchor_id, version=version.version)
            trained = await store.onboarding_passed(conn, anchor_id=anchor_id, by=now)
            standing = await discipline_store.get_standing(conn, anchor_id=anchor_id)
        # ANC-07..09: a sanction in force keeps the anchor off the air until its end instant.
        sanction = ladder.go_live_block(standing, now=now)
        facts = domain.EligibilityFacts(
            approved_profile=approved, date_of_birth=row.date_of_birth, onboarding_training_passed=trained,
            extra_blocks=(Block(*sanction),) if sanction else (),
        )
        # ANC-13: a digital human's room carries the label the session service shows while live.
        labels = [DIGITAL_HUMAN_LABEL] if row.digital_human else []
        return Eligibility(domain.go_live_blocks(facts, today=self._today()), now, row.digital_human, labels)
