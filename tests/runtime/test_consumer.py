"""Event consumers over real PostgreSQL and JetStream: subscriptions that end with their owner,
writes through the unit of work (fenced by the lease, waking the relay), and dead letters."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest

from livecommerce import cli
from livecommerce.runtime import broker, dead_letters
from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.leadership import Lease
from livecommerce.runtime.outbox import EventWriter, OutboxRelay
from livecommerce.runtime.service import ActiveDuties, ServiceParts
from livecommerce.runtime.unit_of_work import UnitOfWork
from tests.runtime.probe import payload, probe_consumer, probe_pool, record_effect, write_events
from tests.support import wait_until_consumed


@pytest.fixture
async def probe(database_url):
    """The consuming service's schema ('probe'), with an effects table."""
    pool = await probe_pool(database_url)
    yield pool
    await pool.close()


async def effects(pool) -> list[str]:
    async with pool.acquire() as conn:
        return [r["subject_id"] for r in await conn.fetch("SELECT subject_id FROM effects ORDER BY subject_id")]


async def until(condition, seconds: float = 5.0) -> None:
    async with asyncio.timeout(seconds):
        while not await condition():
            await asyncio.sleep(0.02)


async def subscribed(js, stream: str, durable: str) -> bool:
    """The durable has a subscriber: a bound push subscription, or a pull request waiting."""
    with contextlib.suppress(Exception):
        info = await js.consumer_info(stream, durable)
        return bool(info.push_bound or info.num_waiting)
    return False


@contextlib.asynccontextmanager
async def running(*loops):
    tasks = [asyncio.create_task(loop()) for loop in loops]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_PLT_03_after_two_lease_flips_every_event_is_handled_well_inside_ack_wait(producer, nats_js, probe, subject_root):
    pool, stream, writer, relay = producer
    consumer = probe_consumer(probe, nats_js, stream=stream, subject=f"{subject_root}.svc.>", ack_wait_seconds=30)
    duties = ActiveDuties(relay, ServiceParts(register=lambda server: None, consumers=[consumer]))
    for _ in range(2):  # active, then standby: the consumer's run() subscribed, then was cancelled
        await duties.start()
        await until(lambda: subscribed(nats_js, stream, "probe"))
        await duties.stop()
    await duties.start()
    try:
        await write_events(pool, writer, 20)
        # A subscription left behind by a flip would take its share and sit on it for ack_wait (30 s).
        await until(lambda: _count(probe, 20), seconds=5)
    finally:
        await duties.stop()
    await wait_until_consumed(nats_js, stream, "probe", delivered=20)
    assert sorted(await effects(probe)) == sorted(f"a-{n}" for n in range(20))


async def _count(pool, expected: int) -> bool:
    return len(await effects(pool)) >= expected


async def test_an_event_a_handler_writes_is_published_at_once(producer, nats_js, probe, subject_root, clock):
    pool, stream, writer, relay = producer
    echo_stream = f"{subject_root}_PROBE".upper()
    await broker.ensure_stream(nats_js, echo_stream, [f"{subject_root}.probe.>"])
    echo_relay = OutboxRelay(probe, nats_js, schema="probe", idle_poll_seconds=30)
    uow = UnitOfWork(probe, fence=None, wake_relay=echo_relay.wake)
    echo_writer = EventWriter(source="probe", subject_root=subject_root, clock=clock)

    async def echo(conn, envelope):
        await record_effect(conn, envelope)
        await echo_writer.add(conn, noun="echo", verb="sent", payload=payload(1), subject_id=envelope.id)

    consumer = EventConsumer(uow=uow, js=nats_js, name="echo", stream=stream, subject=f"{subject_root}.svc.>", handler=echo)
    try:
        async with running(echo_relay.run, consumer.run):
            await until(lambda: _true(echo_relay.stats.batches >= 1))  # its first look is over: it sleeps 30 s
            await write_events(pool, writer, 1)
            await relay.publish_batch()
            await until(lambda: _true(echo_relay.stats.published == 1), seconds=5)  # only the wake explains it
    finally:
        await nats_js.delete_stream(echo_stream)


async def fetch_all(subscription, count: int, seconds: float = 5.0) -> list:
    """`count` messages, however the broker splits them: a fetch returns what is there when it asks,
    and a nak sent a moment before may not have been handled yet."""
    messages: list = []
    async with asyncio.timeout(seconds):
        while len(messages) < count:
            messages += await subscription.fetch(count - len(messages), timeout=seconds)
    return messages


async def _true(value: bool) -> bool:
    return value


async def test_PLT_03_a_consumer_on_a_replica_that_lost_the_lease_commits_nothing(producer, nats_js, probe, subject_root):
    pool, stream, writer, relay = producer
    ours, theirs = Lease(probe, replica_id="probe-a"), Lease(probe, replica_id="probe-b")
    await ours.attempt()
    consumer = probe_consumer(
        probe, nats_js, stream=stream, subject=f"{subject_root}.svc.>", uow=UnitOfWork(probe, fence=ours.fence, wake_relay=lambda: None)
    )
    async with probe.acquire() as conn:  # our lease runs out while we are paused; another replica takes it
        await conn.execute("UPDATE leadership SET expires_at = now()")
    await theirs.attempt()
    assert ours.active and theirs.active  # we have not noticed yet
    await write_events(pool, writer, 3)
    await relay.publish_batch()
    subscription = await nats_js.pull_subscribe(f"{subject_root}.svc.>", durable="probe", stream=stream)
    await consumer.process(await fetch_all(subscription, 3))
    assert await effects(probe) == []
    # Handed back at once (not after the 30 s ack_wait) for the new leader, whose commit is fenced by its lease.
    redelivered = await fetch_all(subscription, 3)
    assert [m.metadata.num_delivered for m in redelivered] == [2, 2, 2]
    leader = probe_consumer(
        probe, nats_js, stream=stream, subject=f"{subject_root}.svc.>", uow=UnitOfWork(probe, fence=theirs.fence, wake_relay=lambda: None)
    )
    await leader.process(redelivered)
    assert await effects(probe) == ["a-0", "a-1", "a-2"]


async def test_a_handler_that_always_fails_ends_in_a_dead_letter_and_replays_once_when_mended(
    producer, nats_js, probe, subject_root, database_url, capsys
):
    pool, stream, writer, relay = producer
    broken = {"a-1"}

    async def handler(conn, envelope):
        if envelope.subject_id in broken:
            raise RuntimeError("no rule for this event yet")
        await record_effect(conn, envelope)

    consumer = EventConsumer(
        uow=UnitOfWork(probe, fence=None, wake_relay=lambda: None), js=nats_js, name="probe", stream=stream, subject=f"{subject_root}.svc.>", handler=handler,
        max_deliver=3, retry_delay_seconds=0.01, fetch_timeout_seconds=0.2,
    )  # fmt: skip
    lc = ["--service", "probe", "--database-url", database_url]
    async with running(consumer.run):
        await write_events(pool, writer, 3)
        await relay.publish_batch()
        await wait_until_consumed(nats_js, stream, "probe", delivered=3 + 2)  # a-1 delivered three times, then kept
        async with probe.acquire() as conn:
            [letter] = await dead_letters.list_open(conn)
        assert (letter.consumer, letter.deliveries, letter.replayed_at) == ("probe", 3, None)
        assert "no rule for this event yet" in letter.last_error and letter.subject.endswith(".svc.file.revised")
        assert await effects(probe) == ["a-0", "a-2"]
        assert await asyncio.to_thread(cli.main, ["dead-letters", *lc]) == 0
        assert f"#{letter.id}" in capsys.readouterr().out

        broken.clear()  # the handler is mended
        assert await asyncio.to_thread(cli.main, ["dead-letters", "replay", str(letter.id), *lc]) == 0
        assert "1 dead letter(s) queued" in capsys.readouterr().out
        await until(lambda: _count(probe, 3))  # the running consumer replays it when idle
    assert await effects(probe) == ["a-0", "a-1", "a-2"]
    assert await asyncio.to_thread(cli.main, ["dead-letters", "replay", "--consumer", "probe", *lc]) == 0
    assert "0 dead letter(s) queued" in capsys.readouterr().out  # done once; nothing left to replay
    async with probe.acquire() as conn:  # even a replay asked again is a no-op: the inbox has the event
        await conn.execute("UPDATE dead_letters SET replayed_at = NULL, replay_requested_at = now()")
    assert await consumer.replay_dead_letters() == 1
    assert await effects(probe) == ["a-0", "a-1", "a-2"]


async def test_an_undecodable_message_is_kept_as_a_dead_letter(producer, nats_js, probe, subject_root):
    _, stream, _, _ = producer
    consumer = probe_consumer(probe, nats_js, stream=stream, subject=f"{subject_root}.svc.>", fetch_timeout_seconds=0.2)
    async with running(consumer.run):
        await nats_js.publish(f"{subject_root}.svc.file.revised", b"\xff not an envelope", headers={"Nats-Msg-Id": str(uuid.uuid4())})
        await wait_until_consumed(nats_js, stream, "probe", delivered=1)
    async with probe.acquire() as conn:
        [letter] = await dead_letters.list_open(conn)
    assert letter.event_id is None and letter.envelope == b"\xff not an envelope" and letter.deliveries == 1
