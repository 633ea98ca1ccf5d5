"""An anchor service per test: real PostgreSQL database, real JetStream, real mutual TLS."""

from __future__ import annotations

import base64
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from livecommerce.anchor.v1 import agency_pb2_grpc, anchor_pb2_grpc, credit_pb2_grpc, discipline_pb2_grpc
from livecommerce.runtime.service import RunningService, start_service
from livecommerce.runtime.settings import Secret, Settings
from services.anchor.service import DEFINITION
from tests.anchor.builders import seed_agencies
from tests.conftest import bounded, forwarded_identities, server_tls

PII_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()


def anchor_settings(database_url: str, nats_url: str, subject_root: str, pki: dict, **overrides) -> Settings:
    from livecommerce.runtime.settings import decode_key

    return Settings(
        service="anchor",
        database_url=database_url,
        nats_url=nats_url,
        pii_key=Secret(decode_key(PII_KEY)),
        tls=server_tls(pki, "anchor"),
        subject_root=subject_root,
        **overrides,
    )


@pytest.fixture
def settings(database_url, datastores, subject_root, pki) -> Settings:
    return anchor_settings(database_url, datastores.nats_url, subject_root, pki)


@pytest.fixture
async def anchor_service(settings, clock) -> AsyncIterator[RunningService]:
    running = await start_service(DEFINITION, settings, clock=clock)
    await seed_agencies(settings.database_url)
    try:
        yield running
    finally:
        await bounded(running.stop(grace_seconds=0.5), "stop the anchor service")


@dataclass(frozen=True)
class Stubs:
    """One caller's stubs for every API the anchor service serves, over one channel."""

    anchors: anchor_pb2_grpc.AnchorServiceStub
    agencies: agency_pb2_grpc.AgencyServiceStub
    discipline: discipline_pb2_grpc.DisciplineServiceStub
    credit: credit_pb2_grpc.CreditServiceStub


def stubs_on(channel) -> Stubs:
    return Stubs(
        anchor_pb2_grpc.AnchorServiceStub(channel), agency_pb2_grpc.AgencyServiceStub(channel),
        discipline_pb2_grpc.DisciplineServiceStub(channel), credit_pb2_grpc.CreditServiceStub(channel),
    )


@pytest.fixture
async def stubs_for(anchor_service, pki) -> AsyncIterator[Callable[..., Stubs]]:
    """stubs_for(role, tenant="", principal=None) -> Stubs whose calls carry that identity, as the
    gateway forwards it (tests/conftest.py, forwarded_identities)."""
    async with forwarded_identities(anchor_service.port, pki) as open_channel:
        yield lambda role, tenant="", principal=None: stubs_on(open_channel(role, tenant, principal))


@contextlib.asynccontextmanager
async def anchor_service_beside(settings: Settings, clock, pki: dict) -> AsyncIterator[Callable[..., Stubs]]:
    """The real anchor service (agencies seeded) for a test of another service that needs it,
    and stubs_for(role, tenant="", principal=None) on it; stopped on the way out."""
    running = await start_service(DEFINITION, settings, clock=clock)
    await seed_agencies(settings.database_url)
    try:
        async with forwarded_identities(running.port, pki) as open_channel:
            yield lambda role, tenant="", principal=None: stubs_on(open_channel(role, tenant, principal))
    finally:
        await bounded(running.stop(grace_seconds=0.5), "stop the anchor service")


@pytest.fixture
def stub_for(stubs_for) -> Callable[..., anchor_pb2_grpc.AnchorServiceStub]:
    """stub_for(role, tenant="", principal=None) -> an AnchorService stub carrying that identity."""
    return lambda *args, **kwargs: stubs_for(*args, **kwargs).anchors
