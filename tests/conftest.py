"""Real datastores and a real PKI for the whole test session.

With DATABASE_URL and NATS_URL set, tests use those servers; otherwise they start a private
PostgreSQL and nats-server in a temporary directory (fault tests need those: they kill and
restart them). Each test gets its own database and its own subject root, so tests never collide.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
import pytest

from livecommerce.devstack.nats import LocalNats
from livecommerce.devstack.nats_users import broker_users
from livecommerce.devstack.postgres import LocalPostgres, with_database
from livecommerce.runtime.clock import ManualClock
from livecommerce.runtime.identity import ROLES
from livecommerce.runtime.tls import TlsFiles

SERVICES = ["anchor", "product", "session", "trade", "complaint"]


async def bounded(awaitable, what: str, seconds: float = 30.0):
    """Teardown must not hang a whole run: on timeout, print every task's stack and fail loudly."""
    import asyncio
    import sys

    try:
        async with asyncio.timeout(seconds):
            return await awaitable
    except TimeoutError:
        for task in asyncio.all_tasks():
            task.print_stack(file=sys.stderr)
        raise AssertionError(f"teardown step hung for {seconds}s: {what}") from None


@dataclass
class Datastores:
    database_url: str
    nats_url: str
    nats_tls: TlsFiles
    """The certificate a test's own NATS connections present (`nats_client`)."""
    postgres: LocalPostgres | None
    nats: LocalNats | None

    def require_local(self) -> None:
        if self.postgres is None or self.nats is None:
            pytest.skip("fault tests need the test-owned PostgreSQL and NATS (unset DATABASE_URL/NATS_URL)")

    async def nats_client(self, name: str):
        """A test's connection to the broker (every one goes through here or through a service's
        settings): over mutual TLS with the tests' certificate when the URL is tls://."""
        from livecommerce.runtime import broker

        return await broker.connect(self.nats_url, name=name, tls=self.nats_tls)


TEST_CLIENT = "test-probe"
"""The tests' own certificate (a server certificate, so clientAuth too), for their NATS connections."""
NATS_USERS = broker_users(SERVICES, probes=[TEST_CLIENT])
"""Who the tests' brokers let in: each service's certificate, and the tests' own (without limits)."""


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> dict:
    """The test PKI, issued once per session: NATS requires it, so `datastores` needs it first."""
    from livecommerce.devstack.ca import ensure_dev_pki

    return ensure_dev_pki(tmp_path_factory.mktemp("pki"), roles=ROLES, services=[*SERVICES, TEST_CLIENT])


@pytest.fixture(scope="session")
def datastores(tmp_path_factory, pki) -> Iterator[Datastores]:
    """With NATS_URL set, a nats:// URL is used as it is (plain); a tls:// one must accept this
    session's test CA, so in practice it is a test-owned server."""
    database_url, nats_url = os.environ.get("DATABASE_URL"), os.environ.get("NATS_URL")
    if database_url and nats_url:
        yield Datastores(database_url, nats_url, server_tls(pki, TEST_CLIENT), None, None)
        return
    from livecommerce.devstack import LocalNats, LocalPostgres, nats_server_tls

    root = tmp_path_factory.mktemp("datastores")
    postgres, nats = LocalPostgres(root / "postgres"), LocalNats(root / "nats", tls=nats_server_tls(pki), users=NATS_USERS)
    postgres.start()
    nats.start()
    try:
        yield Datastores(postgres.url, nats.url, server_tls(pki, TEST_CLIENT), postgres, nats)
    finally:
        nats.stop()
        postgres.stop()


@pytest.fixture
async def database_url(datastores: Datastores) -> AsyncIterator[str]:
    """A fresh, empty database for one test; dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(datastores.database_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield with_database(datastores.database_url, name)
    admin = await asyncpg.connect(datastores.database_url)
    try:
        await bounded(admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'), f"drop database {name}")
    finally:
        await admin.close()


@pytest.fixture
async def probe_js(datastores: Datastores):
    """JetStream as the tests' probe, which may publish as any service: a service's own
    connection may publish only that service's events (PLT-05), so another service's events, as
    a test feeds them to the service under test, go through here."""
    nc = await datastores.nats_client("probe")
    yield nc.jetstream()
    await bounded(nc.close(), "close the probe's connection")


@pytest.fixture
def subject_root() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 23, 4, 0, tzinfo=UTC))


def server_tls(pki: dict, service: str):
    from livecommerce.runtime.tls import TlsFiles

    entry = pki["servers"][service]
    return TlsFiles(cert=entry["cert"], key=entry["key"], ca=pki["ca_cert"])


async def nats_client(url: str, pki: dict, name: str = "test"):
    """A test's connection to a NATS server of its own (LocalNats on this session's PKI), presenting
    the tests' certificate; `Datastores.nats_client` is the same for the shared broker."""
    from livecommerce.runtime import broker

    return await broker.connect(url, name=name, tls=server_tls(pki, TEST_CLIENT))


def client_tls(pki: dict, role: str):
    """The development client certificate of a role (role and tenant in its URI SAN)."""
    from livecommerce.runtime.tls import TlsFiles

    entry = pki["clients"][role]
    return TlsFiles(cert=entry["cert"], key=entry["key"], ca=pki["ca_cert"])


@contextlib.asynccontextmanager
async def forwarded_identities(port: int, pki: dict):
    """open(role, tenant="", principal=None) -> a channel to the service on `port` whose calls carry
    that identity. The channel presents the gateway's certificate, so the service trusts the
    identity it states, as it trusts the real gateway (tests/gateway proves the gateway sets it
    from certificates). Every channel is closed on exit."""
    from livecommerce.runtime.client import secure_channel
    from livecommerce.runtime.identity import Caller

    channels = []

    def open_channel(role: str, tenant: str = "", principal: str | None = None):
        caller = Caller(principal=principal or f"{role}-tester", role=role, tenant=tenant)
        channel = secure_channel(f"127.0.0.1:{port}", server_tls(pki, "gateway"), caller=caller)
        channels.append(channel)
        return channel

    try:
        yield open_channel
    finally:
        for channel in channels:
            await bounded(channel.close(), "close a client channel")


def service_settings(service: str, database_url: str, nats_url: str, subject_root: str, pki: dict, **overrides):
    """A replica's settings for tests: the service's server certificate from the test PKI, a fresh
    PII key unless one is given, the test's own database and subject root."""
    from livecommerce.runtime.settings import Secret, Settings

    overrides.setdefault("pii_key", Secret(os.urandom(32)))
    return Settings(
        service=service, database_url=database_url, nats_url=nats_url, tls=server_tls(pki, service), subject_root=subject_root,
        **overrides,
    )


@contextlib.asynccontextmanager
async def service_running(definition, settings, clock):
    """One replica of `definition`, in process, stopped (within bounds) on the way out."""
    from livecommerce.runtime.service import start_service

    running = await start_service(definition, settings, clock=clock)
    try:
        yield running
    finally:
        await bounded(running.stop(grace_seconds=0.5), f"stop the {settings.service} service")


@pytest.fixture
async def channel_as(gateway, pki):
    """channel_as(role) -> a grpclib channel (a gRPC client that is not grpcio) to the test module's
    `gateway` (a tests/replicas.py GatewayUnderTest) presenting that role's development certificate
    (tests/foreign_client.py)."""
    from tests.foreign_client import grpclib_channels

    async with grpclib_channels(gateway.address, pki) as open_:
        yield open_
