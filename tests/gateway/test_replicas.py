"""The gateway's view of which replica is active (PLT-03), over real sockets and mutual TLS:
health Watch streams push each change; a refused call makes it ask every replica once."""

from __future__ import annotations

import asyncio

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from gateway.replicas import Replicas
from tests.conftest import server_tls

SERVING, NOT_SERVING = health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING


async def replica(pki, status) -> tuple[grpc.aio.Server, health.aio.HealthServicer, str]:
    server, servicer = grpc.aio.server(), health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_secure_port("127.0.0.1:0", server_tls(pki, "anchor").server_credentials())
    await server.start()
    await servicer.set("", status)
    return server, servicer, f"localhost:{port}"


async def active_becomes(replicas: Replicas, target: str | None) -> None:
    async with asyncio.timeout(5):
        while replicas.active != target:
            await asyncio.sleep(0.005)


async def test_PLT_03_the_gateway_follows_promotions_deaths_and_transient_refusals(pki):
    (a_server, a_health, a), (b_server, b_health, b) = await replica(pki, SERVING), await replica(pki, NOT_SERVING)
    replicas = Replicas([a, b], server_tls(pki, "gateway"))
    try:
        await active_becomes(replicas, a)
        assert await replicas.channel(within=1) is replicas.channels[a]

        await b_health.set("", SERVING)  # b took the lease: pushed, no poll to wait for
        await active_becomes(replicas, b)
        await a_health.set("", NOT_SERVING)  # a learns it lost the lease

        replicas.forget(replicas.channels[b])  # a call was refused, yet b still leads
        assert replicas.active is None
        await active_becomes(replicas, b)  # the recheck finds it again; its stream alone would stay silent

        await b_server.stop(None)  # b dies: its stream breaks, and nobody is active until a says so
        await active_becomes(replicas, None)
        assert await replicas.channel(within=0.2) is None
        await a_health.set("", SERVING)  # a takes the lease over
        await active_becomes(replicas, a)
    finally:
        await replicas.close()
        await a_server.stop(None)
        await b_server.stop(None)
