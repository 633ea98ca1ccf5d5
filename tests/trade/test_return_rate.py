"""TRD-06: return rates per merchant and per anchor over the rolling window; a completed return
that lifts one above 5% raises ReturnRateExceeded once per subject and window."""

from __future__ import annotations

from datetime import timedelta

from livecommerce.common.v1 import envelope_pb2
from livecommerce.session.v1 import events_pb2 as session_events
from livecommerce.trade.v1 import aftersales_pb2 as apb
from livecommerce.trade.v1 import aftersales_pb2_grpc, events_pb2
from livecommerce.trade.v1 import trade_pb2 as pb
from services.trade.returnrate.domain import Rate, exceeds
from tests.support import publish_event, wait_until_acknowledged
from tests.trade.messages import dock, order


def test_TRD_06_a_rate_above_the_threshold_with_enough_orders_warns():
    assert not exceeds(Rate("merchant", "m-1", 1, 20), threshold=0.05, min_orders=20)  # 5% is not above 5%
    assert exceeds(Rate("merchant", "m-1", 2, 20), threshold=0.05, min_orders=20)
    assert not exceeds(Rate("anchor", "an-1", 2, 19), threshold=0.05, min_orders=20)  # too few orders for a rate


async def warnings(db) -> list[tuple[str, str, int, int]]:
    out = []
    for row in await db.fetch("SELECT envelope FROM outbox WHERE subject LIKE '%.trade.returnrate.exceeded'"):
        event = events_pb2.ReturnRateExceeded()
        envelope_pb2.EventEnvelope.FromString(row["envelope"]).payload.Unpack(event)
        out.append((event.subject_kind, event.subject_id, event.returns, event.orders))
    return sorted(out)


async def test_TRD_06_the_return_that_lifts_a_merchants_and_an_anchors_rate_above_5_percent_warns_once(
    taobao, channel_for, trade_service, probe_js, settings, clock, db
):
    js = probe_js  # the sources are other services: the probe publishes their events
    await publish_event(js, settings.subject_root, "session", "session.opened", session_events.SessionOpened(session_id="s-1", merchant_id="m-1", anchor_id="an-7"))
    await wait_until_acknowledged(js, settings.stream_for("session"), "trade-from-session", seq=1)
    await dock(taobao, [order(n) for n in range(20)], [order(99, merchant_id="m-2", session_id="s-2")])
    await dock(taobao, [order(100, completed_at=None, status=pb.ORDER_STATUS_PAID)])  # not completed: not counted
    ids = {o.order.external_order_id: o.order_id for o in (await taobao.ListOrders(pb.ListOrdersRequest(page={"page_size": 100}))).orders}
    platform = aftersales_pb2_grpc.AfterSalesServiceStub(channel_for("trading_platform", "taobao"))
    merchant = aftersales_pb2_grpc.AfterSalesServiceStub(channel_for("merchant", "m-1"))

    async def return_of(external_order_id: str) -> None:
        opened = (await platform.OpenAfterSales(apb.OpenAfterSalesRequest(
            request_id=f"open-{external_order_id}", order_id=ids[external_order_id], kind=apb.AFTER_SALES_KIND_RETURN,
            reason=apb.AFTER_SALES_REASON_QUALITY, description="破损",
        ))).after_sales  # fmt: skip
        await merchant.SettleAfterSales(apb.SettleAfterSalesRequest(
            request_id=f"done-{external_order_id}", after_sales_id=opened.after_sales_id, completed=True, resolution="已退货",
        ))  # fmt: skip

    await return_of("tb-0")
    assert await warnings(db) == []  # 1 of 20: 5%, not above
    await return_of("tb-1")
    assert await warnings(db) == [("anchor", "an-7", 2, 20), ("merchant", "m-1", 2, 20)]
    await return_of("tb-2")
    assert len(await warnings(db)) == 2  # once per subject within the window
    clock.advance(timedelta(days=31))  # the window moved on: the orders and returns left it
    await return_of("tb-3")
    assert len(await warnings(db)) == 2
