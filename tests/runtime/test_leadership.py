"""The lease itself (PLT-03): a leader keeps it through a renewal that waits too long behind
writes in flight, as long as the lease it last proved has not run out; then it steps down."""

from __future__ import annotations

import asyncio

import pytest

from livecommerce.runtime.leadership import Lease
from tests.runtime.probe import probe_pool


@pytest.fixture
async def probe(database_url):
    pool = await probe_pool(database_url)
    yield pool
    await pool.close()


async def test_PLT_03_a_slow_renewal_keeps_a_lease_that_has_not_run_out(probe):
    lease = Lease(probe, replica_id="busy-leader", ttl_seconds=2.0, renew_seconds=0.2)
    await lease.attempt()
    assert lease.epoch == 1
    async with probe.acquire() as blocker, blocker.transaction():
        await blocker.execute("SELECT 1 FROM leadership FOR SHARE")  # as a fenced write in flight does
        busy = asyncio.create_task(blocker.execute("SELECT pg_sleep(2.6)"))  # busy, so not ended as idle
        await lease.attempt()  # the renewal waits 0.2 s behind it and gives up
        assert lease.epoch == 1, "stepped down although the lease it proved runs for almost 2 s more"
        await asyncio.sleep(2.0)  # the lease it last proved has run out by now
        await lease.attempt()
        assert lease.epoch is None, "kept acting as leader past the lease it could prove"
        await busy
    await lease.attempt()
    assert lease.epoch == 2  # the row was free and expired: a new term


async def test_PLT_03_a_lease_taken_by_another_replica_is_given_up_at_once(probe):
    ours, theirs = Lease(probe, replica_id="a", ttl_seconds=2.0), Lease(probe, replica_id="b", ttl_seconds=2.0)
    await ours.attempt()
    async with probe.acquire() as conn:
        await conn.execute("UPDATE leadership SET expires_at = now()")
    await theirs.attempt()
    await ours.attempt()  # the renewal answers "not yours": no grace for that
    assert ours.epoch is None and theirs.epoch == 2
