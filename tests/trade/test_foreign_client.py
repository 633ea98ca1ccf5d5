"""The docking stream and a read through the real gateway with a gRPC client that is not grpcio
(grpclib: pure Python, its own HTTP/2 stack, h2): what an integrator on another stack sees. Mutual
TLS with the development CA, the platform's certificate, no generated grpcio stub; `channel_as`
(tests/conftest.py, tests/foreign_client.py) opens the channels."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from google.rpc import error_details_pb2
from grpclib.const import Cardinality, Status
from grpclib.exceptions import GRPCError

from livecommerce.trade.v1 import trade_pb2 as pb
from tests.foreign_client import TIMEOUT, UNDECODABLE, Raw
from tests.replicas import GatewayUnderTest, gateway_to
from tests.trade.messages import order

DOCK = "/livecommerce.trade.v1.TradeService/DockOrders"
LIST = "/livecommerce.trade.v1.TradeService/ListOrders"


@pytest.fixture
async def gateway(trade_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("trade", [f"127.0.0.1:{trade_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


async def test_TRD_01_PLT_05_a_platform_on_another_grpc_stack_docks_batch_by_batch_and_reads(channel_as, db):
    channel = channel_as("trading_platform")
    acks = []
    async with channel.request(DOCK, Cardinality.STREAM_STREAM, pb.DockOrdersRequest, pb.DockOrdersResponse) as stream:
        await stream.send_message(pb.DockOrdersRequest(request_id="b-1", orders=[order(1), order(2, amount_fen=-1)]))
        acks.append(await stream.recv_message())  # acknowledged before the next batch is sent
        await stream.send_message(pb.DockOrdersRequest(request_id="b-2", orders=[order(1), order(3)]), end=True)
        async for ack in stream:
            acks.append(ack)
    assert [(a.request_id, a.accepted, a.duplicate, a.refused) for a in acks] == [("b-1", 1, 0, 1), ("b-2", 1, 1, 0)]
    assert (acks[0].refusals[0].field, acks[0].refusals[0].rule) == ("amount_fen", "TRD-01")
    async with channel.request(LIST, Cardinality.UNARY_UNARY, pb.ListOrdersRequest, pb.ListOrdersResponse) as call:
        await call.send_message(pb.ListOrdersRequest(), end=True)
        listed = await call.recv_message()
    assert listed is not None and sorted(o.order.external_order_id for o in listed.orders) == ["tb-1", "tb-3"]
    assert await db.fetchval("SELECT count(*) FROM orders") == 2


async def test_PLT_04_the_gateway_refuses_another_role_on_another_grpc_stack_with_a_status(channel_as, db):
    channel = channel_as("merchant")
    with pytest.raises(GRPCError) as refused:
        async with channel.request(DOCK, Cardinality.STREAM_STREAM, pb.DockOrdersRequest, pb.DockOrdersResponse) as stream:
            await stream.send_message(pb.DockOrdersRequest(request_id="b-1", orders=[order(1)]), end=True)
            async for _ in stream:
                pass
    assert refused.value.status is Status.PERMISSION_DENIED
    assert await db.fetchval("SELECT count(*) FROM orders") == 0


async def test_TRD_01_a_batch_refused_whole_names_its_field_and_rule_to_another_grpc_stack(channel_as, db):
    """The refusal's google.rpc.Status details (grpc-status-details-bin) decode with a client of
    another stack: the field and the rule, as the docs promise every caller."""
    channel = channel_as("trading_platform")
    with pytest.raises(GRPCError) as refused:
        async with channel.request(DOCK, Cardinality.STREAM_STREAM, pb.DockOrdersRequest, pb.DockOrdersResponse) as stream:
            await stream.send_message(pb.DockOrdersRequest(request_id="b-1", orders=[order(n) for n in range(1001)]), end=True)
            async for _ in stream:
                pass
    assert refused.value.status is Status.INVALID_ARGUMENT
    details = refused.value.details or []
    fields = {v.field: v.description for d in details if isinstance(d, error_details_pb2.BadRequest) for v in d.field_violations}
    assert "orders" in fields and "1001" in fields["orders"] and "TRD-01" in fields["orders"], fields
    assert await db.fetchval("SELECT count(*) FROM orders") == 0


async def test_TRD_01_PLT_05_bytes_that_are_not_a_batch_end_the_stream_on_another_grpc_stack_and_the_next_stream_docks(channel_as, db):
    """After an acknowledged batch, bytes that are not a DockOrdersRequest: INVALID_ARGUMENT, the
    acknowledged batch stays, nothing else is written, and the platform's next stream docks."""
    channel = channel_as("trading_platform")
    with pytest.raises(GRPCError) as refused:
        async with channel.request(DOCK, Cardinality.STREAM_STREAM, object, pb.DockOrdersResponse, timeout=TIMEOUT) as stream:
            await stream.send_message(pb.DockOrdersRequest(request_id="b-1", orders=[order(1)]))
            assert (await stream.recv_message()).accepted == 1
            await stream.send_message(Raw(UNDECODABLE["garbage"]))
            async for _ in stream:
                pass
    assert refused.value.status is Status.INVALID_ARGUMENT, refused.value
    assert await db.fetchval("SELECT count(*) FROM orders") == 1
    async with channel.request(DOCK, Cardinality.STREAM_STREAM, pb.DockOrdersRequest, pb.DockOrdersResponse, timeout=TIMEOUT) as stream:
        await stream.send_message(pb.DockOrdersRequest(request_id="b-2", orders=[order(2)]), end=True)
        acks = [ack async for ack in stream]
    assert [(a.request_id, a.accepted) for a in acks] == [("b-2", 1)]
    assert await db.fetchval("SELECT count(*) FROM orders") == 2
