"""gRPC API of shipping (ShippingService, TRD-03): proto <-> domain translation only."""

from __future__ import annotations

from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import read, stamp
from livecommerce.trade.v1 import shipping_pb2 as pb
from livecommerce.trade.v1 import shipping_pb2_grpc
from services.trade import tenancy
from services.trade.shipping import domain
from services.trade.shipping.commands import Shipping

_KINDS = {
    pb.LOGISTICS_KIND_PICKED_UP: domain.LogisticsKind.PICKED_UP,
    pb.LOGISTICS_KIND_IN_TRANSIT: domain.LogisticsKind.IN_TRANSIT,
    pb.LOGISTICS_KIND_DELIVERED: domain.LogisticsKind.DELIVERED,
    pb.LOGISTICS_KIND_FAILED: domain.LogisticsKind.FAILED,
}
_KINDS_PB = {kind: number for number, kind in _KINDS.items()}


class ShippingApi(shipping_pb2_grpc.ShippingServiceServicer):
    def __init__(self, shipping: Shipping) -> None:
        self._shipping = shipping

    async def RecordLogistics(self, request: pb.RecordLogisticsRequest, context) -> pb.RecordLogisticsResponse:
        e = request.event
        event = domain.LogisticsEvent(_KINDS.get(e.kind), e.carrier, e.tracking_number, read(e, "at"), e.note)
        order_id = await self._shipping.record_logistics(
            caller(context), external_order_id=request.external_order_id, event=event, request_id=request.request_id
        )
        return pb.RecordLogisticsResponse(order_id=str(order_id))

    async def GetShipping(self, request: pb.GetShippingRequest, context) -> pb.GetShippingResponse:
        view = await self._shipping.get(caller(context), tenancy.parse_order_id(request.order_id))
        return pb.GetShippingResponse(
            order_id=str(view.order_id), ship_by=stamp(view.ship_by), promised=view.promised, shipped_at=stamp(view.shipped_at),
            delivered_at=stamp(view.delivered_at), overdue=view.overdue,
            logistics=[
                pb.LogisticsEvent(kind=_KINDS_PB[e.kind], carrier=e.carrier, tracking_number=e.tracking_number, at=stamp(e.at), note=e.note)
                for e in view.logistics if e.kind is not None
            ],
        )  # fmt: skip
