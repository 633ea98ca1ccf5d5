"""Use cases of products (PRD-01..10, PLT-02): submit, revise, review, inspect, take down, put
back, read, and the clock's take-downs. Each write is one transaction of domain checks, store
writes, history and outbox events, so a change, its history entry and its event commit together
or not at all; `_settle` is the one place that decides, after any change, whether the product is
listed, when the clock next looks at it, and which event tells the other services.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime

import asyncpg

from livecommerce.common.v1 import identity_pb2
from livecommerce.runtime import requests
from livecommerce.runtime.errors import AlreadyExists, NotFound, PermissionDenied, PreconditionFailed
from livecommerce.runtime.history import HistoryRow
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from livecommerce.text.normalise import get_normaliser
from services.product import domain, events, listing, on_file_store, review, store, tenancy
from services.product.catalogue import Catalogue
from services.product.domain import Block, Details
from services.product.events import Shown
from services.product.links import LinkRefused, classify_link, own_link, perishable_treatment, resolve_link
from services.product.listing import Inspection, ListingFacts
from services.product.live_list import LiveList
from services.product.pricing import DocumentRef, PriceEvidence
from services.product.prohibited import CompiledList, EntryKind, Listed, recheck
from services.product.review import DelistCause, Delisting, ProductState, VersionStatus
from services.product.rules_config import ProductRules

_PRODUCT_PAGES = Keyset(datetime, uuid.UUID)  # (submitted_at, product_id), newest first
_INSPECTION_PAGES = Keyset(datetime, int)  # (sampled_at, seq), newest first
_HISTORY_PAGES = Keyset(int)
_KEEP = object()
"""`_settle`'s default: leave the take-down as it is."""


@dataclass(frozen=True)
class ProductView:
    row: store.ProductRow
    latest: store.VersionRow
    shown: Shown | None
    """The approved version as rooms see it; None before approval."""
    blocks: list[Block]
    """Every rule that keeps it off the shelf now; empty when listed."""
    checked_at: datetime


@dataclass(frozen=True)
class LinkView:
    product_id: uuid.UUID
    approved_version: int
    matches_shown_version: bool
    listed: bool
    shown: Shown | None
    blocks: list[Block]


def goods_key(details: Details) -> str:
    """One product per goods per merchant: the folded title, category and specification."""
    fold = get_normaliser().normalise
    return hashlib.sha256("\x1f".join((fold(details.title), details.category, fold(details.specification))).encode()).hexdigest()


class Products:
    def __init__(self, runtime: Runtime, *, catalogue: Catalogue, rules: ProductRules, live_list: LiveList) -> None:
        self._uow, self._pool, self._clock, self._events = runtime.uow, runtime.pool, runtime.clock, runtime.events
        self._catalogue, self._rules, self._lists = catalogue, rules, live_list

    # -- writes

    async def submit(self, caller: Caller, details: Details, *, request_id: str) -> ProductView:
        requests.check_request_id(request_id)
        merchant_id = tenancy.merchant_of(caller)
        product_id, now = uuid.uuid4(), self._clock.now()
        try:
            async with self._uow.transaction() as conn:
                if (done := await requests.replayed(conn, request_id=request_id, method="SubmitProduct", caller=caller)):
                    return await self._view(conn, await store.get_existing(conn, product_id=uuid.UUID(done)))
                checked = await self._check(conn, merchant_id, details, now)
                key = goods_key(checked.details)
                await self._refuse_duplicate(conn, merchant_id, key, product_id)
                await store.create(conn, product_id=product_id, merchant_id=merchant_id, goods_key=key, at=now)
                await store.add_version(conn, product_id=product_id, version=1, details=checked.details, at=now, by=caller)
                await store.HISTORY.append(conn, product_id, at=now, by=caller, action="submitted", version=1, changes=_diff(None, checked.details))
                await requests.remember(conn, request_id=request_id, method="SubmitProduct", caller=caller, outcome=str(product_id))
                return await self._view(conn, await store.get_existing(conn, product_id=product_id))
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name == "products_merchant_id_goods_key_key":  # a concurrent twin of the same goods
                raise AlreadyExists("product", "this merchant already has a product for these goods; revise it instead", rule="PRD-01") from None
            raise

    async def revise(
        self, caller: Caller, product_id: uuid.UUID, details: Details, *, expected_latest_version: int, request_id: str
    ) -> ProductView:
        requests.check_request_id(request_id)
        merchant_id = tenancy.merchant_of(caller)
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="ReviseProduct", caller=caller)):
                return await self._view(conn, await store.get_existing(conn, product_id=uuid.UUID(done)))
            row = await tenancy.load_product(conn, caller, product_id, for_update=True)
            review.check_revision(expected_latest_version=expected_latest_version, latest_version=row.latest_version)
            now = self._clock.now()
            checked = await self._check(conn, merchant_id, details, now)
            key = goods_key(checked.details)
            await self._refuse_duplicate(conn, merchant_id, key, product_id)
            latest = await store.get_existing_version(conn, product_id=product_id, version=row.latest_version)
            if latest.status is VersionStatus.PENDING_REVIEW:
                await store.decide_version(conn, product_id=product_id, version=latest.version, status=VersionStatus.SUPERSEDED, at=now)
            version = row.latest_version + 1
            await store.add_version(conn, product_id=product_id, version=version, details=checked.details, at=now, by=caller)
            await store.set_goods_key(conn, product_id=product_id, goods_key=key)
            await store.HISTORY.append(
                conn, product_id, at=now, by=caller, action="revised", version=version, changes=_diff(latest.details, checked.details)
            )
            after = await self._settle(conn, row, at=now, by=caller, latest_version=version)
            await requests.remember(conn, request_id=request_id, method="ReviseProduct", caller=caller, outcome=str(product_id))
            return await self._view(conn, after)

    async def review(
        self, caller: Caller, product_id: uuid.UUID, version: int, *, approve: bool | None, reason: str, request_id: str
    ) -> ProductView:
        requests.check_request_id(request_id)
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="ReviewProduct", caller=caller)):
                return await self._view(conn, await store.get_existing(conn, product_id=uuid.UUID(done)))
            row = await tenancy.load_product(conn, caller, product_id, for_update=True)
            target = await store.get_version(conn, product_id=product_id, version=version)
            if target is None:
                raise NotFound("product version", f"{product_id}/{version}")
            review.check_review(
                reviewer_role=caller.role, version=version, latest_version=row.latest_version, status=target.status,
                approve=approve, reason=reason,
            )
            now = self._clock.now()
            if approve:
                # PRD-01/02/03/06 hold at the moment of approval, not only at submission.
                facts = await self._facts(conn, row, approved_version=version, delisting=None)
                blocks = listing.approval_blocks(facts, catalogue=self._catalogue, prohibited=await self._lists.current(conn), at=now)
                if blocks:
                    raise PreconditionFailed(blocks[0].rule_id, "product", blocks[0].reason, field=blocks[0].field or None)
                await store.decide_version(conn, product_id=product_id, version=version, status=VersionStatus.APPROVED, at=now, by=caller, reason=reason)
                await store.HISTORY.append(conn, product_id, at=now, by=caller, action="approved", version=version, reason=reason)
                after = await self._settle(conn, row, at=now, by=caller, approved_version=version)
            else:
                await store.decide_version(conn, product_id=product_id, version=version, status=VersionStatus.REJECTED, at=now, by=caller, reason=reason)
                await store.HISTORY.append(conn, product_id, at=now, by=caller, action="rejected", version=version, reason=reason)
                after = await self._settle(conn, row, at=now, by=caller)
            await requests.remember(conn, request_id=request_id, method="ReviewProduct", caller=caller, outcome=str(product_id))
            return await self._view(conn, after)

    async def record_inspection(
        self,
        caller: Caller,
        product_id: uuid.UUID,
        *,
        lab: str,
        sampled_at: datetime | None,
        passed: bool | None,
        report: DocumentRef | None,
        findings: str,
        request_id: str,
    ) -> tuple[store.InspectionRow, ProductView]:
        """PRD-07: a passing sample may list an approved product; a failing one delists it at once."""
        requests.check_request_id(request_id)
        if caller.role != "compliance_officer":
            raise PermissionDenied("only a compliance officer records sample inspections", rule="PRD-07")
        listing.check_inspection(lab=lab, sampled_at=sampled_at, passed=passed, report=report, findings=findings, now=self._clock.now())
        assert sampled_at is not None and passed is not None and report is not None  # check_inspection refused them otherwise
        inspection = Inspection(lab.strip(), sampled_at, passed, report, findings.strip())
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="RecordInspection", caller=caller)):
                recorded = await store.get_inspection(conn, inspection_id=uuid.UUID(done))
                assert recorded is not None
                return recorded, await self._view(conn, await store.get_existing(conn, product_id=recorded.product_id))
            row = await tenancy.load_product(conn, caller, product_id, for_update=True)
            now, inspection_id = self._clock.now(), uuid.uuid4()
            await store.add_inspection(conn, inspection_id=inspection_id, product_id=product_id, inspection=inspection, at=now, by=caller)
            outcome = "passed" if inspection.passed else f"failed: {inspection.findings}"
            await store.HISTORY.append(
                conn, product_id, at=now, by=caller, action="inspected", changes=[("inspection", "", f"{inspection.lab} {outcome}")]
            )
            newest = await store.newest_inspection(conn, product_id=product_id)
            if row.state is ProductState.LISTED and newest is not None and not newest.passed:
                taken_down = Delisting(DelistCause.INSPECTION_FAILED, f"sample inspection by {newest.lab} failed: {newest.findings}", caller.principal, caller.role, now)
                after = await self._take_down(conn, row, taken_down, by=caller)
            else:
                after = await self._settle(conn, row, at=now, by=caller)
            await requests.remember(conn, request_id=request_id, method="RecordInspection", caller=caller, outcome=str(inspection_id))
            recorded = await store.get_inspection(conn, inspection_id=inspection_id)
            assert recorded is not None
            return recorded, await self._view(conn, after)

    async def delist(
        self, caller: Caller, product_id: uuid.UUID, *, cause: DelistCause | None, reason: str, session_id: str, request_id: str
    ) -> ProductView:
        """PRD-10: an officer or a session's emergency action takes a product down at once."""
        requests.check_request_id(request_id)
        review.check_delist_request(role=caller.role, cause=cause, reason=reason, session_id=session_id)
        assert cause is not None
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="DelistProduct", caller=caller)):
                return await self._view(conn, await store.get_existing(conn, product_id=uuid.UUID(done)))
            row = await tenancy.load_product(conn, caller, product_id, for_update=True)
            review.check_delistable(row.state)
            taken_down = Delisting(cause, reason.strip(), caller.principal, caller.role, self._clock.now(), session_id=session_id)
            after = await self._take_down(conn, row, taken_down, by=caller)
            await requests.remember(conn, request_id=request_id, method="DelistProduct", caller=caller, outcome=str(product_id))
            return await self._view(conn, after)

    async def relist(self, caller: Caller, product_id: uuid.UUID, *, reason: str, request_id: str) -> ProductView:
        requests.check_request_id(request_id)
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="RelistProduct", caller=caller)):
                return await self._view(conn, await store.get_existing(conn, product_id=uuid.UUID(done)))
            row = await tenancy.load_product(conn, caller, product_id, for_update=True)
            now = self._clock.now()
            facts = await self._facts(conn, row, delisting=None)
            blocks = listing.listing_blocks(facts, catalogue=self._catalogue, prohibited=await self._lists.current(conn), at=now)
            review.check_relist(role=caller.role, state=row.state, reason=reason, blocks=blocks)
            await store.HISTORY.append(conn, product_id, at=now, by=caller, action="relisted", version=row.approved_version, reason=reason)
            after = await self._settle(conn, row, at=now, by=caller, delisting=None, reason=reason)
            await requests.remember(conn, request_id=request_id, method="RelistProduct", caller=caller, outcome=str(product_id))
            return await self._view(conn, after)

    async def take_down_for_session(
        self, conn: asyncpg.Connection, *, product_id: uuid.UUID, merchant_id: str, session_id: str, reason: str, operator: Caller
    ) -> None:
        """SES-06, PRD-10: a session's emergency action, arriving as its event, in the consumer's
        transaction. Taken down already: nothing more. Another merchant's or no such product, or
        nothing approved to take down: refused (the intake logs it)."""
        row = await store.get(conn, product_id=product_id, for_update=True)
        if row is None or row.merchant_id != merchant_id:
            raise NotFound("product", str(product_id), rule="PRD-10")
        if row.state is ProductState.DELISTED:
            return
        review.check_delistable(row.state)
        taken_down = Delisting(
            DelistCause.SESSION_EMERGENCY, reason, operator.principal, operator.role, self._clock.now(), session_id=session_id
        )
        await self._take_down(conn, row, taken_down, by=operator)

    async def expire_due(self, actor: Caller, *, batch: int = 100) -> int:
        """The clock's take-downs (PRD-01..03): listed products whose goods, licence, authorization
        or right ran out. Returns how many it took down."""
        now, taken = self._clock.now(), 0
        async with self._uow.transaction() as conn:
            for product_id in await store.due(conn, at=now, limit=batch):
                row = await store.get_existing(conn, product_id=product_id)
                facts = await self._facts(conn, row)
                taken_down = listing.clock_delisting(facts, catalogue=self._catalogue, at=now)
                if taken_down is None:
                    await self._settle(conn, row, at=now, by=actor)  # an end that changed nothing: look again later
                else:
                    await self._take_down(conn, row, taken_down, by=actor)
                    taken += 1
        return taken

    async def take_down_by_list(self, conn: asyncpg.Connection, compiled: CompiledList, *, by: Caller) -> list[tuple[store.ProductRow, str, str]]:
        """PRD-06: in a publication's transaction, delists every listed product the new version
        prohibits, or restricts without the licence it names: (product, entry id, what matched)."""
        now = self._clock.now()
        rows = await store.listed(conn)
        files = await store.approved_details(conn, product_ids=[r.product_id for r in rows])
        licences = await on_file_store.licences_by_id(conn, licence_ids={i for d in files.values() for i in d.licence_ids})
        candidates = []
        for row in rows:
            details = files[row.product_id]
            held = (licences.get(i) for i in details.licence_ids)
            licensed = frozenset(x.kind for x in held if x is not None and x.merchant_id == row.merchant_id and x.valid_at(now))
            candidates.append(Listed(str(row.product_id), row.merchant_id, details.category, details.texts(), licensed))
        by_id = {str(row.product_id): row for row in rows}
        taken = []
        for product, hit in recheck(compiled, candidates):
            row = by_id[product.product_id]
            verb = "prohibits" if hit.entry.kind is EntryKind.PROHIBITED else f"restricts, needing {self._catalogue.licence_name(hit.entry.licence_kind)},"
            reason = f"prohibited-goods list {hit.version}, entry {hit.entry.entry_id} {verb} it: {hit.matched!r} in {hit.field}"
            taken_down = Delisting(DelistCause.PROHIBITED, reason, by.principal, by.role, now, list_version=hit.version, list_entry_id=hit.entry.entry_id)
            taken.append((await self._take_down(conn, row, taken_down, by=by), hit.entry.entry_id, hit.matched))
        return taken

    # -- reads

    async def get(self, caller: Caller, product_id: uuid.UUID) -> ProductView:
        async with self._pool.acquire() as conn:
            return await self._view(conn, await tenancy.load_product(conn, caller, product_id), with_blocks=True)

    async def list_products(
        self, caller: Caller, *, state: ProductState | None, merchant_id: str, token: str, size: int
    ) -> tuple[list[ProductView], str]:
        scope = tenancy.listing_scope(caller, merchant_id)
        async with self._pool.acquire() as conn:
            rows, next_token = await _PRODUCT_PAGES.page(
                token=token, size=size, key=lambda r: (r.submitted_at, r.product_id),
                fetch=lambda after, limit: store.list_page(conn, merchant_id=scope, state=state, after=after, limit=limit),
            )
            return [await self._view(conn, row) for row in rows], next_token

    async def versions(self, caller: Caller, product_id: uuid.UUID) -> list[store.VersionRow]:
        async with self._pool.acquire() as conn:
            await tenancy.load_product(conn, caller, product_id)
            return await store.list_versions(conn, product_id=product_id)

    async def history(self, caller: Caller, product_id: uuid.UUID, *, token: str, size: int) -> tuple[list[HistoryRow], str]:
        async with self._pool.acquire() as conn:
            await tenancy.load_product(conn, caller, product_id)
            return await _HISTORY_PAGES.page(
                token=token, size=size, key=lambda row: (row.seq,),
                fetch=lambda after, limit: store.HISTORY.page(conn, product_id, after_seq=after[0] if after else 0, limit=limit),
            )

    async def inspections(self, caller: Caller, product_id: uuid.UUID, *, token: str, size: int) -> tuple[list[store.InspectionRow], str]:
        async with self._pool.acquire() as conn:
            await tenancy.load_product(conn, caller, product_id)
            return await _INSPECTION_PAGES.page(
                token=token, size=size, key=lambda r: (r.inspection.sampled_at, r.seq),
                fetch=lambda after, limit: store.inspections_page(conn, product_id=product_id, after=after, limit=limit),
            )

    async def resolve_link(self, caller: Caller, product_id: uuid.UUID, *, shown_version: int) -> LinkView:
        """PRD-05: the link a session shows resolves to the approved version, listed or not."""
        async with self._pool.acquire() as conn:
            view = await self._view(conn, await tenancy.load_product(conn, caller, product_id), with_blocks=True)
        resolution = resolve_link(
            approved_version=view.row.approved_version, shown_version=shown_version, listed=view.row.state is ProductState.LISTED
        )
        return LinkView(product_id, resolution.approved_version, resolution.matches_shown_version, resolution.listed, view.shown, view.blocks)

    # -- the one place a product's standing is decided

    async def _check(self, conn: asyncpg.Connection, merchant_id: str, details: Details, now: datetime) -> domain.CheckedDetails:
        on_file = await on_file_store.on_file(conn, merchant_id=merchant_id, details=[details])
        return domain.check_details(
            details, on_file=on_file, catalogue=self._catalogue, rules=self._rules, prohibited=await self._lists.current(conn), now=now
        )

    @staticmethod
    async def _refuse_duplicate(conn: asyncpg.Connection, merchant_id: str, key: str, product_id: uuid.UUID) -> None:
        twin = await store.find_by_goods_key(conn, merchant_id=merchant_id, goods_key=key)
        if twin is not None and twin != product_id:
            raise AlreadyExists(
                "product", f"this merchant already has product {twin} with the same title, category and specification; revise it instead",
                rule="PRD-01",
            )

    async def _facts(
        self, conn: asyncpg.Connection, row: store.ProductRow, *, approved_version: int | None = None, delisting=_KEEP,
        approved: Details | None = None,
    ) -> ListingFacts:
        """What the listing decision looks at; `approved` saves reading the approved file again."""
        version = row.approved_version if approved_version is None else approved_version
        if approved is None and version:
            approved = (await store.get_existing_version(conn, product_id=row.product_id, version=version)).details
        category = self._catalogue.get(approved.category) if approved else None
        expiry = date.fromisoformat(approved.expiry_date) if approved and approved.expiry_date else None
        on_file = await on_file_store.on_file(conn, merchant_id=row.merchant_id, details=[approved] if approved else [])
        newest = await store.newest_inspection(conn, product_id=row.product_id)
        return ListingFacts(
            approved, category, expiry, on_file, (newest,) if newest else (),
            row.delisting if delisting is _KEEP else delisting,
        )

    def _shown(self, row: store.ProductRow, details: Details, *, listed: bool) -> Shown | None:
        category = self._catalogue.get(details.category)
        if category is None:
            return None  # the category left the tree since approval: nothing can be shown
        try:
            link = classify_link(details.link_url, self._rules.links) if details.link_url else own_link(str(row.product_id), self._rules.links)
        except LinkRefused:  # the platform left the configured list since approval: the own shop's page
            link = own_link(str(row.product_id), self._rules.links)
        return Shown(
            row.product_id, row.merchant_id, row.approved_version, details, category, link,
            perishable_treatment(category, self._rules.perishables), listed,
        )

    async def _take_down(self, conn: asyncpg.Connection, row: store.ProductRow, taken_down: Delisting, *, by: Caller) -> store.ProductRow:
        await store.HISTORY.append(
            conn, row.product_id, at=taken_down.at, by=by, action="delisted", version=row.approved_version,
            changes=[("cause", "", taken_down.cause.value)], reason=taken_down.reason,
        )
        return await self._settle(conn, row, at=taken_down.at, by=by, delisting=taken_down)

    async def _settle(
        self,
        conn: asyncpg.Connection,
        before: store.ProductRow,
        *,
        at: datetime,
        by: Caller,
        latest_version: int | None = None,
        approved_version: int | None = None,
        delisting=_KEEP,
        reason: str = "",
    ) -> store.ProductRow:
        """Writes where the product stands after a change and tells the other services: delisted
        or relisted; approved for the first time; or changed (another approved version, or it
        became listable or stopped being so)."""
        latest = latest_version or before.latest_version
        approved = before.approved_version if approved_version is None else approved_version
        taken_down = before.delisting if delisting is _KEEP else delisting
        shown_file: Details | None = None
        if taken_down is not None and approved:
            # Taken down: nothing else decides its state, and no event needs what rooms show
            # (the take-down path stays short: sessions wait for its event, PRD-10).
            state, deadline = ProductState.DELISTED, None
        else:
            facts = await self._facts(conn, before, approved_version=approved, delisting=taken_down)
            blocks = listing.listing_blocks(facts, catalogue=self._catalogue, prohibited=await self._lists.current(conn), at=at)
            latest_status = (await store.get_existing_version(conn, product_id=before.product_id, version=latest)).status
            state = review.state_of(approved_version=approved, latest_status=latest_status, listed=not blocks, delisting=taken_down)
            deadline = listing.next_deadline(facts, after=at) if state is ProductState.LISTED else None
            shown_file = facts.approved
        after = await store.update(
            conn, product_id=before.product_id, at=at, state=state, latest_version=latest, approved_version=approved,
            delisting=taken_down, next_deadline=deadline,
        )
        shown = self._shown(after, shown_file, listed=state is ProductState.LISTED) if shown_file else None
        was_listed = before.state is ProductState.LISTED
        if taken_down is not None and before.delisting is None:
            await events.delisted(
                conn, self._events, product_id=after.product_id, merchant_id=after.merchant_id, approved_version=approved, delisting=taken_down
            )
        elif shown is None:
            pass
        elif taken_down is None and before.delisting is not None:
            operator = identity_pb2.Actor(principal=by.principal, role=by.role, tenant=by.tenant)
            await events.relisted(conn, self._events, shown, operator=operator, reason=reason, at=at)
        elif before.approved_version == 0:
            await events.approved(conn, self._events, shown, reviewer=by.principal)
        elif approved != before.approved_version or shown.listed != was_listed:
            reviewer = by.principal if approved != before.approved_version else ""
            await events.changed(conn, self._events, shown, previous_version=before.approved_version, reviewer=reviewer)
        if state is ProductState.LISTED and not was_listed and taken_down is None and before.delisting is None:
            await store.HISTORY.append(conn, after.product_id, at=at, by=by, action="listed", version=approved)
        return after

    async def _view(self, conn: asyncpg.Connection, row: store.ProductRow, *, with_blocks: bool = False) -> ProductView:
        """The product as the API shows it; its listing blocks only when asked (the reads that
        return them), since they cost the licences, authorizations and inspections it relies on."""
        latest = await store.get_existing_version(conn, product_id=row.product_id, version=row.latest_version)
        approved = None
        if row.approved_version:
            approved = latest if row.approved_version == latest.version else await store.get_existing_version(
                conn, product_id=row.product_id, version=row.approved_version
            )
        blocks, now = [], self._clock.now()
        if with_blocks:
            facts = await self._facts(conn, row, approved=approved.details if approved else None)
            blocks = listing.listing_blocks(facts, catalogue=self._catalogue, prohibited=await self._lists.current(conn), at=now)
        shown = self._shown(row, approved.details, listed=row.state is ProductState.LISTED) if approved else None
        return ProductView(row, latest, shown, blocks, now)


def _diff(old: Details | None, new: Details) -> list[tuple[str, str, str]]:
    """PLT-02: which fields a version changed, each as the text a reader of the history expects."""
    changes = []
    for name in Details.__dataclass_fields__:
        before = "" if old is None else _text(getattr(old, name))
        after = _text(getattr(new, name))
        if before != after:
            changes.append((name, before, after))
    return changes


def _text(value: object) -> str:
    """A field's value as history text: 0 and None are "" (not given), lists joined with "; "."""
    match value:
        case tuple():
            return "; ".join(_text(v) for v in value)
        case None | 0:
            return ""
        case DocumentRef(uri=uri, sha256=sha256):
            return f"{uri} (sha256 {sha256[:12]}…)"
        case domain.IpRight():
            kind = value.kind.value if value.kind else "right"
            whose = "own" if value.owned_by_merchant else f"authorization {value.authorization_id}"
            status = f", {value.patent_status.value}" if value.patent_status else ""
            until = f", until {value.valid_until.isoformat()}" if value.valid_until else ""
            return f"{kind} {value.number} of {value.holder} ({whose}{status}{until})"
        case PriceEvidence():
            period = " to ".join(m.isoformat() if m else "?" for m in (value.sold_from, value.sold_until))
            return f"sold at {value.amount_fen} fen from {period}, per {value.source}"
    return str(value)
