"""A trade service per test: real PostgreSQL database, real JetStream, real mutual TLS; its calls
carry an identity as the gateway forwards it (tests/conftest.py, forwarded_identities)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import asyncpg
import grpc
import pytest

from livecommerce.runtime.service import RunningService
from livecommerce.runtime.settings import Settings
from livecommerce.trade.v1 import trade_pb2_grpc
from services.trade.service import DEFINITION
from tests.conftest import forwarded_identities, service_running, service_settings


def trade_settings(database_url: str, nats_url: str, subject_root: str, pki: dict, **overrides) -> Settings:
    return service_settings("trade", database_url, nats_url, subject_root, pki, **overrides)


@pytest.fixture
def settings(database_url, datastores, subject_root, pki) -> Settings:
    return trade_settings(database_url, datastores.nats_url, subject_root, pki)


@pytest.fixture
async def trade_service(settings, clock) -> AsyncIterator[RunningService]:
    async with service_running(DEFINITION, settings, clock) as running:
        yield running


@pytest.fixture
async def channel_for(trade_service, pki) -> AsyncIterator[Callable[..., grpc.aio.Channel]]:
    """channel_for(role, tenant="", principal=None) -> a channel to the service whose calls carry that identity."""
    async with forwarded_identities(trade_service.port, pki) as open_channel:
        yield open_channel


@pytest.fixture
async def stub_for(channel_for) -> Callable[..., trade_pb2_grpc.TradeServiceStub]:
    """stub_for(role, tenant="", principal=None) -> a TradeService stub whose calls carry that identity."""
    return lambda role, tenant="", principal=None: trade_pb2_grpc.TradeServiceStub(channel_for(role, tenant, principal))


@pytest.fixture
async def taobao(stub_for) -> trade_pb2_grpc.TradeServiceStub:
    """Trading platform taobao's stub."""
    return stub_for("trading_platform", "taobao")


@pytest.fixture
async def db(database_url, trade_service) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the trade service's schema, to read what it stored."""
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "trade"})
    try:
        yield conn
    finally:
        await conn.close()
