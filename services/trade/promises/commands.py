"""Use cases of promises (SES-10): an order's platform or customer service reports whether a
promise was kept for it; the platform roles read a session's promises and how they stand."""

from __future__ import annotations

import uuid

import asyncpg

from livecommerce.runtime import requests
from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied, PreconditionFailed
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.merchant_tenancy import PLATFORM_ROLES
from livecommerce.runtime.service import Runtime
from services.trade import tenancy
from services.trade.promises import events, store

RULE = "SES-10"
REPORTERS = frozenset({tenancy.PLATFORM_ROLE, "customer_service"})


class Promises:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    async def report(
        self, caller: Caller, *, order_id: uuid.UUID, promise_id: str, kept: bool, detail: str, request_id: str
    ) -> None:
        if caller.role not in REPORTERS:
            raise PermissionDenied("only the order's trading platform or customer service reports a promise's outcome")
        requests.check_request_id(request_id)
        if not kept and not detail.strip() or len(detail) > 500:
            raise InvalidArgument([FieldViolation("detail", "says what was missing (required when not kept), at most 500 characters")])
        now = self._runtime.clock.now()
        async with self._runtime.uow.transaction() as conn:
            if await requests.replayed(conn, request_id=request_id, method="ReportPromiseOutcome", caller=caller) is not None:
                return
            order = await tenancy.load_order(conn, caller, order_id)
            promise = await store.promise(conn, promise_id=promise_id)
            if promise is None or promise["session_id"] != order.order.session_id or promise["product_id"] not in ("", order.order.product_id):
                raise InvalidArgument([FieldViolation("promise_id", "is not a promise of the order's session and product", rule=RULE)])
            if not await store.record(conn, outcomes=[(promise_id, order_id, kept, detail)], at=now, by=actor_json(caller)):
                earlier = await store.outcome(conn, promise_id=promise_id, order_id=order_id)
                if earlier is not None and earlier["kept"] != kept:
                    raise PreconditionFailed(RULE, "promise", f"its outcome for this order was reported already (kept: {earlier['kept']})")
            elif not kept:
                await events.broken(conn, self._runtime.events, [events.Broken(
                    promise_id, promise["session_id"], str(order_id), promise["kind"], promise["responsible"],
                    promise["responsible_id"], order.anchor_id, detail,
                )], at=now)  # fmt: skip
            await requests.remember(conn, request_id=request_id, method="ReportPromiseOutcome", caller=caller, outcome="ok")

    async def session(self, caller: Caller, *, session_id: str) -> list[asyncpg.Record]:
        if caller.role not in PLATFORM_ROLES:
            raise PermissionDenied("only the platform's roles read a session's promises")
        if not ID_TOKEN.match(session_id):
            raise InvalidArgument([FieldViolation("session_id", ID_TOKEN_RULE)])
        async with self._runtime.pool.acquire() as conn:
            rows = await store.summary(conn, session_id=session_id)
        if not rows:
            raise NotFound("session promises", session_id)
        return rows


async def shipping_missed(conn: asyncpg.Connection, runtime: Runtime, alerts: list[asyncpg.Record], *, at) -> None:
    """SES-10 / TRD-03: an overdue shipment breaks the session's shipping promise it was bound by."""
    promised = [a for a in alerts if a["promise_id"] is not None]
    if not promised:
        return
    by = actor_json(Caller(principal="shipping-clock", role="system"))
    detail = {a["order_id"]: f"not shipped by {a['ship_by'].isoformat()}" for a in promised}
    recorded = set(await store.record(
        conn, outcomes=[(a["promise_id"], a["order_id"], False, detail[a["order_id"]]) for a in promised], at=at, by=by
    ))  # fmt: skip
    await events.broken(conn, runtime.events, [
        events.Broken(a["promise_id"], a["session_id"], str(a["order_id"]), "shipping_time", a["responsible"], a["responsible_id"],
                      a["anchor_id"], detail[a["order_id"]])
        for a in promised if (a["promise_id"], a["order_id"]) in recorded
    ], at=at)  # fmt: skip
