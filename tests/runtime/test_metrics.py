"""The ops port of a real service (issue 17): /metrics scraped over HTTP while calls go over real
mutual TLS, the outbox and JetStream are real, and the lease moves between two real replicas."""

from __future__ import annotations

import asyncio
import threading
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import asyncpg
import grpc
import pytest

from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.product.v1 import product_pb2_grpc
from livecommerce.runtime import leadership
from livecommerce.runtime.certificates import load_certificate
from livecommerce.runtime.service import RunningService
from services.product.service import DEFINITION
from tests.conftest import forwarded_identities, service_running
from tests.metrics_support import get, scrape
from tests.product.conftest import product_settings
from tests.replicas import in_process_replicas, split, wait_until

PRODUCT_GET = "/livecommerce.product.v1.ProductService/GetProduct"


def ops_port(service: RunningService) -> int:
    assert service.ops is not None
    return service.ops.port


@pytest.fixture
def settings(database_url, datastores, subject_root, pki):
    return product_settings(database_url, datastores.nats_url, subject_root, pki)


@pytest.fixture
async def product(settings, clock):
    async with service_running(DEFINITION, settings, clock) as running:
        yield running


async def test_every_rpc_is_counted_by_method_and_code_with_its_latency(product, pki):
    before = await scrape(ops_port(product))
    assert {"livecommerce_rpc_requests", "livecommerce_rpc_duration_seconds"} <= set(before.families)
    assert before.value("livecommerce_rpc_requests_total", method=PRODUCT_GET) is None  # nothing called yet
    async with forwarded_identities(product.port, pki) as open_channel:
        stub = product_pb2_grpc.ProductServiceStub(open_channel("compliance_officer"))
        with pytest.raises(grpc.aio.AioRpcError) as malformed:
            await stub.GetProduct(pb.GetProductRequest(product_id="not-a-uuid"))
        for _ in range(2):
            with pytest.raises(grpc.aio.AioRpcError) as unknown:
                await stub.GetProduct(pb.GetProductRequest(product_id=str(uuid.uuid4())))
    assert (malformed.value.code(), unknown.value.code()) == (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND)
    after = await scrape(ops_port(product))
    labels = {"service": "product", "method": PRODUCT_GET}
    assert after.value("livecommerce_rpc_requests_total", **labels, code="INVALID_ARGUMENT") == 1
    assert after.value("livecommerce_rpc_requests_total", **labels, code="NOT_FOUND") == 2
    assert after.value("livecommerce_rpc_duration_seconds_count", **labels) == 3
    assert after.value("livecommerce_rpc_duration_seconds_bucket", **labels, le="+Inf") == 3
    assert after.value("livecommerce_rpc_duration_seconds_sum", **labels) > 0
    # health checks are the prober's, not the API's: not counted
    assert not [s for f in after.families.values() for s in f.samples if "grpc.health" in s.labels.get("method", "")]


async def test_the_certificate_not_after_is_exported(product, settings):
    scraped = await scrape(ops_port(product))
    for file, path in (("cert", settings.tls.cert), ("ca", settings.tls.ca)):
        not_after = load_certificate(path.read_bytes()).not_valid_after_utc.timestamp()
        assert scraped.value("livecommerce_tls_certificate_expiry_timestamp_seconds", service="product", file=file) == not_after


async def test_an_unsent_outbox_row_is_backlog_until_the_relay_publishes_it(product, settings, clock):
    """The row waits for its retry time (the relay's clock is the test's), as a refused row does."""
    port = ops_port(product)
    before = await scrape(port)
    assert before.value("livecommerce_outbox_unsent_events", service="product") == 0
    assert before.value("livecommerce_outbox_oldest_unsent_age_seconds", service="product") == 0
    published = before.value("livecommerce_outbox_published_total", service="product")
    conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": "product"})
    try:
        await conn.execute(
            "INSERT INTO outbox (event_id, subject, envelope, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, now() - interval '90 seconds')",
            uuid.uuid4(), f"{settings.subject_root}.product.probe.held", b"held back", clock.now() + timedelta(minutes=5),
        )  # fmt: skip
        held = await scrape(port)
        assert held.value("livecommerce_outbox_unsent_events", service="product") == 1
        assert held.value("livecommerce_outbox_oldest_unsent_age_seconds", service="product") >= 90
        clock.advance(timedelta(minutes=6))  # its retry time has come: the relay's next poll publishes it

        async def drained() -> bool:
            return (await scrape(port)).value("livecommerce_outbox_unsent_events", service="product") == 0

        await wait_until(drained)
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
    finally:
        await conn.close()
    assert (await scrape(port)).value("livecommerce_outbox_published_total", service="product") == published + 1


async def test_a_row_jetstream_refuses_counts_as_a_publish_refusal(product, settings):
    port = ops_port(product)
    assert (await scrape(port)).value("livecommerce_outbox_publish_refusals_total", service="product") == 0
    conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": "product"})
    try:  # no stream covers this subject (another root), though product may publish it: JetStream refuses it, the relay keeps it for a retry
        await conn.execute("INSERT INTO outbox (event_id, subject, envelope) VALUES ($1, 'nowhere.product.at.all', 'x')", uuid.uuid4())

        async def refused() -> bool:
            return ((await scrape(port)).value("livecommerce_outbox_publish_refusals_total", service="product") or 0) >= 1

        await wait_until(refused)
    finally:
        await conn.close()
    assert (await scrape(port)).value("livecommerce_outbox_unsent_events", service="product") == 1


async def test_PLT_03_livez_answers_on_a_standby_and_readyz_follows_the_lease_through_a_switchover(settings, clock, pki):
    async with in_process_replicas(DEFINITION, settings, clock=clock) as replicas:
        active, [standby] = split(replicas)
        assert [await get(ops_port(r), "/livez") for r in (active, standby)] == [(200, "alive\n")] * 2
        assert (await get(ops_port(active), "/readyz"))[0] == 200
        assert (await get(ops_port(standby), "/readyz"))[0] == 503
        was_active, was_standby = await scrape(ops_port(active)), await scrape(ops_port(standby))
        assert was_active.value("livecommerce_lease_active", service="product") == 1
        assert was_standby.value("livecommerce_lease_active", service="product") == 0
        epoch = was_active.value("livecommerce_lease_epoch", service="product")
        assert epoch >= 1 and was_standby.value("livecommerce_lease_epoch", service="product") == 0
        became_active = was_standby.value("livecommerce_lease_changes_total", service="product", to="active")

        conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": "product"})
        try:
            assert await leadership.request_switchover(conn, hold_off_seconds=5) == active.lease.replica_id
        finally:
            await conn.close()

        async def switched() -> bool:
            return (await get(ops_port(standby), "/readyz"))[0] == 200 and (await get(ops_port(active), "/readyz"))[0] == 503

        await wait_until(switched)
        now_active, now_standby = await scrape(ops_port(standby)), await scrape(ops_port(active))
        assert now_active.value("livecommerce_lease_active", service="product") == 1
        assert now_standby.value("livecommerce_lease_active", service="product") == 0
        assert now_active.value("livecommerce_lease_epoch", service="product") == epoch + 1
        assert now_active.value("livecommerce_lease_changes_total", service="product", to="active") == became_active + 1
        assert now_standby.value("livecommerce_lease_changes_total", service="product", to="standby") >= 1


async def test_livez_fails_while_the_event_loop_is_wedged(product):
    """A blocking call on the loop (the wedge liveness exists for): the ops port cannot answer."""
    url = f"http://127.0.0.1:{ops_port(product)}/livez"
    outcome: list[object] = []
    asked = threading.Event()

    def probe() -> None:
        asked.set()
        try:
            with urllib.request.urlopen(url, timeout=0.5) as answer:
                outcome.append(answer.status)
        except (urllib.error.URLError, TimeoutError) as error:
            outcome.append(error)

    prober = threading.Thread(target=probe)
    prober.start()
    asked.wait()
    prober.join(timeout=10)  # the loop is blocked here, as a wedged process's would be
    assert len(outcome) == 1 and not isinstance(outcome[0], int), outcome
    assert await get(ops_port(product), "/livez") == (200, "alive\n")  # the loop free again, it answers


async def test_the_ops_port_answers_only_what_it_serves(product):
    port = ops_port(product)
    assert (await get(port, "/nothing"))[0] == 404
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()
    assert (await reader.read()).startswith(b"HTTP/1.1 405")
    writer.close()
