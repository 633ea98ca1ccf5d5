"""Active/standby for the anchor service (PLT-03): two replicas on one database and broker; one
leads, the standby takes over when the leader hands over or stops renewing, and fencing refuses
every write of a replica that lost the lease. Replicas, waits and the stalled leader come from
the shared support (tests/replicas.py); what is anchor here is the write they make."""

from __future__ import annotations

import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.service import RunningService
from services.anchor.service import DEFINITION
from tests.anchor.builders import profile, rid, seed_agencies
from tests.replicas import (
    as_the_gateway,
    assert_fenced,
    in_process_replicas,
    serving,
    split,
    stall_after_fence,
    stop_renewing,
    wait_for_takeover,
    wait_until,
)

AGENCY = Caller("agent", "agency", "ag-1")


async def register(replica: RunningService, pki) -> pb.Anchor:
    async with as_the_gateway(replica, pki, AGENCY) as channel:
        return (await anchor_pb2_grpc.AnchorServiceStub(channel).RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()))).anchor


@pytest.fixture
async def replicas(settings, clock):
    async with in_process_replicas(DEFINITION, settings, clock=clock, lease_ttl_seconds=0.6) as pair:
        await seed_agencies(settings.database_url)
        yield pair


async def test_PLT_03_two_replicas_start_together_and_exactly_one_is_active(replicas, pki):
    states = [await serving(r, pki) for r in replicas]
    assert sorted(states) == [False, True]
    active, standby = replicas if states[0] else replicas[::-1]
    assert active.lease.epoch == 1 and standby.lease.epoch is None
    await register(active, pki)
    await assert_fenced(register(standby, pki))  # fencing: a standby's write never commits


async def test_PLT_03_a_planned_stop_hands_over_at_once(replicas, pki):
    active, [standby] = split(replicas)
    await active.stop(0.5)
    await wait_for_takeover([standby], pki)
    assert standby.lease.epoch == 2
    assert (await register(standby, pki)).anchor_id


async def test_PLT_03_a_paused_leader_is_fenced_after_the_standby_takes_over(replicas, pki):
    """The leader stops renewing (as if SIGSTOPped) yet still believes it leads: its writes fail."""
    active, [standby] = split(replicas)
    stop_renewing(active)
    await wait_for_takeover([standby], pki)
    assert active.lease.epoch == 1 and standby.lease.epoch == 2
    await assert_fenced(register(active, pki))
    assert (await register(standby, pki)).anchor_id


async def test_PLT_03_planned_switchover_moves_the_lease_and_history_records_it(replicas, pki, settings):
    import asyncpg

    from livecommerce.runtime import leadership

    active, [standby] = split(replicas)
    conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": "anchor"})
    try:
        assert await leadership.request_switchover(conn, hold_off_seconds=5) == active.lease.replica_id
        await wait_for_takeover([standby], pki)

        async def stepped_down() -> bool:
            return not await serving(active, pki)

        await wait_until(stepped_down)
        state = await leadership.status(conn)
        assert state["holder"] == standby.lease.replica_id and state["epoch"] == 2 and state["live"]
        assert [h["holder"] for h in await leadership.history(conn)] == [standby.lease.replica_id, active.lease.replica_id]
    finally:
        await conn.close()
    assert (await register(standby, pki)).anchor_id


async def test_PLT_03_a_leader_stalled_between_fence_and_commit_does_not_lock_the_standby_out(replicas, pki):
    """As if SIGSTOPped right after its fence: the leader's transaction holds the share lock on the
    lease row and its lease loop stops. The standby still takes over within about one TTL (0.6 s
    here), not when the pause ends, and the stalled transaction never commits."""
    active, [standby] = split(replicas)
    stalled = await stall_after_fence(active)
    await wait_for_takeover([standby], pki, within=2.0)
    assert (await register(standby, pki)).anchor_id
    await stalled.assert_never_commits(standby)
