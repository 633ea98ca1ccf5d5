"""TRD-03 (and SES-10's shipping promises): a paid order's ship-by time comes from its session's
shipping promise or the default; logistics are recorded by the platform through the gateway; the
active replica's timer raises ShipmentOverdue once from the ship-by minute on (ManualClock)."""

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
from livecommerce.trade.v1 import events_pb2, shipping_pb2_grpc, trade_pb2_grpc
from livecommerce.trade.v1 import shipping_pb2 as spb
from livecommerce.trade.v1 import trade_pb2 as pb
from services.trade.rules_config import TradeRules
from services.trade.shipping.commands import Shipping
from services.trade.shipping.domain import overdue, promised_hours, ship_by
from tests.replicas import GatewayUnderTest, gateway_to
from tests.support import publish_event, rich_error, wait_until_acknowledged
from tests.trade.messages import NOW, dock, order


@pytest.mark.parametrize(
    ("text", "hours"),
    [("48小时内发货", 48), ("拍下24个小时发货", 24), ("3天内发货", 72), ("ships within 12 h, 2 days at most", 12), ("尽快发货", None)],
)
def test_TRD_03_the_hours_a_shipping_promise_names(text, hours):
    assert promised_hours(text) == hours


def test_TRD_03_an_order_is_overdue_from_its_ship_by_minute():
    deadline = ship_by(NOW, promised=24, default_hours=48)
    assert deadline == NOW + timedelta(hours=24)
    assert not overdue(deadline, NOW + timedelta(hours=23, minutes=59))
    assert overdue(deadline, NOW + timedelta(hours=24))
    assert ship_by(NOW, promised=None, default_hours=48) == NOW + timedelta(hours=48)


def paid(n: int, **changes) -> pb.DockedOrder:
    """Paid at NOW (the test clock's start), not shipped."""
    values = dict(status=pb.ORDER_STATUS_PAID, completed_at=None, paid_at=stamp(NOW))
    values.update(changes)
    return order(n, **values)


async def promise(js, settings, seq: int, *, session_id: str, text: str, product_id: str = "") -> None:
    await publish_event(js, settings.subject_root, "session", "promise.recorded", session_events.PromiseRecorded(
        promise=session_pb2.Promise(
            promise_id=f"pr-{seq}", session_id=session_id, kind=session_pb2.PROMISE_KIND_SHIPPING_TIME, text=text,
            product_id=product_id, responsible=session_pb2.RESPONSIBLE_PARTY_MERCHANT, responsible_id="m-1", made_at=stamp(NOW),
        ),
        merchant_id="m-1", anchor_id="an-1",
    ))  # fmt: skip
    await wait_until_acknowledged(js, settings.stream_for("session"), "trade-from-session", seq=seq)


async def alerted(db) -> list[str]:
    out = []
    for row in await db.fetch("SELECT envelope FROM outbox WHERE subject LIKE '%.trade.shipment.overdue' ORDER BY created_at, event_id"):
        event = events_pb2.ShipmentOverdue()
        envelope_pb2.EventEnvelope.FromString(row["envelope"]).payload.Unpack(event)
        out.append(event.external_order_id)
    return sorted(out)


async def alerts_become(db, expected: list[str]) -> None:
    """The replica's timer ticks every second; it raises what is due within a few ticks."""
    async with asyncio.timeout(10):
        while await alerted(db) != expected:
            await asyncio.sleep(0.05)


async def test_TRD_03_SES_10_an_unshipped_order_alerts_once_from_its_promised_or_default_ship_by(taobao, trade_service, probe_js, settings, clock, db):
    await promise(probe_js, settings, 1, session_id="s-1", text="24小时内发货", product_id="p-1")
    await promise(probe_js, settings, 2, session_id="s-1", text="72小时内发货")  # a looser one: the strictest counts
    [ack] = await dock(taobao, [
        paid(1), paid(2, session_id="s-2"), paid(3), paid(4, status=pb.ORDER_STATUS_SHIPPED, shipped_at=stamp(NOW)),
    ])  # fmt: skip
    assert ack.accepted == 4
    shipping = Shipping(trade_service.runtime, TradeRules())  # what the replica's timer runs
    clock.set(NOW + timedelta(hours=23, minutes=59))
    assert await shipping.alert_overdue() == 0
    assert await alerted(db) == []
    clock.set(NOW + timedelta(hours=24))  # tb-1 and tb-3: s-1's 24 h promise
    await alerts_become(db, ["tb-1", "tb-3"])
    clock.set(NOW + timedelta(hours=47, minutes=59))
    assert await shipping.alert_overdue() == 0
    clock.set(NOW + timedelta(hours=48))  # tb-2: s-2 promised nothing, the default 48 h
    await alerts_become(db, ["tb-1", "tb-2", "tb-3"])
    clock.set(NOW + timedelta(days=9))
    assert await shipping.alert_overdue() == 0  # once per order; tb-4 shipped in time


@pytest.fixture
async def gateway(trade_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("trade", [f"127.0.0.1:{trade_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


def logistics(kind=spb.LOGISTICS_KIND_PICKED_UP, **changes) -> spb.LogisticsEvent:
    values = dict(kind=kind, carrier="SF", tracking_number="SF1234567890", at=stamp(NOW), note="")
    values.update(changes)
    return spb.LogisticsEvent(**values)


async def test_TRD_03_the_platform_records_logistics_through_the_gateway_and_a_handed_over_order_never_alerts(gateway, db, trade_service):
    platform = gateway.channel("trading_platform")
    await dock(trade_pb2_grpc.TradeServiceStub(platform), [paid(1, merchant_id="m-demo")])
    shipping = shipping_pb2_grpc.ShippingServiceStub(platform)
    recorded = await shipping.RecordLogistics(spb.RecordLogisticsRequest(request_id="lg-1", external_order_id="tb-1", event=logistics()))
    again = await shipping.RecordLogistics(spb.RecordLogisticsRequest(request_id="lg-1", external_order_id="tb-1", event=logistics()))
    assert again.order_id == recorded.order_id
    await shipping.RecordLogistics(spb.RecordLogisticsRequest(
        request_id="lg-2", external_order_id="tb-1", event=logistics(spb.LOGISTICS_KIND_DELIVERED, at=stamp(NOW + timedelta(minutes=1)))
    ))  # fmt: skip
    merchant = shipping_pb2_grpc.ShippingServiceStub(gateway.channel("merchant"))
    view = await merchant.GetShipping(spb.GetShippingRequest(order_id=recorded.order_id))
    assert [e.kind for e in view.logistics] == [spb.LOGISTICS_KIND_PICKED_UP, spb.LOGISTICS_KIND_DELIVERED]  # the retry recorded nothing
    assert view.delivered_at == stamp(NOW + timedelta(minutes=1)) and view.ship_by == stamp(NOW + timedelta(hours=48))
    assert not view.overdue and not view.promised
    trade_service.runtime.clock.set(NOW + timedelta(days=3))
    assert await Shipping(trade_service.runtime, TradeRules()).alert_overdue() == 0  # handed to the carrier: never overdue
    assert await db.fetchval("SELECT count(*) FROM shipping_alerts") == 0


async def test_TRD_03_bad_logistics_are_refused_naming_field_and_rule_and_another_platforms_order_is_missing(gateway, stub_for, db):
    await dock(stub_for("trading_platform", "taobao"), [paid(1)])
    shipping = shipping_pb2_grpc.ShippingServiceStub(gateway.channel("trading_platform"))
    for n, (event, field) in enumerate([
        (logistics(kind=spb.LOGISTICS_KIND_UNSPECIFIED), "event.kind"), (logistics(carrier=""), "event.carrier"),
        (logistics(at=stamp(NOW + timedelta(hours=1))), "event.at"), (logistics(at=stamp(NOW - timedelta(days=1))), "event.at"),
    ]):  # fmt: skip
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await shipping.RecordLogistics(spb.RecordLogisticsRequest(request_id=f"bad-{n}", external_order_id="tb-1", event=event))
        refusal = rich_error(error.value)
        assert refusal["code"] == grpc.StatusCode.INVALID_ARGUMENT and field in refusal["fields"], field
        assert "TRD-03" in refusal["fields"][field]
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await shipping.RecordLogistics(spb.RecordLogisticsRequest(request_id="lg-x", external_order_id="tb-unknown", event=logistics()))
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
    assert await db.fetchval("SELECT count(*) FROM logistics_events") == 0
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await shipping_pb2_grpc.ShippingServiceStub(gateway.channel("merchant")).RecordLogistics(
            spb.RecordLogisticsRequest(request_id="lg-m", external_order_id="tb-1", event=logistics())
        )
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
