"""Durable JetStream pull consumers with an inbox, so a redelivered event has no second effect.

Only the active replica runs consumers (ActiveDuties). `run()` owns its pull subscription and
unsubscribes it when it ends, so a lease flip or a restart leaves no dead subscriber behind to
take deliveries nobody reads. Each fetched batch is handled in one unit-of-work transaction
(fenced by the lease, waking the relay for events the handlers wrote): one insert puts every
event id into the inbox, and handlers run only for the ids that were new. If a handler fails, the
batch rolls back and is redone with a savepoint per message, so only the failing message waits
for redelivery; at its last allowed delivery it becomes a dead letter instead (dead_letters.py).
Messages are acknowledged only after the transaction committed; a crash between commit and ack
means a redelivery that the inbox turns into a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import asyncpg
import nats.errors
from google.protobuf.message import DecodeError
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime import dead_letters, telemetry
from livecommerce.runtime.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[asyncpg.Connection, envelope_pb2.EventEnvelope], Awaitable[None]]
Decoded = tuple[Msg, envelope_pb2.EventEnvelope, uuid.UUID]


@dataclass
class ConsumerStats:
    handled: int = 0
    duplicates: int = 0
    failed: int = 0
    dead_lettered: int = 0
    undecodable: int = 0
    """Of the dead letters, those that could not be decoded (the rest reached max_deliver)."""
    redelivered: int = 0
    """Deliveries beyond an event's first that reached this consumer (metrics)."""
    replayed: int = 0


@dataclass
class EventConsumer:
    """One durable consumer: `name` is both the JetStream durable and the inbox's consumer key."""

    js: JetStreamContext
    name: str
    stream: str
    subject: str
    """Subject filter, wildcards allowed (e.g. "lc.anchor.>")."""
    handler: Handler
    uow: UnitOfWork
    """The service's unit of work (`Runtime.uow`): every batch commits fenced and wakes the relay."""
    batch_size: int = 256
    fetch_timeout_seconds: float = 1.0
    """How long one pull waits on an idle stream; idle workers then look for requested replays."""
    ack_wait_seconds: float = 30.0
    max_deliver: int = 20
    """Deliveries before a failing message becomes a dead letter (counted here, not by JetStream)."""
    retry_delay_seconds: float = 1.0
    concurrency: int = 2
    max_in_flight: int = 10_000
    stats: ConsumerStats = field(default_factory=ConsumerStats)

    async def run(self) -> None:
        """Fetches and handles messages with `concurrency` workers until cancelled; its pull
        subscription ends with it, and messages not yet handled are handed back at once.

        The fetcher keeps messages coming as a push consumer would (max_ack_pending bounds what
        is in flight); each worker waits for one message, then takes whatever else has arrived,
        so a batch is as large as the backlog and an idle stream adds no waiting. Several workers
        keep the database busy while one batch waits on a round trip; the inbox, not ordering,
        makes handling safe, so batches may commit in any order.
        """
        await self._ensure_durable()
        subscription = await self.js.pull_subscribe_bind(durable=self.name, stream=self.stream)
        arrived: asyncio.Queue[Msg] = asyncio.Queue()
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self.concurrency):
                    group.create_task(self._work(arrived))
                group.create_task(self._fetch(subscription, arrived))
        finally:
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()
            await _settle([arrived.get_nowait() for _ in range(arrived.qsize())], "nak")

    async def _fetch(self, subscription: JetStreamContext.PullSubscription, arrived: asyncio.Queue[Msg]) -> None:
        await self.replay_dead_letters()
        while True:
            try:
                # One message: a lingering pull returns the moment it arrives. (nats-py's fetch of
                # n waits until n have arrived or the pull expires, which is lag on a steady stream.)
                fetched = await subscription.fetch(1, timeout=self.fetch_timeout_seconds)
            except nats.errors.TimeoutError:
                await self.replay_dead_letters()  # idle: the moment for an SRE's replays
                continue
            # The backlog behind it is there already: a pull of exactly that many returns at once.
            backlog = min(fetched[0].metadata.num_pending or 0, self.batch_size)
            if backlog:
                with contextlib.suppress(nats.errors.TimeoutError):
                    fetched += await subscription.fetch(backlog, timeout=self.fetch_timeout_seconds)
            for msg in fetched:
                arrived.put_nowait(msg)

    async def _work(self, arrived: asyncio.Queue[Msg]) -> None:
        while True:
            batch = [await arrived.get()]
            while len(batch) < self.batch_size and not arrived.empty():
                batch.append(arrived.get_nowait())
            try:
                await self.process(batch)
            except asyncio.CancelledError:
                # Stopping (a lease flip): hand the batch back now rather than after ack_wait.
                await _settle(batch, "nak")
                raise

    async def _ensure_durable(self) -> None:
        config = ConsumerConfig(
            durable_name=self.name,
            filter_subject=self.subject,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_seconds,
            # Unlimited: JetStream would give up silently after max_deliver; this consumer counts
            # deliveries itself and keeps the message as a dead letter instead.
            max_deliver=-1,
            max_ack_pending=self.max_in_flight,
        )
        try:
            info = await self.js.consumer_info(self.stream, self.name)
            if info.config.deliver_subject:
                # A push durable from before pull consumers: a pull cannot bind to it. Recreated, it
                # delivers the stream from the start again, which the inbox makes harmless.
                log.warning("consumer %s: replacing the push durable with a pull durable", self.name)
                await self.js.delete_consumer(self.stream, self.name)
        except NotFoundError:
            pass
        await self.js.add_consumer(self.stream, config)  # creates, or updates what may change

    async def process(self, messages: list[Msg]) -> None:
        decoded: list[Decoded] = []
        undecodable: list[Msg] = []
        for msg in messages:
            if (msg.metadata.num_delivered or 1) > 1:
                self.stats.redelivered += 1
            try:
                envelope = envelope_pb2.EventEnvelope.FromString(msg.data)
                decoded.append((msg, envelope, uuid.UUID(envelope.id)))
            except (DecodeError, ValueError):
                undecodable.append(msg)
        if undecodable:
            await self._dead_letter_undecodable(undecodable)
        if not decoded:
            return
        try:
            await self._process_batch(decoded)
        except Exception:
            # Some handler failed (or the commit did): redo one savepoint per message, so only it waits.
            await self._process_one_by_one(decoded)
            return
        await _settle([msg for msg, _, _ in decoded], "ack")

    async def _process_batch(self, decoded: list[Decoded]) -> None:
        """Fast path: one inbox insert for the whole batch, every handler in one transaction."""
        handled = duplicates = 0
        async with self.uow.transaction() as conn:
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
                await self._run_handler(conn, msg.subject, msg.headers, envelope)
                handled += 1
        self.stats.handled += handled
        self.stats.duplicates += duplicates

    async def _process_one_by_one(self, decoded: list[Decoded]) -> None:
        done: list[Msg] = []
        retry: list[Msg] = []
        dead: list[Msg] = []
        try:
            async with self.uow.transaction() as conn:
                for msg, envelope, event_id in decoded:
                    try:
                        await self._handle_once(conn, msg.subject, msg.headers, envelope, event_id)
                        done.append(msg)
                        continue
                    except Exception as error:
                        failure = error
                    self.stats.failed += 1
                    deliveries = msg.metadata.num_delivered or 1
                    if deliveries < self.max_deliver:
                        log.warning("consumer %s: handler failed for event %s (delivery %d of %d): %r",
                                    self.name, envelope.id, deliveries, self.max_deliver, failure)  # fmt: skip
                        retry.append(msg)
                        continue
                    log.error("consumer %s: event %s failed %d deliveries, kept as a dead letter: %r",
                              self.name, envelope.id, deliveries, failure)  # fmt: skip
                    await dead_letters.record(
                        conn, consumer=self.name, event_id=event_id, subject=msg.subject, envelope=msg.data,
                        deliveries=deliveries, error=repr(failure),
                    )  # fmt: skip
                    dead.append(msg)
        except Exception as error:
            # The transaction itself failed (the lease is gone, the database is away): nothing took
            # effect, so every message goes back for another delivery, here or on the new leader.
            log.warning("consumer %s: batch of %d not committed, handed back: %r", self.name, len(decoded), error)
            await _settle([msg for msg, _, _ in decoded], "nak")
            return
        self.stats.dead_lettered += len(dead)
        await _settle(done, "ack")
        await _settle(dead, "term")
        for msg in retry:
            await msg.nak(delay=self.retry_delay_seconds)

    async def _dead_letter_undecodable(self, messages: list[Msg]) -> None:
        """An undecodable message can never succeed: kept at once, whatever its delivery count."""
        async with self.uow.transaction() as conn:
            for msg in messages:
                log.error("consumer %s: undecodable event on %s, kept as a dead letter", self.name, msg.subject)
                await dead_letters.record(
                    conn, consumer=self.name, event_id=None, subject=msg.subject, envelope=msg.data,
                    deliveries=msg.metadata.num_delivered or 1, error="undecodable EventEnvelope",
                )  # fmt: skip
        self.stats.dead_lettered += len(messages)
        self.stats.undecodable += len(messages)
        await _settle(messages, "term")

    async def replay_dead_letters(self, limit: int = 100) -> int:
        """Runs the dead letters an SRE asked to replay through the handler, with the inbox as for
        any delivery (an event already applied is a no-op); returns how many were replayed."""
        async with self.uow.pool.acquire() as conn:
            if not await dead_letters.any_requested(conn, consumer=self.name):
                return 0
        replayed = 0
        async with self.uow.transaction() as conn:
            for letter in await dead_letters.take_requested(conn, consumer=self.name, limit=limit):
                try:
                    envelope = envelope_pb2.EventEnvelope.FromString(letter.envelope)
                    trace = {"traceparent": envelope.trace.traceparent, "tracestate": envelope.trace.tracestate}
                    headers = {key: value for key, value in trace.items() if value}
                    await self._handle_once(conn, letter.subject, headers, envelope, uuid.UUID(envelope.id))
                except Exception as error:
                    log.error("consumer %s: replay of dead letter %d failed again: %r", self.name, letter.id, error)
                    await dead_letters.replay_failed(conn, dead_letter_id=letter.id, error=repr(error))
                    continue
                await dead_letters.replayed(conn, dead_letter_id=letter.id)
                replayed += 1
        self.stats.replayed += replayed
        return replayed

    async def _run_handler(
        self, conn: asyncpg.Connection, subject: str, headers: dict | None, envelope: envelope_pb2.EventEnvelope
    ) -> None:
        with telemetry.span_from_headers(
            f"consume {subject}", headers, **{"messaging.consumer": self.name, "event.id": envelope.id}
        ):
            await self.handler(conn, envelope)

    async def _handle_once(
        self, conn: asyncpg.Connection, subject: str, headers: dict | None, envelope: envelope_pb2.EventEnvelope,
        event_id: uuid.UUID,
    ) -> None:
        async with conn.transaction():  # a savepoint: a failing handler undoes its own inbox row too
            first_time = await conn.fetchval(
                "INSERT INTO inbox (consumer, event_id, subject) VALUES ($1, $2, $3)"
                " ON CONFLICT DO NOTHING RETURNING true",
                self.name,
                event_id,
                subject,
            )
            if not first_time:
                self.stats.duplicates += 1
                return
            await self._run_handler(conn, subject, headers, envelope)
            self.stats.handled += 1


async def _settle(messages: list[Msg], how: str) -> None:
    """Acks, naks or terms ("ack", "nak", "term") each message; one whose settling is lost on a
    dropped connection is simply redelivered."""
    for msg in messages:
        try:
            await getattr(msg, how)()
        except Exception as error:
            log.warning("could not settle message on %s: %r", msg.subject, error)
