"""gRPC server start-up shared by every service: TLS, health, reflection, error mapping, tracing.

The interceptor is the only place where domain errors become gRPC status codes, so API modules
raise `DomainError`s and never build a status themselves.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import grpc
from google.rpc import code_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from livecommerce.runtime import telemetry
from livecommerce.runtime.errors import DomainError, from_unexpected, to_status
from livecommerce.runtime.tls import TlsFiles

log = logging.getLogger(__name__)


def _wrap_unary(behavior: Callable, method: str) -> Callable:
    async def wrapper(request, context: grpc.aio.ServicerContext):
        started = time.perf_counter()
        with telemetry.span_from_headers(method, _text_metadata(context), **{"rpc.method": method}) as span:
            try:
                return await behavior(request, context)
            except DomainError as error:
                span.set_attribute("rpc.refused", type(error).__name__)
                log.info("refused %s: %s", method, error, extra={"method": method, "code": error.grpc_code})
                await context.abort_with_status(to_status(error))
            except grpc.aio.AbortError:
                raise
            except Exception as error:
                await _abort_unexpected(context, error, method)
            finally:
                span.set_attribute("rpc.duration_ms", (time.perf_counter() - started) * 1000)

    return wrapper


def _wrap_stream(behavior: Callable, method: str) -> Callable:
    async def wrapper(request_or_iterator, context: grpc.aio.ServicerContext):
        with telemetry.span_from_headers(method, _text_metadata(context), **{"rpc.method": method}):
            try:
                async for response in behavior(request_or_iterator, context):
                    yield response
            except DomainError as error:
                await context.abort_with_status(to_status(error))
            except grpc.aio.AbortError:
                raise
            except Exception as error:
                await _abort_unexpected(context, error, method)

    return wrapper


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

    def __init__(self) -> None:
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}
        """method -> (handler, its wrapped handler): gRPC asks on every call, wrap each once."""

    async def intercept_service(self, continuation, handler_call_details):
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(("/grpc.health", "/grpc.reflection")):
            return handler
        cached = self._wrapped.get(method)
        if cached is None or cached[0] is not handler:
            cached = self._wrapped[method] = (handler, self._wrap(handler, method))
        return cached[1]

    @staticmethod
    def _wrap(handler: grpc.RpcMethodHandler, method: str) -> grpc.RpcMethodHandler:
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                _wrap_unary(handler.unary_unary, method), handler.request_deserializer, handler.response_serializer
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                _wrap_unary(handler.stream_unary, method), handler.request_deserializer, handler.response_serializer
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                _wrap_stream(handler.unary_stream, method), handler.request_deserializer, handler.response_serializer
            )
        return grpc.stream_stream_rpc_method_handler(
            _wrap_stream(handler.stream_stream, method), handler.request_deserializer, handler.response_serializer
        )


@dataclass
class GrpcServer:
    server: grpc.aio.Server
    health: health.aio.HealthServicer
    port: int
    service_names: Sequence[str]

    async def set_serving(self, serving: bool) -> None:
        status = health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        for name in ("", *self.service_names):
            await self.health.set(name, status)

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Reports NOT_SERVING first so routers move away, then lets in-flight calls finish."""
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace_seconds)


async def start_grpc_server(
    *,
    register: Callable[[grpc.aio.Server], None],
    service_names: Sequence[str],
    host: str,
    port: int,
    tls: TlsFiles | None,
) -> GrpcServer:
    server = grpc.aio.server(
        interceptors=[DomainErrorInterceptor()],
        options=[("grpc.max_receive_message_length", 4 * 1024 * 1024), ("grpc.so_reuseport", 0)],
    )
    register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [*service_names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME], server
    )
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
