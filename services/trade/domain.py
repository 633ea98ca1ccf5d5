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
REFUND_RULE = "TRD-04"
CURRENCIES = frozenset({"CNY"})


class Status(enum.StrEnum):
    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    REFUNDED = "refunded"
    """Money went back to the buyer, all of it or part (`refunded_fen`)."""
    CANCELLED = "cancelled"


PAID_STATUSES = frozenset({Status.PAID, Status.SHIPPED, Status.COMPLETED, Status.REFUNDED})


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
    shipped_at: datetime | None = None
    refunded_fen: int = 0
    """TRD-04: what went back to the buyer so far, in fen; never more than `amount_fen`."""
    refunded_at: datetime | None = None


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


def refusal(order: Order, *, now: datetime, rules: DockingRules) -> tuple[str, str, str] | None:
    """The first (field, description, rule) that refuses `order`, or None when it may dock."""
    for name in ("external_order_id", "session_id", "product_id", "merchant_id"):
        value = getattr(order, name)
        if not value:
            return name, "is required", RULE
        if not ID_TOKEN.match(value):
            return name, ID_TOKEN_RULE, RULE
    if order.amount_fen < 0:
        return "amount_fen", "must not be negative", RULE
    if order.amount_fen > rules.max_amount_fen:
        return "amount_fen", f"exceeds {rules.max_amount_fen} fen, the most one order may be", RULE
    if order.currency not in CURRENCIES:
        return "currency", "must be CNY", RULE
    if not 1 <= order.quantity <= rules.max_quantity:
        return "quantity", f"must be 1 to {rules.max_quantity}", RULE
    if order.status is None:
        return "status", "is required: PLACED, PAID, SHIPPED, COMPLETED, REFUNDED or CANCELLED", RULE
    return refund_refusal(order) or _moments(order, now=now, rules=rules)


def refund_refusal(order: Order) -> tuple[str, str, str] | None:
    """TRD-04: a refund is of money that was paid, never more than the order's amount."""
    if order.refunded_fen < 0:
        return "refunded_fen", "must not be negative", REFUND_RULE
    if order.refunded_fen > order.amount_fen:
        return "refunded_fen", f"{order.refunded_fen} fen exceeds the {order.amount_fen} fen paid", REFUND_RULE
    if order.status == Status.REFUNDED and order.refunded_fen == 0:
        return "refunded_fen", "is required (above 0) when the order is refunded", REFUND_RULE
    if order.refunded_fen and order.status != Status.REFUNDED:
        return "refunded_fen", "is only given when the order is refunded", REFUND_RULE
    return None


def _moments(order: Order, *, now: datetime, rules: DockingRules) -> tuple[str, str, str] | None:
    found = missing_moment(order)
    if found is not None:
        return found[0], found[1], RULE
    latest = now + timedelta(seconds=rules.clock_skew_seconds)
    previous = ("placed_at", order.placed_at)
    for name in ("placed_at", "paid_at", "shipped_at", "completed_at", "refunded_at"):
        moment = getattr(order, name)
        if moment is None:
            continue
        if moment > latest:
            return name, "lies in the future", RULE
        if moment < previous[1]:
            return name, f"is before {previous[0]}", RULE
        previous = (name, moment)
    return None


def missing_moment(order: Order) -> tuple[str, str] | None:
    status = order.status
    if order.placed_at is None:
        return "placed_at", "is required"
    if order.paid_at is None and status in PAID_STATUSES:
        return "paid_at", "is required once the order is paid"
    if order.shipped_at is None and status == Status.SHIPPED:
        return "shipped_at", "is required when the order is shipped"
    if order.shipped_at is not None and status not in (Status.SHIPPED, Status.COMPLETED, Status.REFUNDED):
        return "shipped_at", "is only given once the order is shipped"
    if order.completed_at is None and status == Status.COMPLETED:
        return "completed_at", "is required when the order is completed"
    if order.completed_at is not None and status not in (Status.COMPLETED, Status.REFUNDED):
        return "completed_at", "is only given when the order is completed"
    if order.refunded_at is None and status == Status.REFUNDED:
        return "refunded_at", "is required when the order is refunded"
    if order.refunded_at is not None and status != Status.REFUNDED:
        return "refunded_at", "is only given when the order is refunded"
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
            found = ("external_order_id", "appears earlier in this batch", RULE)
        if found is not None:
            refused.append(Refusal(index, order.external_order_id, *found))
            continue
        seen.add(order.external_order_id)
        accepted.append((index, order))
    return accepted, refused
