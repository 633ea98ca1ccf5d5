"""Admission at the gateway (PLT-04, PLT-05): every call that reaches the gateway is authenticated,
authorized and audited here, whatever answers it.

gRPC answers some calls without any handler of ours: a method nobody serves (UNIMPLEMENTED), a
message over the size limit (RESOURCE_EXHAUSTED), and the gateway's own health and reflection,
served by servicers that know nothing of certificates. So admission is a server interceptor
around every method, known or not: it identifies the peer by its certificate (a livecommerce
identity, not revoked, judged against a fresh CRL), applies the role policy, and writes the
outcome, refused or not, with its status and reason, to the hash-chained audit log before the
answer leaves. Requests are received as a stream whatever the method's shape: gRPC never calls a
unary handler for an oversized message, but a streaming one sees it as a message that did not come.
Handlers behind admission raise `Refused` instead of aborting, so their answer is audited first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import grpc
from google.protobuf.message import DecodeError

from gateway.audit import AuditLog, AuditUnavailable
from gateway.metrics import GatewayMetrics
from gateway.policy import ReloadingPolicy
from gateway.resources import resource_of
from gateway.revocation import RevocationList
from livecommerce.runtime.identity import Caller, caller_from_certificate, peer_certificate

log = logging.getLogger(__name__)

ANONYMOUS = Caller(principal="(no livecommerce identity)", role="none")
ALLOW, DENY = "allow", "deny"


class Refused(Exception):
    """A call's non-OK answer, raised (not sent) so that admission audits it before it leaves.
    `decision` is DENY when the gateway refuses, ALLOW when a service it admitted the call to did."""

    def __init__(self, code: grpc.StatusCode, details: str, trailing_metadata=(), *, decision: str = DENY) -> None:
        super().__init__(details)
        self.code, self.details, self.trailing_metadata, self.decision = code, details, tuple(trailing_metadata or ()), decision


def admitted_caller(context: grpc.aio.ServicerContext) -> Caller:
    """The identity admission verified for this call (certificate parsing is cached)."""
    pem = peer_certificate(context)
    caller = caller_from_certificate(pem) if pem else None
    if caller is None:
        raise AssertionError("a call reached a handler without passing admission")
    return caller


class Admission(grpc.aio.ServerInterceptor):
    def __init__(
        self, *, policy: ReloadingPolicy, audit: AuditLog, revocations: RevocationList, metrics: GatewayMetrics | None = None
    ) -> None:
        self._policy, self._audit, self._revocations = policy, audit, revocations
        self._metrics = metrics
        """Every call's service, method, code and latency, and the audit log's writes (issue 17)."""
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}
        """method -> (handler, its admitted handler): gRPC asks on every call, wrap each once."""

    async def intercept_service(self, continuation, details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        if handler is None:  # not cached: clients choose these names
            return self._admitted(details.method, None)
        cached = self._wrapped.get(details.method)
        if cached is None or cached[0] is not handler:
            cached = self._wrapped[details.method] = (handler, self._admitted(details.method, handler))
        return cached[1]

    def _admitted(self, method: str, handler: grpc.RpcMethodHandler | None) -> grpc.RpcMethodHandler:
        unary_request = handler is None or not handler.request_streaming
        behavior = handler and (handler.unary_unary or handler.unary_stream or handler.stream_unary or handler.stream_stream)
        deserialize = handler.request_deserializer if handler else None

        async def admit(requests: AsyncIterator[bytes], context) -> tuple[object, Caller, str, float]:
            started = time.perf_counter()
            pem = peer_certificate(context)
            caller = (caller_from_certificate(pem) if pem else None) or ANONYMOUS
            request: Any = requests
            resource = ""
            try:
                if unary_request:
                    request = await anext(aiter(requests), None)
                    if request is None:
                        gone = grpc.StatusCode.CANCELLED if context.cancelled() else grpc.StatusCode.RESOURCE_EXHAUSTED
                        raise Refused(gone, "no request message arrived (larger than the gateway accepts, or the call was cancelled)")
                    resource = resource_of(method, request)
                self._authenticate(pem, caller)
                if behavior is None:
                    raise Refused(grpc.StatusCode.UNIMPLEMENTED, f"the gateway serves no method {method}")
                if not self._policy.current().decide(method, caller.role):
                    raise Refused(grpc.StatusCode.PERMISSION_DENIED, f"role {caller.role} may not call {method} (PLT-04)")
                if deserialize is not None:
                    request = _decoded(deserialize, request) if unary_request else _each_decoded(deserialize, request)
            except Refused as refused:
                await self._refuse(context, method, caller, resource, refused, started)
            except asyncio.CancelledError:
                self._record_gone(context, method, caller, resource, started)
                raise
            return request, caller, resource, started

        if handler is not None and handler.response_streaming:

            async def stream_out(requests, context) -> AsyncIterator:
                request, caller, resource, started = await admit(requests, context)
                assert behavior is not None  # admit() refused the call otherwise
                try:
                    async for response in behavior(request, context):
                        yield response
                except asyncio.CancelledError:
                    self._record_gone(context, method, caller, resource, started)
                    raise
                except Exception as error:
                    await self._failed(context, method, caller, resource, error, started)
                await self._record(context, method, caller, resource, ALLOW, grpc.StatusCode.OK, started)

            return grpc.stream_stream_rpc_method_handler(stream_out, None, handler.response_serializer)

        async def unary_out(requests, context):
            request, caller, resource, started = await admit(requests, context)
            assert behavior is not None  # admit() refused the call otherwise
            try:
                response = await behavior(request, context)
            except asyncio.CancelledError:
                self._record_gone(context, method, caller, resource, started)
                raise
            except Exception as error:
                await self._failed(context, method, caller, resource, error, started)
            await self._record(context, method, caller, resource, ALLOW, grpc.StatusCode.OK, started)
            return response

        return grpc.stream_unary_rpc_method_handler(unary_out, None, handler.response_serializer if handler else None)

    def _authenticate(self, pem: bytes | None, caller: Caller) -> None:
        if caller is ANONYMOUS or pem is None:
            raise Refused(grpc.StatusCode.UNAUTHENTICATED, "the client certificate carries no livecommerce identity (PLT-05)")
        refusal = self._revocations.refusal(pem)
        if refusal is not None:
            raise Refused(refusal.code, refusal.message)

    async def _failed(self, context, method: str, caller: Caller, resource: str, error: Exception, started: float):
        """The handler's failure, audited: a Refused answer is sent after its entry is written; an
        abort inside a servicer not ours (health's NOT_FOUND) has already been sent; a bug is UNKNOWN."""
        if isinstance(error, Refused):
            await self._refuse(context, method, caller, resource, error, started)
        code = context.code() if isinstance(error, grpc.aio.AbortError) else None
        await self._record(context, method, caller, resource, ALLOW, code or grpc.StatusCode.UNKNOWN, started, reason=str(error))
        raise error

    async def _refuse(self, context, method: str, caller: Caller, resource: str, refused: Refused, started: float):
        await self._record(context, method, caller, resource, refused.decision, refused.code, started, reason=refused.details)
        await context.abort(refused.code, refused.details, refused.trailing_metadata)

    def _record_gone(self, context, method: str, caller: Caller, resource: str, started: float) -> None:
        """A call the client gave up on, its deadline passed or cancelled: gRPC cancels the handler
        and answers for it, but the call may have reached the service and committed, so its entry
        is written all the same (nothing is left to refuse if the log cannot take it)."""
        remaining = context.time_remaining()
        code = grpc.StatusCode.DEADLINE_EXCEEDED if remaining is not None and remaining <= 0 else grpc.StatusCode.CANCELLED
        reason = "the client's deadline passed" if code is grpc.StatusCode.DEADLINE_EXCEEDED else "the client cancelled the call"
        try:
            self._audit.record(self._entry(method, caller, resource, ALLOW, code, started, reason))
        except AuditUnavailable as error:
            log.error("could not record %s, which ended %s: %s", method, code.name, error)
        if self._metrics is not None:
            self._metrics.call(method, code, time.perf_counter() - started, refused_here=False)

    @staticmethod
    def _entry(method: str, caller: Caller, resource: str, decision: str, code: grpc.StatusCode, started: float, reason: str) -> dict:
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="microseconds"),
            "principal": caller.principal,
            "role": caller.role,
            "tenant": caller.tenant,
            "method": method,
            "decision": decision,
            "code": code.name,
            "latency_ms": round((time.perf_counter() - started) * 1000, 3),
        }
        if resource:
            entry["resource"] = resource
        if reason:
            entry["reason"] = reason
        return entry

    async def _record(
        self, context, method: str, caller: Caller, resource: str, decision: str, code: grpc.StatusCode, started: float, *, reason: str = ""
    ) -> None:
        """Records the call before its answer leaves; a call that cannot be recorded is refused."""
        entry = self._entry(method, caller, resource, decision, code, started, reason)
        metrics, writing = self._metrics, time.perf_counter()
        try:
            self._audit.record(entry)
        except AuditUnavailable as error:
            log.error("refusing %s: %s", method, error)
            if metrics is not None:
                metrics.audit_refusals.inc()
                metrics.call(method, grpc.StatusCode.UNAVAILABLE, time.perf_counter() - started, refused_here=True)
            await context.abort(grpc.StatusCode.UNAVAILABLE, "the audit log cannot record this call; retry later (PLT-05)")
        if metrics is not None:
            done = time.perf_counter()
            metrics.audit_write.observe(done - writing)
            metrics.call(method, code, done - started, refused_here=decision == DENY)


def _decoded(deserialize: Callable, request: bytes):
    try:
        return deserialize(request)
    except DecodeError as error:
        raise Refused(grpc.StatusCode.INVALID_ARGUMENT, f"the request does not decode: {error}") from None


async def _each_decoded(deserialize: Callable, requests: AsyncIterator[bytes]) -> AsyncIterator:
    async for request in requests:
        yield _decoded(deserialize, request)
