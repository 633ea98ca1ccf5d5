"""Gateway tests run in front of a real anchor service (its fixtures come from tests/anchor)."""

import pytest

from gateway.audit import AuditLog
from gateway.policy import ReloadingPolicy
from gateway.revocation import RevocationList
from gateway.server import start_gateway
from tests.anchor.conftest import anchor_service, settings, stub_for, stubs_for  # noqa: F401  (fixtures)
from tests.conftest import bounded, server_tls


@pytest.fixture
async def gateway(anchor_service, pki, tmp_path):
    audit = AuditLog(tmp_path / "audit.log")
    gw, server = await start_gateway(
        upstreams={"anchor": [f"127.0.0.1:{anchor_service.port}"]},
        tls=server_tls(pki, "gateway"),
        policy=ReloadingPolicy(),
        audit=audit,
        revocations=RevocationList(pki["crl"], pki["ca_cert"], check_every=0),
    )
    yield server.port, audit
    await bounded(server.stop(0.5), "stop the gateway")
    await gw.close()
    await audit.close()
