"""Who may act on a merchant's records (PLT-04; architecture.md, Gateway), the same in every
service whose records belong to a merchant (products, sessions, …).

The gateway decides which roles may call a method at all (gateway/policy.toml); these rules
decide the rest from the forwarded identity: a merchant acts on its own records (tenant =
merchant id), platform roles and integrations on every one, the system (another service's event,
the clock, the patrol) on every one. Services answer a caller who may not act on a record with
NOT_FOUND, exactly as for an id that does not exist, so a merchant cannot probe for another's.
"""

from __future__ import annotations

from livecommerce.runtime.errors import PermissionDenied
from livecommerce.runtime.identity import Caller

PLATFORM_ROLES = frozenset({"platform_admin", "compliance_officer", "regulator", "customer_service", "integration"})
SYSTEM_ROLE = "system"
"""Acts for another service's event, the clock or the patrol; no certificate can carry it."""


def system_actor(source: str) -> Caller:
    """Who the history names when an event, the clock or the patrol changed a record."""
    return Caller(principal=source, role=SYSTEM_ROLE)


def merchant_of(caller: Caller, action: str) -> str:
    """The merchant a caller acts for when it `action`s: its certificate names it as tenant."""
    if caller.role != "merchant" or not caller.tenant:
        raise PermissionDenied(f"only a merchant (a certificate naming its merchant id as tenant) {action}")
    return caller.tenant


def may_act_on(caller: Caller, merchant_id: str) -> bool:
    if caller.role in PLATFORM_ROLES or caller.role == SYSTEM_ROLE:
        return True
    return caller.role == "merchant" and bool(caller.tenant) and caller.tenant == merchant_id


def listing_scope(caller: Caller, merchant_id: str, what: str) -> str | None:
    """Whose records a listing of `what` shows: a merchant's own always; a platform role's
    choice (None: all)."""
    if caller.role == "merchant":
        return merchant_of(caller, f"lists {what}")
    if caller.role not in PLATFORM_ROLES:
        raise PermissionDenied(f"{caller.role} may not list {what}")
    return merchant_id or None
