"""SES-10 (the honouring side) end to end through the gateway: the session's promises are matched
to its orders; a shipping-time promise is kept by shipping in time and broken when the clock finds
it missed; a gift promise is settled by the platform's report; a broken promise is published as
PromiseBroken naming the party bound to honour it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import grpc
import pytest

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import events_pb2 as session_events
from livecommerce.session.v1 import session_pb2
from livecommerce.trade.v1 import events_pb2, promises_pb2_grpc, trade_pb2_grpc
from livecommerce.trade.v1 import promises_pb2 as ppb
from livecommerce.trade.v1 import trade_pb2 as pb
from tests.replicas import GatewayUnderTest, gateway_to
from tests.support import publish_event, rich_error, wait_until_acknowledged
from tests.trade.messages import NOW, dock, order


@pytest.fixture
async def gateway(trade_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("trade", [f"127.0.0.1:{trade_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


async def promise(js, settings, seq, promise_id, kind, text, product_id="", responsible=session_pb2.RESPONSIBLE_PARTY_MERCHANT):
    await publish_event(js, settings.subject_root, "session", "promise.recorded", session_events.PromiseRecorded(
        promise=session_pb2.Promise(
            promise_id=promise_id, session_id="s-1", kind=kind, text=text, product_id=product_id, responsible=responsible,
            responsible_id="m-1" if responsible == session_pb2.RESPONSIBLE_PARTY_MERCHANT else "ag-1", made_at=stamp(NOW),
        ),
        merchant_id="m-1", anchor_id="an-1",
    ))  # fmt: skip
    await wait_until_acknowledged(js, settings.stream_for("session"), "trade-from-session", seq=seq)


def paid(n: int, product_id: str = "p-1", **changes) -> pb.DockedOrder:
    values = dict(product_id=product_id, status=pb.ORDER_STATUS_PAID, completed_at=None, paid_at=stamp(NOW))
    values.update(changes)
    return order(n, **values)


async def broken(db) -> list[tuple[str, str, str, str]]:
    out = []
    for row in await db.fetch("SELECT envelope FROM outbox WHERE subject LIKE '%.trade.promise.broken'"):
        event = events_pb2.PromiseBroken()
        envelope_pb2.EventEnvelope.FromString(row["envelope"]).payload.Unpack(event)
        out.append((event.promise_id, event.order_id, event.responsible, event.responsible_id))
    return sorted(out)


async def test_SES_10_TRD_03_promises_are_matched_to_orders_and_kept_or_broken(gateway, trade_service, probe_js, settings, clock, db):
    await promise(probe_js, settings, 1, "pr-gift", session_pb2.PROMISE_KIND_FREE_GIFT, "拍下即送同款小样一份", product_id="p-1")
    await promise(probe_js, settings, 2, "pr-ship", session_pb2.PROMISE_KIND_SHIPPING_TIME, "24小时内发货",
                  responsible=session_pb2.RESPONSIBLE_PARTY_AGENCY)  # fmt: skip
    trades = trade_pb2_grpc.TradeServiceStub(gateway.channel("trading_platform"))
    await dock(trades, [paid(1), paid(2), paid(3, product_id="p-2"), paid(4, session_id="s-2")])
    clock.set(NOW + timedelta(hours=1))
    [ack] = await dock(trades, [paid(1, status=pb.ORDER_STATUS_SHIPPED, shipped_at=stamp(NOW + timedelta(hours=1)))])
    assert ack.updated == 1
    ids = {o.order.external_order_id: o.order_id for o in (await trades.ListOrders(pb.ListOrdersRequest())).orders}

    platform = promises_pb2_grpc.PromiseServiceStub(gateway.channel("trading_platform"))
    await platform.ReportPromiseOutcome(ppb.ReportPromiseOutcomeRequest(request_id="po-1", order_id=ids["tb-1"], promise_id="pr-gift", kept=True))
    await platform.ReportPromiseOutcome(ppb.ReportPromiseOutcomeRequest(
        request_id="po-2", order_id=ids["tb-2"], promise_id="pr-gift", kept=False, detail="赠品未随包裹",
    ))  # fmt: skip
    assert await broken(db) == [("pr-gift", ids["tb-2"], "merchant", "m-1")]

    clock.set(NOW + timedelta(hours=24))  # the shipping promise's minute: tb-2 and tb-3 were not shipped
    async with asyncio.timeout(10):
        while len(await broken(db)) < 3:
            await asyncio.sleep(0.05)
    assert await broken(db) == sorted([
        ("pr-gift", ids["tb-2"], "merchant", "m-1"), ("pr-ship", ids["tb-2"], "agency", "ag-1"), ("pr-ship", ids["tb-3"], "agency", "ag-1"),
    ])  # fmt: skip

    officer = promises_pb2_grpc.PromiseServiceStub(gateway.channel("compliance_officer"))
    listed = {p.promise_id: p for p in (await officer.ListSessionPromises(ppb.ListSessionPromisesRequest(session_id="s-1"))).promises}
    gift, ship = listed["pr-gift"], listed["pr-ship"]
    assert (gift.orders, gift.kept, gift.broken, gift.pending, list(gift.broken_orders)) == (2, 1, 1, 0, [ids["tb-2"]])
    assert (ship.orders, ship.kept, ship.broken, ship.pending) == (3, 1, 2, 0)
    assert (ship.responsible, ship.responsible_id) == ("agency", "ag-1")


async def test_SES_10_an_outcome_names_a_promise_of_the_orders_session_and_is_not_rewritten(gateway, trade_service, probe_js, settings, db):
    await promise(probe_js, settings, 1, "pr-gift", session_pb2.PROMISE_KIND_FREE_GIFT, "送小样", product_id="p-1")
    trades = trade_pb2_grpc.TradeServiceStub(gateway.channel("trading_platform"))
    await dock(trades, [paid(1), paid(2, product_id="p-2"), paid(3, session_id="s-2")])
    ids = {o.order.external_order_id: o.order_id for o in (await trades.ListOrders(pb.ListOrdersRequest())).orders}
    platform = promises_pb2_grpc.PromiseServiceStub(gateway.channel("trading_platform"))
    for n, external in enumerate(("tb-2", "tb-3")):  # another product's order, another session's
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await platform.ReportPromiseOutcome(ppb.ReportPromiseOutcomeRequest(request_id=f"bad-{n}", order_id=ids[external], promise_id="pr-gift", kept=True))
        assert "SES-10" in rich_error(error.value)["fields"]["promise_id"]
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await platform.ReportPromiseOutcome(ppb.ReportPromiseOutcomeRequest(request_id="no-detail", order_id=ids["tb-1"], promise_id="pr-gift", kept=False))
    assert "detail" in rich_error(error.value)["fields"]
    await platform.ReportPromiseOutcome(ppb.ReportPromiseOutcomeRequest(request_id="ok", order_id=ids["tb-1"], promise_id="pr-gift", kept=True))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await platform.ReportPromiseOutcome(ppb.ReportPromiseOutcomeRequest(
            request_id="flip", order_id=ids["tb-1"], promise_id="pr-gift", kept=False, detail="改口",
        ))  # fmt: skip
    assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await promises_pb2_grpc.PromiseServiceStub(gateway.channel("merchant")).ReportPromiseOutcome(
            ppb.ReportPromiseOutcomeRequest(request_id="m", order_id=ids["tb-1"], promise_id="pr-gift", kept=True)
        )
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await broken(db) == []
