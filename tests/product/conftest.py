"""A product service per test: real PostgreSQL database, real JetStream, real mutual TLS; its
calls carry an identity as the gateway forwards it (tests/product/test_gateway.py goes through a
real gateway with client certificates)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from livecommerce.product.v1 import product_pb2_grpc, prohibited_pb2_grpc
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.service import RunningService, start_service
from livecommerce.runtime.settings import Secret, Settings
from services.product.service import DEFINITION
from tests.conftest import bounded, server_tls


def product_settings(database_url: str, nats_url: str, subject_root: str, pki: dict, **overrides) -> Settings:
    return Settings(
        service="product", database_url=database_url, nats_url=nats_url, tls=server_tls(pki, "product"),
        pii_key=Secret(os.urandom(32)),
        subject_root=subject_root, **overrides,
    )


@pytest.fixture
def settings(database_url, datastores, subject_root, pki) -> Settings:
    return product_settings(database_url, datastores.nats_url, subject_root, pki)


@pytest.fixture
async def product_service(settings, clock) -> AsyncIterator[RunningService]:
    running = await start_service(DEFINITION, settings, clock=clock)
    try:
        yield running
    finally:
        await bounded(running.stop(grace_seconds=0.5), "stop the product service")


@dataclass(frozen=True)
class Stubs:
    products: product_pb2_grpc.ProductServiceStub
    lists: prohibited_pb2_grpc.ProhibitedGoodsServiceStub


@pytest.fixture
async def stubs_for(product_service, pki) -> AsyncIterator[Callable[..., Stubs]]:
    """stubs_for(role, tenant="", principal=None) -> Stubs whose calls carry that identity, over a
    channel presenting the gateway's certificate (as the real gateway's calls do)."""
    channels = []

    def make(role: str, tenant: str = "", principal: str | None = None) -> Stubs:
        caller = Caller(principal=principal or f"{role}-{tenant or 'tester'}", role=role, tenant=tenant)
        channel = secure_channel(f"127.0.0.1:{product_service.port}", server_tls(pki, "gateway"), caller=caller)
        channels.append(channel)
        return Stubs(product_pb2_grpc.ProductServiceStub(channel), prohibited_pb2_grpc.ProhibitedGoodsServiceStub(channel))

    yield make
    for channel in channels:
        await bounded(channel.close(), "close a client channel")
