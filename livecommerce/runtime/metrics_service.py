"""A service replica's own metrics (issue 17): its lease, its outbox relay and its event consumers.

Counters the relay and the consumers already keep as plain ints (`RelayStats`, `ConsumerStats`)
are read at scrape time. Gauges that need a query are computed at scrape time under a timeout
(`Metrics.refresh`) rather than by a loop: a query only when someone looks, always fresh when they
do, and every replica can answer (the backlog and JetStream's consumer info are shared state, so
a standby reports the same figures; alerts take the max per service). JetStream's
MAX_DELIVERIES advisory is watched by every replica, so a message JetStream itself stopped
delivering is counted, never abandoned silently.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from prometheus_client.registry import Collector

from livecommerce.runtime import outbox
from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.leadership import Lease
from livecommerce.runtime.metrics import Metrics, counters, gauges
from livecommerce.runtime.outbox import OutboxRelay

log = logging.getLogger(__name__)

MAX_DELIVERIES_ADVISORY = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES"
"""JetStream publishes `<this>.<stream>.<consumer>` when a message reached the consumer's max_deliver."""


class LeaseCollector(Collector):
    def __init__(self, service: str, lease: Lease) -> None:
        self._service, self._lease = service, lease

    def collect(self):
        yield gauges("livecommerce_lease_active", "1 while this replica holds the lease and serves (active), 0 on a standby",
                     ["service"], [([self._service], 1.0 if self._lease.active else 0.0)])  # fmt: skip
        yield gauges("livecommerce_lease_epoch", "Lease epoch this replica holds (0 on a standby); it rises at every takeover",
                     ["service"], [([self._service], float(self._lease.epoch or 0))])  # fmt: skip


class RelayCollector(Collector):
    def __init__(self, service: str, relay: OutboxRelay) -> None:
        self._service, self._relay = service, relay

    def collect(self):
        stats, labels = self._relay.stats, [self._service]
        yield counters("livecommerce_outbox_published", "Outbox rows published to JetStream and acknowledged",
                       ["service"], [(labels, stats.published)])  # fmt: skip
        yield counters("livecommerce_outbox_publish_refusals", "Outbox row publishes JetStream refused (each retried later)",
                       ["service"], [(labels, stats.refused)])  # fmt: skip
        yield counters("livecommerce_outbox_relay_failures", "Relay batches that failed on broker or database trouble (retried)",
                       ["service"], [(labels, stats.failed_batches)])  # fmt: skip


class ConsumerCollector(Collector):
    def __init__(self, service: str, consumers: Sequence[EventConsumer]) -> None:
        self._service, self._consumers = service, consumers

    def collect(self):
        def each(attribute: str) -> Iterable[tuple[list[str], float]]:
            return (([self._service, c.name], getattr(c.stats, attribute)) for c in self._consumers)

        labels = ["service", "consumer"]
        yield counters("livecommerce_consumer_handled", "Events handled (first delivery of each event id)", labels, each("handled"))
        yield counters("livecommerce_consumer_duplicates", "Deliveries of an event already handled (the inbox made them no-ops)",
                       labels, each("duplicates"))  # fmt: skip
        yield counters("livecommerce_consumer_redeliveries", "Deliveries beyond the first that reached this consumer", labels, each("redelivered"))
        yield counters("livecommerce_consumer_handler_failures", "Handler failures (the event is retried, then dead-lettered)",
                       labels, each("failed"))  # fmt: skip
        dead = counters("livecommerce_consumer_dead_letters", "Events kept as dead letters: reached max deliveries, or undecodable",
                        [*labels, "reason"], [])  # fmt: skip
        for c in self._consumers:
            dead.add_metric([self._service, c.name, "max_deliveries"], c.stats.dead_lettered - c.stats.undecodable)
            dead.add_metric([self._service, c.name, "undecodable"], c.stats.undecodable)
        yield dead


class ServiceMetrics:
    """Wires one replica's families into its `Metrics`; `stop()` ends the advisory subscriptions."""

    def __init__(
        self, metrics: Metrics, *, lease: Lease, relay: OutboxRelay, relay_pool: asyncpg.Pool, consumers: Sequence[EventConsumer],
        js: JetStreamContext,
    ) -> None:
        service = self.service = metrics.service
        self._metrics, self._relay_pool, self._js, self._consumers = metrics, relay_pool, js, list(consumers)
        metrics.collect_with(LeaseCollector(service, lease))
        metrics.collect_with(RelayCollector(service, relay))
        metrics.collect_with(ConsumerCollector(service, self._consumers))
        self._lease_changes = metrics.counter("livecommerce_lease_changes_total", "Times this replica became active or standby", ["to"])
        self._unsent = metrics.gauge("livecommerce_outbox_unsent_events", "Outbox rows not yet acknowledged by JetStream (backlog)")
        self._oldest = metrics.gauge("livecommerce_outbox_oldest_unsent_age_seconds", "Age of the oldest unsent outbox row (0: none)")
        labels = ["consumer"]
        self._pending = metrics.gauge("livecommerce_consumer_pending_messages", "Messages in the stream not yet delivered to the durable (num_pending)", labels)
        self._ack_pending = metrics.gauge("livecommerce_consumer_ack_pending_messages", "Messages delivered, not yet acknowledged (num_ack_pending)", labels)
        self._redelivered = metrics.gauge("livecommerce_consumer_redelivered_messages", "Messages redelivered and not yet acknowledged (num_redelivered)", labels)
        self._max_deliveries = metrics.counter(
            "livecommerce_jetstream_max_deliveries_total", "JetStream MAX_DELIVERIES advisories: messages JetStream stopped delivering", labels
        )
        for consumer in self._consumers:  # every series present from the start, so rate() sees the first one
            self._max_deliveries.labels(service, consumer.name)
        for transition in ("active", "standby"):
            self._lease_changes.labels(service, transition)
        metrics.on_scrape("outbox backlog", self._refresh_backlog)
        metrics.on_scrape("consumer info", self._refresh_consumers)
        self._subscriptions: list[Subscription] = []

    def lease_changed(self, active: bool) -> None:
        self._lease_changes.labels(self.service, "active" if active else "standby").inc()

    async def _refresh_backlog(self) -> None:
        # The relay's own pool: the requests' pool may be queued behind calls under overload,
        # exactly when the backlog matters.
        async with self._relay_pool.acquire() as conn:
            unsent, oldest = await outbox.unsent(conn)
        self._unsent.labels(self.service).set(unsent)
        self._oldest.labels(self.service).set(oldest)

    async def _refresh_consumers(self) -> None:
        for consumer in self._consumers:
            try:
                info = await self._js.consumer_info(consumer.stream, consumer.name)
            except NotFoundError:
                continue  # not created yet (no replica was active since it was added)
            self._pending.labels(self.service, consumer.name).set(info.num_pending or 0)
            self._ack_pending.labels(self.service, consumer.name).set(info.num_ack_pending or 0)
            self._redelivered.labels(self.service, consumer.name).set(info.num_redelivered or 0)

    async def watch_advisories(self, nc: Client, durables: Iterable[tuple[str, str]] | None = None) -> None:
        """Subscribes to JetStream's MAX_DELIVERIES advisory of each (stream, durable), by default
        this service's consumers. Our consumers count deliveries themselves (their durables have
        no max_deliver), so an advisory means a durable was given a limit outside this code: the
        message is abandoned by JetStream with no dead letter, and must be looked at."""
        targets = list(durables) if durables is not None else [(c.stream, c.name) for c in self._consumers]
        for stream, durable in targets:
            self._max_deliveries.labels(self.service, durable)
            self._subscriptions.append(await nc.subscribe(f"{MAX_DELIVERIES_ADVISORY}.{stream}.{durable}", cb=self._on_max_deliveries))

    async def _on_max_deliveries(self, msg: Msg) -> None:
        try:
            advisory = json.loads(msg.data)
            durable, stream = str(advisory.get("consumer", "")), advisory.get("stream", "")
        except ValueError:
            durable, stream, advisory = msg.subject.rsplit(".", 1)[-1], "", {}
        self._max_deliveries.labels(self.service, durable).inc()
        log.error(
            "JetStream stopped delivering a message to %s on %s after %s deliveries (stream sequence %s): it is NOT a dead letter",
            durable, stream, advisory.get("deliveries"), advisory.get("stream_seq"),
        )  # fmt: skip

    async def stop(self) -> None:
        for subscription in self._subscriptions:
            try:
                await subscription.unsubscribe()
            except Exception as error:  # the connection is draining or gone: nothing left to end
                log.debug("advisory subscription: %r", error)
        self._subscriptions.clear()
