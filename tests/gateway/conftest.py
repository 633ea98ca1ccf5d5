"""Gateway tests run in front of a real anchor service (its fixtures come from tests/anchor), or
in front of a small stand-in service where a test needs the upstream to misbehave."""

import pytest

from gateway.audit import AuditLog
from gateway.policy import ReloadingPolicy
from gateway.revocation import RevocationList
from gateway.server import start_gateway
from tests.anchor.conftest import anchor_service, settings, stub_for, stubs_for  # noqa: F401  (fixtures)
from tests.conftest import bounded, server_tls


@pytest.fixture
async def start_test_gateway(pki, tmp_path):
    """start(upstream_port, revocations=None) -> (port, audit): a gateway routing "anchor" there."""
    started = []

    async def start(upstream_port: int, *, revocations: RevocationList | None = None):
        audit = AuditLog(tmp_path / f"audit-{len(started)}.log")
        gw, server = await start_gateway(
            upstreams={"anchor": [f"127.0.0.1:{upstream_port}"]},
            tls=server_tls(pki, "gateway"),
            policy=ReloadingPolicy(),
            audit=audit,
            revocations=revocations or RevocationList(pki["crl"], pki["ca_cert"], check_every=0),
        )
        started.append((gw, server, audit))
        return server.port, audit

    yield start
    for gw, server, audit in started:
        await bounded(server.stop(0.5), "stop the gateway")
        await gw.close()
        await audit.close()


@pytest.fixture
async def gateway(anchor_service, start_test_gateway):  # noqa: F811  (the imported fixture)
    return await start_test_gateway(anchor_service.port)


@pytest.fixture
async def standin(pki):
    """(server, servicer) of a stand-in anchor service (tests/gateway/standin.py)."""
    from tests.gateway.standin import start_standin

    server, servicer = await start_standin(server_tls(pki, "anchor"))
    yield server, servicer
    await bounded(server.stop(0.2), "stop the stand-in service")
