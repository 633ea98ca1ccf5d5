"""The SRE commands of `lc` over a real database and the development CA: status, issue-cert."""

from __future__ import annotations

import asyncio
import shutil
import socket
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("command", [["status"], ["lease-history"], ["switchover", "svc"], ["dead-letters"], ["replay", "--since", "2026-01-01T00:00:00Z"]])
def test_PLT_03_every_database_command_names_a_database_that_is_down_in_one_line(command, tmp_path, capsys):
    """Nothing listens on the port (PostgreSQL down): one line on stderr, the URL without its password, exit 1."""
    url = f"postgresql://lc:s3cret-pw@127.0.0.1:{_free_port()}/lc"
    with pytest.raises(SystemExit) as ended:
        cli.main([*command, "--database-url", url, "--data-dir", str(tmp_path)])
    assert ended.value.code == 1
    error = capsys.readouterr().err
    assert error.startswith(f"database unreachable at postgresql://lc@127.0.0.1:{url.rsplit(':', 1)[1]}: ")
    assert "is PostgreSQL up?" in error and f"(lc {command[0]} reads " in error
    assert "s3cret-pw" not in error and "Traceback" not in error and len(error.splitlines()) == 1


async def test_PLT_03_status_names_a_database_that_is_starting_up(tmp_path, capsys):
    """A server that answers every connection as PostgreSQL does while it starts (SQLSTATE 57P03)."""

    async def starting_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:  # SSL/GSS encryption requests are declined ("N"), then the startup message comes
            body = await reader.readexactly(int.from_bytes(await reader.readexactly(4), "big") - 4)
            if body[:4] not in ((80877103).to_bytes(4, "big"), (80877104).to_bytes(4, "big")):
                break
            writer.write(b"N")
        fields = b"SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0"
        writer.write(b"E" + (len(fields) + 4).to_bytes(4, "big") + fields)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(starting_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(SystemExit) as ended:
            await asyncio.to_thread(cli.main, ["status", "--database-url", f"postgresql://lc@127.0.0.1:{port}/lc", "--data-dir", str(tmp_path)])
    finally:
        server.close()
    assert ended.value.code == 1
    error = capsys.readouterr().err
    assert error == (
        f"database unreachable at postgresql://lc@127.0.0.1:{port}/lc: the database system is starting up;"
        " is PostgreSQL up? (lc status reads the lease and outbox tables)\n"
    )


@pytest.mark.parametrize(("expired_seconds", "health"), [
    (1, "EXPIRED (failover in progress)"),
    (60, "EXPIRED for 60s: no replica is renewing (all down or paused?)"),
])
async def test_PLT_03_status_tells_a_failover_from_a_lease_nobody_renews(database_url, tmp_path, capsys, expired_seconds, health):
    pool = await probe_pool(database_url, schema="svc")
    try:
        await Lease(pool, replica_id="svc-a").attempt()
        async with pool.acquire() as conn:  # as the holder left it: renewed, valid one TTL (2 s), then nobody
            await conn.execute(
                "UPDATE leadership SET renewed_at = now() - make_interval(secs => $1 + 2), expires_at = now() - make_interval(secs => $1)",
                float(expired_seconds),
            )
    finally:
        await pool.close()
    assert await asyncio.to_thread(cli.main, ["status", "--database-url", database_url, "--data-dir", str(tmp_path)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert health in first and "svc-a" in first, first
    if expired_seconds == 1:
        assert "no replica is renewing" not in first


async def test_PLT_03_dead_letters_says_when_there_are_none(database_url, tmp_path, capsys):
    pool = await probe_pool(database_url, schema="svc")
    await pool.close()
    argv = ["dead-letters", "--database-url", database_url, "--data-dir", str(tmp_path)]
    assert await asyncio.to_thread(cli.main, argv) == 0
    assert capsys.readouterr().out.splitlines() == [f"{'svc':10} no open dead letters"]
    assert await asyncio.to_thread(cli.main, [*argv, "--all", "--consumer", "svc-from-x"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{'svc':10} no dead letters of consumer svc-from-x"]


def test_PLT_05_revoke_prints_what_it_revoked_and_how_many_the_crl_lists(pki, tmp_path, capsys):
    pki_dir = tmp_path / "pki"
    shutil.copytree(pki["ca_cert"].parent, pki_dir)  # the session's CA stays unrevoked for the other tests
    (pki_dir / "revoked.json").unlink(missing_ok=True)
    issued = []
    for principal in ("p1", "p2", "p3"):
        argv = ["issue-cert", "merchant", "--principal", principal, "--name", principal, "--cert-dir", str(pki_dir), "--out", str(tmp_path)]
        assert cli.main(argv) == 0
        issued.append(x509.load_pem_x509_certificate((tmp_path / f"{principal}.crt").read_bytes()))
    capsys.readouterr()
    assert cli.main(["revoke", str(tmp_path / "p1.crt"), str(issued[1].serial_number), "--cert-dir", str(pki_dir)]) == 0
    assert cli.main(["revoke", str(tmp_path / "p3.crt"), "--cert-dir", str(pki_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    third = issued[2]
    assert lines[3:] == [
        f"revoked: serial {third.serial_number} ({third.subject.rfc4514_string()})",
        f"the CRL now lists 3 certificate(s); the gateway applies {pki_dir / 'crl.pem'} within half a second",
    ]
    assert lines[:2] == [
        f"revoked: serial {issued[0].serial_number} ({issued[0].subject.rfc4514_string()})",
        f"revoked: serial {issued[1].serial_number}",
    ]
    assert cli.main(["revoke", str(tmp_path / "p3.crt"), "--cert-dir", str(pki_dir)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(f"already revoked: serial {third.serial_number}")
    crl = x509.load_pem_x509_crl((pki_dir / "crl.pem").read_bytes())
    assert sorted(entry.serial_number for entry in crl) == sorted(c.serial_number for c in issued)
