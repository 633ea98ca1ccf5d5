"""Event machinery end to end vs raw nats-py, measured in one run (issue: the spine).

    .venv/bin/python -m bench.bench_events [--events 20000] [--load 0.5] [--seconds 5]

1. Raw: nats-py pipelined JetStream publishes + a durable pull consumer acking each message.
2. Ours: concurrent transactions commit events to the outbox -> relay -> JetStream -> durable
   consumer -> effect row + inbox row, each in PostgreSQL.
Prints events/s for both and their ratio (target >= 0.5), bare PostgreSQL commits of the same
concurrency as a second baseline (the ceiling any per-event transaction meets), each stage's rate
on its own (producers with the relay stopped, the relay draining their backlog, the consumer), then the
commit-to-consumer lag p50/p99 at a steady rate (target p99 <= 50 ms): a fixed fraction (--load) of
the end-to-end capacity measured in the same run, so the figure means the same on a slower machine. Uses DATABASE_URL/NATS_URL when set, else
starts its own PostgreSQL and NATS in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

from bench.datastores import datastores, nats_tls
from bench.pacing import paced
from livecommerce.anchor.v1 import events_pb2
from livecommerce.runtime import broker, db
from livecommerce.runtime.clock import SystemClock
from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.heap import freeze_startup_objects
from livecommerce.runtime.outbox import EventWriter, OutboxRelay
from livecommerce.runtime.tls import TlsFiles
from livecommerce.runtime.unit_of_work import UnitOfWork

CONCURRENT_TRANSACTIONS = 32
MIGRATIONS = Path(__file__).resolve().parent.parent / "tests" / "runtime" / "probe_migrations"


def sample_payload(n: int) -> events_pb2.AnchorRegistered:
    return events_pb2.AnchorRegistered(anchor_id=str(uuid.uuid4()), agency_id=f"ag-{n % 97}", version=1, adult_on="2013-05-17")


async def raw_nats(nats_url: str, tls: TlsFiles, count: int, payload: bytes) -> float:
    nc = await broker.connect(nats_url, name="bench-raw", tls=tls)
    js = nc.jetstream()
    root = f"raw{uuid.uuid4().hex[:8]}"
    await broker.ensure_stream(js, root.upper(), [f"{root}.>"])
    subscription = await js.pull_subscribe(f"{root}.>", durable="raw", stream=root.upper())
    consumed = 0

    async def consume() -> None:
        nonlocal consumed
        while consumed < count:
            with contextlib.suppress(asyncio.TimeoutError, Exception):
                for msg in await subscription.fetch(256, timeout=1):
                    await msg.ack()
                    consumed += 1

    started = time.perf_counter()
    consumer = asyncio.create_task(consume())
    numbers = iter(range(count))

    async def publisher() -> None:  # the same shape as ours: concurrent writers, each awaiting its ack
        for _ in numbers:
            await js.publish(f"{root}.event", payload, headers={"Nats-Msg-Id": str(uuid.uuid4())})

    await asyncio.gather(*(publisher() for _ in range(CONCURRENT_TRANSACTIONS)))
    await consumer
    elapsed = time.perf_counter() - started
    await js.delete_stream(root.upper())
    await nc.close()
    return count / elapsed


class Pipeline:
    """Producer pool + relay + consumer on a private schema and stream."""

    def __init__(self, database_url: str, nats_url: str, tls: TlsFiles) -> None:
        self.database_url, self.nats_url, self.tls = database_url, nats_url, tls
        self.root = f"bench{uuid.uuid4().hex[:8]}"
        self.committed: dict[str, float] = {}
        self.consumed: dict[str, float] = {}

    async def __aenter__(self) -> Pipeline:
        self.pool = await db.create_pool(self.database_url, schema=self.root, size=CONCURRENT_TRANSACTIONS + 8, application_name="bench")
        async with self.pool.acquire() as conn:
            await db.migrate(conn, schema=self.root, service_migrations=MIGRATIONS)
        self.nc = await broker.connect(self.nats_url, name="bench", tls=self.tls)
        js = self.nc.jetstream()
        self.stream = f"{self.root}_{self.root}".upper()
        await broker.ensure_stream(js, self.stream, [f"{self.root}.{self.root}.>"])
        self.relay = OutboxRelay(self.pool, js, schema=self.root)
        self.uow = UnitOfWork(self.pool, fence=None, wake_relay=self.relay.wake)  # no lease in the bench
        self.writer = EventWriter(source=self.root, subject_root=self.root, clock=SystemClock())
        self.consumer = EventConsumer(
            uow=self.uow, js=js, name="bench", stream=self.stream, subject=f"{self.root}.{self.root}.>", handler=self._effect
        )
        original = self.consumer.process

        async def timed_process(messages):  # lag ends when the effect has committed
            await original(messages)
            now = time.perf_counter()
            for msg in messages:
                self.consumed.setdefault(msg.headers["Nats-Msg-Id"], now)

        self.consumer.process = timed_process  # type: ignore[method-assign]  # times each batch it handles
        self.tasks = [asyncio.create_task(self.relay.run()), asyncio.create_task(self.consumer.run())]
        return self

    async def _effect(self, conn: asyncpg.Connection, envelope) -> None:
        await conn.execute("INSERT INTO effects (event_id, type, subject_id) VALUES ($1, $2, $3)", uuid.UUID(envelope.id), envelope.type, envelope.subject_id)

    async def commit_one(self, n: int) -> None:
        async with self.uow.transaction() as conn:
            event_id = await self.writer.add(conn, noun="anchor", verb="registered", payload=sample_payload(n), subject_id=str(n))
        self.committed[str(event_id)] = time.perf_counter()

    async def wait_consumed(self, count: int) -> None:
        while len(self.consumed) < count:
            await asyncio.sleep(0.005)

    async def __aexit__(self, *_exc) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        async with self.pool.acquire() as conn:
            await conn.execute(f'DROP SCHEMA "{self.root}" CASCADE')
        await self.pool.close()
        with contextlib.suppress(Exception):
            await self.nc.jetstream().delete_stream(self.stream)
        await self.nc.close()


async def bare_commits(database_url: str, count: int) -> float:
    """The database's own ceiling: the same concurrent transactions, each one bare INSERT, no events."""
    schema = f"bare{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(database_url, schema=schema, size=CONCURRENT_TRANSACTIONS, application_name="bench-bare")
    try:
        async with pool.acquire() as conn:
            await conn.execute(f'CREATE SCHEMA "{schema}"; CREATE TABLE "{schema}".rows (n int)')
        numbers = iter(range(count))

        async def writer() -> None:
            for n in numbers:
                async with pool.acquire() as conn, conn.transaction():
                    await conn.execute("INSERT INTO rows (n) VALUES ($1)", n)

        await asyncio.gather(*(writer() for _ in range(CONCURRENT_TRANSACTIONS)))  # warm-up: connections
        numbers = iter(range(count))
        started = time.perf_counter()
        await asyncio.gather(*(writer() for _ in range(CONCURRENT_TRANSACTIONS)))
        return count / (time.perf_counter() - started)
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await pool.close()


async def ours_throughput(database_url: str, nats_url: str, tls: TlsFiles, count: int) -> float:
    async with Pipeline(database_url, nats_url, tls) as pipeline:
        warm_up = 1000  # opens the pool's connections and prepares statements; not measured
        await asyncio.gather(*(pipeline.commit_one(n) for n in range(warm_up)))
        await pipeline.wait_consumed(warm_up)
        pipeline.consumed.clear()
        queue = iter(range(warm_up, warm_up + count))

        async def producer() -> None:
            for n in queue:
                await pipeline.commit_one(n)

        started = time.perf_counter()
        await asyncio.gather(*(producer() for _ in range(CONCURRENT_TRANSACTIONS)))
        await pipeline.wait_consumed(count)
        return count / (time.perf_counter() - started)


async def stage_rates(database_url: str, nats_url: str, tls: TlsFiles, count: int) -> tuple[float, float, float]:
    """Each stage alone, events/s: producers committing with the relay stopped, the relay draining
    that backlog to JetStream, the consumer handling what the relay published."""
    async with Pipeline(database_url, nats_url, tls) as pipeline:
        for task in pipeline.tasks:
            task.cancel()
        await asyncio.gather(*pipeline.tasks, return_exceptions=True)
        await asyncio.gather(*(pipeline.commit_one(n) for n in range(CONCURRENT_TRANSACTIONS * 4)))  # warm-up: connections
        queue = iter(range(count))

        async def producer() -> None:
            for n in queue:
                await pipeline.commit_one(n)

        started = time.perf_counter()
        await asyncio.gather(*(producer() for _ in range(CONCURRENT_TRANSACTIONS)))
        producers = count / (time.perf_counter() - started)
        total = count + CONCURRENT_TRANSACTIONS * 4
        started = time.perf_counter()
        while await pipeline.relay.publish_batch():
            pass
        relay = total / (time.perf_counter() - started)
        started = time.perf_counter()
        consumer = asyncio.create_task(pipeline.consumer.run())
        await pipeline.wait_consumed(total)
        consumed = total / (time.perf_counter() - started)
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)
        return producers, relay, consumed


async def paced_commits(pipeline: Pipeline, rate: int, total: int, first: int = 0) -> float:
    """Commits `total` events at `rate` per second; returns the rate achieved."""
    return total / await paced(lambda n: pipeline.commit_one(first + n), rate=rate, count=total)


async def steady_lag(database_url: str, nats_url: str, tls: TlsFiles, rate: int, seconds: float) -> tuple[float, float, float]:
    async with Pipeline(database_url, nats_url, tls) as pipeline:
        # One second of warm-up opens the pool's connections and prepares statements; not measured.
        await paced_commits(pipeline, rate, rate)
        await pipeline.wait_consumed(rate)
        pipeline.committed.clear()
        pipeline.consumed.clear()
        total = int(rate * seconds)
        achieved = await paced_commits(pipeline, rate, total, first=rate)
        await pipeline.wait_consumed(total)
        lags = sorted((pipeline.consumed[e] - t) * 1000 for e, t in pipeline.committed.items())
        return statistics.median(lags), lags[int(len(lags) * 0.99) - 1], achieved


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="lc-bench-") as tmp, datastores(Path(tmp)) as (database_url, nats_url):
        tls = nats_tls(Path(tmp))
        payload = b"x" * len(sample_payload(0).SerializeToString()) * 3  # about an envelope's size
        freeze_startup_objects()  # as the services do once ready: no full-heap GC pauses in the figures
        await raw_nats(nats_url, tls, 2000, payload)  # warm-up
        raw = await raw_nats(nats_url, tls, args.events, payload)
        ours = await ours_throughput(database_url, nats_url, tls, args.events)
        bare = await bare_commits(database_url, args.events)
        print(f"raw nats-py publish+consume : {raw:10.0f} events/s")
        print(f"outbox->relay->consumer     : {ours:10.0f} events/s ({CONCURRENT_TRANSACTIONS} concurrent transactions, effect + inbox rows)")
        print(f"ratio ours/raw              : {ours / raw:10.2f}   (target >= 0.5)")
        print(f"bare PostgreSQL commits     : {bare:10.0f} /s (same {CONCURRENT_TRANSACTIONS} concurrent transactions, one INSERT each, no events)")
        print(f"ratio ours/bare commits     : {ours / bare:10.2f}   (how much of the database's commit ceiling the event path keeps)")
        producers, relay, consumer = await stage_rates(database_url, nats_url, tls, args.events)
        print(f"each stage alone            : producers {producers:.0f}/s, relay {relay:.0f}/s, consumer {consumer:.0f}/s   (where the ceiling is)")
        rate = max(1, round(ours * args.load))
        p50, p99, achieved = await steady_lag(database_url, nats_url, tls, rate, args.seconds)
        print(
            f"commit->consumer lag at {achieved:.0f} events/s ({args.load:.0%} of the {ours:.0f}/s above) for {args.seconds:.0f}s:"
            f" p50 {p50:.1f} ms, p99 {p99:.1f} ms   (target p99 <= 50 ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--load", type=float, default=0.5, help="the lag's offered load, as a fraction of the measured capacity")
    parser.add_argument("--seconds", type=float, default=5.0)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
