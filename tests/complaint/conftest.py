"""A complaint service per test: real PostgreSQL database, real JetStream, real mutual TLS; its
calls carry an identity as the gateway forwards it (tests/conftest.py, forwarded_identities)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest

from livecommerce.complaint.v1 import complaint_pb2_grpc
from livecommerce.runtime.service import RunningService
from livecommerce.runtime.settings import Settings
from services.complaint.service import DEFINITION
from tests.conftest import forwarded_identities, service_running, service_settings


def complaint_settings(database_url: str, nats_url: str, subject_root: str, pki: dict, **overrides) -> Settings:
    return service_settings("complaint", database_url, nats_url, subject_root, pki, **overrides)


@dataclass(frozen=True)
class Stubs:
    complaints: complaint_pb2_grpc.ComplaintServiceStub
    incidents: complaint_pb2_grpc.IncidentServiceStub


@pytest.fixture
def rules_file(tmp_path):
    """The default rules, but the escalation timer looks every 50 ms (the clock still decides)."""
    from services.complaint.rules_config import DEFAULTS_FILE

    path = tmp_path / "complaint-rules.toml"
    path.write_text(DEFAULTS_FILE.read_text(encoding="utf-8").replace("check_seconds = 60.0", "check_seconds = 0.05"))
    return path


@pytest.fixture
def settings(database_url, datastores, subject_root, pki, rules_file) -> Settings:
    return complaint_settings(database_url, datastores.nats_url, subject_root, pki, rules_file=rules_file)


@pytest.fixture
async def complaint_service(settings, clock) -> AsyncIterator[RunningService]:
    async with service_running(DEFINITION, settings, clock) as running:
        yield running


@pytest.fixture
async def stubs_for(complaint_service, pki):
    """stubs_for(role, tenant="", principal=None) -> Stubs whose calls carry that identity."""
    async with forwarded_identities(complaint_service.port, pki) as open_channel:

        def make(role: str, tenant: str = "", principal: str | None = None) -> Stubs:
            channel = open_channel(role, tenant, principal)
            return Stubs(complaint_pb2_grpc.ComplaintServiceStub(channel), complaint_pb2_grpc.IncidentServiceStub(channel))

        yield make


@pytest.fixture
async def staff(stubs_for) -> complaint_pb2_grpc.ComplaintServiceStub:
    """Customer service staff (phone intake, the workflow)."""
    return stubs_for("customer_service", principal="cs-wang").complaints


@pytest.fixture
async def app(stubs_for) -> complaint_pb2_grpc.ComplaintServiceStub:
    """The consumer app's backend (online intake)."""
    return stubs_for("integration", principal="consumer-app").complaints


@pytest.fixture
async def officer(stubs_for) -> Stubs:
    return stubs_for("compliance_officer", principal="officer-li")


@pytest.fixture
async def db(database_url, complaint_service) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the complaint service's schema, to read what it stored."""
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "complaint"})
    try:
        yield conn
    finally:
        await conn.close()
