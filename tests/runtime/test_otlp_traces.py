"""Traces exported over OTLP (issue 17), chosen by the standard OTEL_* variables, received by a
real OTLP/gRPC endpoint: a small collector TraceService from the opentelemetry-proto package."""

from __future__ import annotations

import queue
from concurrent import futures

import grpc
import pytest
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

from livecommerce.runtime import telemetry
from livecommerce.runtime.settings import DEFAULT_OTLP_ENDPOINT, Secret, Settings, TraceExport


class Collector(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self) -> None:
        self.received: queue.Queue[tuple[trace_service_pb2.ExportTraceServiceRequest, dict]] = queue.Queue()

    def Export(self, request, context):
        self.received.put((request, dict(context.invocation_metadata())))
        return trace_service_pb2.ExportTraceServiceResponse()


@pytest.fixture
def collector():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    servicer = Collector()
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield port, servicer
    server.stop(0)


def test_spans_reach_an_otlp_collector_named_by_the_otel_variables(collector):
    port, servicer = collector
    env = {
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{port}",
        "OTEL_EXPORTER_OTLP_HEADERS": "x-tenant=livecommerce,authorization=Bearer s3cret",
    }
    traces = TraceExport.from_env(env)
    assert "s3cret" not in repr(traces)  # the headers often carry a credential
    exporter = telemetry.exporter_for(traces)
    provider = telemetry.tracer_provider("product", exporter=exporter, processor=SimpleSpanProcessor)
    with provider.get_tracer("test").start_as_current_span("GetProduct") as span:
        span.set_attribute("rpc.method", "/livecommerce.product.v1.ProductService/GetProduct")
    provider.shutdown()
    request, metadata = servicer.received.get(timeout=10)
    [resource_spans] = request.resource_spans
    service_name = {a.key: a.value.string_value for a in resource_spans.resource.attributes}["service.name"]
    [spans] = [scope.spans for scope in resource_spans.scope_spans]
    assert service_name == "livecommerce-product" and [s.name for s in spans] == ["GetProduct"]
    assert metadata["x-tenant"] == "livecommerce" and metadata["authorization"] == "Bearer s3cret"


def test_the_settings_read_the_standard_variables():
    assert TraceExport.from_env({}) == TraceExport(exporter="none", endpoint=DEFAULT_OTLP_ENDPOINT)
    assert telemetry.exporter_for(TraceExport.from_env({})) is None  # nothing recorded, as before
    assert isinstance(telemetry.exporter_for(TraceExport.from_env({"OTEL_TRACES_EXPORTER": "console"})), ConsoleSpanExporter)
    specific = TraceExport.from_env({
        "OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://general:4317",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://traces:4317", "OTEL_EXPORTER_OTLP_INSECURE": "false",
    })  # fmt: skip
    assert (specific.endpoint, specific.insecure) == ("https://traces:4317", False)  # the per-signal variable wins
    with pytest.raises(SystemExit, match="OTEL_TRACES_EXPORTER"):
        TraceExport.from_env({"OTEL_TRACES_EXPORTER": "zipkin"})
    base = {"DATABASE_URL": "postgresql://x", "NATS_URL": "nats://x", "PII_KEY": "A" * 43, "TLS_CERT_FILE": "c", "TLS_KEY_FILE": "k", "TLS_CA_FILE": "a"}
    settings = Settings.from_env("product", {**base, "OTEL_TRACES_EXPORTER": "otlp", "METRICS_PORT": "9464", "GRPC_HOST": "0.0.0.0"})
    assert (settings.traces.exporter, settings.metrics_port, settings.metrics_host) == ("otlp", 9464, "0.0.0.0")
    assert settings.traces.headers is None and Secret(b"x") != settings.traces.headers
