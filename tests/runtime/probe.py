"""A probe consumer for tests and benchmarks: counts each event's effect in its own schema."""

from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg
from nats.js import JetStreamContext

from livecommerce.anchor.v1 import events_pb2
from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime import db
from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.unit_of_work import UnitOfWork

MIGRATIONS = Path(__file__).parent / "probe_migrations"


async def probe_pool(database_url: str, *, schema: str = "probe") -> asyncpg.Pool:
    pool = await db.create_pool(database_url, schema=schema, size=4, application_name="probe")
    async with pool.acquire() as conn:
        await db.migrate(conn, schema=schema, service_migrations=MIGRATIONS)
    return pool


async def record_effect(conn: asyncpg.Connection, envelope: envelope_pb2.EventEnvelope) -> None:
    await conn.execute(
        "INSERT INTO effects (event_id, type, subject_id) VALUES ($1, $2, $3)",
        uuid.UUID(envelope.id),
        envelope.type,
        envelope.subject_id,
    )


def probe_consumer(pool: asyncpg.Pool, js: JetStreamContext, *, stream: str, subject: str, name: str = "probe", **options) -> EventConsumer:
    """A consumer recording each event's effect; unfenced (no lease) unless `uow` says otherwise."""
    options.setdefault("uow", UnitOfWork(pool, fence=None, wake_relay=lambda: None))
    return EventConsumer(js=js, name=name, stream=stream, subject=subject, handler=record_effect, **options)


def payload(n: int) -> events_pb2.AnchorFileRevised:
    return events_pb2.AnchorFileRevised(anchor_id=f"a-{n}", version=n)


async def write_events(pool: asyncpg.Pool, writer: EventWriter, count: int) -> None:
    """Commits `count` events, each in a transaction of its own, about subjects a-0, a-1, ..."""
    async with pool.acquire() as conn:
        for n in range(count):
            async with conn.transaction():
                await writer.add(conn, noun="file", verb="revised", payload=payload(n), subject_id=f"a-{n}")
