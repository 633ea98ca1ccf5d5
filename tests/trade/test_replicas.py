"""Active/standby for the trade service (PLT-03), with the shared replica support
(tests/replicas.py): a standby's docking batch never commits, the new leader docks the resend of
an unacknowledged batch (what had committed comes back as duplicates), and `python -m
services.trade` replicas serve the docking stream behind a real gateway. (Kill -9 of the active
replica in the middle of a docking stream, issue 14's acceptance case, is the last test.)"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import asyncpg
import grpc
import pytest

from livecommerce.runtime.identity import Caller
from livecommerce.trade.v1 import trade_pb2_grpc
from services.trade.service import DEFINITION
from tests.replicas import (
    ProcessReplicas,
    as_the_gateway,
    assert_fenced,
    gateway_to,
    in_process_replicas,
    process_env,
    replica_processes,
    split,
    stop_renewing,
    wait_for_takeover,
)
from tests.trade.messages import completed_published, dock, order

TAOBAO = Caller("taobao-docking", "trading_platform", "taobao")


@pytest.fixture
async def replicas(settings, clock):
    async with in_process_replicas(DEFINITION, settings, clock=clock) as pair:
        yield pair


async def dock_on(replica, pki, *batches):
    async with as_the_gateway(replica, pki, TAOBAO) as channel:
        return await dock(trade_pb2_grpc.TradeServiceStub(channel), *batches)


async def docked_ids(database_url: str) -> list[str]:
    conn = await asyncpg.connect(database_url)
    try:
        return [r["external_order_id"] for r in await conn.fetch("SELECT external_order_id FROM trade.orders ORDER BY 1")]
    finally:
        await conn.close()


async def test_PLT_03_TRD_01_a_standby_docks_nothing_and_the_new_leader_takes_the_resend(replicas, pki, settings):
    active, [standby] = split(replicas)
    [ack] = await dock_on(active, pki, [order(1), order(2)])
    assert ack.accepted == 2
    await assert_fenced(dock_on(standby, pki, [order(3)]))
    assert await docked_ids(settings.database_url) == ["tb-1", "tb-2"]
    stop_renewing(active)
    await wait_for_takeover([standby], pki)
    await assert_fenced(dock_on(active, pki, [order(3)]))  # the deposed leader believes it leads
    [ack] = await dock_on(standby, pki, [order(1), order(2), order(3)])  # the unacknowledged batch, resent whole
    assert (ack.accepted, ack.duplicate, ack.conflict) == (1, 2, 0)
    assert await docked_ids(settings.database_url) == ["tb-1", "tb-2", "tb-3"]


@pytest.fixture
def trade_replicas(database_url, datastores, subject_root, pki, tmp_path) -> Iterator[ProcessReplicas]:
    env = process_env("trade", pki, database_url=database_url, nats_url=datastores.nats_url, subject_root=subject_root)
    with replica_processes("trade", env, tmp_path / "logs", database_url=database_url) as replicas:
        yield replicas


async def test_PLT_03_trade_replica_processes_serve_the_docking_stream_behind_the_gateway(trade_replicas, database_url, pki, tmp_path):
    async with gateway_to("trade", trade_replicas.addresses, pki, tmp_path / "audit.log") as gateway:
        platform = trade_pb2_grpc.TradeServiceStub(gateway.channel("trading_platform"))
        acks = await dock(platform, [order(1)], [order(1), order(2)])
    assert [(a.accepted, a.duplicate) for a in acks] == [(1, 0), (1, 1)]
    assert await docked_ids(database_url) == ["tb-1", "tb-2"]
    assert await trade_replicas.holder() in {"trade-a", "trade-b"}


@pytest.mark.parametrize("disruption", ["kill -9", "SIGSTOP"])
async def test_TRD_01_PLT_01_the_active_replica_killed_or_paused_mid_stream_loses_nothing_and_reconciles_exactly(
    trade_replicas, database_url, pki, tmp_path, disruption
):
    """Issue 14's acceptance: the active replica is SIGKILLed (or SIGSTOPped: it holds its
    connections and maybe a transaction, and answers nothing) while a platform streams batches;
    the platform resends what was not acknowledged (same batch request ids) once the standby
    leads. Every order exists once, each completed one was published once, and reconciliation of
    the session is exact; a paused replica let go afterwards writes nothing more (its lease and
    its transaction are gone)."""
    from livecommerce.trade.v1 import trade_pb2 as pb

    batches = {b: [order(b * 10 + i) for i in range(10)] for b in range(20)}
    acknowledged: set[int] = set()
    killed = False
    paused = None
    broke: list[str] = []  # each broken stream's status, for the failure message
    async with gateway_to("trade", trade_replicas.addresses, pki, tmp_path / "audit.log") as gateway:
        platform = trade_pb2_grpc.TradeServiceStub(gateway.channel("trading_platform"))
        rounds = 0
        for _attempt in range(20):
            pending = [b for b in batches if b not in acknowledged]
            if not pending:
                break
            rounds += 1

            async def requests(sent=pending):
                for b in sent:
                    yield pb.DockOrdersRequest(request_id=f"batch-{b}", orders=batches[b])

            try:
                # A paused replica answers nothing; the gateway ends the stream when its successor
                # leads (the deadline is only there to fail this test rather than hang it).
                async for k, _ack in aenumerate(platform.DockOrders(requests(), timeout=30)):
                    acknowledged.add(pending[k])
                    if len(acknowledged) == 5 and not killed:
                        victim = await trade_replicas.serving(gateway)  # the replica this stream runs on
                        if disruption == "SIGSTOP":
                            paused = victim
                            paused.pause()
                        else:
                            victim.kill()
                        killed = True
            except grpc.aio.AioRpcError as broken:
                broke.append(f"{broken.code().name}: {broken.details()}")
                assert broken.code() == grpc.StatusCode.UNAVAILABLE, broken
                await wait_for_takeover([r for r in trade_replicas.replicas if r is not paused], pki, within=15)
        assert killed and rounds >= 2 and len(acknowledged) == len(batches), broke  # the stream broke, and the rest was resent
        if paused is not None:
            paused.resume()  # whatever it had under way is refused now: nothing more lands
            await asyncio.sleep(2)  # real time for the resumed process to run its pending work (no rule is timed here)
            assert await trade_replicas.holder() != paused.name
        ids = await docked_ids(database_url)
        assert ids == sorted(f"tb-{n}" for n in range(200)) and len(set(ids)) == 200
        conn = await asyncpg.connect(database_url, server_settings={"search_path": "trade"})
        try:
            published = await completed_published(conn)
        finally:
            await conn.close()
        assert sorted(published) == ids  # each order published once: a resent batch published nothing again
        everything = [o for batch in batches.values() for o in batch]
        report = await platform.ReconcileSession(pb.ReconcileSessionRequest(
            request_id="reconcile-s-1", session_id="s-1", order_count=len(everything), amount_fen=sum(o.amount_fen for o in everything),
            orders=[pb.PlatformOrder(external_order_id=o.external_order_id, amount_fen=o.amount_fen) for o in everything],
        ))
        assert report.exact and report.docked_order_count == 200 and not report.differences


async def aenumerate(stream):
    k = 0
    async for item in stream:
        yield k, item
        k += 1
