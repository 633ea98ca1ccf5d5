"""Consumer metrics of a real running service (issue 17): lag from JetStream's consumer info,
redeliveries, dead letters at max deliveries, and JetStream's own MAX_DELIVERIES advisory."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from pathlib import Path

import nats.errors
import pytest
from nats.js.api import AckPolicy, ConsumerConfig

from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.service import ServiceDefinition, ServiceParts
from tests.conftest import service_running, service_settings
from tests.metrics_support import scrape
from tests.replicas import wait_until
from tests.runtime.probe import write_events

MIGRATIONS = Path(__file__).parent / "probe_migrations"


class Handler:
    """Holds each event until released, then fails it (a handler with no rule for it yet)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.seen = 0

    async def __call__(self, conn, envelope) -> None:
        self.seen += 1
        await self.release.wait()
        raise RuntimeError("no rule for this event yet")


@contextlib.asynccontextmanager
async def consuming_service(producer, settings, clock, handler):
    _, stream, _, _ = producer

    def build(runtime) -> ServiceParts:
        consumer = EventConsumer(
            js=runtime.js, name="probe-consumer", stream=stream, subject=f"{settings.subject_root}.svc.>", handler=handler, uow=runtime.uow,
            max_deliver=2, retry_delay_seconds=0.01, fetch_timeout_seconds=0.2,
        )  # fmt: skip
        return ServiceParts(register=lambda server: None, consumers=[consumer])

    # the trade service's name and certificate, with the probe's schema: a service of our own making
    definition = ServiceDefinition(name="trade", migrations=MIGRATIONS, service_names=[], build=build, consumes=("svc",))
    async with service_running(definition, settings, clock) as running:
        yield running


@pytest.fixture
def settings(database_url, datastores, subject_root, pki):
    # a long lease: a handler held inside its fenced transaction must not outlive the session limits
    return dataclasses.replace(service_settings("trade", database_url, datastores.nats_url, subject_root, pki), lease_ttl_seconds=10)


async def test_consumer_lag_redeliveries_and_dead_letters_at_max_deliveries_move(producer, settings, clock):
    pool, _, writer, relay = producer
    handler = Handler()
    async with consuming_service(producer, settings, clock, handler) as running:
        port = running.ops.port
        labels = {"service": "trade", "consumer": "probe-consumer"}
        quiet = await scrape(port)
        assert quiet.value("livecommerce_consumer_dead_letters_total", **labels, reason="max_deliveries") == 0
        await write_events(pool, writer, 3)
        await relay.publish_batch()

        async def held() -> bool:  # delivered, held by the handler, not acknowledged: lag
            return ((await scrape(port)).value("livecommerce_consumer_ack_pending_messages", **labels) or 0) == 3

        await wait_until(held)
        handler.release.set()

        async def dead() -> bool:
            return (await scrape(port)).value("livecommerce_consumer_dead_letters_total", **labels, reason="max_deliveries") == 3

        await wait_until(dead)
        after = await scrape(port)
    assert after.value("livecommerce_consumer_redeliveries_total", **labels) == 3  # each event's second delivery
    assert after.value("livecommerce_consumer_handler_failures_total", **labels) >= 6
    assert after.value("livecommerce_consumer_handled_total", **labels) == 0
    assert after.value("livecommerce_consumer_dead_letters_total", **labels, reason="undecodable") == 0
    assert after.value("livecommerce_consumer_ack_pending_messages", **labels) == 0
    assert after.value("livecommerce_consumer_pending_messages", **labels) == 0


async def test_a_message_jetstream_stops_delivering_is_counted_from_its_advisory(producer, settings, clock, nats_js):
    """A durable given a max_deliver outside our consumers (ours count deliveries themselves):
    JetStream gives up on the message without a dead letter; its advisory is what shows it."""
    pool, stream, writer, relay = producer
    async with consuming_service(producer, settings, clock, Handler()) as running:
        assert running.service_metrics is not None
        await running.service_metrics.watch_advisories(running.runtime.nats, [(stream, "limited")])
        labels = {"service": "trade", "consumer": "limited"}
        assert (await scrape(running.ops.port)).value("livecommerce_jetstream_max_deliveries_total", **labels) == 0
        subscription = await nats_js.pull_subscribe(
            f"{settings.subject_root}.svc.>", durable="limited", stream=stream,
            config=ConsumerConfig(max_deliver=2, ack_policy=AckPolicy.EXPLICIT, ack_wait=30),
        )  # fmt: skip
        await write_events(pool, writer, 1)
        await relay.publish_batch()
        for _ in range(2):
            [msg] = await subscription.fetch(1, timeout=5)
            await msg.nak()
        with contextlib.suppress(nats.errors.TimeoutError):
            await subscription.fetch(1, timeout=0.5)  # nothing comes: JetStream gave up on it

        async def counted() -> bool:
            return (await scrape(running.ops.port)).value("livecommerce_jetstream_max_deliveries_total", **labels) == 1

        await wait_until(counted)
        await subscription.unsubscribe()
