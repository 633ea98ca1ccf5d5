"""Failover through the gateway (PLT-03): the active anchor replica is SIGKILLed while clients
register anchors; every acknowledged registration exists exactly once and calls go on on the
standby; a SIGSTOPped leader is fenced when it wakes. Replicas are real processes
(`python -m services.anchor`), started, killed and paused by the shared support
(tests/replicas.py); what is anchor here is the registration and the anchors table."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import grpc
import pytest

from gateway.audit import AuditLog
from gateway.policy import ReloadingPolicy
from gateway.revocation import RevocationList
from gateway.server import start_gateway
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from tests.anchor.builders import profile, rid, seed_agencies
from tests.anchor.conftest import PII_KEY
from tests.conftest import bounded, client_tls, server_tls
from tests.replicas import ProcessReplicas, assert_exactly_once, process_env, replica_processes, write_through


@pytest.fixture
def anchor_replicas(database_url, datastores, subject_root, pki, tmp_path) -> Iterator[ProcessReplicas]:
    env = process_env(
        "anchor", pki, database_url=database_url, nats_url=datastores.nats_url, subject_root=subject_root,
        lease_ttl_seconds=1, PII_KEY=PII_KEY,
    )
    with replica_processes("anchor", env, tmp_path / "logs", database_url=database_url) as replicas:
        yield replicas


@contextlib.asynccontextmanager
async def gateway_to(replicas: ProcessReplicas, pki, tmp_path: Path) -> AsyncIterator[anchor_pb2_grpc.AnchorServiceStub]:
    """A gateway in front of the replicas; yields an AnchorService stub of an agency client."""
    audit = AuditLog(tmp_path / "audit.log")
    gateway, server = await start_gateway(
        upstreams={"anchor": replicas.addresses},
        tls=server_tls(pki, "gateway"),
        policy=ReloadingPolicy(),
        audit=audit,
        revocations=RevocationList(pki["crl"], pki["ca_cert"]),
    )
    try:
        async with grpc.aio.secure_channel(f"127.0.0.1:{server.port}", client_tls(pki, "agency").channel_credentials()) as channel:
            yield anchor_pb2_grpc.AnchorServiceStub(channel)
    finally:
        await bounded(server.stop(0.5), "stop the gateway")
        await gateway.close()
        await audit.close()


async def stored_registrations(database_url: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(database_url)
    try:
        return [(r["request_id"], str(r["anchor_id"])) for r in await conn.fetch("SELECT request_id, anchor_id FROM anchor.anchors")]
    finally:
        await conn.close()


async def test_PLT_03_sigkill_of_the_active_replica_loses_no_acknowledged_registration(anchor_replicas, database_url, pki, tmp_path):
    await seed_agencies(database_url)
    holder = await anchor_replicas.holder()
    async with gateway_to(anchor_replicas, pki, tmp_path) as agency:

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
    from livecommerce.runtime.client import secure_channel
    from livecommerce.runtime.identity import Caller

    await seed_agencies(database_url)
    paused = await anchor_replicas.active()
    async with gateway_to(anchor_replicas, pki, tmp_path) as agency:

        async def register(n: int) -> str:
            request = pb.RegisterAnchorRequest(request_id=f"w-{n}", profile=profile(agency_id=""))
            return (await agency.RegisterAnchor(request, timeout=20)).anchor.anchor_id

        async def pause_inside_a_fence() -> None:
            for _ in range(50):  # until the stop lands between a fence and its commit
                await asyncio.sleep(0.05 + random.random() * 0.05)
                paused.pause()
                stopped = time.monotonic()
                if await anchor_replicas.holds_the_fence(paused):
                    break
                paused.resume()
            else:
                pytest.fail("never caught the leader inside a fenced transaction")
            while True:  # a call through the gateway, served by the standby
                try:
                    await agency.GetAnchor(pb.GetAnchorRequest(anchor_id=str(uuid.uuid4())), timeout=0.3)
                except grpc.aio.AioRpcError as error:
                    if error.code() == grpc.StatusCode.NOT_FOUND:
                        break
                assert time.monotonic() - stopped < 2.0, "the standby did not serve within 2 s of the pause"
            assert await anchor_replicas.holder() != paused.name
            assert paused.state == "T"  # still stopped
            paused.resume()

        writes = await write_through(register, pause_inside_a_fence, writers=12)
    caller = Caller("agent", "agency", "ag-1")
    async with secure_channel(paused.address, server_tls(pki, "gateway"), caller=caller) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await anchor_pb2_grpc.AnchorServiceStub(channel).RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()), timeout=10)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE and "PLT-03" in refused.value.details()
    assert not writes.failed, {n: repr(error) for n, error in writes.failed.items()}
    assert_exactly_once({f"w-{n}": anchor_id for n, anchor_id in writes.acknowledged.items()}, await stored_registrations(database_url))
