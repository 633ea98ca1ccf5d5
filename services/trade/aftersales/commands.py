"""Use cases of after-sales (TRD-04, TRD-05), one transaction each: open, respond, resolve, read,
and the active replica's escalation of missed deadlines."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from livecommerce.runtime import merchant_tenancy, requests
from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from services.trade import tenancy
from services.trade.aftersales import domain, events, store
from services.trade.returnrate import watch
from services.trade.rules_config import ReturnRateRules

_PAGES = Keyset(datetime, uuid.UUID)
ESCALATION_BATCH = 500
OPENERS = frozenset({tenancy.PLATFORM_ROLE, "customer_service"})
"""Who opens a request: the order's platform (for its buyer) or customer service."""
HANDLERS = frozenset({"merchant", "customer_service"})
"""Who answers and resolves: the order's merchant or customer service."""


class AfterSalesDesk:
    def __init__(self, runtime: Runtime, return_rate: ReturnRateRules) -> None:
        self._runtime, self._return_rate = runtime, return_rate

    async def open(self, caller: Caller, *, order_id: uuid.UUID, opening: domain.Opening, request_id: str) -> uuid.UUID:
        if caller.role not in OPENERS:
            raise PermissionDenied("only the order's trading platform or customer service opens an after-sales request")
        requests.check_request_id(request_id)
        now = self._runtime.clock.now()
        async with self._runtime.uow.transaction() as conn:
            if done := await requests.replayed(conn, request_id=request_id, method="OpenAfterSales", caller=caller):
                return uuid.UUID(done)
            await tenancy.load_order(conn, caller, order_id)  # another platform's order reads as missing
            facts = await store.order_facts(conn, order_id=order_id)
            assert facts is not None
            perishable = None
            if facts["strict_after_sales"] is not None:  # PRD-09: the product is perishable
                perishable = domain.Perishable(facts["strict_after_sales"], facts["claim_window_hours"])
            order = domain.OrderFacts(facts["status"], facts["amount_fen"], facts["refunded_fen"], facts["received_at"])
            honoured = domain.check_opening(opening, order, perishable=perishable, now=now)
            respond_by, resolve_by = domain.deadlines(now)
            after_sales_id = uuid.uuid4()
            await store.open_request(conn, values={
                "request_id": after_sales_id, "order_id": order_id, "merchant_id": facts["merchant_id"],
                "anchor_id": facts["anchor_id"], "session_id": facts["session_id"], "kind": str(opening.kind),
                "reason": str(opening.reason), "description": opening.description, "refund_fen": opening.refund_fen,
                "state": str(domain.State.OPEN), "honoured": honoured, "opened_at": now, "opened_by": actor_json(caller),
                "respond_by": respond_by, "resolve_by": resolve_by,
            })  # fmt: skip
            await store.HISTORY.append(conn, after_sales_id, at=now, by=caller, action="opened")
            await requests.remember(conn, request_id=request_id, method="OpenAfterSales", caller=caller, outcome=str(after_sales_id))
        return after_sales_id

    async def respond(self, caller: Caller, *, after_sales_id: uuid.UUID, accept: bool, response: str, request_id: str) -> None:
        _text("response", response)
        await self._step(caller, after_sales_id, request_id, "RespondAfterSales", accept=accept, text=response)

    async def resolve(self, caller: Caller, *, after_sales_id: uuid.UUID, completed: bool, resolution: str, request_id: str) -> None:
        _text("resolution", resolution)
        await self._step(caller, after_sales_id, request_id, "SettleAfterSales", completed=completed, text=resolution)

    async def _step(
        self, caller: Caller, after_sales_id: uuid.UUID, request_id: str, method: str, *, text: str,
        accept: bool | None = None, completed: bool | None = None,
    ) -> None:
        if caller.role not in HANDLERS:
            raise PermissionDenied("only the order's merchant or customer service handles an after-sales request")
        requests.check_request_id(request_id)
        now = self._runtime.clock.now()
        async with self._runtime.uow.transaction() as conn:
            if await requests.replayed(conn, request_id=request_id, method=method, caller=caller) is not None:
                return
            row = await _load(conn, caller, after_sales_id, lock=True)
            state, honoured = domain.State(row["state"]), row["honoured"]
            if accept is not None:
                new = domain.check_response(state, accept=accept, honoured=honoured)
                await store.respond(conn, request_id=after_sales_id, state=str(new), at=now, response=text)
            else:
                new = domain.check_resolution(state, completed=bool(completed), honoured=honoured)
                await store.resolve(conn, request_id=after_sales_id, state=str(new), at=now, resolution=text)
                if new == domain.State.COMPLETED and row["kind"] == domain.Kind.RETURN:
                    await events.return_completed(conn, self._runtime.events, row, at=now)
                    # TRD-06: the return may lift the merchant's or the anchor's rate above the threshold.
                    await watch.after_return(
                        conn, self._runtime.events, self._return_rate, merchant_id=row["merchant_id"], anchor_id=row["anchor_id"], at=now
                    )
            await store.HISTORY.append(
                conn, after_sales_id, at=now, by=caller, action=method.removesuffix("AfterSales").lower(),
                changes=[("state", str(state), str(new))], reason=text,
            )  # fmt: skip
            await requests.remember(conn, request_id=request_id, method=method, caller=caller, outcome=str(new))

    async def get(self, caller: Caller, after_sales_id: uuid.UUID) -> asyncpg.Record:
        async with self._runtime.pool.acquire() as conn:
            return await _load(conn, caller, after_sales_id)

    async def page(self, caller: Caller, *, merchant_id: str, order_id: uuid.UUID | None, token: str, size: int) -> tuple[list, str]:
        if caller.role == tenancy.PLATFORM_ROLE:
            if order_id is None:
                raise InvalidArgument([FieldViolation("order_id", "is required for a trading platform")])
            merchant: str | None = None
        else:
            merchant = merchant_tenancy.listing_scope(caller, merchant_id, "after-sales requests")
        async with self._runtime.pool.acquire() as conn:
            if order_id is not None:
                await tenancy.load_order(conn, caller, order_id)
            return await _PAGES.page(
                token=token, size=size,
                fetch=lambda after, limit: store.page(conn, merchant_id=merchant, order_id=order_id, after=after, limit=limit),
                key=lambda r: (r["opened_at"], r["request_id"]),
            )

    async def escalate_overdue(self) -> int:
        """TRD-05, the active replica's timer: every request past its response or resolution
        deadline (from that minute on) escalated once per deadline; how many now."""
        now = self._runtime.clock.now()
        count = 0
        async with self._runtime.uow.transaction() as conn:
            for stage in ("response", "resolution"):
                rows = await store.escalate(conn, stage=stage, now=now, limit=ESCALATION_BATCH)
                await events.escalated(conn, self._runtime.events, stage=stage, rows=rows)
                count += len(rows)
        return count


async def _load(conn: asyncpg.Connection, caller: Caller, after_sales_id: uuid.UUID, *, lock: bool = False) -> asyncpg.Record:
    row = await store.get(conn, request_id=after_sales_id, lock=lock)
    if row is None:
        raise NotFound("after-sales request", str(after_sales_id))
    try:
        await tenancy.load_order(conn, caller, row["order_id"])
    except NotFound:
        raise NotFound("after-sales request", str(after_sales_id)) from None
    return row


def _text(field: str, value: str) -> None:
    if not value.strip() or len(value) > 1000:
        raise InvalidArgument([FieldViolation(field, "is required, at most 1000 characters")])
