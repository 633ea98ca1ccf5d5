"""Who is calling: the one place a service learns the caller's principal, role and tenant.

Every call arrives over mutual TLS. When the peer is the gateway (its certificate carries the
URI SAN `spiffe://livecommerce/service/gateway`; a common name proves nothing, since a client
certificate's CN is its principal and may read "gateway"), the caller is the identity the gateway
verified and forwarded as `x-lc-*` metadata (it drops any such keys its clients send). Any other peer is identified by its own
certificate (`spiffe://livecommerce/role/...` URI SAN); metadata claiming an identity is then
ignored, so bypassing the gateway never lets a caller choose who it is (PLT-05).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import grpc

from livecommerce.runtime.certificates import is_gateway, parse_identity
from livecommerce.runtime.errors import Unauthenticated

PRINCIPAL_KEY = "x-lc-principal"
ROLE_KEY = "x-lc-role"
TENANT_KEY = "x-lc-tenant"

# The roles of rules.md (Roles); certificates, policy and services all name roles from here.
ROLES = (
    "platform_admin",
    "compliance_officer",
    "merchant",
    "agency",
    "anchor",
    "customer_service",
    "integration",
    "sre",
    "regulator",
    "trading_platform",
)


@dataclass(frozen=True)
class Caller:
    principal: str
    role: str
    tenant: str = ""
    """Merchant, agency, anchor or trading platform id the caller acts for; empty for platform roles."""

    def metadata(self) -> tuple[tuple[str, str], ...]:
        """The metadata that carries this identity on a call (used by trusted callers)."""
        pairs = [(PRINCIPAL_KEY, self.principal), (ROLE_KEY, self.role)]
        if self.tenant:
            pairs.append((TENANT_KEY, self.tenant))
        return tuple(pairs)


def caller_from_metadata(metadata: Iterable[tuple[str, str | bytes]] | None) -> Caller:
    values = {key: value for key, value in (metadata or ()) if isinstance(value, str)}
    principal, role = values.get(PRINCIPAL_KEY, ""), values.get(ROLE_KEY, "")
    if not principal or role not in ROLES:
        raise Unauthenticated("the call carries no verified caller identity (principal and a known role)")
    return Caller(principal=principal, role=role, tenant=values.get(TENANT_KEY, ""))


@functools.lru_cache(maxsize=4096)
def caller_from_certificate(pem: bytes) -> Caller | None:
    """The identity a client certificate proves, or None when it carries no livecommerce identity."""
    try:
        identity = parse_identity(pem)
    except ValueError:
        return None
    if identity.role not in ROLES:
        return None
    return Caller(principal=identity.principal, role=identity.role, tenant=identity.tenant or "")


def peer_certificate(context: grpc.aio.ServicerContext) -> bytes | None:
    """The PEM certificate the peer presented in the TLS handshake."""
    pems = (context.auth_context() or {}).get("x509_pem_cert") or []
    return pems[0] if pems else None


@functools.lru_cache(maxsize=64)
def _is_gateway(pem: bytes) -> bool:
    try:
        return is_gateway(pem)
    except ValueError:
        return False


def caller(context: grpc.aio.ServicerContext) -> Caller:
    pem = peer_certificate(context)
    if pem and _is_gateway(pem):
        return caller_from_metadata(context.invocation_metadata())
    verified = caller_from_certificate(pem) if pem else None
    if verified is None:
        raise Unauthenticated("the peer certificate proves no livecommerce identity (PLT-05)")
    return verified
