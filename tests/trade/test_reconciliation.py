"""PLT-01 through the API: a session's docked orders against the platform's own figures."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import grpc
import pytest

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import events_pb2
from livecommerce.trade.v1 import trade_pb2 as pb
from services.trade.reconciliation.commands import Reconciliations
from services.trade.rules_config import ReconciliationRules
from tests.support import rich_error
from tests.trade.messages import dock, order


def figures(*orders: tuple[str, int], request_id: str = "rec-1", session_id: str = "s-1") -> pb.ReconcileSessionRequest:
    return pb.ReconcileSessionRequest(
        request_id=request_id, session_id=session_id, order_count=len(orders), amount_fen=sum(a for _, a in orders),
        orders=[pb.PlatformOrder(external_order_id=i, amount_fen=a) for i, a in orders],
    )


async def test_PLT_01_a_session_reconciles_exactly(taobao):
    await dock(taobao, [order(1), order(2), order(3, status=pb.ORDER_STATUS_CANCELLED, completed_at=None)])
    report = await taobao.ReconcileSession(figures(("tb-1", 10_001), ("tb-2", 10_002)))
    assert report.exact
    assert (report.docked_order_count, report.docked_amount_fen, report.platform_order_count) == (2, 20_003, 2)
    assert list(report.differences) == []


async def test_PLT_01_every_differing_order_is_reported(taobao, stub_for):
    await dock(taobao, [order(1), order(2), order(4, session_id="s-2")])
    await dock(stub_for("trading_platform", "jd"), [order(3)])  # another platform's: not ours to count
    report = await taobao.ReconcileSession(figures(("tb-1", 10_001), ("tb-2", 9_999), ("tb-3", 10_003)))
    assert not report.exact
    assert [(d.external_order_id, d.kind, d.docked_amount_fen, d.platform_amount_fen) for d in report.differences] == [
        ("tb-2", pb.DIFFERENCE_KIND_AMOUNT_DIFFERS, 10_002, 9_999),
        ("tb-3", pb.DIFFERENCE_KIND_MISSING_HERE, 0, 10_003),
    ]
    assert (report.docked_order_count, report.docked_amount_fen) == (2, 20_003)


async def test_PLT_01_a_retried_reconciliation_answers_its_first_report(taobao):
    first = await taobao.ReconcileSession(figures(("tb-1", 10_001)))
    assert not first.exact
    await dock(taobao, [order(1)])
    assert await taobao.ReconcileSession(figures(("tb-1", 10_001))) == first
    assert (await taobao.ReconcileSession(figures(("tb-1", 10_001), request_id="rec-2"))).exact


async def test_PLT_01_only_a_platform_reconciles_and_needs_a_request_id(taobao, stub_for):
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub_for("merchant", "m-1").ReconcileSession(figures())
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await taobao.ReconcileSession(figures(request_id=""))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def period(day_start: datetime, *sessions: tuple[str, int, int], request_id: str = "per-1", days: int = 1) -> pb.ReconcilePlatformRequest:
    return pb.ReconcilePlatformRequest(
        request_id=request_id, period_start=stamp(day_start), period_end=stamp(day_start + timedelta(days=days)),
        order_count=sum(c for _, c, _ in sessions), amount_fen=sum(a for _, _, a in sessions),
        sessions=[pb.SessionFigures(session_id=s, order_count=c, amount_fen=a) for s, c, a in sessions],
    )


DAY_23 = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
"""2026-11-23 00:00 in Beijing; the test clock (NOW) is 12:00 that day."""


async def test_PLT_01_a_platform_reconciles_a_period_session_by_session(taobao, stub_for):
    await dock(taobao, [
        order(1), order(2), order(3, session_id="s-2"), order(4, status=pb.ORDER_STATUS_CANCELLED, completed_at=None),
        order(5, placed_at=stamp(DAY_23 - timedelta(minutes=1)), paid_at=stamp(DAY_23), completed_at=stamp(DAY_23)),  # the day before
    ])  # fmt: skip
    await dock(stub_for("trading_platform", "jd"), [order(6, session_id="s-2")])  # another platform's
    report = await taobao.ReconcilePlatform(period(DAY_23, ("s-1", 2, 20_003), ("s-2", 1, 10_003)))
    assert report.exact and list(report.differences) == []
    assert (report.docked_order_count, report.docked_amount_fen) == (3, 30_006)
    report = await taobao.ReconcilePlatform(period(DAY_23, ("s-1", 2, 20_003), ("s-2", 1, 10_000), ("s-3", 1, 7), request_id="per-2"))
    assert not report.exact
    assert [(d.session_id, d.docked.order_count, d.docked.amount_fen, d.platform.order_count, d.platform.amount_fen) for d in report.differences] == [
        ("s-2", 1, 10_003, 1, 10_000), ("s-3", 0, 0, 1, 7),
    ]


async def test_PLT_01_a_platform_period_is_required_bounded_and_its_sessions_named_once(taobao):
    cases = [
        (pb.ReconcilePlatformRequest(request_id="p-1"), "period_start"),
        (period(DAY_23, request_id="p-2", days=0), "period_end"),
        (period(DAY_23, request_id="p-3", days=32), "period_end"),
        (period(DAY_23, ("s-1", 1, 1), ("s-1", 1, 1), request_id="p-4"), "sessions[1].session_id"),
        (period(DAY_23, ("s-1", -1, 1), ("s-2", 2, 1), request_id="p-5"), "sessions[0].order_count"),
        (period(DAY_23, ("s-1", -1, 1), request_id="p-6"), "order_count"),
    ]
    for request, field in cases:
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await taobao.ReconcilePlatform(request)
        assert field in rich_error(error.value)["fields"], field


async def test_PLT_01_the_nightly_run_reconciles_the_day_before_by_the_clock_on_the_active_replica(
    taobao, stub_for, trade_service, clock, db
):
    await dock(taobao, [order(1), order(2, session_id="s-2")])
    await dock(stub_for("trading_platform", "jd"), [order(1)])
    assert (await taobao.ReconcilePlatform(period(DAY_23, ("s-1", 1, 10_001), ("s-2", 1, 10_002)))).exact
    late = order(3, session_id="s-2", status=pb.ORDER_STATUS_PLACED, paid_at=None, completed_at=None)
    assert (await dock(taobao, [late]))[0].accepted == 1  # docked after the platform gave its figures
    nightly = Reconciliations(trade_service.runtime, ReconciliationRules())
    clock.set(datetime(2026, 11, 23, 18, 59, tzinfo=UTC))  # 02:59 on the 24th in Beijing: not yet
    assert not await nightly.run_nightly()
    assert await db.fetchval("SELECT count(*) FROM nightly_reconciliations") == 0
    clock.set(datetime(2026, 11, 23, 19, 0, tzinfo=UTC))  # 03:00: the replica's timer runs the 23rd
    officer = stub_for("compliance_officer")
    async with asyncio.timeout(10):
        while not (listed := (await officer.ListReconciliations(pb.ListReconciliationsRequest())).reconciliations):
            await asyncio.sleep(0.05)
    assert not await nightly.run_nightly()  # once per day, whichever replica leads
    by_platform = {n.platform: n for n in listed}
    assert {n.day for n in listed} == {"2026-11-23"} and by_platform.keys() == {"jd", "taobao"}
    taobao_night = by_platform["taobao"]
    assert taobao_night.platform_reported and not taobao_night.report.exact
    assert [(d.session_id, d.docked.order_count, d.platform.order_count) for d in taobao_night.report.differences] == [("s-2", 2, 1)]
    assert not by_platform["jd"].platform_reported and not by_platform["jd"].report.exact
    assert by_platform["jd"].report.docked_order_count == 1
    assert [n.platform for n in (await taobao.ListReconciliations(pb.ListReconciliationsRequest())).reconciliations] == ["taobao"]
    rows = await db.fetch("SELECT envelope FROM outbox WHERE subject LIKE '%.trade.reconciliation.completed'")
    published = []
    for row in rows:
        event = events_pb2.ReconciliationCompleted()
        envelope_pb2.EventEnvelope.FromString(row["envelope"]).payload.Unpack(event)
        published.append((event.platform, event.day, event.exact, list(event.differing_sessions)))
    assert sorted(published) == [("jd", "2026-11-23", False, ["s-1"]), ("taobao", "2026-11-23", False, ["s-2"])]
