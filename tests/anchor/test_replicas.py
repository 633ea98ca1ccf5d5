"""Active/standby for the anchor service (PLT-03): two replicas on one database and broker; one
leads, the standby takes over when the leader hands over or stops renewing, and fencing refuses
every write of a replica that lost the lease."""

from __future__ import annotations

import asyncio
import dataclasses

import grpc
import pytest
from google.rpc import code_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.errors import from_unexpected
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.leadership import NotLeader
from livecommerce.runtime.service import RunningService, start_service
from services.anchor.service import DEFINITION
from tests.anchor.builders import profile, rid, seed_agencies
from tests.conftest import bounded, server_tls

AGENCY = Caller("agent", "agency", "ag-1")


async def serving(replica: RunningService, pki) -> bool:
    async with secure_channel(f"127.0.0.1:{replica.port}", server_tls(pki, "gateway")) as channel:
        check = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=DEFINITION.service_names[0]))
    return check.status == health_pb2.HealthCheckResponse.SERVING


async def register(replica: RunningService, pki) -> pb.Anchor:
    async with secure_channel(f"127.0.0.1:{replica.port}", server_tls(pki, "gateway"), caller=AGENCY) as channel:
        return (await anchor_pb2_grpc.AnchorServiceStub(channel).RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()))).anchor


async def wait_until(predicate, within: float = 10.0) -> None:
    async with asyncio.timeout(within):
        while not await predicate():
            await asyncio.sleep(0.05)


@pytest.fixture
async def replicas(settings, clock):
    fast = dataclasses.replace(settings, lease_ttl_seconds=0.6)
    pair = await asyncio.gather(
        start_service(DEFINITION, dataclasses.replace(fast, replica_id="anchor-a"), clock=clock),
        start_service(DEFINITION, dataclasses.replace(fast, replica_id="anchor-b"), clock=clock),
    )
    await seed_agencies(settings.database_url)
    yield pair
    await bounded(asyncio.gather(*(r.stop(0.5) for r in pair)), "stop both replicas")


async def test_PLT_03_two_replicas_start_together_and_exactly_one_is_active(replicas, pki):
    states = [await serving(r, pki) for r in replicas]
    assert sorted(states) == [False, True]
    active, standby = replicas if states[0] else replicas[::-1]
    assert active.lease.epoch == 1 and standby.lease.epoch is None
    await register(active, pki)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(standby, pki)  # fencing: a standby's write never commits
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE and "PLT-03" in refused.value.details()


async def test_PLT_03_a_planned_stop_hands_over_at_once(replicas, pki):
    active, standby = replicas if replicas[0].lease.active else replicas[::-1]
    await active.stop(0.5)
    await wait_until(lambda: serving(standby, pki))
    assert standby.lease.epoch == 2
    assert (await register(standby, pki)).anchor_id


async def test_PLT_03_a_paused_leader_is_fenced_after_the_standby_takes_over(replicas, pki):
    """The leader stops renewing (as if SIGSTOPped) yet still believes it leads: its writes fail."""
    active, standby = replicas if replicas[0].lease.active else replicas[::-1]
    for task in active.tasks:  # the lease loop: no more renewals, no change of mind
        task.cancel()
    await wait_until(lambda: serving(standby, pki))
    assert active.lease.epoch == 1 and standby.lease.epoch == 2
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(active, pki)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
    assert (await register(standby, pki)).anchor_id


async def test_PLT_03_planned_switchover_moves_the_lease_and_history_records_it(replicas, pki, settings):
    import asyncpg

    from livecommerce.runtime import leadership

    active, standby = replicas if replicas[0].lease.active else replicas[::-1]
    conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": "anchor"})
    try:
        assert await leadership.request_switchover(conn, hold_off_seconds=5) == active.lease.replica_id
        await wait_until(lambda: serving(standby, pki))
        await wait_until(lambda: _not(serving(active, pki)))
        state = await leadership.status(conn)
        assert state["holder"] == standby.lease.replica_id and state["epoch"] == 2 and state["live"]
        assert [h["holder"] for h in await leadership.history(conn)] == [standby.lease.replica_id, active.lease.replica_id]
    finally:
        await conn.close()
    assert (await register(standby, pki)).anchor_id


async def _not(awaitable) -> bool:
    return not await awaitable


async def test_PLT_03_a_leader_stalled_between_fence_and_commit_does_not_lock_the_standby_out(replicas, pki):
    """As if SIGSTOPped right after its fence: the leader's transaction holds the share lock on the
    lease row and its lease loop stops. The standby still takes over within about one TTL (0.6 s
    here), not when the pause ends, and the stalled transaction never commits."""
    active, standby = replicas if replicas[0].lease.active else replicas[::-1]
    fenced, resume = asyncio.Event(), asyncio.Event()

    async def stalled_write() -> None:
        async with active.runtime.uow.transaction() as conn:
            await conn.execute("INSERT INTO leadership_history (epoch, holder, acquired_at) VALUES (-1, 'stalled', now())")
            await active.lease.fence(conn)
            fenced.set()
            await resume.wait()

    for task in active.tasks:  # the lease loop: no more renewals
        task.cancel()
    write = asyncio.create_task(stalled_write())
    await fenced.wait()
    await wait_until(lambda: serving(standby, pki), within=2.0)
    assert (await register(standby, pki)).anchor_id
    resume.set()
    with pytest.raises(Exception) as failed:
        await write
    assert from_unexpected(failed.value).grpc_code == code_pb2.UNAVAILABLE or isinstance(failed.value, NotLeader)
    async with standby.runtime.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM leadership_history WHERE epoch = -1") == 0
