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


KEEPALIVE_OPTIONS = (
    # A SIGSTOPped (or wedged, or cut off) replica keeps its connections open and says nothing, so
    # a call or a health stream to it would wait for the caller's whole deadline. HTTP/2 pings are
    # answered by gRPC's core, not by the servicer: one unanswered for 2 s breaks the connection,
    # and everything on it fails UNAVAILABLE at once. A replica paused that long has lost its
    # lease anyway (2 s by default). The servers allow pings this often (grpc_server.py).
    ("grpc.keepalive_time_ms", 1000),
    ("grpc.keepalive_timeout_ms", 2000),
    # gRPC core (1.57+) waits for a ping's ack this long, whatever keepalive_timeout says (default
    # one minute); without it a SIGSTOPped peer held a call to its deadline (grpcio 1.85).
    ("grpc.http2.ping_timeout_ms", 2000),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.max_pings_without_data", 0),
)


def secure_channel(target: str, tls: TlsFiles, *, caller: Caller | None = None, keepalive: bool = False) -> grpc.aio.Channel:
    """`keepalive`: pings find a silent peer (`KEEPALIVE_OPTIONS`); for long-lived channels to
    replicas, such as the gateway's."""
    interceptors = [kind(caller) for kind in (_UnaryUnary, _UnaryStream, _StreamUnary, _StreamStream)] if caller else None
    options = CHANNEL_OPTIONS + KEEPALIVE_OPTIONS if keepalive else CHANNEL_OPTIONS
    return grpc.aio.secure_channel(target, tls.channel_credentials(), options=options, interceptors=interceptors)
