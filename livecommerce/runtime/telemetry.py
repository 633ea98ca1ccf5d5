"""Structured JSON logs and OpenTelemetry tracing, set up once per process.

Trace context travels gRPC metadata -> span -> outbox row -> NATS headers -> consumer span, so one
trace shows a call and every effect of its events (architecture.md, Running it).
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON

from livecommerce.runtime.settings import TraceExport

_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; `extra=` fields and the current trace id become keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            entry["trace_id"] = format(span_context.trace_id, "032x")
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str = "INFO", service: str = "") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if service:
        old_factory = logging.getLogRecordFactory()

        def factory(*args, **kwargs):
            record = old_factory(*args, **kwargs)
            record.service = service
            return record

        logging.setLogRecordFactory(factory)


def configure_tracing(
    service: str,
    *,
    exporter: SpanExporter | None = None,
    processor: Callable[[SpanExporter], SpanProcessor] = BatchSpanProcessor,
) -> TracerProvider:
    """Installs the process's tracer provider (see tracer_provider)."""
    provider = tracer_provider(service, exporter=exporter, processor=processor)
    trace.set_tracer_provider(provider)
    return provider


def tracer_provider(
    service: str,
    *,
    exporter: SpanExporter | None = None,
    processor: Callable[[SpanExporter], SpanProcessor] = BatchSpanProcessor,
) -> TracerProvider:
    """With an exporter every span is recorded and shipped.
    Without one nothing is recorded (ALWAYS_OFF): spans still carry the trace context from the
    call into events, logs and the next service, but recording spans that go nowhere cost the
    gateway a seventh of its CPU per call."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": f"livecommerce-{service}"}),
        sampler=ALWAYS_ON if exporter is not None else ALWAYS_OFF,
    )
    if exporter is not None:
        provider.add_span_processor(processor(exporter))
    return provider


def console_exporter() -> SpanExporter:
    return ConsoleSpanExporter(out=sys.stderr, formatter=lambda span: span.to_json(indent=None) + "\n")


def exporter_for(traces: TraceExport) -> SpanExporter | None:
    """The exporter the OTEL_* variables chose (settings.TraceExport), or None (nothing recorded).

    OTLP goes over gRPC (opentelemetry-exporter-otlp-proto-grpc): grpcio is already every
    process's transport, where the HTTP exporter would bring in `requests` and its stack; and
    4317/gRPC is what every collector listens on by default."""
    if traces.exporter == "console":
        return console_exporter()
    if traces.exporter != "otlp":
        return None
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

    credentials = None
    if traces.certificate is not None:
        import grpc

        credentials = grpc.ssl_channel_credentials(traces.certificate.read_bytes())
    headers = None
    if traces.headers is not None:
        pairs = (item.split("=", 1) for item in traces.headers.reveal().decode().split(",") if "=" in item)
        headers = {key.strip().lower(): value.strip() for key, value in pairs}
    return OTLPSpanExporter(endpoint=traces.endpoint, insecure=traces.insecure, credentials=credentials, headers=headers)


@functools.cache
def tracer() -> trace.Tracer:
    """One tracer per process (looking it up costs more than a non-recording span). Taken before
    configure_tracing it is OpenTelemetry's proxy, which follows the provider installed later."""
    return trace.get_tracer("livecommerce")


def current_trace_headers() -> dict[str, str]:
    """W3C trace-context headers (traceparent, tracestate) of the current span, if any."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


@contextmanager
def span_from_headers(name: str, headers: Mapping[str, str] | None, **attributes) -> Iterator[trace.Span]:
    """A span whose parent is the trace context found in `headers` (gRPC metadata or NATS headers)."""
    parent = propagate.extract(dict(headers or {}))
    with tracer().start_as_current_span(name, context=parent, kind=trace.SpanKind.SERVER) as span:
        for key, value in attributes.items():
            span.set_attribute(key, value)
        yield span
