"""PLT-05 on the event bus: NATS serves only mutual TLS with the platform CA. A client without a
certificate, with one from another CA, or speaking plain NATS is refused by the broker (its log
says why); so is a certificate from the CA that maps to no broker user (a role's, the gateway's);
a service's own certificate is accepted as that service's user and publishes and consumes on
JetStream, but publishes only its own events: the broker refuses it another service's subjects,
and the refusal is logged at ERROR naming the subject while the outbox keeps the row.

The refusals are made with a raw socket where nats-py would refuse first on the client's side
(it upgrades a nats:// connection to TLS itself, and checks the server against the system's CAs),
so what is proved is the server's refusal; a raw client with a good certificate is the control."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import ssl
import urllib.request
import uuid

import nats.errors
import pytest
from nats.aio.client import Client

from livecommerce.devstack import LocalNats, issue_ca, nats_server_tls
from livecommerce.runtime import broker
from livecommerce.runtime.clock import SystemClock
from livecommerce.runtime.outbox import EventWriter, OutboxRelay
from livecommerce.runtime.tls import TlsFiles
from tests.conftest import NATS_USERS, TEST_CLIENT, client_tls, server_tls
from tests.replicas import wait_until
from tests.runtime.probe import probe_pool, write_events


@pytest.fixture(scope="module")
def tls_nats(tmp_path_factory: pytest.TempPathFactory, pki):
    with LocalNats(tmp_path_factory.mktemp("nats-tls"), tls=nats_server_tls(pki), users=NATS_USERS, max_memory="64MB", max_store="256MB") as server:
        yield server


@pytest.fixture
def foreign(tmp_path, pki) -> TlsFiles:
    """A certificate for the same name from another CA (trusting ours, so only the client side differs)."""
    cert, key = issue_ca(tmp_path / "other-ca").issue_server("anchor").write(tmp_path / "other-ca", "anchor")
    return TlsFiles(cert=cert, key=key, ca=pki["ca_cert"])


async def speaks_nats(server: LocalNats, context: ssl.SSLContext | None) -> bool:
    """Reads the server's plain INFO, then (over TLS unless `context` is None) sends CONNECT and
    PING: True when the server answers PONG, False when it drops the connection instead."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        info = json.loads((await reader.readline()).removeprefix(b"INFO "))
        assert info["tls_required"] and info["tls_verify"], info  # it says so before any handshake
        if context is not None:
            await writer.start_tls(context, server_hostname="127.0.0.1")
        writer.write(b'CONNECT {"verbose":false,"pedantic":false,"tls_required":true,"name":"raw"}\r\nPING\r\n')
        await writer.drain()
        async with asyncio.timeout(10):
            while line := await reader.readline():
                if line.startswith(b"PONG"):
                    return True
        return False
    except (ssl.SSLError, ConnectionError):
        return False
    finally:
        writer.close()
        with contextlib.suppress(ssl.SSLError, ConnectionError):
            await writer.wait_closed()


def trusting(pki, files: TlsFiles | None) -> ssl.SSLContext:
    """A client context that trusts our CA and presents `files`' certificate, or none."""
    if files is not None:
        return files.client_ssl_context()
    return ssl.create_default_context(cafile=str(pki["ca_cert"]))


async def logged(server: LocalNats, text: str) -> None:
    async def said() -> bool:
        return text in server.log_path.read_text()

    said.__name__ = f"the broker's log says {text!r}"
    await wait_until(said)


async def test_PLT_05_a_raw_client_with_the_service_certificate_is_answered(tls_nats: LocalNats, pki) -> None:
    """The control for the refusals below: the same raw client, with a good certificate, gets PONG."""
    assert await speaks_nats(tls_nats, trusting(pki, server_tls(pki, "anchor")))


async def test_PLT_05_a_client_without_a_certificate_is_refused(tls_nats: LocalNats, pki) -> None:
    assert not await speaks_nats(tls_nats, trusting(pki, None))
    await logged(tls_nats, "client didn't provide a certificate")


async def test_PLT_05_a_certificate_from_another_ca_is_refused(tls_nats: LocalNats, pki, foreign: TlsFiles) -> None:
    assert not await speaks_nats(tls_nats, trusting(pki, foreign))
    await logged(tls_nats, "certificate signed by unknown authority")
    with pytest.raises(OSError):  # and through the one way the code connects
        await broker.connect(tls_nats.url, name="foreign", tls=foreign, reconnect=False)


async def test_PLT_05_plain_nats_to_the_tls_port_is_refused(tls_nats: LocalNats, pki) -> None:
    assert not await speaks_nats(tls_nats, None)
    await logged(tls_nats, "TLS handshake error")
    plain = tls_nats.url.replace("tls://", "nats://")
    with pytest.raises(OSError):  # nats:// never presents a certificate, whatever it is given
        await broker.connect(plain, name="plain", tls=server_tls(pki, "anchor"), reconnect=False)


@pytest.mark.parametrize("role", ["merchant", "agency", "platform_admin"])
async def test_PLT_05_a_role_client_certificate_from_the_ca_is_refused_by_the_broker(tls_nats: LocalNats, pki, role: str) -> None:
    """A role's certificate is good for the gateway, not for the event bus: it names no broker user."""
    assert not await speaks_nats(tls_nats, trusting(pki, client_tls(pki, role)))
    await logged(tls_nats, "authentication error")
    with pytest.raises(Exception, match="Authorization Violation"):
        await broker.connect(tls_nats.url, name=role, tls=client_tls(pki, role), reconnect=False)


async def test_PLT_05_the_gateway_certificate_is_refused_by_the_broker(tls_nats: LocalNats, pki) -> None:
    """The gateway never publishes events, so its certificate (DNS SAN `gateway`) maps to no user."""
    assert not await speaks_nats(tls_nats, trusting(pki, server_tls(pki, "gateway")))
    with pytest.raises(Exception, match="Authorization Violation"):
        await broker.connect(tls_nats.url, name="gateway", tls=server_tls(pki, "gateway"), reconnect=False)


def connected_users(server: LocalNats) -> dict[str, str]:
    """Connection name -> the broker user it was mapped to (the monitoring endpoint's view)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{server.http_port}/connz?auth=true", timeout=5) as response:
        return {c.get("name", ""): c.get("authorized_user", "") for c in json.load(response)["connections"]}


@pytest.mark.parametrize("service", ["anchor", "product", "session", "trade", "complaint"])
async def test_PLT_05_each_service_certificate_connects_as_that_service(tls_nats: LocalNats, pki, service: str) -> None:
    """Mapped by the first DNS SAN, the service's name (not localhost, nor the subject DN)."""
    name = f"{service}-{uuid.uuid4().hex[:6]}"
    nc = await broker.connect(tls_nats.url, name=name, tls=server_tls(pki, service), reconnect=False)
    try:
        await nc.flush()
        assert connected_users(tls_nats)[name] == service
    finally:
        await nc.close()


async def test_PLT_05_a_tls_url_needs_certificate_files(tls_nats: LocalNats) -> None:
    with pytest.raises(ValueError, match="TLS_CERT_FILE"):
        await broker.connect(tls_nats.url, name="no-files")


async def test_PLT_05_the_service_certificate_publishes_and_consumes_on_jetstream(tls_nats: LocalNats, pki) -> None:
    nc = await broker.connect(tls_nats.url, name="anchor@test", tls=server_tls(pki, "anchor"))
    try:
        root = f"t{uuid.uuid4().hex[:10]}"
        js = nc.jetstream()
        await broker.ensure_stream(js, f"{root}_ANCHOR".upper(), [f"{root}.anchor.>"])
        ack = await js.publish(f"{root}.anchor.sanctioned", b"event", headers={"Nats-Msg-Id": "one"})
        subscription = await js.pull_subscribe(f"{root}.anchor.>", durable="reader")
        [message] = await subscription.fetch(1, timeout=5)
        await message.ack()
        assert (message.data, message.metadata.sequence.stream) == (b"event", ack.seq)
        assert nc.connected_url is not None and nc.connected_url.scheme == "tls"
    finally:
        await nc.close()


async def test_PLT_05_a_plain_server_from_an_earlier_run_is_restarted_with_tls(tmp_path, pki, monkeypatch) -> None:
    with_tls = LocalNats(tmp_path / "nats", tls=nats_server_tls(pki), users=NATS_USERS)
    earlier = LocalNats(tmp_path / "nats", tls=nats_server_tls(pki), users=NATS_USERS)
    plain = re.sub(r"(?ms)^(tls|authorization) \{.*?^\}\n", "", with_tls.config_text())  # the config before TLS
    assert "verify" not in plain
    monkeypatch.setattr(earlier, "config_text", lambda: plain)
    earlier.start()
    pid = earlier.server_pid()
    try:
        with_tls.start()
        assert with_tls.server_pid() != pid and "verify_and_map: true" in with_tls.config_path.read_text()
        assert await speaks_nats(with_tls, trusting(pki, server_tls(pki, "anchor")))
    finally:
        with_tls.stop()


@contextlib.asynccontextmanager
async def connected_as(server: LocalNats, pki, user: str):
    """A connection presenting `user`'s certificate: a service's, or the tests' probe (no limits)."""
    nc = await broker.connect(server.url, name=f"{user}-{uuid.uuid4().hex[:6]}", tls=server_tls(pki, user))
    try:
        yield nc
    finally:
        await nc.close()


async def stored(probe: Client, stream: str) -> int:
    return (await probe.jetstream().stream_info(stream)).state.messages


def refusals_logged(caplog: pytest.LogCaptureFixture, subject: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR and subject in r.getMessage()]


async def test_PLT_05_a_service_cannot_publish_another_services_events(tls_nats: LocalNats, pki, caplog) -> None:
    root = f"t{uuid.uuid4().hex[:10]}"
    forged, product_stream = f"{root}.product.product.approved", f"{root}_PRODUCT".upper()
    async with connected_as(tls_nats, pki, TEST_CLIENT) as probe, connected_as(tls_nats, pki, "anchor") as anchor:
        for service in ("anchor", "product"):
            await broker.ensure_stream(probe.jetstream(), f"{root}_{service}".upper(), [f"{root}.{service}.>"])
        with pytest.raises(nats.errors.TimeoutError):  # the broker drops it: no ack ever comes
            await anchor.jetstream().publish(forged, b"forged", timeout=1, headers={"Nats-Msg-Id": "forged"})
        own = await anchor.jetstream().publish(f"{root}.anchor.x.y", b"own", timeout=5)
        assert own.stream == f"{root}_ANCHOR".upper() and await stored(probe, own.stream) == 1
        assert await stored(probe, product_stream) == 0  # published before the ack above, on one connection
        assert anchor.is_connected  # a refusal is not a reason to drop the connection
        assert refusals_logged(caplog, forged), caplog.text
        # the control: the same publish by a user allowed to make it is stored
        await probe.jetstream().publish(forged, b"real", timeout=5)
        assert await stored(probe, product_stream) == 1


@pytest.mark.parametrize("near_miss", ["anchorx.file.approved", "product.anchor.x", "anchor"])
async def test_PLT_05_a_subject_that_only_resembles_the_services_own_is_refused(tls_nats: LocalNats, pki, near_miss: str) -> None:
    """`*.anchor.>` is token by token: not `anchorx`, not `anchor` further down, not the bare prefix."""
    root = f"t{uuid.uuid4().hex[:10]}"
    stream = f"{root}_ALL".upper()
    async with connected_as(tls_nats, pki, TEST_CLIENT) as probe, connected_as(tls_nats, pki, "anchor") as anchor:
        await broker.ensure_stream(probe.jetstream(), stream, [f"{root}.>"])
        with pytest.raises(nats.errors.TimeoutError):
            await anchor.jetstream().publish(f"{root}.{near_miss}", b"forged", timeout=1)
        assert await stored(probe, stream) == 0
        await probe.jetstream().publish(f"{root}.{near_miss}", b"real", timeout=5)
        assert await stored(probe, stream) == 1


async def test_PLT_05_a_service_still_consumes_another_services_stream_with_a_durable_pull_consumer(
    tls_nats: LocalNats, pki, caplog
) -> None:
    """Services consume each other's events: ensuring the other's stream (as start-up does), a
    durable pull consumer, fetch and ack all pass. Listening to the subjects outside JetStream
    does not."""
    root = f"t{uuid.uuid4().hex[:10]}"
    stream = f"{root}_PRODUCT".upper()
    async with connected_as(tls_nats, pki, TEST_CLIENT) as probe, connected_as(tls_nats, pki, "anchor") as anchor:
        js = anchor.jetstream()
        await broker.ensure_stream(js, stream, [f"{root}.product.>"])
        for n in range(2):
            await probe.jetstream().publish(f"{root}.product.product.approved", f"p-{n}".encode(), timeout=5)
        subscription = await js.pull_subscribe(f"{root}.product.>", durable="anchor-from-product", stream=stream)
        messages = await subscription.fetch(2, timeout=5)
        for message in messages:
            await message.ack()
        assert [m.data for m in messages] == [b"p-0", b"p-1"]

        async def all_acknowledged() -> bool:
            info = await js.consumer_info(stream, "anchor-from-product")
            return info.num_ack_pending == 0 and info.ack_floor.stream_seq == 2

        await wait_until(all_acknowledged)
        await anchor.subscribe(f"{root}.product.>")
        await anchor.flush()

        async def refused() -> bool:
            return bool(refusals_logged(caplog, f"{root}.product.>"))

        await wait_until(refused)


async def test_PLT_05_an_outbox_row_the_broker_refuses_stays_unsent_and_the_relay_keeps_retrying(
    tls_nats: LocalNats, pki, database_url, caplog
) -> None:
    """A relay on the wrong certificate (anchor's, relaying product's outbox): each batch gets no
    ack, the refusal is logged at ERROR with the subject, the relay backs off and tries again, and
    the row stays in the outbox until a relay allowed to publish it does."""
    root = f"t{uuid.uuid4().hex[:10]}"
    stream = f"{root}_PRODUCT".upper()
    pool = await probe_pool(database_url, schema="svc")
    try:
        await write_events(pool, EventWriter(source="product", subject_root=root, clock=SystemClock()), 1)
        async with connected_as(tls_nats, pki, TEST_CLIENT) as probe, connected_as(tls_nats, pki, "anchor") as anchor:
            await broker.ensure_stream(probe.jetstream(), stream, [f"{root}.product.>"])
            relay = OutboxRelay(pool, anchor.jetstream(), schema="svc", publish_timeout_seconds=0.3)
            running = asyncio.create_task(relay.run())
            try:

                async def retried() -> bool:
                    return relay.stats.failed_batches >= 2

                await wait_until(retried, within=15)
                assert not running.done()
            finally:
                running.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await running
            assert refusals_logged(caplog, f"{root}.product.file.revised"), caplog.text
            async with pool.acquire() as conn:
                assert await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 1
            assert await stored(probe, stream) == 0
            assert await OutboxRelay(pool, probe.jetstream(), schema="svc").publish_batch() == 1
            assert await stored(probe, stream) == 1
    finally:
        await pool.close()


async def test_PLT_05_a_service_cannot_delete_or_purge_a_stream(tls_nats: LocalNats, pki) -> None:
    """No service deletes, purges or restores streams, so none may (a restore could bring a
    stream back with forged events in it); the API just gets no answer."""
    root = f"t{uuid.uuid4().hex[:10]}"
    stream = f"{root}_PRODUCT".upper()
    async with connected_as(tls_nats, pki, TEST_CLIENT) as probe, connected_as(tls_nats, pki, "product") as product:
        await broker.ensure_stream(product.jetstream(), stream, [f"{root}.product.>"])
        await product.jetstream().publish(f"{root}.product.product.approved", b"event", timeout=5)
        manager = product.jetstream(timeout=1)
        for refused in (manager.purge_stream(stream), manager.delete_msg(stream, 1), manager.delete_stream(stream)):
            with pytest.raises(nats.errors.TimeoutError):
                await refused
        assert await stored(probe, stream) == 1
