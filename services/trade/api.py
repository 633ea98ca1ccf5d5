"""gRPC API of orders (TradeService): proto <-> domain translation only (style.md, habit 1).

Rules live in `domain`, `progress` and `reconciliation.domain`, transactions in `commands` and
`reconciliation.commands`; errors raised there
become gRPC status codes in the shared interceptor. DockOrders answers each batch as it commits,
so a stream cut off mid-way leaves the platform knowing exactly which batches to resend.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from livecommerce.common.v1 import paging_pb2
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import read
from livecommerce.trade.v1 import trade_pb2 as pb
from livecommerce.trade.v1 import trade_pb2_grpc
from services.trade import convert, tenancy
from services.trade.commands import Trades
from services.trade.reconciliation import convert as reconciliation_convert
from services.trade.reconciliation.commands import Reconciliations


class TradeApi(trade_pb2_grpc.TradeServiceServicer):
    def __init__(self, trades: Trades, reconciliations: Reconciliations) -> None:
        self._trades, self._reconciliations = trades, reconciliations

    async def DockOrders(self, request_iterator: AsyncIterator[pb.DockOrdersRequest], context) -> AsyncIterator[pb.DockOrdersResponse]:
        who = caller(context)
        tenancy.platform_of(who, "docks orders")  # refused before the first batch is read
        async for batch in request_iterator:
            outcome = await self._trades.dock(who, convert.batch(batch.orders), request_id=batch.request_id)
            yield convert.acknowledgement(batch.request_id, outcome)

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
