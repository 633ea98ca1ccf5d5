"""PLT-01 through the API: a session's docked orders against the platform's own figures."""

from __future__ import annotations

import grpc
import pytest

from livecommerce.trade.v1 import trade_pb2 as pb
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
