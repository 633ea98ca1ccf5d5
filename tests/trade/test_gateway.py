"""The trade service behind a real gateway (PLT-04, PLT-05), called with the development
certificates: the docking stream passes the gateway batch by batch, the platform is the
certificate's tenant (`taobao`), and a role the policy does not admit never reaches the service."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest

from livecommerce.trade.v1 import trade_pb2 as pb
from livecommerce.trade.v1 import trade_pb2_grpc
from tests.replicas import GatewayUnderTest, gateway_to
from tests.trade.messages import dock, dock_in_lockstep, order


@pytest.fixture
async def gateway(trade_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("trade", [f"127.0.0.1:{trade_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


async def test_TRD_01_PLT_05_a_platform_docks_through_the_gateway_as_its_certificate_says(gateway, db):
    platform = trade_pb2_grpc.TradeServiceStub(gateway.channel("trading_platform"))
    acks = await dock(platform, [order(1), order(2)], [order(2), order(3, currency="USD")])
    assert [(a.accepted, a.duplicate, a.refused) for a in acks] == [(2, 0, 0), (0, 1, 1)]
    assert {r["platform"] for r in await db.fetch("SELECT platform FROM orders")} == {"taobao"}
    listed = await platform.ListOrders(pb.ListOrdersRequest())
    assert sorted(o.order.external_order_id for o in listed.orders) == ["tb-1", "tb-2"]


async def test_PLT_04_the_gateway_admits_only_trading_platforms_to_the_docking_stream(gateway, db):
    merchant = trade_pb2_grpc.TradeServiceStub(gateway.channel("merchant"))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await dock(merchant, [order(1)])
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await db.fetchval("SELECT count(*) FROM orders") == 0


# A batch whose order id is not UTF-8: proto3 strings must be (request_id "b", one order whose
# external_order_id is the bytes ff fe).
NOT_UTF8 = b"\x0a\x01b" + b"\x12\x04" + b"\x0a\x02\xff\xfe"


@pytest.mark.parametrize("bad", [b"\xff\xff\xff\xff", NOT_UTF8], ids=["not-protobuf", "not-utf8"])
async def test_TRD_01_bytes_that_are_not_a_batch_are_refused_as_such_while_the_platform_keeps_sending(gateway, db, bad):
    """A refusal in the middle of a stream the platform is still writing to: the service reads the
    stream to its end before refusing (livecommerce/runtime/grpc_server.py, `_drain`), so the
    platform gets INVALID_ARGUMENT, never the INTERNAL that gRPC's Python client reports when a
    status overtakes a message still on its way (the gateway is such a client). Repeated, as the
    race was one run in a few."""
    method = gateway.channel("trading_platform").stream_stream("/livecommerce.trade.v1.TradeService/DockOrders")
    for attempt in range(8):
        first = pb.DockOrdersRequest(request_id=f"b-{attempt}", orders=[order(attempt)]).SerializeToString()
        rest = [pb.DockOrdersRequest(request_id=f"b-{attempt}-{n}", orders=[order(1000 + 100 * attempt + n)]).SerializeToString() for n in range(50)]
        call = method(iter([first, bad, *rest]), timeout=10)
        with pytest.raises(grpc.aio.AioRpcError) as error:
            async for _ in call:
                pass
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT, (attempt, error.value.code(), error.value.details())
    # Each stream's first batch docked; nothing after the bytes that did not decode.
    assert await db.fetchval("SELECT count(*) FROM orders") == 8


async def test_TRD_01_a_platform_waiting_for_each_acknowledgement_through_the_gateway_gets_it(gateway, db):
    """The service reads a stream ahead while a batch commits; through the gateway too, a platform
    that sends its next batch only after the last one's acknowledgement is answered batch by batch."""
    platform = trade_pb2_grpc.TradeServiceStub(gateway.channel("trading_platform"))
    acks = await dock_in_lockstep(platform, [order(0)], [order(1)], [order(2)])
    assert acks == [("batch-0", 1), ("batch-1", 1), ("batch-2", 1)]
    assert await db.fetchval("SELECT count(*) FROM orders") == 3
