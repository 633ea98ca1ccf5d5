"""gRPC API of sessions (SessionService): proto <-> domain translation only (style.md, habit 1).

Rules live in the pure modules, transactions in `commands`, `emergency` and `review`, the room
feed in `rooms`; errors raised there become gRPC status codes in the shared interceptor.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from livecommerce.common.v1 import paging_pb2
from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import read
from livecommerce.session.v1 import session_pb2 as pb
from livecommerce.session.v1 import session_pb2_grpc
from services.session import tenancy
from services.session.commands import Sessions
from services.session.convert import CHECKLIST_ITEMS, PROMISE_KINDS, STATUSES, hit_pb, promise_pb, session_pb
from services.session.emergency import Emergency
from services.session.review import Review
from services.session.rooms import RoomFeed, catch_up


def _page(token: str) -> paging_pb2.PageResponse:
    return paging_pb2.PageResponse(next_page_token=token)


def _id(request) -> uuid.UUID:
    return tenancy.parse_session_id(request.session_id)


class SessionApi(session_pb2_grpc.SessionServiceServicer):
    def __init__(self, sessions: Sessions, emergency: Emergency, review: Review, feed: RoomFeed) -> None:
        self._sessions, self._emergency, self._review, self._feed = sessions, emergency, review, feed

    async def ScheduleSession(self, request: pb.ScheduleSessionRequest, context) -> pb.ScheduleSessionResponse:
        row = await self._sessions.schedule(
            caller(context), anchor_id=request.anchor_id, room_id=request.room_id, title=request.title,
            planned_start=read(request, "planned_start"), product_ids=list(request.product_ids), request_id=request.request_id,
        )
        return pb.ScheduleSessionResponse(session=session_pb(row))

    async def CompleteChecklist(self, request: pb.CompleteChecklistRequest, context) -> pb.CompleteChecklistResponse:
        unknown = [i for i, item in enumerate(request.items) if item not in CHECKLIST_ITEMS]
        if unknown:
            raise InvalidArgument([FieldViolation(f"items[{i}]", "must be EQUIPMENT, NETWORK or SYSTEM_TEST", rule="SES-02") for i in unknown])
        items = [CHECKLIST_ITEMS[item] for item in request.items]
        row = await self._sessions.complete_checklist(caller(context), _id(request), items, request_id=request.request_id)
        return pb.CompleteChecklistResponse(session=session_pb(row))

    async def OpenRoom(self, request: pb.OpenRoomRequest, context) -> pb.OpenRoomResponse:
        row = await self._sessions.open_room(caller(context), _id(request), request_id=request.request_id)
        return pb.OpenRoomResponse(session=session_pb(row))

    async def EndSession(self, request: pb.EndSessionRequest, context) -> pb.EndSessionResponse:
        row = await self._sessions.end(caller(context), _id(request), request_id=request.request_id)
        return pb.EndSessionResponse(session=session_pb(row))

    async def StopStream(self, request: pb.StopStreamRequest, context) -> pb.StopStreamResponse:
        row = await self._emergency.stop_stream(caller(context), _id(request), reason=request.reason, request_id=request.request_id)
        return pb.StopStreamResponse(session=session_pb(row))

    async def TakeDownProduct(self, request: pb.TakeDownProductRequest, context) -> pb.TakeDownProductResponse:
        row = await self._emergency.take_down_product(
            caller(context), _id(request), request.product_id, reason=request.reason, request_id=request.request_id
        )
        return pb.TakeDownProductResponse(session=session_pb(row))

    async def BanAnchor(self, request: pb.BanAnchorRequest, context) -> pb.BanAnchorResponse:
        row, violation_id = await self._emergency.ban_anchor(caller(context), _id(request), reason=request.reason, request_id=request.request_id)
        return pb.BanAnchorResponse(session=session_pb(row), violation_id=violation_id)

    async def MuteViewer(self, request: pb.MuteViewerRequest, context) -> pb.MuteViewerResponse:
        row = await self._emergency.mute_viewer(
            caller(context), _id(request), request.viewer_id, reason=request.reason, request_id=request.request_id
        )
        return pb.MuteViewerResponse(state=row.room)

    async def RecordPromise(self, request: pb.RecordPromiseRequest, context) -> pb.RecordPromiseResponse:
        promise = await self._review.record_promise(
            caller(context), _id(request), kind=PROMISE_KINDS.get(request.kind), text=request.text, product_id=request.product_id,
            agency=request.responsible == pb.RESPONSIBLE_PARTY_AGENCY, made_at=read(request, "made_at"), request_id=request.request_id,
        )
        return pb.RecordPromiseResponse(promise=promise_pb(promise))

    async def ListPromises(self, request: pb.ListPromisesRequest, context) -> pb.ListPromisesResponse:
        rows, token = await self._review.promises(caller(context), _id(request), token=request.page.page_token, size=request.page.page_size)
        return pb.ListPromisesResponse(promises=[promise_pb(r) for r in rows], page=_page(token))

    async def ConfirmViolation(self, request: pb.ConfirmViolationRequest, context) -> pb.ConfirmViolationResponse:
        hit_id = tenancy.parse_session_id(request.hit_id, field="hit_id")
        hit = await self._review.confirm_violation(caller(context), _id(request), hit_id, reason=request.reason, request_id=request.request_id)
        return pb.ConfirmViolationResponse(hit=hit_pb(hit))

    async def GetSession(self, request: pb.GetSessionRequest, context) -> pb.GetSessionResponse:
        return pb.GetSessionResponse(session=session_pb(await self._sessions.get(caller(context), _id(request))))

    async def ListSessions(self, request: pb.ListSessionsRequest, context) -> pb.ListSessionsResponse:
        rows, token = await self._sessions.page(
            caller(context), merchant_id=request.merchant_id, anchor_id=request.anchor_id, status=STATUSES.get(request.status),
            token=request.page.page_token, size=request.page.page_size,
        )
        return pb.ListSessionsResponse(sessions=[session_pb(r) for r in rows], page=_page(token))

    async def ListSessionHits(self, request: pb.ListSessionHitsRequest, context) -> pb.ListSessionHitsResponse:
        rows, token = await self._review.hits(caller(context), _id(request), token=request.page.page_token, size=request.page.page_size)
        return pb.ListSessionHitsResponse(hits=[hit_pb(r) for r in rows], page=_page(token))

    async def WatchRoom(self, request: pb.WatchRoomRequest, context) -> AsyncIterator[pb.WatchRoomResponse]:
        """The state (or the updates after `after_sequence`) from the log, then each update as it
        commits; subscribed before the log is read, so nothing falls between the two."""
        who, session_id = caller(context), _id(request)
        if request.after_sequence < 0:
            raise InvalidArgument([FieldViolation("after_sequence", "must not be negative")])
        async with self._feed.subscribe(session_id) as subscription:
            first = await self._sessions.watch_start(who, session_id, lambda conn, row: catch_up(conn, row, request.after_sequence))
            last = request.after_sequence
            for update in first:
                last = update.sequence
                yield pb.WatchRoomResponse(update=update)
            subscription.caught_up(last)
            while True:
                response = await subscription.next()
                if response.update.sequence <= last:
                    continue
                last = response.update.sequence
                yield response
