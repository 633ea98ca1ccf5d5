"""gRPC API of after-sales (AfterSalesService, TRD-04 / TRD-05): proto <-> domain translation only."""

from __future__ import annotations

import uuid

import asyncpg

from livecommerce.common.v1 import paging_pb2
from livecommerce.runtime.formats import parse_uuid
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import aftersales_pb2 as pb
from livecommerce.trade.v1 import aftersales_pb2_grpc
from services.trade import tenancy
from services.trade.aftersales import domain
from services.trade.aftersales.commands import AfterSalesDesk

KINDS = {
    pb.AFTER_SALES_KIND_RETURN: domain.Kind.RETURN,
    pb.AFTER_SALES_KIND_EXCHANGE: domain.Kind.EXCHANGE,
    pb.AFTER_SALES_KIND_REFUND: domain.Kind.REFUND,
}
REASONS = {
    pb.AFTER_SALES_REASON_NO_REASON: domain.Reason.NO_REASON,
    pb.AFTER_SALES_REASON_QUALITY: domain.Reason.QUALITY,
    pb.AFTER_SALES_REASON_WRONG_ITEM: domain.Reason.WRONG_ITEM,
    pb.AFTER_SALES_REASON_NOT_RECEIVED: domain.Reason.NOT_RECEIVED,
    pb.AFTER_SALES_REASON_OTHER: domain.Reason.OTHER,
}
STATES = {
    domain.State.OPEN: pb.AFTER_SALES_STATE_OPEN,
    domain.State.RESPONDED: pb.AFTER_SALES_STATE_RESPONDED,
    domain.State.COMPLETED: pb.AFTER_SALES_STATE_COMPLETED,
    domain.State.REJECTED: pb.AFTER_SALES_STATE_REJECTED,
}
_KINDS_PB = {k: n for n, k in KINDS.items()}
_REASONS_PB = {r: n for n, r in REASONS.items()}


def _id(value: str) -> uuid.UUID:
    return parse_uuid(value, "after_sales_id", "must be an after-sales id this service issued (a UUID)")


def after_sales_pb(r: asyncpg.Record) -> pb.AfterSales:
    return pb.AfterSales(
        after_sales_id=str(r["request_id"]), order_id=str(r["order_id"]), merchant_id=r["merchant_id"],
        kind=_KINDS_PB[domain.Kind(r["kind"])], reason=_REASONS_PB[domain.Reason(r["reason"])], description=r["description"],
        refund_fen=r["refund_fen"], state=STATES[domain.State(r["state"])], honoured=r["honoured"],
        opened_at=stamp(r["opened_at"]), respond_by=stamp(r["respond_by"]), resolve_by=stamp(r["resolve_by"]),
        responded_at=stamp(r["responded_at"]), response=r["response"], resolved_at=stamp(r["resolved_at"]),
        resolution=r["resolution"], response_escalated_at=stamp(r["response_escalated_at"]),
        resolution_escalated_at=stamp(r["resolution_escalated_at"]),
    )  # fmt: skip


class AfterSalesApi(aftersales_pb2_grpc.AfterSalesServiceServicer):
    def __init__(self, desk: AfterSalesDesk) -> None:
        self._desk = desk

    async def _view(self, context, after_sales_id: uuid.UUID) -> pb.AfterSales:
        return after_sales_pb(await self._desk.get(caller(context), after_sales_id))

    async def OpenAfterSales(self, request: pb.OpenAfterSalesRequest, context) -> pb.OpenAfterSalesResponse:
        opening = domain.Opening(KINDS.get(request.kind), REASONS.get(request.reason), request.description, request.refund_fen)
        after_sales_id = await self._desk.open(
            caller(context), order_id=tenancy.parse_order_id(request.order_id), opening=opening, request_id=request.request_id
        )
        return pb.OpenAfterSalesResponse(after_sales=await self._view(context, after_sales_id))

    async def RespondAfterSales(self, request: pb.RespondAfterSalesRequest, context) -> pb.RespondAfterSalesResponse:
        after_sales_id = _id(request.after_sales_id)
        await self._desk.respond(
            caller(context), after_sales_id=after_sales_id, accept=request.accept, response=request.response, request_id=request.request_id
        )
        return pb.RespondAfterSalesResponse(after_sales=await self._view(context, after_sales_id))

    async def SettleAfterSales(self, request: pb.SettleAfterSalesRequest, context) -> pb.SettleAfterSalesResponse:
        after_sales_id = _id(request.after_sales_id)
        await self._desk.resolve(
            caller(context), after_sales_id=after_sales_id, completed=request.completed, resolution=request.resolution,
            request_id=request.request_id,
        )
        return pb.SettleAfterSalesResponse(after_sales=await self._view(context, after_sales_id))

    async def GetAfterSales(self, request: pb.GetAfterSalesRequest, context) -> pb.GetAfterSalesResponse:
        return pb.GetAfterSalesResponse(after_sales=await self._view(context, _id(request.after_sales_id)))

    async def ListAfterSales(self, request: pb.ListAfterSalesRequest, context) -> pb.ListAfterSalesResponse:
        order_id = tenancy.parse_order_id(request.order_id) if request.order_id else None
        rows, token = await self._desk.page(
            caller(context), merchant_id=request.merchant_id, order_id=order_id, token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListAfterSalesResponse(after_sales=[after_sales_pb(r) for r in rows], page=paging_pb2.PageResponse(next_page_token=token))
