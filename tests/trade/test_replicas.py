"""Active/standby for the trade service (PLT-03), with the shared replica support
(tests/replicas.py): a standby's docking batch never commits, the new leader docks the resend of
an unacknowledged batch (what had committed comes back as duplicates), and `python -m
services.trade` replicas serve the docking stream behind a real gateway. (Kill -9 of the active
replica in the middle of a docking stream is issue 14's acceptance case, not covered yet.)"""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
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
from tests.trade.messages import dock, order

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
