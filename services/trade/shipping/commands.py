"""Use cases of shipping (TRD-03), one transaction each: a platform records logistics, anyone who
may read an order reads its shipping, and the active replica's timer alerts overdue shipments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from livecommerce.runtime import requests
from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.errors import NotFound
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.service import Runtime
from services.trade import tenancy
from services.trade.promises import commands as promises
from services.trade.rules_config import TradeRules
from services.trade.shipping import domain, events, store

ALERT_BATCH = 500
"""Alerts raised per transaction; the timer's next tick takes the rest."""


@dataclass(frozen=True)
class ShippingView:
    order_id: uuid.UUID
    ship_by: datetime | None
    promised: bool
    shipped_at: datetime | None
    delivered_at: datetime | None
    overdue: bool
    logistics: tuple[domain.LogisticsEvent, ...]


class Shipping:
    def __init__(self, runtime: Runtime, rules: TradeRules) -> None:
        self._runtime, self._rules = runtime, rules

    @property
    def _default_hours(self) -> int:
        return self._rules.shipping.default_ship_within_hours

    async def record_logistics(self, caller: Caller, *, external_order_id: str, event: domain.LogisticsEvent, request_id: str) -> uuid.UUID:
        platform = tenancy.platform_of(caller, "records logistics")
        requests.check_request_id(request_id)
        domain.check_external_id(external_order_id)
        now = self._runtime.clock.now()
        async with self._runtime.uow.transaction() as conn:
            if done := await requests.replayed(conn, request_id=request_id, method="RecordLogistics", caller=caller):
                return uuid.UUID(done)
            order = await store.platform_order(conn, platform=platform, external_order_id=external_order_id)
            if order is None:
                raise NotFound("order", external_order_id)
            domain.check_logistics(
                event, now=now, placed_at=order["placed_at"], skew=timedelta(seconds=self._rules.docking.clock_skew_seconds)
            )
            await store.record_logistics(conn, order_id=order["order_id"], event=event, at=now, by=actor_json(caller))
            await requests.remember(conn, request_id=request_id, method="RecordLogistics", caller=caller, outcome=str(order["order_id"]))
        return order["order_id"]

    async def get(self, caller: Caller, order_id: uuid.UUID) -> ShippingView:
        async with self._runtime.pool.acquire() as conn:
            await tenancy.load_order(conn, caller, order_id)
            row = await store.shipping_of(conn, order_id=order_id, default_hours=self._default_hours)
            logistics = await store.logistics(conn, order_id=order_id)
        shipped = row["shipped_at"] is not None or bool(logistics)
        return ShippingView(
            order_id=order_id, ship_by=row["ship_by"], promised=row["hours"] is not None, shipped_at=row["shipped_at"],
            delivered_at=row["delivered_at"],
            overdue=row["ship_by"] is not None and not shipped and domain.overdue(row["ship_by"], self._runtime.clock.now()),
            logistics=tuple(
                domain.LogisticsEvent(domain.LogisticsKind(r["kind"]), r["carrier"], r["tracking_number"], r["at"], r["note"])
                for r in logistics
            ),
        )  # fmt: skip

    async def alert_overdue(self) -> int:
        """TRD-03, the active replica's timer: one ShipmentOverdue per paid order not shipped by its
        ship-by time (`domain.overdue`: from that minute on); how many it raised now."""
        now = self._runtime.clock.now()
        async with self._runtime.uow.transaction() as conn:
            alerts = await store.alert_overdue(conn, now=now, default_hours=self._default_hours, limit=ALERT_BATCH)
            await events.overdue(conn, self._runtime.events, alerts)
            await promises.shipping_missed(conn, self._runtime, alerts, at=now)
        return len(alerts)
