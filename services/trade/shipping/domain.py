"""TRD-03, pure: the hours a shipping promise names, the ship-by time of an order, and the
well-formedness of a logistics event a platform records."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE

RULE = "TRD-03"

_HOURS = re.compile(r"(\d{1,4})\s*(?:个)?\s*(?:小时|h\b|hours?\b)", re.IGNORECASE)
_DAYS = re.compile(r"(\d{1,3})\s*(?:个)?\s*(?:天|日|days?\b)", re.IGNORECASE)


def promised_hours(text: str) -> int | None:
    """The hours from payment a shipping promise names ("48小时内发货" -> 48, "3天内发货" -> 72),
    the shortest when it names several; None when its words name none (the default applies)."""
    found = [int(m.group(1)) for m in _HOURS.finditer(text)] + [24 * int(m.group(1)) for m in _DAYS.finditer(text)]
    found = [h for h in found if h > 0]
    return min(found) if found else None


def ship_by(paid_at: datetime, *, promised: int | None, default_hours: int) -> datetime:
    """A paid order ships by then: the promise when the session made one, else the default."""
    return paid_at + timedelta(hours=promised if promised is not None else default_hours)


def overdue(deadline: datetime, now: datetime) -> bool:
    """TRD-03: overdue from the ship-by minute itself (23:59 after a 24 h promise is in time, 24:00 is not)."""
    return now >= deadline


class LogisticsKind(enum.StrEnum):
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class LogisticsEvent:
    kind: LogisticsKind | None
    carrier: str
    tracking_number: str
    at: datetime | None
    note: str = ""


def check_logistics(event: LogisticsEvent, *, now: datetime, placed_at: datetime, skew: timedelta) -> None:
    """A logistics event names its kind, carrier, tracking number and a moment between the order's
    placement and now (with the platforms' clock skew)."""
    violations = []
    if event.kind is None:
        violations.append(FieldViolation("event.kind", "is required: PICKED_UP, IN_TRANSIT, DELIVERED or FAILED", rule=RULE))
    for name in ("carrier", "tracking_number"):
        value = getattr(event, name)
        if not value or len(value) > 64:
            violations.append(FieldViolation(f"event.{name}", "is required, at most 64 characters", rule=RULE))
    if event.at is None:
        violations.append(FieldViolation("event.at", "is required", rule=RULE))
    elif event.at > now + skew:
        violations.append(FieldViolation("event.at", "lies in the future", rule=RULE))
    elif event.at < placed_at:
        violations.append(FieldViolation("event.at", "is before the order was placed", rule=RULE))
    if len(event.note) > 500:
        violations.append(FieldViolation("event.note", "at most 500 characters", rule=RULE))
    if violations:
        raise InvalidArgument(violations)


def check_external_id(external_order_id: str) -> None:
    if not ID_TOKEN.match(external_order_id):
        raise InvalidArgument([FieldViolation("external_order_id", ID_TOKEN_RULE)])
