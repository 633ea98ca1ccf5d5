"""The transactional outbox (architecture.md, Events): events commit with the change they describe.

`EventWriter.add` writes an envelope row in the caller's transaction (the unit of work, which wakes
the relay after it commits). `OutboxRelay` publishes unsent rows to JetStream in batches with
`Nats-Msg-Id` = event id and marks them sent only after JetStream acknowledged them, so a crash
or broker outage at any point re-publishes (deduplicated) rather than loses an event. A row
JetStream refuses is retried later with a growing delay, its attempts and last error kept, while
the rows behind it go on; `lc status` shows it as stuck.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg
from google.protobuf import any_pb2, timestamp_pb2
from google.protobuf.message import Message
from nats.js import JetStreamContext

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime import telemetry
from livecommerce.runtime.backoff import Backoff
from livecommerce.runtime.clock import Clock, SystemClock
from livecommerce.runtime.unit_of_work import outbox_written

log = logging.getLogger(__name__)

MSG_ID_HEADER = "Nats-Msg-Id"
STUCK_AFTER_ATTEMPTS = 5
"""An unsent row refused this many times is shown as stuck (`lc status`): someone must look."""


class EventWriter:
    """Writes a service's events into its outbox; built once per process from its settings.

    Write inside `UnitOfWork.transaction()`: when it commits, the relay in this process is woken
    at once. (PostgreSQL NOTIFY would wake it too, but NOTIFY takes a database-wide lock at every
    commit: it cost 30% of commit throughput in bench_events.)
    """

    def __init__(self, *, source: str, subject_root: str, clock: Clock) -> None:
        self.source, self.subject_root, self.clock = source, subject_root, clock

    async def add(self, conn: asyncpg.Connection, *, noun: str, verb: str, payload: Message, subject_id: str) -> uuid.UUID:
        [event_id] = await self.add_many(conn, noun=noun, verb=verb, events=[(payload, subject_id)])
        return event_id

    async def add_many(
        self, conn: asyncpg.Connection, *, noun: str, verb: str, events: Sequence[tuple[Message, str]]
    ) -> list[uuid.UUID]:
        """Events of one kind, each (payload, subject id), in one round trip (a batch of orders)."""
        trace_headers = telemetry.current_trace_headers()
        headers = json.dumps(trace_headers)
        trace = envelope_pb2.TraceContext(traceparent=trace_headers.get("traceparent", ""), tracestate=trace_headers.get("tracestate", ""))
        timestamp = timestamp_pb2.Timestamp()
        timestamp.FromDatetime(self.clock.now())
        subject = f"{self.subject_root}.{self.source}.{noun}.{verb}"
        rows = []
        for payload, subject_id in events:
            event_id = uuid.uuid4()
            packed = any_pb2.Any()
            packed.Pack(payload)
            envelope = envelope_pb2.EventEnvelope(
                id=str(event_id), type=payload.DESCRIPTOR.full_name, time=timestamp, source=self.source, trace=trace,
                payload=packed, subject_id=subject_id,
            )
            rows.append((event_id, subject, envelope.SerializeToString(), headers))
        if rows:
            await conn.executemany("INSERT INTO outbox (event_id, subject, envelope, headers) VALUES ($1, $2, $3, $4::jsonb)", rows)
            outbox_written(conn)
        return [row[0] for row in rows]


@dataclass
class RelayStats:
    published: int = 0
    refused: int = 0
    """Publishes JetStream refused; each is counted on its row and retried later."""
    failed_batches: int = 0
    batches: int = 0
    """Looks for unsent rows, whether or not it found any."""


class _NoAnswer(Exception):
    """JetStream did not answer in time (broker trouble): retried soon, not held against the row."""


class OutboxRelay:
    """Publishes outbox rows to JetStream. Runs in the active replica (and harmlessly in two)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        js: JetStreamContext,
        *,
        schema: str,
        clock: Clock | None = None,
        batch_size: int = 500,
        idle_poll_seconds: float = 0.5,
        publish_timeout_seconds: float = 5.0,
        sent_retention: timedelta = timedelta(days=7),
        purge_every_seconds: float = 3600.0,
        retry_initial_seconds: float = 1.0,
        retry_maximum_seconds: float = 30.0,
    ) -> None:
        self._pool, self._js, self._schema = pool, js, schema
        self._clock = clock or SystemClock()
        self._batch_size = batch_size
        self._idle_poll = idle_poll_seconds
        self._publish_timeout = publish_timeout_seconds
        self._sent_retention = sent_retention
        self._purge_every = purge_every_seconds
        self._retry = (retry_initial_seconds, retry_maximum_seconds)
        self._purged_at = 0.0
        self._wake = asyncio.Event()
        self.stats = RelayStats()

    def wake(self) -> None:
        """Publish now: an event was committed (the unit of work calls this after its commit)."""
        self._wake.set()

    async def run(self) -> None:
        """Publishes until cancelled. Woken by commits in this process; the poll finds rows that
        other processes wrote (an SRE replay) or whose retry time has come."""
        backoff = Backoff(initial=0.1, maximum=2.0)
        while True:
            # Cleared before reading, so a commit that lands during the batch wakes the next one.
            self._wake.clear()
            try:
                found = await self.publish_batch()
                if found < self._batch_size:
                    await self._purge_when_due()  # only when idle: the backlog goes first
                backoff.reset()
            except Exception as error:
                # Broker or database trouble: rows stay unsent and are retried; nothing is lost.
                self.stats.failed_batches += 1
                log.warning("outbox relay batch failed, retrying: %r", error)
                await asyncio.sleep(backoff.next())
                continue
            if found < self._batch_size:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._idle_poll)

    async def publish_batch(self) -> int:
        """Publishes up to one batch of due unsent rows; returns how many rows it found.

        Acknowledged rows are marked sent and refused ones get their attempt counted, in one
        commit, whatever happened to the others. Raises when JetStream answered none of them."""
        async with self._pool.acquire() as conn, conn.transaction():
            # SKIP LOCKED: a second relay (standby racing during failover) takes other rows, not these.
            rows = await conn.fetch(
                "SELECT seq, event_id, subject, envelope, headers, attempts FROM outbox"
                " WHERE sent_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $2)"
                " ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED",
                self._batch_size,
                self._clock.now(),
            )
            self.stats.batches += 1
            if not rows:
                return 0
            outcomes = await self._publish(rows)
            acked = [row["seq"] for row, outcome in zip(rows, outcomes) if outcome is None]
            refused = [(row, outcome) for row, outcome in zip(rows, outcomes) if outcome and not isinstance(outcome, _NoAnswer)]
            if acked:
                await conn.execute("UPDATE outbox SET sent_at = now() WHERE seq = ANY($1::bigint[])", acked)
            if refused:
                await self._count_refusals(conn, refused)
        self.stats.published += len(acked)
        self.stats.refused += len(refused)
        if not acked and not refused:
            raise _NoAnswer(f"JetStream answered none of {len(rows)} publishes within {self._publish_timeout}s")
        return len(rows)

    async def _publish(self, rows: list[asyncpg.Record]) -> list[BaseException | None]:
        """Each row's outcome: None when acknowledged, else the error (a `_NoAnswer` on timeout).
        Publishes are pipelined on one connection, so JetStream stores a batch in `seq` order: the
        order rows were inserted, not the order their transactions committed (a transaction that
        inserted first but commits last is published after the others), and a refused row is
        overtaken by the rows behind it. Consumers never rely on order across events."""
        sent: list[asyncio.Future | BaseException] = []
        # nats-py raises MaxPayloadError after it took a slot of its publish_async semaphore, which
        # then leaks: refuse such a row here instead. (The limit is only on the client object.)
        max_payload = getattr(getattr(self._js, "_nc", None), "max_payload", None) or 1 << 62
        for row in rows:
            if len(row["envelope"]) > max_payload:
                sent.append(ValueError(f"payload of {len(row['envelope'])} bytes is over the server's max_payload"))
                continue
            try:
                sent.append(
                    await self._js.publish_async(
                        row["subject"],
                        row["envelope"],
                        headers={MSG_ID_HEADER: str(row["event_id"]), **json.loads(row["headers"])},
                    )
                )
            except Exception as error:  # refused before sending
                sent.append(error)
        pending = [item for item in sent if isinstance(item, asyncio.Future)]
        if pending:
            await asyncio.wait(pending, timeout=self._publish_timeout)
        outcomes: list[BaseException | None] = []
        for item in sent:
            if not isinstance(item, asyncio.Future):
                outcomes.append(item)
            elif not item.done() or item.cancelled():
                item.cancel()
                outcomes.append(_NoAnswer("no acknowledgement in time"))
            else:
                outcomes.append(item.exception())
        return outcomes

    async def _count_refusals(self, conn: asyncpg.Connection, refused: list[tuple[asyncpg.Record, BaseException]]) -> None:
        now = self._clock.now()
        for row, error in refused:
            log.warning("outbox row %s (%s) refused by JetStream, attempt %d: %r", row["seq"], row["subject"], row["attempts"] + 1, error)
        await conn.execute(
            "UPDATE outbox SET attempts = outbox.attempts + 1, last_error = refused.error, next_attempt_at = refused.next_at"
            " FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS refused(seq, error, next_at)"
            " WHERE outbox.seq = refused.seq",
            [row["seq"] for row, _ in refused],
            [repr(error)[:2000] for _, error in refused],
            [now + timedelta(seconds=self._retry_delay(row["attempts"] + 1)) for row, _ in refused],
        )

    def _retry_delay(self, attempts: int) -> float:
        """Backoff's delay after a row's n-th refusal: the row keeps only its count, so the delay is
        replayed from a fresh Backoff (its ceiling reaches the maximum within a few steps)."""
        initial, maximum = self._retry
        backoff = Backoff(initial=initial, maximum=maximum)
        for _ in range(min(attempts, 32) - 1):
            backoff.next()
        return backoff.next()

    async def purge_sent(self) -> int:
        """Deletes rows sent longer ago than the retention window (they can no longer be replayed)."""
        async with self._pool.acquire() as conn:
            result = await conn.execute(
                "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < now() - $1::interval", self._sent_retention
            )
        return int(result.split()[-1])

    async def _purge_when_due(self) -> None:
        if time.monotonic() - self._purged_at >= self._purge_every:
            self._purged_at = time.monotonic()
            purged = await self.purge_sent()
            if purged:
                log.info("outbox purged %d sent rows older than %s", purged, self._sent_retention)


async def republish(conn: asyncpg.Connection, *, since: datetime) -> int:
    """SRE replay: marks rows created since `since` unsent; consumers' inboxes make it harmless."""
    result = await conn.execute("UPDATE outbox SET sent_at = NULL WHERE created_at >= $1 AND sent_at IS NOT NULL", since)
    return int(result.split()[-1])


async def backlog(conn: asyncpg.Connection) -> tuple[int, int]:
    """(unsent rows, stuck rows: unsent and refused more than STUCK_AFTER_ATTEMPTS times), for `lc status`."""
    row = await conn.fetchrow(
        "SELECT count(*) AS unsent, count(*) FILTER (WHERE attempts > $1) AS stuck FROM outbox WHERE sent_at IS NULL",
        STUCK_AFTER_ATTEMPTS,
    )
    return row["unsent"], row["stuck"]


async def unsent(conn: asyncpg.Connection) -> tuple[int, float]:
    """(unsent rows, age in seconds of the oldest by the database clock, 0 when none), for metrics."""
    row = await conn.fetchrow(
        "SELECT count(*) AS unsent, COALESCE(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest"
        " FROM outbox WHERE sent_at IS NULL"
    )
    return row["unsent"], max(0.0, row["oldest"])
