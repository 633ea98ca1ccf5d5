"""PLT-03: the gateway repeats a call that met UNAVAILABLE only when a repeat is harmless, a read
or a write carrying its request_id (the service dedupes by it); never a write without one."""

from __future__ import annotations

import grpc
import pytest

from gateway.resources import retry_is_safe
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from tests.anchor.builders import profile
from tests.conftest import client_tls

REGISTER = "/livecommerce.anchor.v1.AnchorService/RegisterAnchor"


async def register(port: int, pki, request_id: str) -> pb.RegisterAnchorResponse:
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", client_tls(pki, "agency").channel_credentials()) as channel:
        request = pb.RegisterAnchorRequest(request_id=request_id, profile=profile(agency_id=""))
        return await anchor_pb2_grpc.AnchorServiceStub(channel).RegisterAnchor(request, timeout=10)


async def test_PLT_03_a_write_without_request_id_meeting_unavailable_is_not_repeated(standin, start_test_gateway, pki):
    server, anchors = standin
    port, _ = await start_test_gateway(server.port)
    anchors.unavailable_for = 1
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(port, pki, request_id="")
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
    assert anchors.calls["RegisterAnchor"] == 1


async def test_PLT_03_a_write_with_request_id_meeting_unavailable_is_repeated_once(standin, start_test_gateway, pki):
    server, anchors = standin
    port, _ = await start_test_gateway(server.port)
    anchors.unavailable_for = 1
    assert (await register(port, pki, request_id="reg-1")).anchor.anchor_id == "for-reg-1"
    assert anchors.calls["RegisterAnchor"] == 2


async def test_PLT_03_a_read_meeting_unavailable_is_repeated_once(standin, start_test_gateway, pki):
    server, anchors = standin
    port, _ = await start_test_gateway(server.port)
    anchors.unavailable_for = 1
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", client_tls(pki, "agency").channel_credentials()) as channel:
        reply = await anchor_pb2_grpc.AnchorServiceStub(channel).GetAnchor(pb.GetAnchorRequest(anchor_id="a-1"), timeout=10)
    assert reply.anchor.anchor_id == "a-1" and anchors.calls["GetAnchor"] == 2


def test_retry_safety_is_read_from_the_bytes():
    def payload(request_id: str) -> bytes:
        return pb.RegisterAnchorRequest(request_id=request_id, profile=profile(agency_id="")).SerializeToString()

    assert retry_is_safe(REGISTER, payload("r-1"))
    assert not retry_is_safe(REGISTER, payload(""))
    assert not retry_is_safe(REGISTER, b"\xff\xff")  # unreadable: not provably safe
    assert retry_is_safe("/livecommerce.anchor.v1.AnchorService/GetAnchor", b"")
