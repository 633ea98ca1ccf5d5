"""gRPC API of orders (TradeService): proto <-> domain translation only (style.md, habit 1).

Rules live in `domain` and `reconciliation`, transactions in `commands`; errors raised there
become gRPC status codes in the shared interceptor. DockOrders answers each batch as it commits,
so a stream cut off mid-way leaves the platform knowing exactly which batches to resend.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from livecommerce.common.v1 import paging_pb2
from livecommerce.runtime.identity import caller
from livecommerce.trade.v1 import trade_pb2 as pb
from livecommerce.trade.v1 import trade_pb2_grpc
from services.trade import convert, tenancy
from services.trade.commands import Trades


class TradeApi(trade_pb2_grpc.TradeServiceServicer):
    def __init__(self, trades: Trades) -> None:
        self._trades = trades

    async def DockOrders(self, request_iterator: AsyncIterator[pb.DockOrdersRequest], context) -> AsyncIterator[pb.DockOrdersResponse]:
        who = caller(context)
        tenancy.platform_of(who, "docks orders")  # refused before the first batch is read
        async for batch in request_iterator:
            outcome = await self._trades.dock(who, [convert.order(o) for o in batch.orders], request_id=batch.request_id)
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
        report = await self._trades.reconcile(
            caller(context), session_id=request.session_id, platform_count=request.order_count,
            platform_amount_fen=request.amount_fen, platform_orders=[(o.external_order_id, o.amount_fen) for o in request.orders],
            request_id=request.request_id,
        )
        return convert.report_pb(report)
