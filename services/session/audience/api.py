"""gRPC API of viewer counts (AudienceService, SES-08): proto <-> domain only (style.md, habit 1).

The rules are in `domain`, the counter the active replica runs in `counter`. A refused message of
a ReportViewers stream ends the stream with its own error plus an ErrorInfo saying how many
messages were applied before it, so the edge server knows where to resume; an UNAVAILABLE has no
such count (the replica's counts went with it: resend the whole stream).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime

from google.protobuf import any_pb2
from google.rpc import error_details_pb2

from livecommerce.runtime.errors import DomainError, FieldViolation, InvalidArgument, NotFound, PreconditionFailed
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import audience_pb2 as pb
from livecommerce.session.v1 import audience_pb2_grpc
from services.session import tenancy
from services.session.audience.counter import Counter
from services.session.audience.domain import Counts, SessionCounts, check_batch

MAX_SESSIONS_PER_READ = 1000
TOTALS = ("joined", "duplicate_joins", "heartbeats", "heartbeat_joins", "left", "unknown_leaves")


class RefusedInStream(DomainError):
    """A message of a client stream refused: its error, and how many messages before it applied."""

    def __init__(self, error: DomainError, applied: int, request_id: str) -> None:
        self.grpc_code, self._error, self.applied, self.request_id = error.grpc_code, error, applied, request_id
        super().__init__(f"{error} (message {applied + 1} of the stream changed nothing; the {applied} before it were applied)")

    def details(self) -> list[any_pb2.Any]:
        metadata = {"applied_messages": str(self.applied)}
        if self.request_id:
            metadata["request_id"] = self.request_id
        info = any_pb2.Any()
        info.Pack(error_details_pb2.ErrorInfo(reason="MESSAGE_REFUSED", domain="livecommerce", metadata=metadata))
        return [*self._error.details(), info]


def _moment(at: datetime | None):
    return stamp(at) if at is not None else None


def session_pb(session_id: uuid.UUID, counts: SessionCounts) -> pb.SessionViewers:
    return pb.SessionViewers(
        session_id=str(session_id), current=counts.current, peak=counts.peak, peak_at=_moment(counts.peak_at), live=counts.live,
        unknown_leaves=counts.unknown_leaves, timed_out=counts.timed_out,
    )


def platform_pb(counts: Counts | None) -> pb.PlatformViewers | None:
    if counts is None:
        return None
    return pb.PlatformViewers(current=counts.current, peak=counts.peak, peak_at=_moment(counts.peak_at))


class AudienceApi(audience_pb2_grpc.AudienceServiceServicer):
    def __init__(self, counter: Counter) -> None:
        self._counter = counter

    async def ReportViewers(self, request_iterator: AsyncIterator[pb.ReportViewersRequest], context) -> pb.ReportViewersResponse:
        caller(context)  # an identity is required; the gateway's policy says whose (integration)
        response, applied, request_id = pb.ReportViewersResponse(), 0, ""
        timed_out_before: dict[uuid.UUID, int] = {}
        max_batch = self._counter.rules.max_batch
        try:
            async for message in request_iterator:  # bytes that are not a message raise here, as InvalidArgument
                request_id = message.request_id
                session_id = tenancy.parse_session_id(message.session_id)
                # Python strings made once from the message (each read of a repeated field makes new ones).
                joins, heartbeats, leaves = list(message.joins), list(message.heartbeats), list(message.leaves)
                check_batch(joins, heartbeats, leaves, max_batch=max_batch)  # SES-08: refused whole, before any change
                audience = await self._counter.ready([session_id])
                timed_out_before.setdefault(session_id, audience.timed_out(session_id))
                done = self._counter.apply(audience, session_id, joins, heartbeats, leaves)
                applied, request_id = applied + 1, ""
                for name in TOTALS:
                    setattr(response, name, getattr(response, name) + getattr(done, name))
        except (InvalidArgument, PreconditionFailed) as error:  # this message's own refusal
            # The runtime reads the stream to its end before the refusal leaves (grpc_server._drain).
            raise RefusedInStream(error, applied, request_id) from None
        # Anything else (UNAVAILABLE: this replica stepped down or died under the stream) carries no
        # count: what it applied is gone with its counts, and the edge resends the whole stream.
        await self._counter.durable()  # the peaks these messages reached, before saying so
        audience = self._counter.live()
        response.messages = applied
        response.timed_out = sum(audience.timed_out(s) - before for s, before in timed_out_before.items())
        return response

    async def GetViewerCounts(self, request: pb.GetViewerCountsRequest, context) -> pb.GetViewerCountsResponse:
        who = caller(context)
        if len(request.session_ids) > MAX_SESSIONS_PER_READ:
            raise InvalidArgument([FieldViolation("session_ids", f"at most {MAX_SESSIONS_PER_READ} sessions per read")])
        ids = [tenancy.parse_session_id(s, field=f"session_ids[{i}]") for i, s in enumerate(request.session_ids)]
        audience = await self._counter.ready(ids)
        for session_id in ids:
            if not self._counter.visible(audience, who, session_id):  # PLT-04: another's reads as missing
                raise NotFound("session", str(session_id))
        # Figures first, then a checkpoint covering them: a peak is shown only once durable.
        sessions = [session_pb(s, audience.session(s)) for s in ids]
        platform = platform_pb(audience.platform()) if who.role != "merchant" else None
        await self._counter.durable()
        rules = self._counter.rules
        return pb.GetViewerCountsResponse(
            sessions=sessions, platform=platform, exact_from=_moment(self._counter.exact_from),
            heartbeat_seconds=rules.heartbeat_seconds, timeout_seconds=rules.timeout_seconds,
        )

    async def WatchViewerCounts(self, request: pb.WatchViewerCountsRequest, context) -> AsyncIterator[pb.WatchViewerCountsResponse]:
        who, session_id = caller(context), tenancy.parse_session_id(request.session_id)
        async with self._counter.watch(who, session_id) as watch:
            while True:
                counts, platform = await watch.next()
                yield pb.WatchViewerCountsResponse(session=session_pb(session_id, counts), platform=platform_pb(platform))
