"""The SRE commands of `lc` over a real database and the development CA: status, issue-cert."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from cryptography import x509

from livecommerce import cli
from livecommerce.runtime import dead_letters
from livecommerce.runtime.certificates import parse_identity
from livecommerce.runtime.leadership import Lease
from livecommerce.runtime.outbox import STUCK_AFTER_ATTEMPTS, EventWriter
from tests.runtime.probe import probe_pool, write_events


async def test_PLT_03_status_reads_the_database_it_is_given(database_url, tmp_path, capsys, clock):
    pool = await probe_pool(database_url, schema="svc")
    try:
        await Lease(pool, replica_id="svc-a").attempt()
        await write_events(pool, EventWriter(source="svc", subject_root="lc", clock=clock), 3)
        async with pool.acquire() as conn:
            await conn.execute("UPDATE outbox SET attempts = $1 WHERE seq = 1", STUCK_AFTER_ATTEMPTS + 1)
            await conn.execute("UPDATE outbox SET sent_at = now() WHERE seq = 3")
            await dead_letters.record(
                conn, consumer="svc-from-x", event_id=uuid.uuid4(), subject="lc.x.y.z", envelope=b"", deliveries=20, error="boom"
            )
    finally:
        await pool.close()
    # An empty data directory: no suite state file to fall back on, only the database named.
    assert await asyncio.to_thread(cli.main, ["status", "--database-url", database_url, "--data-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("svc") and "ACTIVE" in lines[0] and "svc-a" in lines[0]
    assert "outbox backlog 2, stuck 1" in lines[1] and "dead letters 1" in lines[1]


def test_PLT_05_issue_cert_issues_a_client_certificate_from_the_development_ca(pki, tmp_path, capsys):
    pki_dir = pki["ca_cert"].parent
    argv = ["issue-cert", "merchant", "--tenant", "m-42", "--principal", "shop-42", "--cert-dir", str(pki_dir), "--out", str(tmp_path)]
    assert cli.main(argv) == 0
    assert "merchant-m-42.crt" in capsys.readouterr().out
    certificate = x509.load_pem_x509_certificate((tmp_path / "merchant-m-42.crt").read_bytes())
    certificate.verify_directly_issued_by(x509.load_pem_x509_certificate(pki["ca_cert"].read_bytes()))
    identity = parse_identity(certificate)
    assert (identity.role, identity.tenant, identity.principal) == ("merchant", "m-42", "shop-42")
    assert (tmp_path / "merchant-m-42.key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(("service", "method", "full_name"), [
    ("anchor", "RegisterAnchor", "livecommerce.anchor.v1.AnchorService.RegisterAnchor"),
    ("anchor", "ListViolations", "livecommerce.anchor.v1.DisciplineService.ListViolations"),
    ("product", "GetProhibitedList", "livecommerce.product.v1.ProhibitedGoodsService.GetProhibitedList"),
    ("patrol", "CheckChunk", "livecommerce.session.v1.PatrolService.CheckChunk"),
    ("livecommerce.session.v1.SessionService", "WatchRoom", "livecommerce.session.v1.SessionService.WatchRoom"),
])
def test_lc_call_finds_a_method_by_a_short_name(service, method, full_name):
    assert cli.find_method(service, method).full_name == full_name


def test_lc_call_names_where_it_looked_for_an_unknown_method():
    with pytest.raises(SystemExit) as refused:
        cli.find_method("product", "RegisterAnchor")
    assert "livecommerce.product.v1.ProductService" in str(refused.value)
