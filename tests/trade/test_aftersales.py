"""TRD-04 / TRD-05 / PRD-09 end to end over TLS through the gateway: the platform opens a request
for its buyer, the merchant answers and resolves, a completed return is published as
ReturnCompleted; the no-reason window, the perishables policy and the deadlines on the clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import grpc
import pytest

from livecommerce.common.v1 import envelope_pb2
from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.product.v1 import product_pb2
from livecommerce.trade.v1 import aftersales_pb2 as apb
from livecommerce.trade.v1 import aftersales_pb2_grpc, events_pb2, trade_pb2, trade_pb2_grpc
from services.trade.aftersales.commands import AfterSalesDesk
from services.trade.rules_config import ReturnRateRules
from tests.replicas import GatewayUnderTest, gateway_to
from tests.support import publish_event, rich_error, wait_until_acknowledged
from tests.trade.messages import NOW, dock, order

COMPLETED_AT = NOW - timedelta(hours=1)
"""The test orders' completion, their goods' receipt when no delivery is recorded."""


@dataclass
class Desk:
    platform: aftersales_pb2_grpc.AfterSalesServiceStub
    merchant: aftersales_pb2_grpc.AfterSalesServiceStub
    service: aftersales_pb2_grpc.AfterSalesServiceStub
    order_id: str


@pytest.fixture
async def gateway(trade_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("trade", [f"127.0.0.1:{trade_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


@pytest.fixture
async def desk(gateway) -> Desk:
    """A completed order of the development merchant (m-demo), docked by taobao through the gateway."""
    platform = gateway.channel("trading_platform")
    await dock(trade_pb2_grpc.TradeServiceStub(platform), [order(1, merchant_id="m-demo")])
    [docked] = (await trade_pb2_grpc.TradeServiceStub(platform).ListOrders(trade_pb2.ListOrdersRequest())).orders
    return Desk(
        aftersales_pb2_grpc.AfterSalesServiceStub(platform), aftersales_pb2_grpc.AfterSalesServiceStub(gateway.channel("merchant")),
        aftersales_pb2_grpc.AfterSalesServiceStub(gateway.channel("customer_service")), docked.order_id,
    )  # fmt: skip


def opening(desk: Desk, rid: str = "as-1", **changes) -> apb.OpenAfterSalesRequest:
    values = dict(
        request_id=rid, order_id=desk.order_id, kind=apb.AFTER_SALES_KIND_RETURN, reason=apb.AFTER_SALES_REASON_NO_REASON,
        description="不想要了", refund_fen=10_001,
    )  # fmt: skip
    values.update(changes)
    return apb.OpenAfterSalesRequest(**values)


async def published(db, kind: str, message) -> list:
    out = []
    for row in await db.fetch("SELECT envelope FROM outbox WHERE subject LIKE $1 ORDER BY created_at, event_id", f"%.trade.{kind}"):
        event = message()
        envelope_pb2.EventEnvelope.FromString(row["envelope"]).payload.Unpack(event)
        out.append(event)
    return out


async def test_TRD_04_a_no_reason_return_is_honoured_and_its_completion_published_as_ReturnCompleted(desk, db):
    opened = (await desk.platform.OpenAfterSales(opening(desk))).after_sales
    assert (opened.honoured, opened.state) == (True, apb.AFTER_SALES_STATE_OPEN)
    assert (await desk.platform.OpenAfterSales(opening(desk))).after_sales.after_sales_id == opened.after_sales_id  # a retry
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await desk.merchant.RespondAfterSales(apb.RespondAfterSalesRequest(
            request_id="r-1", after_sales_id=opened.after_sales_id, accept=False, response="不退",
        ))  # fmt: skip
    assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION and rich_error(error.value)["rules"] == ["TRD-04"]
    await desk.merchant.RespondAfterSales(apb.RespondAfterSalesRequest(
        request_id="r-2", after_sales_id=opened.after_sales_id, accept=True, response="请寄回",
    ))  # fmt: skip
    assert await published(db, "return.completed", events_pb2.ReturnCompleted) == []
    done = (await desk.merchant.SettleAfterSales(apb.SettleAfterSalesRequest(
        request_id="r-3", after_sales_id=opened.after_sales_id, completed=True, resolution="已收货退款",
    ))).after_sales  # fmt: skip
    assert done.state == apb.AFTER_SALES_STATE_COMPLETED and done.responded_at == done.opened_at
    [event] = await published(db, "return.completed", events_pb2.ReturnCompleted)
    assert (event.order_id, event.merchant_id, event.session_id) == (desk.order_id, "m-demo", "s-1")
    history = await db.fetch("SELECT action FROM after_sales_history ORDER BY seq")
    assert [h["action"] for h in history] == ["opened", "respond", "settle"]


async def test_TRD_04_the_no_reason_window_closes_7_days_after_receipt_to_the_minute(desk, clock):
    clock.set(COMPLETED_AT + timedelta(days=7) - timedelta(minutes=1))
    assert (await desk.platform.OpenAfterSales(opening(desk, "as-in"))).after_sales.honoured
    clock.set(COMPLETED_AT + timedelta(days=7))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await desk.platform.OpenAfterSales(opening(desk, "as-late"))
    assert "reason" in rich_error(error.value)["fields"] and "TRD-04" in rich_error(error.value)["fields"]["reason"]


async def test_TRD_04_a_refund_request_above_what_was_paid_is_refused_and_writes_nothing(desk, db):
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await desk.service.OpenAfterSales(opening(desk, kind=apb.AFTER_SALES_KIND_REFUND, reason=apb.AFTER_SALES_REASON_OTHER, refund_fen=10_002))
    assert "TRD-04" in rich_error(error.value)["fields"]["refund_fen"]
    assert await db.fetchval("SELECT count(*) FROM after_sales") == 0


async def test_PRD_09_TRD_04_a_perishable_product_takes_no_return_without_reason(desk, trade_service, probe_js, settings):
    await publish_event(probe_js, settings.subject_root, "product", "product.approved", product_events.ProductApproved(
        listing=product_events.ProductListing(
            product_id="p-1", merchant_id="m-demo",
            perishable=product_pb2.PerishableTreatment(perishable=True, strict_after_sales=True, claim_window_hours=48),
        )
    ))  # fmt: skip
    await wait_until_acknowledged(probe_js, settings.stream_for("product"), "trade-from-product", seq=1)
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await desk.platform.OpenAfterSales(opening(desk))
    assert "PRD-09" in rich_error(error.value)["fields"]["reason"]
    quality = (await desk.platform.OpenAfterSales(opening(desk, "as-q", reason=apb.AFTER_SALES_REASON_QUALITY))).after_sales
    assert not quality.honoured


async def test_TRD_05_missed_deadlines_escalate_once_each_from_the_minute(desk, trade_service, clock, db):
    opened = (await desk.platform.OpenAfterSales(opening(desk, reason=apb.AFTER_SALES_REASON_QUALITY))).after_sales
    assert (opened.respond_by, opened.resolve_by) == (
        opened.opened_at.__class__(seconds=opened.opened_at.seconds + 24 * 3600),
        opened.opened_at.__class__(seconds=opened.opened_at.seconds + 72 * 3600),
    )
    escalations = AfterSalesDesk(trade_service.runtime, ReturnRateRules())  # what the replica's timer runs

    async def stages() -> list[str]:
        return [e.stage for e in await published(db, "aftersales.escalated", events_pb2.AfterSalesEscalated)]

    async def stages_become(expected: list[str]) -> None:
        async with asyncio.timeout(10):
            while await stages() != expected:
                await asyncio.sleep(0.05)

    clock.set(NOW + timedelta(hours=23, minutes=59))
    assert await escalations.escalate_overdue() == 0
    clock.set(NOW + timedelta(hours=24))
    await stages_become(["response"])
    await desk.merchant.RespondAfterSales(apb.RespondAfterSalesRequest(request_id="r-1", after_sales_id=opened.after_sales_id, accept=True, response="处理中"))
    clock.set(NOW + timedelta(hours=71, minutes=59))
    assert await escalations.escalate_overdue() == 0
    clock.set(NOW + timedelta(hours=72))
    await stages_become(["response", "resolution"])
    clock.set(NOW + timedelta(days=30))
    assert await escalations.escalate_overdue() == 0
    view = (await desk.service.GetAfterSales(apb.GetAfterSalesRequest(after_sales_id=opened.after_sales_id))).after_sales
    assert view.response_escalated_at.seconds and view.resolution_escalated_at.seconds


async def test_TRD_04_PLT_04_only_the_platform_or_customer_service_opens_and_merchants_see_their_own(desk, stub_for, gateway):
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await desk.merchant.OpenAfterSales(opening(desk))
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    opened = (await desk.service.OpenAfterSales(opening(desk))).after_sales
    listed = (await desk.merchant.ListAfterSales(apb.ListAfterSalesRequest())).after_sales
    assert [a.after_sales_id for a in listed] == [opened.after_sales_id]
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await desk.platform.ListAfterSales(apb.ListAfterSalesRequest())
    assert "order_id" in rich_error(error.value)["fields"]
    assert len((await desk.platform.ListAfterSales(apb.ListAfterSalesRequest(order_id=desk.order_id))).after_sales) == 1
