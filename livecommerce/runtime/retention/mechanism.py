"""The retention of one service's records (SES-07, TRD-02, PLT-02): its policies installed at
start-up, the purge (the active replica's timer and PurgeRecords share one code path), legal holds
and the status. Every write is a unit of work, so the lease fence applies: a standby's purge batch
never commits (PLT-03), and a batch interrupted at any point commits whole or not at all.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime import requests
from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.clock import Clock
from livecommerce.runtime.errors import AlreadyExists, FieldViolation, InvalidArgument, NotFound, PreconditionFailed
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset, newest_first
from livecommerce.runtime.retention import kinds as k
from livecommerce.runtime.retention import store
from livecommerce.runtime.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
HOLDS_PAGES = Keyset(datetime, uuid.UUID)


@dataclass(frozen=True)
class RetentionDeclaration:
    """What a service hands its `ServiceDefinition`: its record kinds and its package's
    RetentionService (the gateway routes by package, so each service serves its own)."""

    kinds: Sequence[k.RecordKind]
    service_name: str
    """e.g. "livecommerce.session.v1.RetentionService", for health and reflection."""
    add_servicer: Callable
    """The package's generated `add_RetentionServiceServicer_to_server`."""
    hold_rule: str
    """The rule a hold's refusals name: the service's retention rule (SES-07, TRD-02, PLT-02)."""


@dataclass(frozen=True)
class KindStatus:
    kind: k.RecordKind
    minimum: str
    cutoff: datetime | None
    oldest: datetime | None
    past: int
    held: int


@dataclass(frozen=True)
class PurgeOutcome:
    purged: int
    held: int


class Retention:
    def __init__(
        self, declaration: RetentionDeclaration, *, uow: UnitOfWork, pool: asyncpg.Pool, clock: Clock,
        minimums: Mapping[str, str], batch_rows: int, replica: str = "",
    ) -> None:
        self.declaration = declaration
        self.kinds = k.by_name(declaration.kinds)
        self._uow, self._pool, self._clock = uow, pool, clock
        self._overrides = dict(minimums)
        self.batch_rows = batch_rows
        self._replica = replica

    def minimum(self, kind: k.RecordKind) -> str:
        return self._overrides.get(kind.name, kind.minimum)

    async def install(self, conn: asyncpg.Connection) -> None:
        """Checks the configured minimums against the rules and writes every kind's policy, which
        the DELETE guard reads. A minimum shorter than its rule's stops the start-up."""
        unknown = sorted(set(self._overrides) - set(self.kinds))
        if unknown:
            raise ValueError(f"retention minimums name unknown record kinds: {', '.join(unknown)}")
        for kind in self.kinds.values():
            undeclared = [d for d in kind.dependents if d not in self.kinds or self.kinds[d].kept]
            if undeclared:
                raise ValueError(f"{kind.name}: dependents must be declared purgeable kinds: {', '.join(undeclared)}")
        for kind in self.kinds.values():
            configured = self._overrides.get(kind.name)
            if configured is not None:
                if kind.kept:
                    raise ValueError(f"{kind.rule}: {kind.name} is kept for good; it takes no retention minimum")
                try:
                    long_enough = await store.at_least(conn, configured, kind.minimum)
                except asyncpg.DataError as error:
                    raise ValueError(f"retention minimum of {kind.name}: {configured!r} is not an interval ({error})") from None
                if not long_enough:
                    raise ValueError(f"{kind.rule}: {kind.name} must be kept at least {kind.minimum}; {configured!r} is shorter")
            await store.install_policy(conn, kind, self.minimum(kind), self._clock.now())

    # -- purging ------------------------------------------------------------------------------

    async def purge_expired(self) -> int:
        """The timer's work: every purgeable kind, batch by batch, up to its cutoff."""
        total = 0
        for kind in self.kinds.values():
            if not kind.kept:
                async with self._pool.acquire() as conn:
                    older_than = await store.cutoff(conn, self._clock.now(), self.minimum(kind))
                total += await self._purge(kind, older_than, actor=None)
        return total

    async def purge(self, who: Caller, *, kind_name: str, older_than: datetime | None, request_id: str) -> PurgeOutcome:
        """PurgeRecords: what the timer would purge up to `older_than`, now. Refused, audited and
        changing nothing else, when the kind is kept or `older_than` lies inside its minimum."""
        requests.check_request_id(request_id)
        kind = self._known(kind_name)
        if older_than is None:
            raise InvalidArgument([FieldViolation("older_than", "is required: purge rows whose age counts from at or before it", kind.rule)])
        now = self._clock.now()
        async with self._pool.acquire() as conn:
            limit = None if kind.kept else await store.cutoff(conn, now, self.minimum(kind))
        if kind.kept or (limit is not None and older_than > limit):
            why = (
                f"{kind.name} records are kept for good, never purged" if kind.kept
                else f"{kind.name} records are kept at least {self.minimum(kind)} from {kind.counted_from}; older_than must be at or before {limit.isoformat() if limit else ''}"
            )
            async with self._uow.transaction() as conn:
                await store.audit(
                    conn, at=now, action="purge_refused", kind=kind.name, actor=actor_json(who), cutoff=older_than,
                    detail={"rule": kind.rule, "why": why, "request_id": request_id},
                )
            raise PreconditionFailed(kind.rule, kind.name, why, field="older_than")
        async with self._uow.transaction() as conn:
            done = await requests.replayed(conn, request_id=request_id, method="PurgeRecords", caller=who)
        if done is not None:
            return PurgeOutcome(**json.loads(done))
        purged = await self._purge(kind, older_than, actor=actor_json(who))
        async with self._pool.acquire() as conn:
            _, counts = k.status_sql(kind)
            held = (await conn.fetchrow(counts, older_than))["held"]
        outcome = PurgeOutcome(purged=purged, held=held)
        async with self._uow.transaction() as conn:
            earlier = await requests.replayed(conn, request_id=request_id, method="PurgeRecords", caller=who)
            if earlier is not None:  # a concurrent twin finished first: its answer stands
                return PurgeOutcome(**json.loads(earlier))
            await requests.remember(
                conn, request_id=request_id, method="PurgeRecords", caller=who, outcome=json.dumps(outcome.__dict__),
            )
        return outcome

    async def _purge(self, kind: k.RecordKind, older_than: datetime, *, actor: str | None) -> int:
        # SES-07 / TRD-02: bounded batches, each its own fenced transaction: an interruption
        # between batches leaves every row not yet purged in place, and each committed batch
        # audited with it. Rows referencing this kind's go first (their age is this kind's).
        total = 0
        for dependent in kind.dependents:
            total += await self._purge(self.kinds[dependent], older_than, actor=actor)
        while True:
            async with self._uow.transaction() as conn:
                deleted = await store.purge_batch(
                    conn, kind, now=self._clock.now(), older_than=older_than, rows=self.batch_rows, actor=actor,
                    replica=self._replica,
                )
            total += deleted
            if deleted < self.batch_rows:
                break
            await asyncio.sleep(0)  # let requests in between batches
        if total:
            log.info("purged %d %s rows up to %s", total, kind.name, older_than.isoformat(), extra={"kind": kind.name})
        return total

    # -- legal holds --------------------------------------------------------------------------

    async def place_hold(self, who: Caller, *, scope: str, scope_id: str, reason: str, request_id: str) -> store.Hold:
        requests.check_request_id(request_id)
        rule = self.declaration.hold_rule
        problems = []
        if scope not in k.SCOPES:
            problems.append(FieldViolation("scope", f"must be one of {', '.join(k.SCOPES)}", rule))
        if not scope_id.strip():
            problems.append(FieldViolation("scope_id", "is required: the session, anchor or merchant id the hold covers", rule))
        elif len(scope_id) > 128:
            problems.append(FieldViolation("scope_id", "must be at most 128 characters", rule))
        if not reason.strip():
            problems.append(FieldViolation("reason", "is required: why the records must be kept (the case or inquiry)", rule))
        elif len(reason) > 2000:
            problems.append(FieldViolation("reason", "must be at most 2000 characters", rule))
        if problems:
            raise InvalidArgument(problems)
        normalised = _scope_id(scope, scope_id.strip())
        async with self._uow.transaction() as conn:
            done = await requests.replayed(conn, request_id=request_id, method="PlaceLegalHold", caller=who)
            if done is not None:
                found = await store.get_hold(conn, uuid.UUID(done))
                if found is None:
                    raise AlreadyExists("request", "this request_id was used for another request; choose a new one")
                return found
            now = self._clock.now()
            hold = await store.insert_hold(
                conn, hold_id=uuid.uuid4(), scope_kind=scope, scope_id=normalised, reason=reason.strip(), by=actor_json(who), at=now,
            )
            await store.audit(
                conn, at=now, action="hold_placed", hold_id=hold.hold_id, actor=actor_json(who),
                detail={"scope": scope, "scope_id": normalised, "reason": hold.reason},
            )
            await requests.remember(conn, request_id=request_id, method="PlaceLegalHold", caller=who, outcome=str(hold.hold_id))
        return hold

    async def release_hold(self, who: Caller, *, hold_id: uuid.UUID, reason: str, request_id: str) -> store.Hold:
        requests.check_request_id(request_id)
        rule = self.declaration.hold_rule
        if not reason.strip():
            raise InvalidArgument([FieldViolation("reason", "is required: why the hold may end", rule)])
        async with self._uow.transaction() as conn:
            done = await requests.replayed(conn, request_id=request_id, method="ReleaseLegalHold", caller=who)
            hold = await store.hold_for_update(conn, hold_id)
            if hold is None:
                raise NotFound("legal hold", str(hold_id))
            if done is not None:
                return hold
            if hold.released_at is not None:
                raise PreconditionFailed(rule, str(hold_id), "the hold is already released", field="hold_id")
            now = self._clock.now()
            released = await store.release_hold(conn, hold_id, by=actor_json(who), at=now, reason=reason.strip())
            await store.audit(
                conn, at=now, action="hold_released", hold_id=hold_id, actor=actor_json(who),
                detail={"scope": hold.scope_kind, "scope_id": hold.scope_id, "reason": released.release_reason},
            )
            await requests.remember(conn, request_id=request_id, method="ReleaseLegalHold", caller=who, outcome=str(hold_id))
        return released

    async def list_holds(
        self, *, scope: str | None, scope_id: str, include_released: bool, token: str, size: int
    ) -> tuple[list[store.Hold], str]:
        if scope_id and scope is None:
            raise InvalidArgument([FieldViolation("scope", "is required with scope_id", self.declaration.hold_rule)])
        filters: dict[str, object] = {
            "scope_kind": scope,
            "scope_id": _scope_id(scope, scope_id) if scope and scope_id else None,
            "in_force": None if include_released else True,
        }

        async def fetch(after: tuple | None, limit: int) -> list[store.Hold]:
            sql, args = newest_first(
                table="legal_holds", columns=store.HOLD_COLUMNS, order=("placed_at", "hold_id"), filters=filters,
                after=after, limit=limit,
            )
            async with self._pool.acquire() as conn:
                return await store.holds_page(conn, sql, args)

        return await HOLDS_PAGES.page(token=token, size=size, fetch=fetch, key=lambda h: (h.placed_at, h.hold_id))

    # -- status -------------------------------------------------------------------------------

    async def status(self) -> tuple[datetime, list[KindStatus]]:
        now = self._clock.now()
        answer = []
        async with self._pool.acquire() as conn:
            for kind in self.kinds.values():
                if kind.kept:
                    answer.append(KindStatus(kind, "", None, None, 0, 0))
                    continue
                limit = await store.cutoff(conn, now, self.minimum(kind))
                oldest_sql, counts_sql = k.status_sql(kind)
                counts = await conn.fetchrow(counts_sql, limit)
                answer.append(
                    KindStatus(kind, self.minimum(kind), limit, await conn.fetchval(oldest_sql), counts["past"], counts["held"])
                )
        return now, answer

    def _known(self, name: str) -> k.RecordKind:
        kind = self.kinds.get(name)
        if kind is None:
            raise InvalidArgument([FieldViolation("kind", f"must be one of {', '.join(self.kinds)}", self.declaration.hold_rule)])
        return kind


def _scope_id(scope: str | None, scope_id: str) -> str:
    """Session ids are UUIDs, compared as canonical lower-case text: a hold typed in capitals
    must still cover the session's rows."""
    if scope == "session":
        try:
            return str(uuid.UUID(scope_id))
        except ValueError:
            return scope_id
    return scope_id
