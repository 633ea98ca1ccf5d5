"""An order docked again, pure: what a resent order is against the one already docked (TRD-01).

A platform resends an order when it was not acknowledged (the same order: a duplicate) and when
its status moved on (paid -> shipped -> completed, a refund: an update, kept in the order's
history). Its content (session, product, merchant, amount, currency, quantity, placement) never
changes: a different content is a conflict and the docked order stays. A status that goes back
(completed -> paid, a refund shrinking) is refused for that order alone, naming the rule.
"""

from __future__ import annotations

import enum
from dataclasses import fields

from services.trade.domain import RULE, Order, Status

CONTENT = ("session_id", "product_id", "merchant_id", "amount_fen", "currency", "quantity", "placed_at")
"""What an order is: fixed once docked."""
PROGRESS = ("status", "paid_at", "shipped_at", "completed_at", "refunded_fen", "refunded_at")
"""Where an order stands: moves forward only."""

_RANK = {Status.PLACED: 0, Status.PAID: 1, Status.SHIPPED: 2, Status.COMPLETED: 3, Status.REFUNDED: 4}
_CANCELLABLE = frozenset({Status.PLACED, Status.PAID})
"""An order is cancelled before it ships; once shipped, money goes back as a refund."""

assert set(CONTENT) | set(PROGRESS) | {"external_order_id"} == {f.name for f in fields(Order)}


class Resent(enum.Enum):
    DUPLICATE = "duplicate"
    UPDATED = "updated"
    CONFLICT = "conflict"
    BACKWARD = "backward"


def resent(docked: Order, again: Order) -> Resent:
    """What `again` (valid on its own, same platform and external id) is to `docked`."""
    if any(getattr(docked, name) != getattr(again, name) for name in CONTENT):
        return Resent.CONFLICT
    if all(getattr(docked, name) == getattr(again, name) for name in PROGRESS):
        return Resent.DUPLICATE
    if (docked.status, docked.refunded_fen) == (again.status, again.refunded_fen):
        return Resent.CONFLICT  # the same standing told with other moments
    if not forward(docked, again):
        return Resent.BACKWARD
    # A moment already reported stays what it was: a different one is another story of the order.
    for name in ("paid_at", "shipped_at", "completed_at"):
        if getattr(docked, name) is not None and getattr(docked, name) != getattr(again, name):
            return Resent.CONFLICT
    return Resent.UPDATED


def forward(docked: Order, again: Order) -> bool:
    """TRD-01: whether `again`'s status follows `docked`'s (a further refund counts too)."""
    old, new = docked.status, again.status
    if old == new == Status.REFUNDED:
        return again.refunded_fen > docked.refunded_fen
    if old == Status.CANCELLED:
        return False
    if new == Status.CANCELLED:
        return old in _CANCELLABLE
    assert old is not None and new is not None
    return _RANK[new] > _RANK[old]


def backward_refusal(docked: Order, again: Order) -> tuple[str, str, str]:
    """(field, description, rule) of a resend whose status goes back."""
    if docked.status == again.status:
        return "refunded_fen", f"shrinks from {docked.refunded_fen} to {again.refunded_fen} fen; a refund only grows", RULE
    return "status", f"goes back from {docked.status} to {again.status}; a docked order's status only moves forward", RULE


def changes(docked: Order, again: Order) -> list[tuple[str, str, str]]:
    """(field, old, new) of an update, for the order's history."""
    return [
        (name, _text(getattr(docked, name)), _text(getattr(again, name)))
        for name in PROGRESS if getattr(docked, name) != getattr(again, name)
    ]


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
