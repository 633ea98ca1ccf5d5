"""The gateway (PLT-04, PLT-05): authenticate by certificate, authorize by policy, audit, forward bytes.

Clients reach it over mutual TLS with a certificate from the platform CA (no certificate, another
CA's or an expired one fails the handshake). Admission (gateway/admission.py) stands in front of
everything the gateway serves: identity from the certificate alone, revocation, policy, and an
audit entry for every call before its answer leaves. Behind it this module forwards: any
`x-lc-*` metadata a client sends is dropped and the verified identity is forwarded instead;
payloads pass through as bytes; deadlines and cancellation follow the call upstream.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

import grpc

from gateway.admission import ALLOW, Admission, Refused, admitted_caller
from gateway.audit import AuditLog
from gateway.metrics import GatewayMetrics
from gateway.policy import ReloadingPolicy
from gateway.replicas import Replicas
from gateway.resources import retry_is_safe
from gateway.revocation import RevocationList
from livecommerce.runtime import contracts
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.metrics import Metrics
from livecommerce.runtime.metrics_http import OpsServer, start_ops_server
from livecommerce.runtime.tls import TlsFiles

IDENTITY_PREFIX = "x-lc-"
"""Metadata keys under this prefix carry identity (livecommerce/runtime/identity.py): only the gateway sets them."""


@dataclass(frozen=True)
class Route:
    method: str
    """"/package.Service/Method", as gRPC names it on the wire."""
    service: str
    """Short name of the owning service ("anchor"), the key of its upstream address."""
    client_streaming: bool
    server_streaming: bool


@functools.cache
def routes() -> Mapping[str, Route]:
    """Every RPC of the suite, from the generated descriptors: the gateway needs each method's
    shape (streaming or not) to forward it, never its message types."""
    table = {}
    for service in contracts.services():
        short = service.full_name.split(".")[1]
        for method in service.methods:
            path = f"/{service.full_name}/{method.name}"
            table[path] = Route(path, short, method.client_streaming, method.server_streaming)
    return table


async def _unless_moved(call: grpc.aio.UnaryUnaryCall, moved: Awaitable[None]) -> bytes | None:
    """The call's answer (bytes: the gateway forwards them undecoded), or None, the call
    cancelled, when the active replica changes first."""
    answer, elsewhere = asyncio.ensure_future(call), asyncio.ensure_future(moved)
    # the call may fail after nobody waits for it any more (the client gave up): not an error to log
    answer.add_done_callback(lambda done: done.cancelled() or done.exception())
    try:
        await asyncio.wait((answer, elsewhere), return_when=asyncio.FIRST_COMPLETED)
        if answer.done():
            return answer.result()
        call.cancel()
        return None
    finally:
        elsewhere.cancel()
        if not answer.done():
            answer.cancel()


def forwarded_metadata(incoming, caller: Caller) -> tuple[tuple[str, str | bytes], ...]:
    """The client's metadata minus anything claiming identity, plus the verified identity."""
    kept = tuple((k, v) for k, v in (incoming or ()) if not k.startswith(IDENTITY_PREFIX) and not k.startswith(":"))
    return kept + caller.metadata()


def _upstream_refusal(error: grpc.aio.AioRpcError) -> Refused:
    """The service's answer, status and rich details unchanged, audited as an admitted call."""
    return Refused(error.code(), error.details() or "", error.trailing_metadata(), decision=ALLOW)


class Gateway:
    """Forwards admitted calls to the active replica of their service."""

    def __init__(self, *, upstreams: Mapping[str, Sequence[str]], tls: TlsFiles, failover_wait: float = 3.0) -> None:
        self._failover_wait = failover_wait
        self._services = {name: Replicas(targets, tls) for name, targets in upstreams.items()}
        self._handlers: dict[str, grpc.RpcMethodHandler] = {}
        self.metrics: Metrics | None = None
        self.ops: OpsServer | None = None
        """The ops port (/metrics, /livez, /readyz), set by start_gateway."""

    def routes_to(self, service: str) -> str | None:
        """The replica `service`'s calls go to now (its address); None while none is active."""
        return self._services[service].active

    async def close(self) -> None:
        for replicas in self._services.values():
            await replicas.close()
        if self.ops is not None:
            await self.ops.stop()

    def handler(self) -> grpc.GenericRpcHandler:
        gateway = self

        class Forward(grpc.GenericRpcHandler):
            def service(self, details: grpc.HandlerCallDetails):
                route = routes().get(details.method)
                if route is None or route.service not in gateway._services:
                    return None  # UNIMPLEMENTED (admission audits it): nothing of ours answers there
                handler = gateway._handlers.get(route.method)
                if handler is None:  # built once per method: gRPC asks on every call
                    handler = gateway._handlers[route.method] = gateway._method_handler(route)
                return handler

        return Forward()

    async def _upstream(self, route: Route, context) -> grpc.aio.Channel:
        channel = await self._services[route.service].channel(within=min(self._failover_wait, context.time_remaining() or self._failover_wait))
        if channel is None:
            raise Refused(grpc.StatusCode.UNAVAILABLE, f"no active replica of {route.service} (PLT-03); retry later", decision=ALLOW)
        return channel

    def _method_handler(self, route: Route) -> grpc.RpcMethodHandler:
        replicas = self._services[route.service]
        if not route.client_streaming and not route.server_streaming:

            async def unary(request: bytes, context) -> bytes:
                metadata = forwarded_metadata(context.invocation_metadata(), admitted_caller(context))
                # Once more on the new active replica, but only when a repeat is harmless: a read,
                # or a write the service dedupes by its request_id.
                safe = retry_is_safe(route.method, request)
                for attempt in (1, 2):
                    channel = await self._upstream(route, context)
                    call = channel.unary_unary(route.method)(request, metadata=metadata, timeout=context.time_remaining())
                    try:
                        if attempt == 2 or not safe:
                            return await call
                        answer = await _unless_moved(call, replicas.moved_from(channel))
                        if isinstance(answer, bytes):
                            return answer
                        # The replica lost the lease under the call (paused, its successor serving):
                        # whatever it was doing cannot commit now (fencing), so ask the new one.
                    except grpc.aio.AioRpcError as error:
                        if error.code() != grpc.StatusCode.UNAVAILABLE:
                            raise _upstream_refusal(error) from None
                        # The replica was no longer active (its fenced write did not commit) or was gone.
                        replicas.forget(channel)
                        if attempt == 2 or not safe:
                            raise _upstream_refusal(error) from None
                raise AssertionError("unreachable")

            return grpc.unary_unary_rpc_method_handler(unary)

        async def streaming(request_or_iterator, context) -> AsyncIterator[bytes]:
            channel = await self._upstream(route, context)
            factory: Callable = {
                (False, True): channel.unary_stream,
                (True, False): channel.stream_unary,
                (True, True): channel.stream_stream,
            }[(route.client_streaming, route.server_streaming)]
            metadata = forwarded_metadata(context.invocation_metadata(), admitted_caller(context))
            call = factory(route.method)(request_or_iterator, metadata=metadata, timeout=context.time_remaining())
            # A stream is never repeated (its messages are consumed), but one left on a replica that
            # lost the lease (paused: it answers nothing) would hang until the client's deadline; it
            # ends UNAVAILABLE the moment the successor leads, so the client resends at once.
            moved = asyncio.ensure_future(replicas.moved_from(channel))
            moved.add_done_callback(lambda done: done.cancelled() or call.cancel())
            try:
                if route.server_streaming:
                    async for response in call:
                        yield response
                else:
                    yield await call
            except (grpc.aio.AioRpcError, asyncio.CancelledError) as error:
                if moved.done() and not moved.cancelled():
                    raise Refused(
                        grpc.StatusCode.UNAVAILABLE,
                        f"the active replica of {route.service} changed under this stream (PLT-03); resend what was not acknowledged",
                        decision=ALLOW,
                    ) from None
                if isinstance(error, asyncio.CancelledError):
                    raise  # the client went away
                raise _upstream_refusal(error) from None
            finally:
                moved.cancel()

        if route.server_streaming:
            builder = grpc.stream_stream_rpc_method_handler if route.client_streaming else grpc.unary_stream_rpc_method_handler
            return builder(streaming)

        async def stream_unary(request_iterator, context) -> bytes:
            async for response in streaming(request_iterator, context):
                return response
            raise AssertionError("unreachable")

        return grpc.stream_unary_rpc_method_handler(stream_unary)


async def start_gateway(
    *,
    upstreams: Mapping[str, Sequence[str]],
    tls: TlsFiles,
    policy: ReloadingPolicy,
    audit: AuditLog,
    revocations: RevocationList,
    host: str = "127.0.0.1",
    port: int = 0,
    metrics_host: str = "127.0.0.1",
    metrics_port: int = 0,
):
    """Serves the gateway with the runtime's server start-up (TLS, health, reflection of every
    API), admission standing in front of all of it, and its ops port (`gateway.ops`)."""
    from livecommerce.runtime.grpc_server import start_grpc_server

    gateway = Gateway(upstreams=upstreams, tls=tls)
    metrics = gateway.metrics = Metrics("gateway")
    metrics.watch_certificates(tls)
    gateway_metrics = GatewayMetrics(metrics, lambda method: route.service if (route := routes().get(method)) else None)
    gateway_metrics.watch_revocations(revocations)
    services = sorted({route.method.split("/")[1] for route in routes().values()})
    server = await start_grpc_server(
        register=lambda s: s.add_generic_rpc_handlers([gateway.handler()]),
        service_names=services,
        host=host,
        port=port,
        tls=tls,
        interceptors=[Admission(policy=policy, audit=audit, revocations=revocations, metrics=gateway_metrics)],
        answered_by_interceptors=(Refused,),
    )
    # Ready while it serves: admission and forwarding need no leader (each call waits for one).
    try:
        gateway.ops = await start_ops_server(metrics, ready=lambda: server.serving, host=metrics_host, port=metrics_port)
    except BaseException:
        await server.stop(0)
        await gateway.close()
        raise
    return gateway, server
