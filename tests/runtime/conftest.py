"""Fixtures of the runtime's event tests: a JetStream context and a producing schema with its stream."""

from __future__ import annotations

import contextlib

import pytest

from livecommerce.runtime import broker
from livecommerce.runtime.outbox import EventWriter, OutboxRelay
from tests.runtime.probe import probe_pool


@pytest.fixture
async def nats_js(datastores):
    nc = await datastores.nats_client("test")
    yield nc.jetstream()
    await nc.close()


@pytest.fixture
async def producer(database_url, nats_js, subject_root, clock):
    """A pool on schema 'svc' with the runtime's tables, its stream, a writer and a relay."""
    pool = await probe_pool(database_url, schema="svc")
    stream = f"{subject_root}_SVC".upper()
    await broker.ensure_stream(nats_js, stream, [f"{subject_root}.svc.>"])
    writer = EventWriter(source="svc", subject_root=subject_root, clock=clock)
    relay = OutboxRelay(pool, nats_js, schema="svc")
    yield pool, stream, writer, relay
    await pool.close()
    with contextlib.suppress(Exception):
        await nats_js.delete_stream(stream)
