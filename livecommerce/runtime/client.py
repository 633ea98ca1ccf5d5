"""Client side of the suite's gRPC: a mutual-TLS channel that states who is calling.

Used by tests, the CLI and the gateway's upstream connections, so there is one way to dial a
service.
"""

from __future__ import annotations

import grpc

from livecommerce.runtime.identity import Caller
from livecommerce.runtime.tls import TlsFiles


class _Identity:
    def __init__(self, caller: Caller) -> None:
        self._metadata = caller.metadata()

    def _with_identity(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        metadata = grpc.aio.Metadata(*(details.metadata or ()), *self._metadata)
        return grpc.aio.ClientCallDetails(details.method, details.timeout, metadata, details.credentials, details.wait_for_ready)


# One interceptor per call kind: grpc.aio files each interceptor under the FIRST kind it is an
# instance of, so a single class implementing all four would add the identity to unary calls only
# (a streaming call, such as WatchRoom, went out anonymous).
class _UnaryUnary(_Identity, grpc.aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(self, continuation, details, request):
        return await continuation(self._with_identity(details), request)


class _UnaryStream(_Identity, grpc.aio.UnaryStreamClientInterceptor):
    async def intercept_unary_stream(self, continuation, details, request):
        return await continuation(self._with_identity(details), request)


class _StreamUnary(_Identity, grpc.aio.StreamUnaryClientInterceptor):
    async def intercept_stream_unary(self, continuation, details, request_iterator):
        return await continuation(self._with_identity(details), request_iterator)


class _StreamStream(_Identity, grpc.aio.StreamStreamClientInterceptor):
    async def intercept_stream_stream(self, continuation, details, request_iterator):
        return await continuation(self._with_identity(details), request_iterator)


CHANNEL_OPTIONS = (
    # gRPC's default reconnect backoff grows to two minutes: a replica restarted after a failover
    # could stay unreachable long after it is ready. Replicas are few and near; retry often.
    # Not grpc.min_reconnect_backoff_ms: gRPC core also takes it as the minimum connect timeout,
    # and at 100 ms a TLS handshake on a loaded host timed out (bench_rooms' 1,000 watchers).
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 500),
)


def secure_channel(target: str, tls: TlsFiles, *, caller: Caller | None = None) -> grpc.aio.Channel:
    interceptors = [kind(caller) for kind in (_UnaryUnary, _UnaryStream, _StreamUnary, _StreamStream)] if caller else None
    return grpc.aio.secure_channel(target, tls.channel_credentials(), options=CHANNEL_OPTIONS, interceptors=interceptors)
