"""A session service per test: real PostgreSQL database, real JetStream, real mutual TLS; its
calls carry an identity as the gateway forwards it. `upstream` publishes the anchor and product
services' real events (EventEnvelopes on their subjects), which is all the session service ever
learns of anchors and products."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable

import asyncpg
import pytest

from livecommerce.runtime.service import RunningService
from livecommerce.runtime.settings import Settings
from livecommerce.session.v1 import session_pb2_grpc
from services.session import service
from services.session.patrol_api import build_patrol
from services.session.service import DEFINITION
from tests.conftest import forwarded_identities, service_running, service_settings
from tests.session.upstream import Upstream


def session_settings(database_url: str, nats_url: str, subject_root: str, pki: dict, **overrides) -> Settings:
    return service_settings("session", database_url, nats_url, subject_root, pki, **overrides)


@pytest.fixture
def settings(database_url, datastores, subject_root, pki) -> Settings:
    return session_settings(database_url, datastores.nats_url, subject_root, pki)


@pytest.fixture
async def session_service(settings, clock) -> AsyncIterator[RunningService]:
    async with service_running(DEFINITION, settings, clock) as running:
        yield running


@pytest.fixture
async def stub_for(session_service, pki) -> AsyncIterator[Callable[..., session_pb2_grpc.SessionServiceStub]]:
    """stub_for(role, tenant="", principal=None) -> a SessionService stub carrying that identity."""
    async with forwarded_identities(session_service.port, pki) as open_channel:
        yield lambda *args, **kwargs: session_pb2_grpc.SessionServiceStub(open_channel(*args, **kwargs))


@pytest.fixture
async def merchant(stub_for) -> session_pb2_grpc.SessionServiceStub:
    """Merchant m-1's stub."""
    return stub_for("merchant", "m-1")


@pytest.fixture
async def officer(stub_for) -> session_pb2_grpc.SessionServiceStub:
    return stub_for("compliance_officer", principal="officer-wang")


@pytest.fixture
async def upstream(settings, clock, database_url, datastores) -> AsyncIterator[Upstream]:
    async with Upstream.connected(settings, clock, database_url, tls=datastores.nats_tls) as publisher:
        yield publisher


@pytest.fixture
def refreshing_every(monkeypatch) -> Callable[[float], None]:
    """refreshing_every(seconds): session services started afterwards in the test re-read the live
    lexicon version that often unprompted (LexiconPublished still wakes them at once)."""

    def use(seconds: float) -> None:
        monkeypatch.setattr(service, "build_patrol", functools.partial(build_patrol, refresh_seconds=seconds))

    return use


@pytest.fixture
async def db(database_url) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the session service's schema, to read what it stored."""
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "session"})
    try:
        yield conn
    finally:
        await conn.close()
