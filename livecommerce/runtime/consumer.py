"""Durable JetStream pull consumers with an inbox, so a redelivered event has no second effect.

Each fetched batch is handled in one PostgreSQL transaction: one insert puts every event id into
the inbox, and handlers run only for the ids that were new. If a handler fails, the batch rolls
back and is redone with a savepoint per message, so only the failing message waits for redelivery.
Messages are acknowledged only after the transaction committed.
A crash between commit and ack means a redelivery that the inbox turns into a no-op.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import asyncpg
from google.protobuf.message import DecodeError
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime import telemetry

log = logging.getLogger(__name__)

Handler = Callable[[asyncpg.Connection, envelope_pb2.EventEnvelope], Awaitable[None]]


@dataclass
class ConsumerStats:
    handled: int = 0
    duplicates: int = 0
    failed: int = 0
    poisoned: int = 0


@dataclass
class EventConsumer:
    """One durable consumer: `name` is both the JetStream durable and the inbox's consumer key."""

    pool: asyncpg.Pool
    js: JetStreamContext
    name: str
    stream: str
    subject: str
    """Subject filter, wildcards allowed (e.g. "lc.anchor.>")."""
    handler: Handler
    batch_size: int = 256
    ack_wait_seconds: float = 30.0
    max_deliver: int = 20
    retry_delay_seconds: float = 1.0
    concurrency: int = 2
    max_in_flight: int = 10_000
    stats: ConsumerStats = field(default_factory=ConsumerStats)

    async def run(self) -> None:
        """Subscribes to the durable (a push consumer shared by every replica as a queue group)
        and runs `concurrency` workers over what arrives.

        Each worker waits for one message, then takes whatever else has already arrived, so a
        batch is as large as the backlog and an idle stream adds no waiting. Several workers keep
        the database busy while one batch waits on a round trip; the inbox, not ordering, makes
        handling safe, so batches may commit in any order. max_ack_pending bounds what is in flight.
        """
        arrived: asyncio.Queue[Msg] = asyncio.Queue()

        async def deliver(msg: Msg) -> None:
            arrived.put_nowait(msg)

        config = ConsumerConfig(
            durable_name=self.name,
            deliver_group=self.name,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_seconds,
            max_deliver=self.max_deliver,
            max_ack_pending=self.max_in_flight,
        )
        await self.js.subscribe(
            self.subject, queue=self.name, cb=deliver, stream=self.stream, config=config, manual_ack=True
        )
        await asyncio.gather(*(self._work(arrived) for _ in range(self.concurrency)))

    async def _work(self, arrived: asyncio.Queue[Msg]) -> None:
        while True:
            batch = [await arrived.get()]
            while len(batch) < self.batch_size and not arrived.empty():
                batch.append(arrived.get_nowait())
            await self.process(batch)

    async def process(self, messages: list[Msg]) -> None:
        decoded: list[tuple[Msg, envelope_pb2.EventEnvelope, uuid.UUID]] = []
        for msg in messages:
            try:
                envelope = envelope_pb2.EventEnvelope.FromString(msg.data)
                decoded.append((msg, envelope, uuid.UUID(envelope.id)))
            except (DecodeError, ValueError):
                log.error("consumer %s: undecodable event on %s, terminated", self.name, msg.subject)
                self.stats.poisoned += 1
                await msg.term()
        if not decoded:
            return
        try:
            await self._process_batch(decoded)
        except Exception:
            # Some handler failed: redo the batch one savepoint per message, so only it waits.
            await self._process_one_by_one(decoded)
            return
        for msg, _, _ in decoded:
            await msg.ack()

    async def _process_batch(self, decoded: list[tuple[Msg, envelope_pb2.EventEnvelope, uuid.UUID]]) -> None:
        """Fast path: one inbox insert for the whole batch, every handler in one transaction."""
        handled = duplicates = 0
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "INSERT INTO inbox (consumer, event_id, subject)"
                " SELECT $1, event_id, subject FROM unnest($2::uuid[], $3::text[]) AS batch(event_id, subject)"
                " ON CONFLICT DO NOTHING RETURNING event_id",
                self.name,
                [event_id for _, _, event_id in decoded],
                [msg.subject for msg, _, _ in decoded],
            )
            fresh = {row["event_id"] for row in rows}
            for msg, envelope, event_id in decoded:
                if event_id not in fresh:
                    duplicates += 1
                    continue
                fresh.discard(event_id)  # the same event twice in one batch has one effect
                await self._run_handler(conn, msg, envelope)
                handled += 1
        self.stats.handled += handled
        self.stats.duplicates += duplicates

    async def _process_one_by_one(self, decoded: list[tuple[Msg, envelope_pb2.EventEnvelope, uuid.UUID]]) -> None:
        done: list[Msg] = []
        retry: list[Msg] = []
        async with self.pool.acquire() as conn, conn.transaction():
            for msg, envelope, event_id in decoded:
                try:
                    await self._handle_once(conn, msg, envelope, event_id)
                    done.append(msg)
                except Exception:
                    log.exception("consumer %s: handler failed for event %s; will retry", self.name, envelope.id)
                    self.stats.failed += 1
                    retry.append(msg)
        for msg in done:
            await msg.ack()
        for msg in retry:
            await msg.nak(delay=self.retry_delay_seconds)

    async def _run_handler(self, conn: asyncpg.Connection, msg: Msg, envelope: envelope_pb2.EventEnvelope) -> None:
        with telemetry.span_from_headers(
            f"consume {msg.subject}", msg.headers, **{"messaging.consumer": self.name, "event.id": envelope.id}
        ):
            await self.handler(conn, envelope)

    async def _handle_once(
        self, conn: asyncpg.Connection, msg: Msg, envelope: envelope_pb2.EventEnvelope, event_id: uuid.UUID
    ) -> None:
        async with conn.transaction():  # a savepoint: a failing handler undoes its own inbox row too
            first_time = await conn.fetchval(
                "INSERT INTO inbox (consumer, event_id, subject) VALUES ($1, $2, $3)"
                " ON CONFLICT DO NOTHING RETURNING true",
                self.name,
                event_id,
                msg.subject,
            )
            if not first_time:
                self.stats.duplicates += 1
                return
            await self._run_handler(conn, msg, envelope)
            self.stats.handled += 1
