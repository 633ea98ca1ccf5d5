"""Two replicas of the anchor service started at once against one database and broker (PLT-03)."""

from __future__ import annotations

import asyncio

from grpc_health.v1 import health_pb2, health_pb2_grpc

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.service import start_service
from services.anchor.service import DEFINITION
from tests.anchor.builders import profile
from tests.conftest import server_tls


async def test_PLT_03_two_replicas_start_together_and_both_serve(settings, clock, pki):
    first, second = await asyncio.gather(
        start_service(DEFINITION, settings, clock=clock), start_service(DEFINITION, settings, clock=clock)
    )
    caller = Caller(principal="officer", role="compliance_officer")
    try:
        registered = None
        for replica in (first, second):
            async with secure_channel(f"127.0.0.1:{replica.port}", server_tls(pki, "gateway"), caller=Caller("a", "agency", "ag-1")) as channel:
                health = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=DEFINITION.service_names[0]))
                assert health.status == health_pb2.HealthCheckResponse.SERVING
                if registered is None:
                    registered = (await anchor_pb2_grpc.AnchorServiceStub(channel).RegisterAnchor(pb.RegisterAnchorRequest(profile=profile()))).anchor
        async with secure_channel(f"127.0.0.1:{second.port}", server_tls(pki, "gateway"), caller=caller) as channel:
            read = (await anchor_pb2_grpc.AnchorServiceStub(channel).GetAnchor(pb.GetAnchorRequest(anchor_id=registered.anchor_id))).anchor
        assert read.anchor_id == registered.anchor_id  # one database behind both
    finally:
        await asyncio.gather(first.stop(0.5), second.stop(0.5))
