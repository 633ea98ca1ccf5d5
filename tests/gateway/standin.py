"""A stand-in anchor service for gateway tests that need no database: the runtime's real server
start-up (TLS, decoding, health), with an AnchorService that counts calls and can be told to
answer UNAVAILABLE, as a replica that lost its lease does, or answer late."""

from __future__ import annotations

import asyncio
from collections import Counter

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.runtime.errors import Unavailable
from livecommerce.runtime.grpc_server import GrpcServer, start_grpc_server
from livecommerce.runtime.tls import TlsFiles


class StandInAnchors(anchor_pb2_grpc.AnchorServiceServicer):
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.unavailable_for = 0
        """How many calls to answer UNAVAILABLE before answering normally."""
        self.answer_after = 0.0
        """Seconds each call takes before its answer (a slow replica; a client's deadline passes)."""

    async def _arrive(self, method: str) -> None:
        self.calls[method] += 1
        if self.answer_after:
            await asyncio.sleep(self.answer_after)
        if self.unavailable_for > 0:
            self.unavailable_for -= 1
            raise Unavailable("this replica is not the active one (PLT-03)")

    async def GetAnchor(self, request, context):
        await self._arrive("GetAnchor")
        return pb.GetAnchorResponse(anchor=pb.Anchor(anchor_id=request.anchor_id))

    async def RegisterAnchor(self, request, context):
        await self._arrive("RegisterAnchor")
        return pb.RegisterAnchorResponse(anchor=pb.Anchor(anchor_id=f"for-{request.request_id}"))


async def start_standin(tls: TlsFiles) -> tuple[GrpcServer, StandInAnchors]:
    servicer = StandInAnchors()
    server = await start_grpc_server(
        register=lambda s: anchor_pb2_grpc.add_AnchorServiceServicer_to_server(servicer, s),
        service_names=["livecommerce.anchor.v1.AnchorService"],
        host="127.0.0.1",
        port=0,
        tls=tls,
    )
    return server, servicer
