"""The outbox and the inbox over real PostgreSQL and JetStream (architecture.md, Events)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta

import pytest

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime.outbox import STUCK_AFTER_ATTEMPTS, OutboxRelay, backlog
from livecommerce.runtime.unit_of_work import UnitOfWork
from tests.runtime.probe import payload, probe_consumer, probe_pool, write_events


async def test_an_event_commits_or_rolls_back_with_its_transaction(producer):
    pool, _, writer, relay = producer
    woken = []
    uow = UnitOfWork(pool, fence=None, wake_relay=lambda: woken.append(True))
    async with pool.acquire() as conn:
        with contextlib.suppress(RuntimeError):
            async with conn.transaction():
                await writer.add(conn, noun="file", verb="revised", payload=payload(1), subject_id="a-1")
                raise RuntimeError("the business change failed")
        async with conn.transaction():
            await writer.add(conn, noun="file", verb="revised", payload=payload(2), subject_id="a-2")
        rows = await conn.fetch("SELECT subject, envelope FROM outbox")
    assert len(rows) == 1
    assert woken == []  # plain conn.transaction(): no wake-up; the unit of work below wakes once
    async with uow.transaction() as conn:
        await writer.add(conn, noun="file", verb="revised", payload=payload(3), subject_id="a-3")
    async with uow.transaction() as conn:
        await conn.execute("SELECT 1")  # committed, but wrote no event: no wake-up
    with contextlib.suppress(RuntimeError):
        async with uow.transaction() as conn:
            await writer.add(conn, noun="file", verb="revised", payload=payload(4), subject_id="a-4")
            raise RuntimeError("rolled back: no wake-up")
    assert woken == [True]
    envelope = envelope_pb2.EventEnvelope.FromString(rows[0]["envelope"])
    assert envelope.type == "livecommerce.anchor.v1.AnchorFileRevised"
    assert envelope.subject_id == "a-2" and envelope.source == "svc"
    assert rows[0]["subject"].endswith(".svc.file.revised")


async def test_relay_marks_rows_sent_only_after_ack_and_republish_is_deduplicated(producer, nats_js):
    pool, stream, writer, relay = producer
    await write_events(pool, writer, 10)
    assert await relay.publish_batch() == 10
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
        await conn.execute("UPDATE outbox SET sent_at = NULL")  # as if the relay crashed before marking
    assert await relay.publish_batch() == 10
    info = await nats_js.stream_info(stream)
    assert info.state.messages == 10  # Nats-Msg-Id = event id: the broker dropped the re-publish


async def fetched(subscription, count: int, *, within: float = 10.0) -> list:
    """Exactly `count` messages: one fetch may return fewer (a redelivery not yet due, a loaded
    machine), so fetch again for the rest until they are there."""
    import nats.errors

    got: list = []
    async with asyncio.timeout(within):
        while len(got) < count:
            with contextlib.suppress(nats.errors.TimeoutError):
                got += await subscription.fetch(count - len(got), timeout=1)
    return got


async def test_inbox_makes_redelivery_harmless(producer, nats_js, database_url, subject_root):
    pool, stream, writer, relay = producer
    await write_events(pool, writer, 5)
    await relay.publish_batch()
    probe = await probe_pool(database_url)
    consumer = probe_consumer(probe, nats_js, stream=stream, subject=f"{subject_root}.svc.>")
    subscription = await nats_js.pull_subscribe(f"{subject_root}.svc.>", durable="probe", stream=stream)
    try:
        messages = await fetched(subscription, 5)
        # Crash after commit, before ack: the effects commit, then the broker redelivers everything.
        for msg in messages:
            msg.ack = msg.nak
        await consumer.process(messages)
        redelivered = await fetched(subscription, 5)
        assert sorted(m.data for m in redelivered) == sorted(m.data for m in messages)
        await consumer.process(redelivered)
        async with probe.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM effects") == 5
            assert await conn.fetchval("SELECT count(DISTINCT event_id) FROM effects") == 5
        assert consumer.stats.handled == 5 and consumer.stats.duplicates == 5
    finally:
        await probe.close()


async def test_a_failing_handler_rolls_back_its_own_effect_only(producer, nats_js, database_url, subject_root):
    pool, stream, writer, relay = producer
    await write_events(pool, writer, 3)
    await relay.publish_batch()
    probe = await probe_pool(database_url)
    consumer = probe_consumer(probe, nats_js, stream=stream, subject=f"{subject_root}.svc.>", retry_delay_seconds=0.05)
    original = consumer.handler

    async def flaky(conn, envelope):
        await original(conn, envelope)
        if envelope.subject_id == "a-1" and consumer.stats.failed == 0:
            raise RuntimeError("transient failure after writing the effect")

    consumer.handler = flaky
    task = asyncio.create_task(consumer.run())
    try:
        async with asyncio.timeout(10):
            while True:
                async with probe.acquire() as conn:
                    if await conn.fetchval("SELECT count(*) FROM effects") == 3:
                        break
                await asyncio.sleep(0.02)
        async with probe.acquire() as conn:
            assert sorted(await conn.fetch("SELECT subject_id FROM effects ORDER BY subject_id")) == [("a-0",), ("a-1",), ("a-2",)]
        assert consumer.stats.failed == 1
    finally:
        task.cancel()
        await probe.close()


async def test_relay_wakes_on_commit_without_polling(producer, nats_js):
    pool, stream, writer, _ = producer
    relay = OutboxRelay(pool, nats_js, schema="svc", idle_poll_seconds=3600)
    uow = UnitOfWork(pool, fence=None, wake_relay=relay.wake)
    task = asyncio.create_task(relay.run())
    try:
        async with asyncio.timeout(5):  # the relay's first look finds nothing; from now on it sleeps
            while relay.stats.batches < 1:
                await asyncio.sleep(0.01)
        async with uow.transaction() as conn:
            await writer.add(conn, noun="file", verb="revised", payload=payload(7), subject_id=str(uuid.uuid4()))
        async with asyncio.timeout(5):  # far inside the hour-long idle poll: only the wake explains it
            while relay.stats.published < 1:
                await asyncio.sleep(0.01)
    finally:
        task.cancel()


async def test_sent_rows_are_purged_after_retention_and_unsent_ones_never(producer):
    pool, _, writer, relay = producer
    await write_events(pool, writer, 3)
    await relay.publish_batch()
    await write_events(pool, writer, 1)  # unsent
    async with pool.acquire() as conn:
        await conn.execute("UPDATE outbox SET sent_at = now() - interval '8 days', created_at = now() - interval '8 days' WHERE seq <= 2")
        await conn.execute("UPDATE outbox SET created_at = now() - interval '30 days' WHERE sent_at IS NULL")
    assert await relay.purge_sent() == 2
    async with pool.acquire() as conn:
        left = await conn.fetch("SELECT sent_at IS NULL AS unsent FROM outbox ORDER BY seq")
    assert [r["unsent"] for r in left] == [False, True]


async def test_a_row_jetstream_refuses_is_retried_later_without_holding_back_the_others(producer, nats_js, clock):
    pool, stream, writer, _ = producer
    relay = OutboxRelay(pool, nats_js, schema="svc", clock=clock)
    await write_events(pool, writer, 3)
    async with pool.acquire() as conn:  # no stream covers this subject: JetStream refuses the publish
        await conn.execute("UPDATE outbox SET subject = 'nowhere.' || subject WHERE seq = 2")
    assert await relay.publish_batch() == 3
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT sent_at IS NOT NULL AS sent, attempts, last_error, next_attempt_at FROM outbox ORDER BY seq")
    assert [(r["sent"], r["attempts"]) for r in rows] == [(True, 0), (False, 1), (True, 0)]
    assert "NoStreamResponse" in rows[1]["last_error"] and rows[1]["next_attempt_at"] > clock.now()
    assert (await nats_js.stream_info(stream)).state.messages == 2  # the acknowledged ones stayed sent
    assert await relay.publish_batch() == 0  # not due yet: the relay does not spin on it
    for _ in range(STUCK_AFTER_ATTEMPTS):
        clock.advance(timedelta(minutes=1))  # past the longest retry delay
        assert await relay.publish_batch() == 1
    async with pool.acquire() as conn:
        assert await backlog(conn) == (1, 1)  # one unsent row, and it is stuck: lc status shows it
        await conn.execute("UPDATE outbox SET subject = replace(subject, 'nowhere.', '') WHERE seq = 2")  # mended
    clock.advance(timedelta(minutes=1))
    assert await relay.publish_batch() == 1
    async with pool.acquire() as conn:
        assert await backlog(conn) == (0, 0)
    assert relay.stats.refused == STUCK_AFTER_ATTEMPTS + 1


async def test_PLT_03_a_stream_is_kept_at_the_replication_asked_for(nats_js, subject_root):
    """The stream's replication is set on every start (NATS_STREAM_REPLICAS), so it follows the
    setting; a single test server can hold only one replica, and refuses more, which shows the
    setting reaches the server rather than being dropped on the way."""
    from nats.js.errors import ServerError

    from livecommerce.runtime import broker

    stream = f"{subject_root}_REPL".upper()
    await broker.ensure_stream(nats_js, stream, [f"{subject_root}.repl.>"], replicas=1)
    try:
        assert (await nats_js.stream_info(stream)).config.num_replicas == 1
        with pytest.raises(ServerError, match="replicas > 1 not supported in non-clustered mode"):
            await broker.ensure_stream(nats_js, stream, [f"{subject_root}.repl.>"], replicas=3)
    finally:
        await nats_js.delete_stream(stream)
