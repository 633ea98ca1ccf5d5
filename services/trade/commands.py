"""Use cases of orders, one transaction each: dock a batch (TRD-01), read (reconciliation: `reconciliation.commands`)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from livecommerce.runtime import requests
from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from services.trade import domain, events, progress, store, tenancy
from services.trade.rules_config import TradeRules

_PAGES = Keyset(datetime, uuid.UUID)


@dataclass(frozen=True)
class BatchOutcome:
    """The acknowledgement of one batch."""

    docked: tuple[progress.Docked, ...]
    refusals: tuple[domain.Refusal, ...]

    def count(self, outcome: str) -> int:
        return sum(1 for d in self.docked if d.outcome == outcome)

    def named(self, outcome: str) -> list[str]:
        return [d.external_order_id for d in self.docked if d.outcome == outcome]

    @property
    def unlinked(self) -> list[str]:
        return [d.external_order_id for d in self.docked if d.outcome == "accepted" and not d.linked]


class Trades:
    def __init__(self, runtime: Runtime, rules: TradeRules) -> None:
        self._runtime, self._rules = runtime, rules

    async def dock(self, caller: Caller, orders: Sequence[domain.Order], *, request_id: str) -> BatchOutcome:
        """TRD-01: one batch, committed whole or not at all; bad orders refused one by one. The
        orders' (platform, external id) make a resent batch harmless, so the batch's request_id
        only names its acknowledgement."""
        platform = tenancy.platform_of(caller, "docks orders")
        requests.check_request_id(request_id)
        now = self._runtime.clock.now()
        valid, refusals = domain.sort_out(list(orders), now=now, rules=self._rules.docking)
        if not valid:
            return BatchOutcome((), tuple(refusals))
        by_position, by = dict(valid), actor_json(caller)
        async with self._runtime.uow.transaction() as conn:
            for m in await store.stage(conn, platform=platform, orders=valid):
                refusals.append(domain.Refusal(
                    m.position, m.external_order_id, "merchant_id",
                    f"product {m.product_id} belongs to merchant {m.owner}, not {by_position[m.position].merchant_id}",
                ))  # fmt: skip
            docked, updates, newly_completed = [], [], []
            for s in await store.dock(conn, platform=platform, docked_at=now, docked_by=by):
                order = by_position[s.position]
                outcome = "accepted" if s.docked is None else progress.resent(s.docked, order).value
                if s.docked is not None and outcome == progress.Resent.BACKWARD.value:
                    refusals.append(domain.Refusal(s.position, order.external_order_id, *progress.backward_refusal(s.docked, order)))
                    continue
                if s.docked is not None and outcome == progress.Resent.UPDATED.value:
                    updates.append((s.position, s.order_id, json.dumps(
                        [{"field": f, "old": o, "new": n} for f, o, n in progress.changes(s.docked, order)]
                    )))  # fmt: skip
                d = progress.Docked(s.position, s.order_id, order.external_order_id, outcome, s.linked, s.anchor_id)
                docked.append(d)
                # OrderCompleted once per order: when it docks completed or a status update completes it.
                if order.status == domain.Status.COMPLETED and (s.docked is None or outcome == "updated"):
                    newly_completed.append((d, order))
            await store.progress(conn, platform=platform, updates=updates, at=now, by=by)
            await events.completed(conn, self._runtime.events, platform=platform, docked=newly_completed)
        return BatchOutcome(tuple(docked), tuple(sorted(refusals, key=lambda r: r.index)))

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
