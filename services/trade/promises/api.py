"""gRPC API of promises (PromiseService, SES-10): proto <-> domain translation only."""

from __future__ import annotations

from livecommerce.runtime.identity import caller
from livecommerce.trade.v1 import promises_pb2 as pb
from livecommerce.trade.v1 import promises_pb2_grpc
from services.trade import tenancy
from services.trade.promises.commands import Promises


class PromiseApi(promises_pb2_grpc.PromiseServiceServicer):
    def __init__(self, promises: Promises) -> None:
        self._promises = promises

    async def ReportPromiseOutcome(self, request: pb.ReportPromiseOutcomeRequest, context) -> pb.ReportPromiseOutcomeResponse:
        await self._promises.report(
            caller(context), order_id=tenancy.parse_order_id(request.order_id), promise_id=request.promise_id, kept=request.kept,
            detail=request.detail, request_id=request.request_id,
        )  # fmt: skip
        return pb.ReportPromiseOutcomeResponse()

    async def ListSessionPromises(self, request: pb.ListSessionPromisesRequest, context) -> pb.ListSessionPromisesResponse:
        rows = await self._promises.session(caller(context), session_id=request.session_id)
        return pb.ListSessionPromisesResponse(promises=[
            pb.SessionPromise(
                promise_id=r["promise_id"], kind=r["kind"], text=r["text"], product_id=r["product_id"], responsible=r["responsible"],
                responsible_id=r["responsible_id"], orders=r["orders"], kept=r["kept"], broken=r["broken"],
                pending=r["orders"] - r["kept"] - r["broken"], broken_orders=[str(o) for o in r["broken_orders"]],
            )
            for r in rows
        ])  # fmt: skip
