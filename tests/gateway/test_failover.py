"""Failover through the gateway (PLT-03): the active anchor replica is SIGKILLed while clients
register anchors; every acknowledged registration exists exactly once and calls go on on the
standby; a SIGSTOPped leader is fenced when it wakes. Replicas are real processes
(`python -m services.anchor`), started, killed and paused by the shared support
(tests/replicas.py); what is anchor here is the registration and the anchors table."""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Iterator

import asyncpg
import grpc
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.runtime.identity import Caller
from tests.anchor.builders import profile, rid, seed_agencies
from tests.anchor.conftest import PII_KEY
from tests.replicas import (
    ProcessReplicas,
    as_the_gateway,
    assert_exactly_once,
    assert_fenced,
    gateway_to,
    pause_inside_a_fence,
    process_env,
    replica_names,
    replica_processes,
    write_through,
)


@pytest.fixture
def anchor_replicas(database_url, datastores, subject_root, pki, tmp_path) -> Iterator[ProcessReplicas]:
    env = process_env(
        "anchor", pki, database_url=database_url, nats_url=datastores.nats_url, subject_root=subject_root,
        lease_ttl_seconds=1, PII_KEY=PII_KEY,
    )
    with replica_processes("anchor", env, tmp_path / "logs", database_url=database_url) as replicas:
        yield replicas


async def stored_registrations(database_url: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(database_url)
    try:
        return [(r["request_id"], str(r["anchor_id"])) for r in await conn.fetch("SELECT request_id, anchor_id FROM anchor.anchors")]
    finally:
        await conn.close()


async def test_PLT_03_sigkill_of_the_active_replica_loses_no_acknowledged_registration(anchor_replicas, database_url, pki, tmp_path):
    await seed_agencies(database_url)
    holder = await anchor_replicas.holder()
    async with gateway_to("anchor", anchor_replicas.addresses, pki, tmp_path / "audit.log") as gateway:
        agency = anchor_pb2_grpc.AnchorServiceStub(gateway.channel("agency"))

        async def register(n: int) -> str:
            request = pb.RegisterAnchorRequest(request_id=f"reg-{n}", profile=profile(agency_id=""))
            return (await agency.RegisterAnchor(request, timeout=10)).anchor.anchor_id

        # A client retries an unacknowledged call with the same request_id (attempts=3).
        writes = await write_through(register, anchor_replicas.kill_active, writers=4, writes=40, disrupt_after=20, attempts=3)
    assert writes.disruption.name == holder
    assert not writes.failed and len(writes.acknowledged) == 40  # calls succeed again on the standby
    assert await anchor_replicas.holder() != holder
    # Each acknowledged registration exactly once, as acknowledged.
    assert_exactly_once({f"reg-{n}": anchor_id for n, anchor_id in writes.acknowledged.items()}, await stored_registrations(database_url))


async def test_PLT_03_a_sigstopped_leader_is_fenced_when_it_wakes(anchor_replicas, database_url, pki, tmp_path):
    """The active replica is SIGSTOPped while it holds the fence (the share lock on the lease row)
    under a stream of registrations through the gateway. The standby takes over and serves within
    2 s while the old leader is still stopped; the calls caught in the old leader come back
    UNAVAILABLE when it resumes, so the gateway retries them and every one succeeds, exactly once;
    and the resumed old leader cannot commit."""
    await seed_agencies(database_url)
    async with gateway_to("anchor", anchor_replicas.addresses, pki, tmp_path / "audit.log") as gateway:
        agency = anchor_pb2_grpc.AnchorServiceStub(gateway.channel("agency"))

        async def register(n: int) -> str:
            request = pb.RegisterAnchorRequest(request_id=f"w-{n}", profile=profile(agency_id=""))
            return (await agency.RegisterAnchor(request, timeout=20)).anchor.anchor_id

        def missing_anchor():
            return agency.GetAnchor(pb.GetAnchorRequest(anchor_id=str(uuid.uuid4())), timeout=0.3)

        writes = await write_through(register, lambda: pause_inside_a_fence(anchor_replicas, missing_anchor), writers=12)
    async with as_the_gateway(writes.disruption, pki, Caller("agent", "agency", "ag-1")) as channel:
        write = anchor_pb2_grpc.AnchorServiceStub(channel).RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()), timeout=10)
        await assert_fenced(write)
    assert not writes.failed, {n: repr(error) for n, error in writes.failed.items()}
    assert_exactly_once({f"w-{n}": anchor_id for n, anchor_id in writes.acknowledged.items()}, await stored_registrations(database_url))


async def test_PLT_03_a_read_sent_to_a_leader_just_paused_is_answered_by_its_successor(anchor_replicas, database_url, pki, tmp_path):
    """The active replica is SIGSTOPped and a read goes to it at once: the paused replica never
    answers, but the gateway leaves it as soon as the standby reports it leads and asks again there,
    so the read is answered while the old leader is still stopped (before, it waited out the
    client's deadline). The old leader resumes only after the answer."""
    await seed_agencies(database_url)
    async with gateway_to("anchor", anchor_replicas.addresses, pki, tmp_path / "audit.log") as gateway:
        agency = anchor_pb2_grpc.AnchorServiceStub(gateway.channel("agency"))
        registered = (await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile(agency_id="")), timeout=10)).anchor
        paused = await anchor_replicas.serving(gateway)
        os.kill(paused.process.pid, signal.SIGSTOP)
        try:
            read = await agency.GetAnchor(pb.GetAnchorRequest(anchor_id=registered.anchor_id), timeout=15)
            assert read.anchor.anchor_id == registered.anchor_id
            assert await anchor_replicas.holder() != paused.name
        finally:
            os.kill(paused.process.pid, signal.SIGCONT)


async def test_PLT_03_with_every_replica_paused_a_call_is_answered_unavailable_not_held_to_its_deadline(anchor_replicas, database_url, pki, tmp_path):
    """Both replicas SIGSTOPped: no successor ever reports it leads, so the gateway could only learn
    that the paused leader is gone from its silence. Its keepalive pings do: the call routed there
    fails and is answered UNAVAILABLE ("no active replica"), well inside the client's 30 s deadline;
    before, it was held until DEADLINE_EXCEEDED. Once they resume, calls are served again."""
    await seed_agencies(database_url)
    async with gateway_to("anchor", anchor_replicas.addresses, pki, tmp_path / "audit.log") as gateway:
        agency = anchor_pb2_grpc.AnchorServiceStub(gateway.channel("agency"))
        registered = (await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile(agency_id="")), timeout=10)).anchor
        await anchor_replicas.serving(gateway)
        paused = [anchor_replicas.named(name) for name in replica_names("anchor", 2)]
        for replica in paused:
            replica.pause()
        try:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await agency.GetAnchor(pb.GetAnchorRequest(anchor_id=registered.anchor_id), timeout=30)
            assert refused.value.code() == grpc.StatusCode.UNAVAILABLE, refused.value.details()
            assert "no active replica of anchor" in refused.value.details()
        finally:
            for replica in paused:
                replica.resume()
        read = await agency.GetAnchor(pb.GetAnchorRequest(anchor_id=registered.anchor_id), timeout=30)
        assert read.anchor.anchor_id == registered.anchor_id
