"""Prometheus metrics of one process (issue 17), kept once here for every service and the gateway.

Each running service (and the gateway) owns a `Metrics`: its own registry, so two replicas in one
test process each report their own lease, and the families every process has (per-RPC rate, codes
and latency; the not-after of its TLS certificate and CA). The service parts add theirs: the
outbox relay's and each consumer's counters are read from their `stats` at scrape time (no cost on
the hot path), gauges that need a query (outbox backlog, consumer lag from JetStream) are computed
at scrape time under a timeout by the refreshers registered with `on_scrape`.

Naming follows Prometheus' conventions: the `livecommerce_` prefix, `_total` counters, `_seconds`
histograms in base units, and only low-cardinality labels (`service`, `method`, `code`, a consumer's
durable name, a patrol grade): never an id. docs/operations.md lists every family.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path

import grpc
import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from livecommerce.runtime.certificates import load_certificate
from livecommerce.runtime.tls import TlsFiles

log = logging.getLogger(__name__)

# `_created` samples double every counter's series for a value no alert or panel of ours reads.
prometheus_client.disable_created_metrics()

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""RPC latency buckets: the gateway adds under a millisecond, a write commits in a few, a
failover holds calls up to 3 s."""

SCRAPE_REFRESH_SECONDS = 2.0
"""How long a scrape waits for the gauges that need a query; a slow database leaves them as they
were (and counts the failure) instead of failing the scrape."""


class Metrics:
    """One process's registry and the families every process exports."""

    def __init__(self, service: str, *, process_collectors: bool = True, refresh_timeout: float = SCRAPE_REFRESH_SECONDS) -> None:
        self.service = service
        self._refresh_timeout = refresh_timeout
        self._refreshing: asyncio.Task | None = None
        self.registry = CollectorRegistry()
        if process_collectors:  # CPU, memory, open files, GC: read from /proc at scrape time
            prometheus_client.ProcessCollector(registry=self.registry)
            prometheus_client.GCCollector(registry=self.registry)
        self._families: dict[str, Counter | Gauge | Histogram] = {}
        self._refreshers: list[tuple[str, Callable[[], Awaitable[None]]]] = []
        self.refresh_failures = self.counter(
            "livecommerce_metrics_refresh_failures_total", "Scrape-time queries that failed or timed out (their gauges kept their last value)", ["what"]
        )
        self.rpc = RpcMetrics(self, requests="livecommerce_rpc_requests_total", duration="livecommerce_rpc_duration_seconds")

    # Families are created once per registry; asking again by name returns the same one, so two
    # parts of a process (or a rebuilt one) can share a family without a duplicate-name error.
    def counter(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Counter:
        return self._family(Counter, name, documentation, labels)

    def gauge(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Gauge:
        return self._family(Gauge, name, documentation, labels)

    def histogram(self, name: str, documentation: str, labels: Sequence[str] = (), buckets=LATENCY_BUCKETS) -> Histogram:
        if name not in self._families:
            self._families[name] = Histogram(name, documentation, ["service", *labels], registry=self.registry, buckets=buckets)
        return self._families[name]  # type: ignore[return-value]

    def _family(self, kind, name: str, documentation: str, labels: Sequence[str]):
        if name not in self._families:
            self._families[name] = kind(name, documentation, ["service", *labels], registry=self.registry)
        return self._families[name]

    def collect_with(self, collector: Collector) -> None:
        """A collector read at scrape time (counters kept as plain ints by their owners)."""
        self.registry.register(collector)

    def on_scrape(self, what: str, refresh: Callable[[], Awaitable[None]]) -> None:
        """`refresh` runs before each scrape (bounded by SCRAPE_REFRESH_SECONDS) to set gauges that need a query.
        Its failure counter is exported at 0 from now on: `increase()` then sees its first failures."""
        self._refreshers.append((what, refresh))
        self.refresh_failures.labels(self.service, what)

    async def refresh(self) -> None:
        """Runs the refreshers before a scrape. Concurrent scrapes (several Prometheus replicas,
        someone's curl loop) join the round in flight: at most one round of queries at a time."""
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.create_task(self._refresh_all())
        await asyncio.shield(self._refreshing)  # a scraper that hangs up does not cancel the others' round

    async def _refresh_all(self) -> None:
        async def one(what: str, refresh: Callable[[], Awaitable[None]]) -> None:
            try:
                async with asyncio.timeout(self._refresh_timeout):
                    await refresh()
            except Exception as error:
                self.refresh_failures.labels(self.service, what).inc()
                log.warning("metrics: refreshing %s failed: %r", what, error)

        await asyncio.gather(*(one(what, refresh) for what, refresh in self._refreshers))

    def exposition(self) -> bytes:
        return prometheus_client.generate_latest(self.registry)

    def watch_certificates(self, tls: TlsFiles | None) -> None:
        """Exports the not-after of the certificate and CA the process serves with; call it where the
        server loads them (at start)."""
        if tls is not None:
            self.collect_with(CertificateExpiry(self.service, {"cert": tls.cert, "ca": tls.ca}))


class RpcMetrics:
    """Per-RPC rate, status codes and latency: the runtime's server interceptor feeds it in every
    service, the gateway's admission for every call it answers (livecommerce_gateway_*)."""

    def __init__(self, metrics: Metrics, *, requests: str, duration: str) -> None:
        self._service = metrics.service
        self.handled = metrics.counter(requests, "RPCs answered, by method and status code", ["method", "code"])
        self.latency = metrics.histogram(duration, "Time to answer an RPC, by method", ["method"])
        self._children: dict[tuple[str, str, str], tuple] = {}

    def observe(self, method: str, code: grpc.StatusCode | str, seconds: float, *, service: str | None = None) -> None:
        """`service` is the process's own, except at the gateway: the service the call was for."""
        name = code if isinstance(code, str) else code.name
        key = (service or self._service, method, name)
        children = self._children.get(key)
        if children is None:  # label lookups cost more than the increment: resolved once per series
            children = self._children[key] = (self.handled.labels(*key), self.latency.labels(key[0], method))
        children[0].inc()
        children[1].observe(seconds)


class CertificateExpiry(Collector):
    """`livecommerce_tls_certificate_expiry_timestamp_seconds{file}`: the not-after of the
    certificate and CA as the process loaded them at start. gRPC reads its TLS files once, so a
    certificate renewed on disk is served only after a restart: the gauge follows what is served,
    and an alert on it clears when the renewed certificate is really in use."""

    def __init__(self, service: str, files: dict[str, Path]) -> None:
        self._service = service
        self._not_after: dict[str, float] = {}
        for name, path in files.items():
            try:
                self._not_after[name] = load_certificate(path.read_bytes()).not_valid_after_utc.timestamp()
            except (OSError, ValueError) as error:  # the server's own start-up reports the file
                log.warning("metrics: cannot read certificate %s: %r", path, error)

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "livecommerce_tls_certificate_expiry_timestamp_seconds", "Not-after of the TLS certificate and CA the process serves with, Unix time",
            labels=["service", "file"],
        )
        for name, not_after in self._not_after.items():
            family.add_metric([self._service, name], not_after)
        yield family


def counters(name: str, documentation: str, labels: Sequence[str], values: Iterable[tuple[Sequence[str], float]]) -> CounterMetricFamily:
    """A counter family read from plain ints at scrape time (`name` without `_total`)."""
    family = CounterMetricFamily(name, documentation, labels=list(labels))
    for label_values, value in values:
        family.add_metric(list(label_values), value)
    return family


def gauges(name: str, documentation: str, labels: Sequence[str], values: Iterable[tuple[Sequence[str], float]]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=list(labels))
    for label_values, value in values:
        family.add_metric(list(label_values), value)
    return family

