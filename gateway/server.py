"""The gateway (PLT-04, PLT-05): authenticate by certificate, authorize by policy, audit, forward bytes.

Clients reach it over mutual TLS with a certificate from the platform CA (no certificate, another
CA's or an expired one fails the handshake). Identity comes from the certificate alone: any
`x-lc-*` metadata a client sends is dropped and the verified identity is forwarded instead.
Payloads pass through as bytes; deadlines and cancellation follow the call upstream.
Every call, allowed or denied, is audited before its answer leaves (gateway/audit.py).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.audit import AuditLog, AuditUnavailable
from gateway.policy import ReloadingPolicy
from gateway.resources import resource_of
from gateway.revocation import RevocationList
from livecommerce.runtime import contracts
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.identity import Caller, caller_from_certificate, peer_certificate
from livecommerce.runtime.tls import TlsFiles

log = logging.getLogger(__name__)

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


def forwarded_metadata(incoming, caller: Caller) -> tuple[tuple[str, str | bytes], ...]:
    """The client's metadata minus anything claiming identity, plus the verified identity."""
    kept = tuple((k, v) for k, v in (incoming or ()) if not k.startswith(IDENTITY_PREFIX) and not k.startswith(":"))
    return kept + caller.metadata()


class Replicas:
    """The replicas of one service and which of them is active, from their health (PLT-03).

    The gateway keeps a health `Watch` stream open to each replica: a replica reports SERVING the
    moment it takes the lease, and a killed replica's stream breaks at once, so routing follows a
    failover without waiting for a poll. The latest replica to report SERVING is the active one
    (a paused ex-leader's stream goes silent rather than saying NOT_SERVING). While none is
    active, callers wait for one. A call that finds a replica not active makes the gateway ask
    every replica once (`Check`): a stream only speaks on a change, and the replica may still be
    the active one after all (a transient refusal).
    """

    def __init__(self, targets: Sequence[str], tls: TlsFiles, *, reconnect: float = 0.05) -> None:
        self.channels = {target: secure_channel(target, tls) for target in targets}
        self._reconnect = reconnect
        self.active: str | None = None
        self._changed = asyncio.Event()
        self._watchers = [asyncio.create_task(self._watch(t), name=f"health {t}") for t in targets]
        self._recheck: asyncio.Task | None = None

    async def _watch(self, target: str) -> None:
        stub = health_pb2_grpc.HealthStub(self.channels[target])
        while True:
            try:
                async for reply in stub.Watch(health_pb2.HealthCheckRequest(), wait_for_ready=True):
                    self._report(target, serving=reply.status == health_pb2.HealthCheckResponse.SERVING)
            except grpc.aio.AioRpcError:
                pass
            self._report(target, serving=False)  # the stream ended: the replica is gone or going
            await asyncio.sleep(self._reconnect)

    def _report(self, target: str, *, serving: bool) -> None:
        if serving and self.active != target:
            self.active = target
            self._changed.set()
        elif not serving and self.active == target:
            self.active = None

    async def channel(self, within: float) -> grpc.aio.Channel | None:
        """The active replica's channel, waiting up to `within` seconds for one to appear."""
        if self.active is not None:  # the usual case: no timer to arm
            return self.channels[self.active]
        try:
            async with asyncio.timeout(within):
                while self.active is None:
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            return None
        return self.channels[self.active]

    def forget(self, channel: grpc.aio.Channel) -> None:
        """A call found this replica not active: stop routing there until its health says so."""
        if self.active is not None and self.channels[self.active] is channel:
            self.active = None
            if self._recheck is None or self._recheck.done():
                self._recheck = asyncio.create_task(self._check_all(), name="health recheck")

    async def _check_all(self) -> None:
        async def check(target: str) -> None:
            try:
                reply = await health_pb2_grpc.HealthStub(self.channels[target]).Check(health_pb2.HealthCheckRequest(), timeout=0.5)
            except grpc.aio.AioRpcError:
                return  # unreachable: its Watch stream reports when it is back
            self._report(target, serving=reply.status == health_pb2.HealthCheckResponse.SERVING)

        await asyncio.gather(*(check(target) for target in self.channels))

    async def close(self) -> None:
        tasks = [*self._watchers, *([self._recheck] if self._recheck else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for channel in self.channels.values():
            await channel.close()


class Gateway:
    def __init__(
        self,
        *,
        upstreams: Mapping[str, Sequence[str]],
        tls: TlsFiles,
        policy: ReloadingPolicy,
        audit: AuditLog,
        revocations: RevocationList,
        failover_wait: float = 3.0,
    ) -> None:
        self._policy, self._audit, self._revocations = policy, audit, revocations
        self._failover_wait = failover_wait
        self._services = {name: Replicas(targets, tls) for name, targets in upstreams.items()}
        self._handlers: dict[str, grpc.RpcMethodHandler] = {}

    async def close(self) -> None:
        for replicas in self._services.values():
            await replicas.close()

    def handler(self) -> grpc.GenericRpcHandler:
        gateway = self

        class Forward(grpc.GenericRpcHandler):
            def service(self, details: grpc.HandlerCallDetails):
                route = routes().get(details.method)
                if route is None or route.service not in gateway._services:
                    return None  # UNIMPLEMENTED: nothing of ours answers there
                handler = gateway._handlers.get(route.method)
                if handler is None:  # built once per method: gRPC asks on every call
                    handler = gateway._handlers[route.method] = gateway._method_handler(route)
                return handler

        return Forward()

    async def _upstream(self, route: Route, context) -> grpc.aio.Channel:
        channel = await self._services[route.service].channel(within=min(self._failover_wait, context.time_remaining() or self._failover_wait))
        if channel is None:
            await context.abort(grpc.StatusCode.UNAVAILABLE, f"no active replica of {route.service} (PLT-03); retry later")
        return channel

    def _method_handler(self, route: Route) -> grpc.RpcMethodHandler:
        replicas = self._services[route.service]
        if not route.client_streaming and not route.server_streaming:

            async def unary(request: bytes, context) -> bytes:
                started, resource = time.perf_counter(), resource_of(route.method, request)
                caller = await self._admit(route, context, resource, started)
                metadata = forwarded_metadata(context.invocation_metadata(), caller)
                for attempt in (1, 2):
                    channel = await self._upstream(route, context)
                    try:
                        response = await channel.unary_unary(route.method)(request, metadata=metadata, timeout=context.time_remaining())
                        break
                    except grpc.aio.AioRpcError as error:
                        # UNAVAILABLE: the replica was no longer active (its fenced write did not
                        # commit) or was gone (the call never arrived); once more on the new active
                        # replica is safe, and writes are idempotent by request_id besides.
                        if error.code() == grpc.StatusCode.UNAVAILABLE and attempt == 1:
                            replicas.forget(channel)
                            continue
                        await self._audit_call(context, route, caller, resource, "allow", error.code(), started)
                        await context.abort(error.code(), error.details(), tuple(error.trailing_metadata() or ()))
                await self._audit_call(context, route, caller, resource, "allow", grpc.StatusCode.OK, started)
                return response

            return grpc.unary_unary_rpc_method_handler(unary)

        async def streaming(request_or_iterator, context) -> AsyncIterator[bytes] | bytes:
            started = time.perf_counter()
            resource = "" if route.client_streaming else resource_of(route.method, request_or_iterator)
            caller = await self._admit(route, context, resource, started)
            channel = await self._upstream(route, context)
            factory: Callable = {
                (False, True): channel.unary_stream,
                (True, False): channel.stream_unary,
                (True, True): channel.stream_stream,
            }[(route.client_streaming, route.server_streaming)]
            call = factory(route.method)(request_or_iterator, metadata=forwarded_metadata(context.invocation_metadata(), caller), timeout=context.time_remaining())
            try:
                if route.server_streaming:
                    async for response in call:
                        yield response
                else:
                    yield await call
            except grpc.aio.AioRpcError as error:
                await self._audit_call(context, route, caller, resource, "allow", error.code(), started)
                await context.abort(error.code(), error.details(), tuple(error.trailing_metadata() or ()))
            await self._audit_call(context, route, caller, resource, "allow", grpc.StatusCode.OK, started)

        if route.server_streaming:
            builder = grpc.stream_stream_rpc_method_handler if route.client_streaming else grpc.unary_stream_rpc_method_handler
            return builder(streaming)

        async def stream_unary(request_iterator, context) -> bytes:
            async for response in streaming(request_iterator, context):
                return response
            raise AssertionError("unreachable")

        return grpc.stream_unary_rpc_method_handler(stream_unary)

    async def _admit(self, route: Route, context, resource: str, started: float) -> Caller:
        """Authenticate (certificate identity) and authorize (policy); refusals are audited too."""
        pem = peer_certificate(context)
        caller = caller_from_certificate(pem) if pem else None
        if caller is None:
            anonymous = Caller(principal="(no livecommerce identity)", role="none")
            await self._audit_call(context, route, anonymous, resource, "deny", grpc.StatusCode.UNAUTHENTICATED, started)
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, "the client certificate carries no livecommerce identity (PLT-05)")
        if self._revocations.is_revoked(pem):
            await self._audit_call(context, route, caller, resource, "deny", grpc.StatusCode.UNAUTHENTICATED, started)
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, "the client certificate is revoked (PLT-05)")
        if not self._policy.refresh().decide(route.method, caller.role):
            await self._audit_call(context, route, caller, resource, "deny", grpc.StatusCode.PERMISSION_DENIED, started)
            await context.abort(grpc.StatusCode.PERMISSION_DENIED, f"role {caller.role} may not call {route.method} (PLT-04)")
        return caller

    async def _audit_call(
        self, context, route: Route, caller: Caller, resource: str, decision: str, code: grpc.StatusCode, started: float
    ) -> None:
        """Records the call before its answer leaves; a call that cannot be recorded is refused."""
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="microseconds"),
            "principal": caller.principal,
            "role": caller.role,
            "tenant": caller.tenant,
            "method": route.method,
            "decision": decision,
            "code": code.name,
            "latency_ms": round((time.perf_counter() - started) * 1000, 3),
        }
        if resource:
            entry["resource"] = resource
        try:
            self._audit.record(entry)
        except AuditUnavailable as error:
            log.error("refusing %s: %s", route.method, error)
            await context.abort(grpc.StatusCode.UNAVAILABLE, "the audit log cannot record this call; retry later (PLT-05)")



async def start_gateway(
    *,
    upstreams: Mapping[str, Sequence[str]],
    tls: TlsFiles,
    policy: ReloadingPolicy,
    audit: AuditLog,
    revocations: RevocationList,
    host: str = "127.0.0.1",
    port: int = 0,
):
    """Serves the gateway with the runtime's server start-up (TLS, health, reflection of every API)."""
    from livecommerce.runtime.grpc_server import start_grpc_server

    gateway = Gateway(upstreams=upstreams, tls=tls, policy=policy, audit=audit, revocations=revocations)
    services = sorted({route.method.split("/")[1] for route in routes().values()})
    server = await start_grpc_server(
        register=lambda s: s.add_generic_rpc_handlers([gateway.handler()]),
        service_names=services,
        host=host,
        port=port,
        tls=tls,
    )
    return gateway, server
