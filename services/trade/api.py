"""gRPC API of orders (TradeService): proto <-> domain translation only (style.md, habit 1).

Rules live in `domain`, `progress` and `reconciliation.domain`, transactions in `commands` and
`reconciliation.commands`; errors raised there
become gRPC status codes in the shared interceptor. DockOrders answers each batch as it commits,
so a stream cut off mid-way leaves the platform knowing exactly which batches to resend.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from livecommerce.common.v1 import paging_pb2
from livecommerce.runtime.identity import Caller, caller
from livecommerce.runtime.timestamps import read
from livecommerce.trade.v1 import trade_pb2 as pb
from livecommerce.trade.v1 import trade_pb2_grpc
from services.trade import convert, tenancy
from services.trade.commands import BatchOutcome, Prepared, Trades
from services.trade.reconciliation import convert as reconciliation_convert
from services.trade.reconciliation.commands import Reconciliations


class TradeApi(trade_pb2_grpc.TradeServiceServicer):
    def __init__(self, trades: Trades, reconciliations: Reconciliations) -> None:
        self._trades, self._reconciliations = trades, reconciliations

    async def DockOrders(self, request_iterator: AsyncIterator[pb.DockOrdersRequest], context) -> AsyncIterator[pb.DockOrdersResponse]:
        who = caller(context)
        tenancy.platform_of(who, "docks orders")  # refused before the first batch is read
        # The stream is read and checked (CPU, no I/O) while the batch before commits, so the
        # database and this process work at once; batches still commit one after another, in
        # order, and each acknowledgement leaves as soon as its batch commits.
        pipeline = _Pipeline(self._trades, who, request_iterator)
        try:
            while (item := await pipeline.committed.get()) is not None:
                request_id, committing = item
                yield convert.acknowledgement(request_id, await committing)
            await pipeline.reading  # a batch refused whole ends the stream with its error, after the acknowledgements before it
        finally:
            pipeline.close()

    async def GetOrder(self, request: pb.GetOrderRequest, context) -> pb.GetOrderResponse:
        row = await self._trades.get(caller(context), tenancy.parse_order_id(request.order_id))
        return pb.GetOrderResponse(order=convert.order_pb(row))

    async def ListOrders(self, request: pb.ListOrdersRequest, context) -> pb.ListOrdersResponse:
        rows, token = await self._trades.page(
            caller(context), merchant_id=request.merchant_id, session_id=request.session_id,
            token=request.page.page_token, size=request.page.page_size,
        )
        return pb.ListOrdersResponse(orders=[convert.order_pb(r) for r in rows], page=paging_pb2.PageResponse(next_page_token=token))

    async def ReconcileSession(self, request: pb.ReconcileSessionRequest, context) -> pb.ReconcileSessionResponse:
        report = await self._reconciliations.session(
            caller(context), session_id=request.session_id, platform_count=request.order_count,
            platform_amount_fen=request.amount_fen, platform_orders=[(o.external_order_id, o.amount_fen) for o in request.orders],
            request_id=request.request_id,
        )
        return reconciliation_convert.report_pb(report)

    async def ReconcilePlatform(self, request: pb.ReconcilePlatformRequest, context) -> pb.ReconcilePlatformResponse:
        report = await self._reconciliations.platform(
            caller(context), start=read(request, "period_start"), end=read(request, "period_end"),
            platform_count=request.order_count, platform_amount_fen=request.amount_fen,
            sessions=[(s.session_id, s.order_count, s.amount_fen) for s in request.sessions], request_id=request.request_id,
        )
        return reconciliation_convert.platform_report_pb(report)

    async def ListReconciliations(self, request: pb.ListReconciliationsRequest, context) -> pb.ListReconciliationsResponse:
        nights, token = await self._reconciliations.nights(caller(context), token=request.page.page_token, size=request.page.page_size)
        return pb.ListReconciliationsResponse(
            reconciliations=[reconciliation_convert.night_pb(n) for n in nights], page=paging_pb2.PageResponse(next_page_token=token)
        )


class _Pipeline:
    """Reads a docking stream ahead: each batch checked as it arrives and its commit started as
    soon as the batch before has committed; at most `AHEAD` batches wait for their acknowledgement."""

    AHEAD = 2

    def __init__(self, trades: Trades, who: Caller, requests: AsyncIterator[pb.DockOrdersRequest]) -> None:
        self._trades, self._who = trades, who
        self.committed: asyncio.Queue[tuple[str, asyncio.Task[BatchOutcome]] | None] = asyncio.Queue(self.AHEAD)
        self._tasks: list[asyncio.Task[BatchOutcome]] = []
        self.reading = asyncio.create_task(self._read(requests))

    async def _read(self, requests: AsyncIterator[pb.DockOrdersRequest]) -> None:
        previous: asyncio.Task[BatchOutcome] | None = None
        try:
            async for batch in requests:
                prepared = self._trades.prepare(self._who, convert.batch(batch.orders), request_id=batch.request_id)
                previous = asyncio.create_task(self._commit_after(previous, prepared))
                self._tasks = [t for t in self._tasks if not t.done()] + [previous]
                await self.committed.put((batch.request_id, previous))
        finally:
            await self.committed.put(None)

    async def _commit_after(self, previous: asyncio.Task[BatchOutcome] | None, prepared: Prepared) -> BatchOutcome:
        if previous is not None:
            await previous  # in order; a batch that failed stops the ones after it
        return await self._trades.commit(prepared)

    def close(self) -> None:
        """The stream ended or broke: nothing more is read, and what was not acknowledged is rolled back."""
        self.reading.cancel()
        for task in self._tasks:
            task.cancel()
        finished: list[asyncio.Task] = [self.reading, *self._tasks]
        for task in finished:  # their errors reached the client already, or never will
            if task.done() and not task.cancelled():
                task.exception()
