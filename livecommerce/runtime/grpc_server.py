"""gRPC server start-up shared by every service: TLS, health, reflection, error mapping, tracing.

The interceptor is the only place where domain errors become gRPC status codes, so API modules
raise `DomainError`s and never build a status themselves. That includes requests that do not
decode (bytes that are not protobuf, a string field holding invalid UTF-8): gRPC would answer
UNKNOWN and log a traceback, so the interceptor's deserializer turns them into INVALID_ARGUMENT.
Reflection is served as `grpc.reflection.v1` (what current grpcurl asks for) and `v1alpha`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.message import DecodeError
from google.rpc import code_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection, reflection_pb2

from livecommerce.runtime import telemetry
from livecommerce.runtime.errors import DomainError, FieldViolation, InvalidArgument, from_unexpected, to_status
from livecommerce.runtime.metrics import RpcMetrics
from livecommerce.runtime.tls import TlsFiles
from livecommerce.runtime.wire import bad_utf8_field

log = logging.getLogger(__name__)


DRAIN_SECONDS = 1.0
"""How long a refused client stream is read to its end before the refusal is sent (`_drain`)."""


async def _drain(request_iterator: AsyncIterator, context: grpc.aio.ServicerContext) -> None:
    """Reads and drops what a client stream still sends, until the client closes its side or
    DRAIN_SECONDS pass, before a refusal ends the call. A status sent while a message is still
    on its way makes the sender's write fail, and gRPC's Python client then reports INTERNAL
    instead of the status; the gateway, forwarding a client's messages upstream, would hand the
    client that INTERNAL (a refused DockOrders, ReportViewers or CheckChunks, now and then)."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(DRAIN_SECONDS):
            async for _ in request_iterator:
                pass
            while await context.read() is not grpc.aio.EOF:  # what came after the iterator ended
                pass


def _wrap_unary(
    behavior: Callable, method: str, passthrough: tuple[type[Exception], ...], rpc: RpcMetrics | None = None, *, drain: bool = False
) -> Callable:
    """A unary or client-streaming method (`drain`: the request is a stream, read to its end before a refusal)."""

    async def wrapper(request, context: grpc.aio.ServicerContext):
        started = time.perf_counter()
        code = grpc.StatusCode.OK
        with telemetry.span_from_headers(method, _text_metadata(context), **{"rpc.method": method}) as span:
            try:
                return await behavior(request, context)
            except DomainError as error:
                code = _status_code(error.grpc_code)
                span.set_attribute("rpc.refused", type(error).__name__)
                log.info("refused %s: %s", method, error, extra={"method": method, "code": error.grpc_code})
                if drain:
                    await _drain(request, context)
                await context.abort_with_status(to_status(error))
            except (grpc.aio.AbortError, *passthrough):
                code = context.code() or grpc.StatusCode.UNKNOWN
                raise
            except asyncio.CancelledError:
                code = grpc.StatusCode.CANCELLED
                raise
            except Exception as error:
                code = _status_code(from_unexpected(error).grpc_code)
                if drain:
                    await _drain(request, context)
                await _abort_unexpected(context, error, method)
            finally:
                elapsed = time.perf_counter() - started
                span.set_attribute("rpc.duration_ms", elapsed * 1000)
                if rpc is not None:
                    rpc.observe(method, code, elapsed)

    return wrapper


def _wrap_stream(
    behavior: Callable, method: str, passthrough: tuple[type[Exception], ...], rpc: RpcMetrics | None = None, *, drain: bool = False
) -> Callable:
    """A server-streaming or bidirectional method (`drain`: as in `_wrap_unary`)."""

    async def wrapper(request_or_iterator, context: grpc.aio.ServicerContext):
        started = time.perf_counter()
        code = grpc.StatusCode.OK
        with telemetry.span_from_headers(method, _text_metadata(context), **{"rpc.method": method}):
            try:
                async for response in behavior(request_or_iterator, context):
                    yield response
            except DomainError as error:
                code = _status_code(error.grpc_code)
                if drain:
                    await _drain(request_or_iterator, context)
                await context.abort_with_status(to_status(error))
            except (grpc.aio.AbortError, *passthrough):
                code = context.code() or grpc.StatusCode.UNKNOWN
                raise
            except (asyncio.CancelledError, GeneratorExit):
                code = grpc.StatusCode.CANCELLED  # the client went away (or the server stops)
                raise
            except Exception as error:
                code = _status_code(from_unexpected(error).grpc_code)
                if drain:
                    await _drain(request_or_iterator, context)
                await _abort_unexpected(context, error, method)
            finally:
                if rpc is not None:
                    rpc.observe(method, code, time.perf_counter() - started)

    return wrapper


_STATUS_CODES = {code.value[0]: code for code in grpc.StatusCode}


def _status_code(value: int) -> grpc.StatusCode:
    """google.rpc's numeric code (what DomainError carries) as grpc's StatusCode."""
    return _STATUS_CODES.get(value, grpc.StatusCode.UNKNOWN)


async def _abort_unexpected(context: grpc.aio.ServicerContext, error: Exception, method: str) -> None:
    """UNAVAILABLE for a database or network failure, INTERNAL for anything else; the traceback
    is logged here, once, and never reaches the caller (gRPC's default would send UNKNOWN with
    the exception's text)."""
    status = from_unexpected(error)
    log.log(
        logging.WARNING if status.grpc_code == code_pb2.UNAVAILABLE else logging.ERROR,
        "%s failed: %s", method, status, exc_info=error, extra={"method": method, "code": status.grpc_code},
    )
    await context.abort_with_status(to_status(status))


def _text_metadata(context: grpc.aio.ServicerContext) -> dict[str, str]:
    return {k: v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}


class DomainErrorInterceptor(grpc.aio.ServerInterceptor):
    """Opens a span per call (parented by the caller's traceparent) and maps DomainError to status."""

    def __init__(self, passthrough: tuple[type[Exception], ...] = (), rpc: RpcMetrics | None = None) -> None:
        self._passthrough = passthrough
        self._rpc = rpc
        """Per-RPC rate, codes and latency (issue 17); None where another layer counts (the gateway's admission)."""
        """Exceptions an outer interceptor answers itself (the gateway's admission audits them first)."""
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}
        """method -> (handler, its wrapped handler): gRPC asks on every call, wrap each once."""

    async def intercept_service(self, continuation, handler_call_details):
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(("/grpc.health", "/grpc.reflection")):
            return handler
        cached = self._wrapped.get(method)
        if cached is None or cached[0] is not handler:
            cached = self._wrapped[method] = (handler, self._wrap(handler, method, self._passthrough, self._rpc))
        return cached[1]

    @staticmethod
    def _wrap(
        handler: grpc.RpcMethodHandler, method: str, passthrough: tuple[type[Exception], ...], rpc: RpcMetrics | None
    ) -> grpc.RpcMethodHandler:
        deserializer = _tolerant(handler.request_deserializer)
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                _wrap_unary(_decoded_unary(handler.unary_unary), method, passthrough, rpc), deserializer, handler.response_serializer
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                _wrap_unary(_decoded_stream(handler.stream_unary), method, passthrough, rpc, drain=True), deserializer,
                handler.response_serializer,
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                _wrap_stream(_decoded_unary_stream(handler.unary_stream), method, passthrough, rpc), deserializer, handler.response_serializer
            )
        return grpc.stream_stream_rpc_method_handler(
            _wrap_stream(_decoded_stream(handler.stream_stream), method, passthrough, rpc, drain=True), deserializer,
            handler.response_serializer,
        )


# -- requests that do not decode -------------------------------------------------------------
# gRPC calls the deserializer outside any servicer code: an exception there becomes UNKNOWN
# "Unexpected DecodeError" and a logged traceback. So the deserializer hands on the failure as a
# value, and the behaviour raises it as a DomainError where the interceptor maps every refusal.


class _Undecodable:
    __slots__ = ("error",)

    def __init__(self, error: InvalidArgument) -> None:
        self.error = error


def _tolerant(deserializer: Callable | None) -> Callable | None:
    if deserializer is None:
        return None  # bytes in, bytes out (the gateway): nothing to decode

    message_type = getattr(deserializer, "__self__", None)  # generated code passes `Request.FromString`

    def deserialize(data: bytes):
        try:
            return deserializer(data)
        except DecodeError as error:
            # upb says "Error parsing message with type 'T': String field had bad UTF-8"
            what = str(error).rpartition(": ")[2] or "not a protobuf message"
            field = bad_utf8_field(message_type.DESCRIPTOR, data) if message_type is not None else None
            where = f" in {field}" if field else ""
            refusal = InvalidArgument([FieldViolation(field or "request", f"the request does not decode: {what}{where}")])
            refusal.args = (f"the request is not a valid message of this method: {what}{where}",)
            return _Undecodable(refusal)

    return deserialize


def _decoded_unary(behavior: Callable) -> Callable:
    async def decoded(request, context):
        if isinstance(request, _Undecodable):
            raise request.error
        return await behavior(request, context)

    return decoded


def _decoded_unary_stream(behavior: Callable) -> Callable:
    async def decoded(request, context):
        if isinstance(request, _Undecodable):
            raise request.error
        async for response in behavior(request, context):
            yield response

    return decoded


def _decoded_stream(behavior: Callable) -> Callable:
    async def messages(request_iterator) -> AsyncIterator:
        async for request in request_iterator:
            if isinstance(request, _Undecodable):
                raise request.error
            yield request

    return lambda request_iterator, context: behavior(messages(request_iterator), context)


MAX_MESSAGE_BYTES = 4 * 1024 * 1024
PING_POLICY = (
    # The gateway pings its replicas every second to find a silent one (client.KEEPALIVE_OPTIONS);
    # by default a server answers pings that frequent on an idle connection with GOAWAY.
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.min_ping_interval_without_data_ms", 500),
    ("grpc.http2.max_ping_strikes", 0),
)
REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"


def reflection_v1_file():
    """The `grpc.reflection.v1` proto file, registered in the default pool on first use.

    grpcio-reflection ships only v1alpha; v1 is the same file under a new package (same messages,
    same field numbers), so it is derived from v1alpha rather than vendored.
    """
    pool = descriptor_pool.Default()
    name = "grpc/reflection/v1/reflection.proto"
    try:
        return pool.FindFileByName(name)
    except KeyError:
        pass
    proto = descriptor_pb2.FileDescriptorProto()
    reflection_pb2.DESCRIPTOR.CopyToProto(proto)
    proto.name, proto.package = name, "grpc.reflection.v1"
    proto.ClearField("options")
    old, new = ".grpc.reflection.v1alpha.", ".grpc.reflection.v1."
    for message in proto.message_type:
        for field in message.field:
            if field.HasField("type_name"):
                field.type_name = field.type_name.replace(old, new)
    for method in proto.service[0].method:
        method.input_type, method.output_type = method.input_type.replace(old, new), method.output_type.replace(old, new)
    pool.AddSerializedFile(proto.SerializeToString())
    return pool.FindFileByName(name)


def _serve_reflection(server: grpc.aio.Server, service_names: Sequence[str]) -> None:
    """One reflection servicer answering as v1alpha and as v1 (wire-identical messages)."""
    reflection_v1_file()
    servicer = reflection.aio.ReflectionServicer([*service_names, reflection.SERVICE_NAME, REFLECTION_V1])
    handler = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
    )
    server.add_generic_rpc_handlers(
        [grpc.method_handlers_generic_handler(name, {"ServerReflectionInfo": handler}) for name in (reflection.SERVICE_NAME, REFLECTION_V1)]
    )


@dataclass
class GrpcServer:
    server: grpc.aio.Server
    health: health.aio.HealthServicer
    port: int
    service_names: Sequence[str]
    serving: bool = False
    """What health last said overall: the ops port's /readyz answers the same (issue 17)."""

    async def set_serving(self, serving: bool) -> None:
        self.serving = serving
        status = health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        for name in ("", *self.service_names):
            await self.health.set(name, status)

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Reports NOT_SERVING first so routers move away, then lets in-flight calls finish."""
        self.serving = False
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace_seconds)


async def start_grpc_server(
    *,
    register: Callable[[grpc.aio.Server], None],
    service_names: Sequence[str],
    host: str,
    port: int,
    tls: TlsFiles | None,
    interceptors: Sequence[grpc.aio.ServerInterceptor] = (),
    answered_by_interceptors: tuple[type[Exception], ...] = (),
    rpc_metrics: RpcMetrics | None = None,
) -> GrpcServer:
    """`interceptors` run before the runtime's own, around every method (the gateway's admission);
    exceptions of `answered_by_interceptors` pass through the runtime's error mapping to them;
    `rpc_metrics` counts every call of ours (health and reflection aside) by method and code."""
    server = grpc.aio.server(
        interceptors=[*interceptors, DomainErrorInterceptor(passthrough=answered_by_interceptors, rpc=rpc_metrics)],
        options=[("grpc.max_receive_message_length", MAX_MESSAGE_BYTES), ("grpc.so_reuseport", 0), *PING_POLICY],
    )
    register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    _serve_reflection(server, [*service_names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name])
    address = f"{host}:{port}"
    if tls is None:
        log.warning("serving gRPC WITHOUT TLS on %s (tests of plumbing only)", address)
        bound = server.add_insecure_port(address)
    else:
        bound = server.add_secure_port(address, tls.server_credentials())
    await server.start()
    grpc_server = GrpcServer(server=server, health=health_servicer, port=bound, service_names=service_names)
    await grpc_server.set_serving(True)
    log.info("gRPC listening", extra={"address": f"{host}:{bound}", "tls": tls is not None})
    return grpc_server
