"""Trace context travels gRPC call -> outbox row -> NATS headers -> consumer span (architecture.md)."""

from __future__ import annotations

import asyncio

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.runtime import telemetry
from tests.anchor.builders import profile, rid
from tests.runtime.probe import probe_consumer, probe_pool


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    telemetry.configure_tracing("test", exporter=exporter, processor=SimpleSpanProcessor)
    assert trace.get_tracer_provider().sampler.get_description() == "AlwaysOnSampler", "tracing was configured before this test"
    return exporter



async def test_one_trace_from_call_to_consumer(spans, stub_for, database_url, datastores, settings):
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    agency = stub_for("agency", "ag-1")
    anchor = (await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()), metadata=(("traceparent", traceparent),))).anchor
    pool = await probe_pool(database_url)
    nc = await datastores.nats_client("trace-probe")
    consumer = probe_consumer(pool, nc.jetstream(), stream=settings.stream_name, subject=f"{settings.subject_root}.anchor.>")
    task = asyncio.create_task(consumer.run())
    try:
        async with asyncio.timeout(10):
            while consumer.stats.handled < 1:
                await asyncio.sleep(0.02)
    finally:
        task.cancel()
        await nc.close()
        await pool.close()
    trace_id = int("0af7651916cd43dd8448eb211c80319c", 16)
    names = {s.name for s in spans.get_finished_spans() if s.context.trace_id == trace_id}
    assert "/livecommerce.anchor.v1.AnchorService/RegisterAnchor" in names
    assert any(name.startswith("consume ") and name.endswith(".anchor.anchor.registered") for name in names), names
    assert anchor.anchor_id


def test_without_an_exporter_nothing_is_recorded_but_the_trace_goes_on():
    tracer = telemetry.tracer_provider("probe").get_tracer("probe")  # as a service without OTEL_TRACES_EXPORTER
    parent = {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}
    with tracer.start_as_current_span("call", context=telemetry.propagate.extract(parent)) as span:
        assert not span.is_recording()
        headers = telemetry.current_trace_headers()
    assert headers["traceparent"].split("-")[1] == "0af7651916cd43dd8448eb211c80319c"
