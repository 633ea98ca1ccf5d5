"""The gateway's metrics (issue 17): every call it answers, its audit log and its revocation list.

Admission sees every call, refused or forwarded, with its final status, so it feeds the per-call
families (`livecommerce_gateway_requests_total`, `..._duration_seconds`) labelled by the service
the call was for: the view of the suite "through the gateway". Method names come from clients, so
only the suite's own methods (and health and reflection) become label values; anything else is
`unknown`, which keeps a scanner from creating a series per name it tries.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import grpc
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from gateway.revocation import RevocationList
from livecommerce.runtime.metrics import Metrics, RpcMetrics

UNKNOWN = "unknown"

REFUSAL_CODES = (
    grpc.StatusCode.CANCELLED,  # admission: no request message arrived, the client cancelled
    grpc.StatusCode.INVALID_ARGUMENT,  # admission: the request does not decode
    grpc.StatusCode.PERMISSION_DENIED,  # admission: the role policy (PLT-04)
    grpc.StatusCode.RESOURCE_EXHAUSTED,  # admission: no request message arrived (over the size limit)
    grpc.StatusCode.UNAUTHENTICATED,  # admission: no livecommerce identity; revocation: a revoked certificate
    grpc.StatusCode.UNAVAILABLE,  # revocation: a stale CRL (fail-closed); the audit log cannot record the call
    grpc.StatusCode.UNIMPLEMENTED,  # admission: a method the gateway does not serve
)
"""Every code the gateway itself refuses a call with (gateway/admission.py, gateway/revocation.py):
`livecommerce_gateway_refusals_total` has a series at 0 for each from the start, so `rate()` and
`increase()` count a code's first refusals (a series that appears already at 1 hides its first)."""
_GATEWAY_OWN = ("/grpc.health.v1.Health/", "/grpc.reflection.v1alpha.ServerReflection/", "/grpc.reflection.v1.ServerReflection/")


class GatewayMetrics:
    def __init__(self, metrics: Metrics, service_of: Callable[[str], str | None]) -> None:
        """`service_of(method)`: the suite's service a method belongs to, None for no method of the suite."""
        self.metrics, self._service_of = metrics, service_of
        self.calls = RpcMetrics(
            metrics, requests="livecommerce_gateway_requests_total", duration="livecommerce_gateway_request_duration_seconds"
        )
        self.refusals = metrics.counter("livecommerce_gateway_refusals_total", "Calls the gateway itself refused (admission), by code", ["code"])
        for code in REFUSAL_CODES:
            self.refusals.labels(metrics.service, code.name)
        self.audit_write = metrics.histogram(
            "livecommerce_gateway_audit_write_duration_seconds", "Time to append one entry to the audit log",
            buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25),
        ).labels(metrics.service)
        self.audit_refusals = metrics.counter(
            "livecommerce_gateway_audit_refusals_total", "Calls refused because the audit log could not record them (PLT-05)"
        ).labels(metrics.service)

    def call(self, method: str, code: grpc.StatusCode, seconds: float, *, refused_here: bool) -> None:
        service = self._service_of(method)
        if service is None:
            service, method = ("gateway", method) if method.startswith(_GATEWAY_OWN) else (UNKNOWN, UNKNOWN)
        self.calls.observe(method, code, seconds, service=service)
        if refused_here:
            self.refusals.labels(self.metrics.service, code.name).inc()

    def watch_revocations(self, revocations: RevocationList) -> None:
        self.metrics.collect_with(CrlCollector(revocations))


class CrlCollector(Collector):
    def __init__(self, revocations: RevocationList) -> None:
        self._revocations = revocations

    def collect(self) -> Iterable[GaugeMetricFamily]:
        crl = self._revocations.current()
        age = GaugeMetricFamily("livecommerce_gateway_crl_age_seconds", "Seconds since the thisUpdate of the CRL in force (the development CA backdates it 5 minutes)")
        next_update = GaugeMetricFamily(
            "livecommerce_gateway_crl_next_update_timestamp_seconds", "When the CRL in force stops being fresh (nextUpdate), Unix time"
        )
        if crl.last_update is not None:
            age.add_metric([], max(0.0, time.time() - crl.last_update.timestamp()))
        if crl.next_update is not None:
            next_update.add_metric([], crl.next_update.timestamp())
        yield age
        yield next_update
