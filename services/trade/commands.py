"""Use cases of orders, one transaction each: dock a batch (TRD-01), read (reconciliation: `reconciliation.commands`)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from livecommerce.runtime import requests
from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from services.trade import domain, events, progress, store, tenancy
from services.trade.batch import Batch, OrderColumns, certainly_valid
from services.trade.rules_config import TradeRules

_PAGES = Keyset(datetime, uuid.UUID)


class Prepared(NamedTuple):
    """A batch checked and ready to commit: the orders to dock (`positions` says where each
    stood in the batch) and the refusals found so far."""

    platform: str
    by: str
    now: datetime
    columns: OrderColumns
    positions: Sequence[int]
    refusals: list[domain.Refusal]


@dataclass
class _Resends:
    duplicate: int = 0
    conflicts: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    updates: list[tuple[int, uuid.UUID, str]] = field(default_factory=list)
    """(position, order id, changes as JSON) for `store.progress`."""


@dataclass(frozen=True)
class BatchOutcome:
    """The acknowledgement of one batch: counts, and the external ids the platform must look at."""

    accepted: int = 0
    duplicate: int = 0
    conflicts: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unlinked: tuple[str, ...] = ()
    """Accepted orders whose session or product is not known yet."""
    refusals: tuple[domain.Refusal, ...] = ()


class Trades:
    def __init__(self, runtime: Runtime, rules: TradeRules) -> None:
        self._runtime, self._rules = runtime, rules

    async def dock(self, caller: Caller, orders: Batch, *, request_id: str) -> BatchOutcome:
        """TRD-01: one batch, committed whole or not at all; bad orders refused one by one. The
        orders' (platform, external id) make a resent batch harmless, so the batch's request_id
        only names its acknowledgement."""
        return await self.commit(self.prepare(caller, orders, request_id=request_id))

    def prepare(self, caller: Caller, orders: Batch, *, request_id: str) -> Prepared:
        """The checks of a batch, no I/O: a stream prepares its next batch while the database
        commits the one before (the two cores work at once)."""
        platform = tenancy.platform_of(caller, "docks orders")
        requests.check_request_id(request_id)
        now = self._runtime.clock.now()
        rules = self._rules.docking
        domain.check_batch_size(len(orders), rules)
        if certainly_valid(orders.columns, now=now, rules=rules):  # nearly every batch: no object per order
            return Prepared(platform, actor_json(caller), now, orders.columns, range(len(orders)), [])
        valid, refusals = domain.sort_out(orders.orders(), now=now, rules=rules)  # the exact rules name each refusal
        return Prepared(platform, actor_json(caller), now, OrderColumns.of([o for _, o in valid]), [p for p, _ in valid], refusals)

    async def commit(self, prepared: Prepared) -> BatchOutcome:
        """Docks a prepared batch in one transaction."""
        platform, by, now, columns, positions, refusals = prepared
        refusals = list(refusals)
        if not columns:
            return BatchOutcome(refusals=tuple(refusals))
        async with self._runtime.uow.transaction() as conn:
            for m in await store.stage(conn, platform=platform, orders=columns):
                refusals.append(domain.Refusal(
                    positions[m.position], m.external_order_id, "merchant_id",
                    f"product {m.product_id} is not a product of merchant {m.merchant_id}",
                ))  # fmt: skip
            docking = await store.dock(conn, platform=platform, docked_at=now, docked_by=by)
            completed = events.Completed(platform)
            statuses, ids = columns.statuses, columns.external_order_ids
            for i, order_id, _, anchor_id in docking.fresh:
                if statuses[i] is domain.Status.COMPLETED:  # OrdersCompleted once per order: when it docks completed
                    completed.add(columns, i, order_id, anchor_id)
            unlinked = [ids[i] for i, _, linked, _ in docking.fresh if not linked]
            resent = self._resent(columns, positions, docking.existing, completed, refusals)
            await store.progress(conn, platform=platform, updates=resent.updates, at=now, by=by)
            await completed.write(conn, self._runtime.events)
        return BatchOutcome(
            accepted=len(docking.fresh), duplicate=resent.duplicate, conflicts=tuple(resent.conflicts),
            updated=tuple(resent.updated), unlinked=tuple(unlinked), refusals=tuple(sorted(refusals, key=lambda r: r.index)),
        )  # fmt: skip

    @staticmethod
    def _resent(
        columns: OrderColumns, positions: Sequence[int], existing: list[store.Staged], completed: events.Completed,
        refusals: list[domain.Refusal],
    ) -> _Resends:
        """What each order docked before is (the pure `progress` rule): a duplicate, an update (or
        else a completion, then published), a conflict, or a status going back (refused)."""
        resends = _Resends()
        for s in sorted(existing, key=lambda s: s.position):
            order = columns.order(s.position)
            outcome = progress.resent(s.docked, order)
            if outcome is progress.Resent.BACKWARD:
                refusals.append(domain.Refusal(positions[s.position], order.external_order_id, *progress.backward_refusal(s.docked, order)))
            elif outcome is progress.Resent.DUPLICATE:
                resends.duplicate += 1
            elif outcome is progress.Resent.CONFLICT:
                resends.conflicts.append(order.external_order_id)
            else:
                resends.updated.append(order.external_order_id)
                resends.updates.append((s.position, s.order_id, json.dumps(
                    [{"field": f, "old": o, "new": n} for f, o, n in progress.changes(s.docked, order)]
                )))  # fmt: skip
                if order.status == domain.Status.COMPLETED:  # a status update completed it
                    completed.add(columns, s.position, str(s.order_id), s.anchor_id)
        return resends

    async def get(self, caller: Caller, order_id: uuid.UUID) -> store.OrderRow:
        async with self._runtime.pool.acquire() as conn:
            return await tenancy.load_order(conn, caller, order_id)

    async def page(self, caller: Caller, *, merchant_id: str, session_id: str, token: str, size: int) -> tuple[list[store.OrderRow], str]:
        platform, merchant = tenancy.listing_scope(caller, merchant_id)
        async with self._runtime.pool.acquire() as conn:
            return await _PAGES.page(
                token=token, size=size,
                fetch=lambda after, limit: store.page(
                    conn, platform=platform, merchant_id=merchant, session_id=session_id or None, after=after, limit=limit
                ),
                key=lambda row: (row.order.placed_at, row.order_id),
            )
