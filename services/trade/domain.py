"""The docking rules (TRD-01), pure: which orders of a batch are well formed enough to dock, and
the refusal (field and rule) of each that is not. The rest of the batch docks regardless; only a
batch above the size limit is refused whole.

Idempotency itself is not decided here but in one set-based statement (`store.dock`), where the
docked orders are: same content is a duplicate, different content a conflict.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE
from services.trade.rules_config import DockingRules

RULE = "TRD-01"
CURRENCIES = frozenset({"CNY"})


class Status(enum.StrEnum):
    PLACED = "placed"
    PAID = "paid"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Order:
    """An order as a platform sends it; `status` is None when the platform left it unset."""

    external_order_id: str
    session_id: str
    product_id: str
    merchant_id: str
    amount_fen: int
    currency: str
    quantity: int
    status: Status | None
    placed_at: datetime | None
    paid_at: datetime | None
    completed_at: datetime | None


@dataclass(frozen=True)
class Refusal:
    index: int
    external_order_id: str
    field: str
    description: str
    rule: str = RULE


def check_batch_size(count: int, rules: DockingRules) -> None:
    """A batch above the limit is refused whole: nothing of it is docked."""
    if count > rules.max_batch_orders:
        raise InvalidArgument(
            [FieldViolation("orders", f"carries {count} orders; at most {rules.max_batch_orders} per batch", rule=RULE)]
        )


def refusal(order: Order, *, now: datetime, rules: DockingRules) -> tuple[str, str] | None:
    """The first (field, description) that refuses `order`, or None when it may dock."""
    for name in ("external_order_id", "session_id", "product_id", "merchant_id"):
        value = getattr(order, name)
        if not value:
            return name, "is required"
        if not ID_TOKEN.match(value):
            return name, ID_TOKEN_RULE
    if order.amount_fen < 0:
        return "amount_fen", "must not be negative"
    if order.amount_fen > rules.max_amount_fen:
        return "amount_fen", f"exceeds {rules.max_amount_fen} fen, the most one order may be"
    if order.currency not in CURRENCIES:
        return "currency", "must be CNY"
    if not 1 <= order.quantity <= rules.max_quantity:
        return "quantity", f"must be 1 to {rules.max_quantity}"
    if order.status is None:
        return "status", "is required: PLACED, PAID, COMPLETED or CANCELLED"
    return _moments(order, now=now, rules=rules)


def _moments(order: Order, *, now: datetime, rules: DockingRules) -> tuple[str, str] | None:
    latest = now + timedelta(seconds=rules.clock_skew_seconds)
    if order.placed_at is None:
        return "placed_at", "is required"
    if order.paid_at is None and order.status in (Status.PAID, Status.COMPLETED):
        return "paid_at", "is required once the order is paid"
    if order.completed_at is None and order.status == Status.COMPLETED:
        return "completed_at", "is required when the order is completed"
    if order.completed_at is not None and order.status != Status.COMPLETED:
        return "completed_at", "is only given when the order is completed"
    previous = ("placed_at", order.placed_at)
    for name, moment in (("placed_at", order.placed_at), ("paid_at", order.paid_at), ("completed_at", order.completed_at)):
        if moment is None:
            continue
        if moment > latest:
            return name, "lies in the future"
        if moment < previous[1]:
            return name, f"is before {previous[0]}"
        previous = (name, moment)
    return None


def sort_out(orders: list[Order], *, now: datetime, rules: DockingRules) -> tuple[list[tuple[int, Order]], list[Refusal]]:
    """The batch split into (position, order) to dock and the refusals; an external id a batch
    names twice docks once (its first occurrence), since one order cannot have two contents."""
    check_batch_size(len(orders), rules)
    accepted: list[tuple[int, Order]] = []
    refused: list[Refusal] = []
    seen: set[str] = set()
    for index, order in enumerate(orders):
        found = refusal(order, now=now, rules=rules)
        if found is None and order.external_order_id in seen:
            found = ("external_order_id", "appears earlier in this batch")
        if found is not None:
            refused.append(Refusal(index, order.external_order_id, *found))
            continue
        seen.add(order.external_order_id)
        accepted.append((index, order))
    return accepted, refused
