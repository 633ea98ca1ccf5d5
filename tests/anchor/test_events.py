"""Anchor events through the outbox to a durable consumer: each arrives once in effect,
even across a NATS crash (architecture.md, Events; issue acceptance)."""

from __future__ import annotations

import asyncio
import contextlib

import grpc
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import events_pb2
from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime import broker
from tests.anchor.builders import profile, rid
from tests.runtime.probe import probe_consumer, probe_pool
from tests.support import wait_until_consumed


async def wait_for_effects(pool, expected: int, seconds: float = 30.0) -> list:
    async with asyncio.timeout(seconds):
        while True:
            async with pool.acquire() as conn:
                rows = await conn.fetch("SELECT event_id, type, subject_id FROM effects")
            if len(rows) >= expected:
                return rows
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def running_probe(database_url, nats_url, settings):
    pool = await probe_pool(database_url)
    nc = await broker.connect(nats_url, name="probe", tls=settings.tls)
    js = nc.jetstream()
    consumer = probe_consumer(pool, js, stream=settings.stream_name, subject=f"{settings.subject_root}.anchor.>")
    task = asyncio.create_task(consumer.run())

    async def drained() -> None:
        """Everything the stream holds now was delivered and acknowledged: nothing more will arrive."""
        last = (await js.stream_info(settings.stream_name)).state.last_seq
        await wait_until_consumed(js, settings.stream_name, consumer.name, delivered=last)

    try:
        yield pool, drained
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await nc.close()
        await pool.close()


async def test_onboarding_emits_each_event_once(stub_for, database_url, datastores, settings):
    agency, officer = stub_for("agency", "ag-1"), stub_for("compliance_officer", principal="officer-li")
    anchor = (await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()))).anchor
    await officer.ReviewAnchorFile(
        pb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=anchor.anchor_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    )
    async with running_probe(database_url, datastores.nats_url, settings) as (pool, drained):
        rows = await wait_for_effects(pool, 2)
    assert sorted(r["type"] for r in rows) == ["livecommerce.anchor.v1.AnchorFileApproved", "livecommerce.anchor.v1.AnchorRegistered"]
    assert {r["subject_id"] for r in rows} == {anchor.anchor_id}


async def test_event_payloads_carry_no_personal_information(stub_for, anchor_service, datastores, settings):
    message = profile()
    await stub_for("agency", "ag-1").RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=message))
    nc = await datastores.nats_client("peek")
    try:
        js = nc.jetstream()
        subscription = await js.pull_subscribe(f"{settings.subject_root}.anchor.>", durable="peek", stream=settings.stream_name)
        async with asyncio.timeout(10):
            while True:
                try:
                    msg = (await subscription.fetch(1, timeout=1))[0]
                    break
                except Exception:
                    continue
    finally:
        await nc.close()
    envelope = envelope_pb2.EventEnvelope.FromString(msg.data)
    registered = events_pb2.AnchorRegistered()
    envelope.payload.Unpack(registered)
    assert registered.adult_on == "2013-05-17" and registered.agency_id == "ag-1"
    assert message.identity.document_number.encode() not in msg.data
    assert message.phone.encode() not in msg.data
    assert msg.headers["Nats-Msg-Id"] == envelope.id


async def test_killing_nats_during_registrations_loses_no_event(stub_for, anchor_service, database_url, datastores, settings):
    """Registrations keep committing while NATS is down; afterwards every one's event arrives, once."""
    datastores.require_local()
    agency = stub_for("agency", "ag-1")
    registered: list[str] = []

    async def register_many(n: int) -> None:
        for _ in range(n):
            try:
                anchor = (await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()))).anchor
                registered.append(anchor.anchor_id)
            except grpc.aio.AioRpcError as error:  # an unacknowledged call may fail; an acknowledged one must not be lost
                pytest.fail(f"registration failed while NATS was down: {error}")

    writers = [asyncio.create_task(register_many(15)) for _ in range(4)]
    await asyncio.sleep(0)  # let the writers start before the broker dies
    datastores.nats.kill()
    await asyncio.gather(*writers)
    datastores.nats.start()
    async with running_probe(database_url, datastores.nats_url, settings) as (pool, drained):
        rows = await wait_for_effects(pool, len(registered), seconds=60)
        await drained()  # a would-be duplicate has arrived by now
        async with pool.acquire() as conn:
            rows = await conn.fetch("SELECT subject_id FROM effects")
    assert len(registered) == 60
    assert sorted(r["subject_id"] for r in rows) == sorted(registered)
