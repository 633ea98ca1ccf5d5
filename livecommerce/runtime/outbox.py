"""The transactional outbox (architecture.md, Events): events commit with the change they describe.

`EventWriter.add` writes an envelope row in the caller's transaction and notifies the relay on
commit. `OutboxRelay` publishes unsent rows to JetStream in concurrent batches with
`Nats-Msg-Id` = event id and marks them sent only after JetStream acknowledged them, so a crash
or broker outage at any point re-publishes (deduplicated) rather than loses an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg
from google.protobuf import any_pb2, timestamp_pb2
from google.protobuf.message import Message
from nats.js import JetStreamContext

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime import telemetry
from livecommerce.runtime.clock import Clock

log = logging.getLogger(__name__)

MSG_ID_HEADER = "Nats-Msg-Id"


def notify_channel(schema: str) -> str:
    """The channel the outbox's insert trigger notifies (runtime migration 0001)."""
    return f"outbox_{schema}"


@dataclass(frozen=True)
class EventWriter:
    """Writes a service's events into its outbox; built once per process from its settings."""

    source: str
    subject_root: str
    clock: Clock

    async def add(self, conn: asyncpg.Connection, *, noun: str, verb: str, payload: Message, subject_id: str) -> uuid.UUID:
        event_id = uuid.uuid4()
        trace_headers = telemetry.current_trace_headers()
        timestamp = timestamp_pb2.Timestamp()
        timestamp.FromDatetime(self.clock.now())
        packed = any_pb2.Any()
        packed.Pack(payload)
        envelope = envelope_pb2.EventEnvelope(
            id=str(event_id),
            type=payload.DESCRIPTOR.full_name,
            time=timestamp,
            source=self.source,
            trace=envelope_pb2.TraceContext(
                traceparent=trace_headers.get("traceparent", ""), tracestate=trace_headers.get("tracestate", "")
            ),
            payload=packed,
            subject_id=subject_id,
        )
        await conn.execute(
            "INSERT INTO outbox (event_id, subject, envelope, headers) VALUES ($1, $2, $3, $4::jsonb)",
            event_id,
            f"{self.subject_root}.{self.source}.{noun}.{verb}",
            envelope.SerializeToString(),
            json.dumps(trace_headers),
        )
        return event_id


@dataclass
class RelayStats:
    published: int = 0
    failed_batches: int = 0


class OutboxRelay:
    """Publishes outbox rows to JetStream. Runs in the active replica (and harmlessly in two)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        js: JetStreamContext,
        *,
        schema: str,
        batch_size: int = 500,
        idle_poll_seconds: float = 1.0,
        publish_timeout_seconds: float = 5.0,
        sent_retention: timedelta = timedelta(days=7),
    ) -> None:
        self._pool, self._js, self._schema = pool, js, schema
        self._batch_size = batch_size
        self._idle_poll = idle_poll_seconds
        self._publish_timeout = publish_timeout_seconds
        self._sent_retention = sent_retention
        self._wake = asyncio.Event()
        self.listening = asyncio.Event()
        """Set once the relay hears commit notifications (tests and start-up wait on it)."""
        self.stats = RelayStats()

    async def run(self) -> None:
        """Publishes until cancelled. Wakes on NOTIFY; polls as a safety net for missed notices."""
        listener = await self._listen()
        self.listening.set()
        backoff = 0.1
        try:
            while True:
                # Cleared before reading, so a commit that lands during the batch wakes the next one.
                self._wake.clear()
                try:
                    published = await self.publish_batch()
                    backoff = 0.1
                except Exception as error:  # noqa: BLE001 - any failure leaves rows unsent for the next try
                    # Broker or database trouble: rows stay unsent and are retried; nothing is lost.
                    self.stats.failed_batches += 1
                    log.warning("outbox relay batch failed, retrying: %r", error)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 2.0)
                    listener = await self._relisten(listener)
                    continue
                if published < self._batch_size:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._idle_poll)
        finally:
            await self._close_listener(listener)

    async def publish_batch(self) -> int:
        """Publishes up to one batch of unsent rows; returns how many rows it found."""
        async with self._pool.acquire() as conn, conn.transaction():
            # SKIP LOCKED: a second relay (standby racing during failover) takes other rows, not these.
            rows = await conn.fetch(
                "SELECT seq, event_id, subject, envelope, headers FROM outbox"
                " WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED",
                self._batch_size,
            )
            if not rows:
                return 0
            # Publishes are pipelined on one connection, so JetStream stores them in commit order.
            futures = [
                await self._js.publish_async(
                    row["subject"],
                    row["envelope"],
                    headers={MSG_ID_HEADER: str(row["event_id"]), **json.loads(row["headers"])},
                )
                for row in rows
            ]
            results = await asyncio.wait_for(
                asyncio.gather(*futures, return_exceptions=True), self._publish_timeout
            )
            acked = [row["seq"] for row, result in zip(rows, results) if not isinstance(result, BaseException)]
            if acked:
                await conn.execute("UPDATE outbox SET sent_at = now() WHERE seq = ANY($1::bigint[])", acked)
            self.stats.published += len(acked)
            if len(acked) < len(rows):
                failures = [r for r in results if isinstance(r, BaseException)]
                raise RuntimeError(f"{len(failures)} of {len(rows)} publishes failed: {failures[0]!r}")
            return len(rows)

    async def purge_sent(self, now: datetime) -> int:
        """Deletes rows sent longer ago than the retention window (they can no longer be replayed)."""
        async with self._pool.acquire() as conn:
            result = await conn.execute(
                "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1", now - self._sent_retention
            )
        return int(result.split()[-1])

    async def _listen(self) -> asyncpg.Connection:
        conn = await self._pool.acquire()
        await conn.add_listener(notify_channel(self._schema), self._on_notify)
        return conn

    async def _relisten(self, conn: asyncpg.Connection | None) -> asyncpg.Connection | None:
        if conn is not None and not conn.is_closed():
            return conn
        await self._close_listener(conn)
        try:
            return await self._listen()
        except (OSError, asyncpg.PostgresError):
            return None

    async def _close_listener(self, conn: asyncpg.Connection | None) -> None:
        if conn is None:
            return
        with contextlib.suppress(Exception):
            await conn.remove_listener(notify_channel(self._schema), self._on_notify)
        with contextlib.suppress(Exception):
            await self._pool.release(conn)

    def _on_notify(self, *_args) -> None:
        self._wake.set()


async def republish(conn: asyncpg.Connection, *, since: datetime) -> int:
    """SRE replay: marks rows created since `since` unsent; consumers' inboxes make it harmless."""
    result = await conn.execute("UPDATE outbox SET sent_at = NULL WHERE created_at >= $1 AND sent_at IS NOT NULL", since)
    return int(result.split()[-1])
