"""gRPC API of the prohibited-goods list (ProhibitedGoodsService): proto <-> domain translation
only (style.md, habit 1); rules in `prohibited`, transactions in `lists`."""

from __future__ import annotations

from livecommerce.product.v1 import prohibited_pb2 as pb
from livecommerce.product.v1 import prohibited_pb2_grpc
from livecommerce.runtime.actors import actor_pb
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import stamp
from services.product.list_store import ListRow
from services.product.lists import ProhibitedLists


def _info(row: ListRow) -> pb.ProhibitedListInfo:
    return pb.ProhibitedListInfo(
        version=row.version,
        live=row.live,
        entry_count=row.entry_count,
        proposed_at=stamp(row.proposed_at),
        proposed_by=actor_pb(row.proposed_by),
        published_at=stamp(row.published_at),
        published_by=actor_pb(row.published_by),
        publish_reason=row.publish_reason,
    )


class ProhibitedGoodsApi(prohibited_pb2_grpc.ProhibitedGoodsServiceServicer):
    def __init__(self, lists: ProhibitedLists) -> None:
        self._lists = lists

    async def GetProhibitedList(self, request: pb.GetProhibitedListRequest, context) -> pb.GetProhibitedListResponse:
        caller(context)  # an identity is required, whoever it is
        row = await self._lists.get(request.version)
        return pb.GetProhibitedListResponse(info=_info(row), list=row.list if request.include_entries else None)

    async def ProposeProhibitedList(self, request: pb.ProposeProhibitedListRequest, context) -> pb.ProposeProhibitedListResponse:
        row = await self._lists.propose(caller(context), request.list, request_id=request.request_id)
        return pb.ProposeProhibitedListResponse(info=_info(row))

    async def PublishProhibitedList(self, request: pb.PublishProhibitedListRequest, context) -> pb.PublishProhibitedListResponse:
        done = await self._lists.publish(caller(context), request.version, reason=request.reason, request_id=request.request_id)
        return pb.PublishProhibitedListResponse(
            info=_info(done.info),
            previous_version=done.previous_version,
            delisted=[
                pb.DelistedByList(product_id=t.product_id, merchant_id=t.merchant_id, entry_id=t.entry_id, matched=t.matched)
                for t in done.delisted
            ],
        )
