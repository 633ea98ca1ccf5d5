"""The shared gRPC server start-up over real mutual TLS: undecodable requests, rule IDs in rich
errors, reflection v1 and v1alpha. A small AnchorService stand-in answers, so these tests need no
database: GetAnchor echoes the caller's identity or raises the refusal its anchor_id names."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from google.protobuf import message_factory
from google.rpc import error_details_pb2
from grpc_reflection.v1alpha import reflection_pb2
from grpc_status import rpc_status

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.runtime import identity
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PermissionDenied, PreconditionFailed
from livecommerce.runtime.grpc_server import reflection_v1_file, start_grpc_server
from tests.conftest import bounded, client_tls, server_tls

GET_ANCHOR = "/livecommerce.anchor.v1.AnchorService/GetAnchor"
REFUSALS = {
    "precondition": PreconditionFailed("ANC-03", "anchor a-1", "under 16 years old", field="profile.date_of_birth"),
    "invalid": InvalidArgument([FieldViolation("profile.date_of_birth", "under 16 years old", "ANC-03")]),
    "permission": PermissionDenied("not your anchor", rule="ANC-03"),
}


class EchoAnchors(anchor_pb2_grpc.AnchorServiceServicer):
    async def GetAnchor(self, request, context):
        if request.anchor_id in REFUSALS:
            raise REFUSALS[request.anchor_id]
        who = identity.caller(context)
        return pb.GetAnchorResponse(anchor=pb.Anchor(anchor_id=f"{who.principal}|{who.role}|{who.tenant}"))


@pytest.fixture
async def echo_server(pki) -> AsyncIterator[int]:
    server = await start_grpc_server(
        register=lambda s: anchor_pb2_grpc.add_AnchorServiceServicer_to_server(EchoAnchors(), s),
        service_names=["livecommerce.anchor.v1.AnchorService"],
        host="127.0.0.1",
        port=0,
        tls=server_tls(pki, "anchor"),
    )
    yield server.port
    await bounded(server.stop(0.2), "stop the echo server")


def raw_channel(port: int, pki) -> grpc.aio.Channel:
    return grpc.aio.secure_channel(f"127.0.0.1:{port}", client_tls(pki, "sre").channel_credentials())


UNDECODABLE = {
    "garbage": b"\xff\xff\xff\xff",
    "truncated varint": b"\x08\x80",
    "invalid UTF-8 in a string field": b"\x0a\x02\xff\xfe",  # GetAnchorRequest.anchor_id = b"\xff\xfe"
}


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
async def test_an_undecodable_request_is_invalid_argument_without_a_traceback(echo_server, pki, payload, caplog):
    caplog.set_level("INFO")
    async with raw_channel(echo_server, pki) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await channel.unary_unary(GET_ANCHOR)(payload, timeout=5)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT, refused.value.details()
    assert "not a valid message" in refused.value.details()
    status = rpc_status.from_call(refused.value)
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request) and "does not decode" in bad_request.field_violations[0].description
    if payload == UNDECODABLE["invalid UTF-8 in a string field"]:  # the field is named, though protobuf does not
        assert "UTF-8 in anchor_id" in refused.value.details() and bad_request.field_violations[0].field == "anchor_id"
    else:
        assert bad_request.field_violations[0].field == "request"
    assert not [r for r in caplog.records if r.exc_info], "no traceback in the service log"


async def test_a_valid_request_still_decodes(echo_server, pki):
    async with raw_channel(echo_server, pki) as channel:
        reply = await channel.unary_unary(GET_ANCHOR)(pb.GetAnchorRequest(anchor_id="x").SerializeToString(), timeout=5)
    assert pb.GetAnchorResponse.FromString(reply).anchor.anchor_id == "dev-sre|sre|"


async def test_rule_ids_are_spelled_one_way_in_every_detail(echo_server, pki):
    """ANC-03 in BadRequest reasons, PreconditionFailure types, ErrorInfo reasons and messages alike."""
    seen = []
    async with raw_channel(echo_server, pki) as channel:
        stub = anchor_pb2_grpc.AnchorServiceStub(channel)
        for name in REFUSALS:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await stub.GetAnchor(pb.GetAnchorRequest(anchor_id=name), timeout=5)
            assert "ANC-03" in refused.value.details()
            for detail in rpc_status.from_call(refused.value).details:
                for kind in (error_details_pb2.BadRequest, error_details_pb2.PreconditionFailure, error_details_pb2.ErrorInfo):
                    if detail.Is(kind.DESCRIPTOR):
                        unpacked = kind()
                        detail.Unpack(unpacked)
                        seen.extend(v.reason for v in getattr(unpacked, "field_violations", ()))
                        seen.extend(v.type for v in getattr(unpacked, "violations", ()))
                        seen.extend([unpacked.reason] if kind is error_details_pb2.ErrorInfo else [])
    assert len(seen) == 4 and set(seen) == {"ANC-03"}


def reflection_v1_messages():
    """The v1 reflection request/response classes: what a current grpcurl speaks."""
    file = reflection_v1_file()
    return (
        message_factory.GetMessageClass(file.message_types_by_name["ServerReflectionRequest"]),
        message_factory.GetMessageClass(file.message_types_by_name["ServerReflectionResponse"]),
    )


async def list_services(channel: grpc.aio.Channel, version: str) -> list[str]:
    if version == "v1":
        request_type, response_type = reflection_v1_messages()
    else:
        request_type, response_type = reflection_pb2.ServerReflectionRequest, reflection_pb2.ServerReflectionResponse
    call = channel.stream_stream(
        f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
        request_serializer=request_type.SerializeToString,
        response_deserializer=response_type.FromString,
    )
    replies = [reply async for reply in call(iter([request_type(list_services="")]), timeout=5)]
    return [service.name for service in replies[0].list_services_response.service]


async def describe(channel: grpc.aio.Channel, symbol: str) -> bytes:
    request_type, response_type = reflection_v1_messages()
    call = channel.stream_stream(
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
        request_serializer=request_type.SerializeToString,
        response_deserializer=response_type.FromString,
    )
    replies = [reply async for reply in call(iter([request_type(file_containing_symbol=symbol)]), timeout=5)]
    return replies[0].file_descriptor_response.file_descriptor_proto[0]


@pytest.mark.parametrize("version", ["v1", "v1alpha"])
async def test_reflection_is_served_as_v1_and_v1alpha(echo_server, pki, version):
    async with raw_channel(echo_server, pki) as channel:
        services = await list_services(channel, version)
        assert {"livecommerce.anchor.v1.AnchorService", "grpc.health.v1.Health"} <= set(services)
        assert {"grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"} <= set(services)
        assert b"AnchorService" in await describe(channel, "livecommerce.anchor.v1.AnchorService")
