"""Client side of the suite's gRPC: a mutual-TLS channel that states who is calling.

Used by tests, the CLI and the gateway's upstream connections, so there is one way to dial a
service.
"""

from __future__ import annotations

import grpc

from livecommerce.runtime.identity import Caller
from livecommerce.runtime.tls import TlsFiles


class _IdentityInterceptor(
    grpc.aio.UnaryUnaryClientInterceptor,
    grpc.aio.UnaryStreamClientInterceptor,
    grpc.aio.StreamUnaryClientInterceptor,
    grpc.aio.StreamStreamClientInterceptor,
):
    def __init__(self, caller: Caller) -> None:
        self._metadata = caller.metadata()

    def _with_identity(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        metadata = grpc.aio.Metadata(*(details.metadata or ()), *self._metadata)
        return grpc.aio.ClientCallDetails(details.method, details.timeout, metadata, details.credentials, details.wait_for_ready)

    async def intercept_unary_unary(self, continuation, details, request):
        return await continuation(self._with_identity(details), request)

    async def intercept_unary_stream(self, continuation, details, request):
        return await continuation(self._with_identity(details), request)

    async def intercept_stream_unary(self, continuation, details, request_iterator):
        return await continuation(self._with_identity(details), request_iterator)

    async def intercept_stream_stream(self, continuation, details, request_iterator):
        return await continuation(self._with_identity(details), request_iterator)


CHANNEL_OPTIONS = (
    # gRPC's default reconnect backoff grows to two minutes: a replica restarted after a failover
    # could stay unreachable long after it is ready. Replicas are few and near; retry often.
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 500),
)


def secure_channel(target: str, tls: TlsFiles, *, caller: Caller | None = None) -> grpc.aio.Channel:
    interceptors = [_IdentityInterceptor(caller)] if caller else None
    return grpc.aio.secure_channel(target, tls.channel_credentials(), options=CHANNEL_OPTIONS, interceptors=interceptors)
