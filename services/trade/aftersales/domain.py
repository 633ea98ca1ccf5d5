"""TRD-04 / TRD-05 (and PRD-09), pure: whether an after-sales request may be opened and whether
it must be honoured, its deadlines, and which steps are allowed from which state."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed

RETURN_RULE = "TRD-04"
SLA_RULE = "TRD-05"
PERISHABLE_RULE = "PRD-09"

NO_REASON_WINDOW = timedelta(days=7)
"""TRD-04: a return without reason within 7 days of delivery is honoured."""
RESPOND_WITHIN = timedelta(hours=24)
RESOLVE_WITHIN = timedelta(hours=72)


class Kind(enum.StrEnum):
    RETURN = "return"
    EXCHANGE = "exchange"
    REFUND = "refund"


class Reason(enum.StrEnum):
    NO_REASON = "no_reason"
    QUALITY = "quality"
    WRONG_ITEM = "wrong_item"
    NOT_RECEIVED = "not_received"
    OTHER = "other"


class State(enum.StrEnum):
    OPEN = "open"
    RESPONDED = "responded"
    COMPLETED = "completed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Perishable:
    """The product's perishables treatment as the product service published it (PRD-09)."""

    strict: bool
    claim_window_hours: int


@dataclass(frozen=True)
class Opening:
    kind: Kind | None
    reason: Reason | None
    description: str
    refund_fen: int


@dataclass(frozen=True)
class OrderFacts:
    """What the rules need of the order: amounts, and when the buyer got the goods."""

    status: str
    amount_fen: int
    refunded_fen: int
    received_at: datetime | None
    """Delivery (logistics), else completion; None while the goods are on their way."""


def check_opening(o: Opening, order: OrderFacts, *, perishable: Perishable | None, now: datetime) -> bool:
    """Refuses a request that may not be opened (naming field and rule); True when it is a
    no-reason return within the window, which must be honoured (TRD-04)."""
    violations = []
    if o.kind is None:
        violations.append(FieldViolation("kind", "is required: RETURN, EXCHANGE or REFUND"))
    if o.reason is None:
        violations.append(FieldViolation("reason", "is required"))
    if not o.description.strip() or len(o.description) > 1000:
        violations.append(FieldViolation("description", "is required, at most 1000 characters"))
    refundable = order.amount_fen - order.refunded_fen
    if o.refund_fen < 0 or o.refund_fen > refundable:
        violations.append(FieldViolation("refund_fen", f"must be 0 to {refundable} fen, what was paid and not yet refunded", rule=RETURN_RULE))
    if o.kind == Kind.REFUND and o.refund_fen == 0:
        violations.append(FieldViolation("refund_fen", "a refund request names its amount", rule=RETURN_RULE))
    if violations:
        raise InvalidArgument(violations)
    if order.status in ("placed", "cancelled"):
        raise PreconditionFailed(RETURN_RULE, "after_sales", f"the order is {order.status}: nothing was paid to come back")
    if o.kind in (Kind.RETURN, Kind.EXCHANGE) and order.received_at is None:
        raise PreconditionFailed(RETURN_RULE, "after_sales", "the goods were not received yet: ask for a refund, or wait for the delivery")
    if o.reason == Reason.NO_REASON:
        return _no_reason(o, order, perishable=perishable, now=now)
    if perishable is not None and perishable.strict and o.reason == Reason.QUALITY and order.received_at is not None:
        closes = order.received_at + timedelta(hours=perishable.claim_window_hours)
        if now >= closes:
            raise InvalidArgument([FieldViolation(
                "reason", f"quality claims on this perishable product closed at {closes.isoformat()}", rule=PERISHABLE_RULE
            )])  # fmt: skip
    return False


def _no_reason(o: Opening, order: OrderFacts, *, perishable: Perishable | None, now: datetime) -> bool:
    if o.kind != Kind.RETURN:
        raise InvalidArgument([FieldViolation("reason", "NO_REASON is for returns", rule=RETURN_RULE)])
    if perishable is not None and perishable.strict:
        raise InvalidArgument([FieldViolation(
            "reason", "a perishable product under the stricter policy takes no return without reason", rule=PERISHABLE_RULE
        )])  # fmt: skip
    assert order.received_at is not None
    closes = order.received_at + NO_REASON_WINDOW
    if now >= closes:
        raise InvalidArgument([FieldViolation("reason", f"the 7-day no-reason window closed at {closes.isoformat()}", rule=RETURN_RULE)])
    return True


def deadlines(opened_at: datetime) -> tuple[datetime, datetime]:
    """TRD-05: (respond by, resolve by), to the minute from opening."""
    return opened_at + RESPOND_WITHIN, opened_at + RESOLVE_WITHIN


def overdue(deadline: datetime, now: datetime) -> bool:
    """TRD-05: overdue from the deadline minute itself (23:59 after opening is in time, 24:00 is not)."""
    return now >= deadline


def check_response(state: State, *, accept: bool, honoured: bool) -> State:
    """The first response: accepting keeps the request going, rejecting closes it; an honoured
    no-reason return may not be rejected (TRD-04)."""
    if state != State.OPEN:
        raise PreconditionFailed(SLA_RULE, "after_sales", f"the request is {state}: it was answered already")
    if not accept and honoured:
        raise PreconditionFailed(RETURN_RULE, "after_sales", "a no-reason return within 7 days of delivery is honoured: it may not be rejected")
    return State.RESPONDED if accept else State.REJECTED


def check_resolution(state: State, *, completed: bool, honoured: bool) -> State:
    """Resolving: the goods came back / were exchanged / the money went back (COMPLETED), or the
    request is refused (REJECTED; never an honoured return)."""
    if state not in (State.OPEN, State.RESPONDED):
        raise PreconditionFailed(SLA_RULE, "after_sales", f"the request is {state} already")
    if not completed and honoured:
        raise PreconditionFailed(RETURN_RULE, "after_sales", "a no-reason return within 7 days of delivery is honoured: it may not be rejected")
    return State.COMPLETED if completed else State.REJECTED
