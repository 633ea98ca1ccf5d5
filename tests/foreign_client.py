"""Calls through the real gateway with a gRPC client that is not grpcio: grpclib (pure Python, its
own HTTP/2 stack, h2), as an integrator on another stack would make them. Mutual TLS with the
development CA and a role's development certificate, no generated grpcio stub; refusals decoded
from `grpc-status-details-bin` with grpclib's own codec.

`channel_as` (tests/conftest.py) opens channels to a test module's `gateway` fixture; the
helpers here are what every tests/<service>/test_foreign_client.py shares."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from google.rpc import error_details_pb2
from grpclib.client import Channel
from grpclib.const import Cardinality, Status
from grpclib.encoding.proto import ProtoStatusDetailsCodec
from grpclib.exceptions import GRPCError

TIMEOUT = 10.0
"""Seconds any one call may take: a hang fails the test instead of the run."""


@contextlib.asynccontextmanager
async def grpclib_channels(address: str, pki: dict) -> AsyncIterator[Callable[[str], Channel]]:
    """open(role) -> a grpclib channel to `address` (host:port) presenting that role's development
    certificate (principal `dev-<role>`, the role's demo tenant); every channel closed on exit."""
    opened: list[Channel] = []

    def open_(role: str) -> Channel:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(pki["ca_cert"]))
        context.load_cert_chain(str(pki["clients"][role]["cert"]), str(pki["clients"][role]["key"]))
        context.set_alpn_protocols(["h2"])
        host, port = address.rsplit(":", 1)
        channel = Channel(host, int(port), ssl=context, status_details_codec=ProtoStatusDetailsCodec())
        opened.append(channel)
        return channel

    try:
        yield open_
    finally:
        for channel in opened:
            channel.close()


class Raw:
    """A request body of arbitrary bytes (grpclib's proto codec sends whatever SerializeToString
    returns): what a client on a broken stack, or an attacker, can put on the wire."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def SerializeToString(self) -> bytes:  # the protobuf method grpclib calls
        return self.data

    @classmethod
    def FromString(cls, data: bytes) -> Raw:
        return cls(data)


UNDECODABLE = {
    "garbage": b"\xff\xff\xff\xff",
    "truncated varint": b"\x08\x80",
    "invalid UTF-8 in field 1": b"\x0a\x02\xff\xfe",  # request_id (or the first string field) = b"\xff\xfe"
}
"""Bytes that are no request of any service: each is INVALID_ARGUMENT before a handler runs."""


async def unary(channel: Channel, method: str, request: Any, reply_type: type, *, request_type: type | None = None) -> Any:
    """One unary call; the reply, or GRPCError."""
    async with channel.request(
        method, Cardinality.UNARY_UNARY, request_type or type(request), reply_type, timeout=TIMEOUT
    ) as call:
        await call.send_message(request, end=True)
        reply = await call.recv_message()
        await call.recv_trailing_metadata()
    return reply


async def refused(call: Awaitable[Any]) -> Refusal:
    """Awaits a call that must fail; its status, message and decoded details."""
    with pytest.raises(GRPCError) as error:
        await call
    return Refusal.of(error.value)


@dataclass
class Refusal:
    status: Status
    message: str
    fields: dict[str, str] = field(default_factory=dict)
    """BadRequest field violations: field -> description."""
    reasons: dict[str, str] = field(default_factory=dict)
    """BadRequest field violations: field -> reason (the rule ID, when a rule refuses it)."""
    rules: list[str] = field(default_factory=list)
    """PreconditionFailure types and ErrorInfo reasons: rule IDs."""

    @classmethod
    def of(cls, error: GRPCError) -> Refusal:
        refusal = cls(error.status, error.message or "")
        for detail in error.details or ():
            if isinstance(detail, error_details_pb2.BadRequest):
                for violation in detail.field_violations:
                    refusal.fields[violation.field] = violation.description
                    refusal.reasons[violation.field] = violation.reason
            elif isinstance(detail, error_details_pb2.PreconditionFailure):
                refusal.rules.extend(v.type for v in detail.violations)
            elif isinstance(detail, error_details_pb2.ErrorInfo):
                refusal.rules.append(detail.reason)
        return refusal

    def names(self, field_: str, rule: str) -> bool:
        """The details name the field with the rule (as the violation's reason or in its
        description), and the message names the rule too."""
        in_details = field_ in self.fields and (self.reasons[field_] == rule or rule in self.fields[field_])
        return in_details and rule in self.message


async def row_counts(database_url: str, schema: str) -> dict[str, int]:
    """The number of rows in every table of a service's schema: what "nothing changed" compares."""
    import asyncpg

    conn = await asyncpg.connect(database_url)
    try:
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1", schema
        )
        return {t["table_name"]: await conn.fetchval(f'SELECT count(*) FROM "{schema}"."{t["table_name"]}"') for t in tables}
    finally:
        await conn.close()


async def refused_undecodable(channel: Channel, method: str, payload: bytes, reply_type: type, database_url: str, schema: str) -> None:
    """`payload` (bytes that are not a request of `method`) is refused INVALID_ARGUMENT and
    changes nothing in the service's schema; the caller then shows the channel still serves."""
    before = await row_counts(database_url, schema)
    error = await refused(unary(channel, method, Raw(payload), reply_type))
    assert error.status is Status.INVALID_ARGUMENT, error
    assert await row_counts(database_url, schema) == before
