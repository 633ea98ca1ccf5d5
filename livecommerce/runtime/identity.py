"""Who is calling: the one place a service learns the caller's principal, role and tenant.

Until the gateway exists, callers (tests, the local CLI) set these metadata keys themselves.
The gateway will strip any such keys a client sends and forward its own, verified from the
client certificate; only this module needs to change then (architecture.md, Gateway).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import grpc

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
)


@dataclass(frozen=True)
class Caller:
    principal: str
    role: str
    tenant: str = ""
    """Merchant, agency or anchor id the caller acts for; empty for platform roles."""

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


def caller(context: grpc.aio.ServicerContext) -> Caller:
    return caller_from_metadata(context.invocation_metadata())
