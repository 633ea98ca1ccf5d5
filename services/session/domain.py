"""The rules of a session, pure (no I/O): what a schedule request must hold (SES-01), when the
checklist may be done and the room opened (SES-02), which transitions each status allows, the
labels a room shows (SES-09), and how a patrol hit becomes a violation for the anchor's ladder
(SES-05, ANC-06/07).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime, timedelta

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE
from services.session.patrol import Grade

MAX_LINEUP = 100
MAX_TITLE_CHARS = 100
MAX_REASON_CHARS = 500
CHECKLIST_OPENS_BEFORE = timedelta(minutes=30)
"""SES-02: the checklist may be completed from 30 minutes before the planned start."""
DIGITAL_HUMAN_LABEL = "数字 AI 直播"
"""SES-09, ANC-13: shown on every room of a digital-human anchor."""
MINORS_LABEL = "未成年人需监护人陪同观看"
"""SES-09: shown on every room."""


class Status(enum.StrEnum):
    SCHEDULED = "scheduled"
    READY = "ready"
    LIVE = "live"
    ENDED = "ended"
    STOPPED = "stopped"


class ChecklistItem(enum.StrEnum):
    EQUIPMENT = "equipment"
    NETWORK = "network"
    SYSTEM_TEST = "system_test"


OPEN_STATUSES = (Status.SCHEDULED, Status.READY, Status.LIVE)
"""A session that still shows its line-up (a take-down reaches it)."""


def labels(*, digital_human: bool) -> list[str]:
    """SES-09: the minors' notice on every room; the AI label on a digital human's (ANC-13)."""
    return [DIGITAL_HUMAN_LABEL, MINORS_LABEL] if digital_human else [MINORS_LABEL]


def check_schedule(*, room_id: str, title: str, planned_start: datetime | None, product_ids: Sequence[str], now: datetime) -> None:
    """SES-01's well-formedness: every problem at once, as field violations."""
    problems: list[FieldViolation] = []
    if not ID_TOKEN.match(room_id):
        problems.append(FieldViolation("room_id", ID_TOKEN_RULE))
    if not title.strip() or len(title) > MAX_TITLE_CHARS:
        problems.append(FieldViolation("title", f"is required, at most {MAX_TITLE_CHARS} characters"))
    if planned_start is None:
        problems.append(FieldViolation("planned_start", "is required"))
    elif planned_start <= now:
        problems.append(FieldViolation("planned_start", "must be in the future", rule="SES-01"))
    if not product_ids:
        problems.append(FieldViolation("product_ids", "a session needs at least one product", rule="SES-01"))
    elif len(product_ids) > MAX_LINEUP:
        problems.append(FieldViolation("product_ids", f"at most {MAX_LINEUP} products", rule="SES-01"))
    seen: set[str] = set()
    for i, product_id in enumerate(product_ids):
        if not product_id:
            problems.append(FieldViolation(f"product_ids[{i}]", "is empty"))
        elif product_id in seen:
            problems.append(FieldViolation(f"product_ids[{i}]", "repeats an earlier product", rule="SES-01"))
        seen.add(product_id)
    if problems:
        raise InvalidArgument(problems)


def check_reason(reason: str, *, rule: str) -> str:
    """An emergency action or a review names why (SES-06)."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON_CHARS:
        raise InvalidArgument([FieldViolation("reason", f"is required, at most {MAX_REASON_CHARS} characters", rule=rule)])
    return reason


def check_checklist(*, status: Status, planned_start: datetime, now: datetime) -> None:
    """SES-02: only a session not yet live, and only from 30 minutes before its start."""
    if status not in (Status.SCHEDULED, Status.READY):
        raise PreconditionFailed("SES-02", "session", f"the checklist is done before going live; the session is {status}")
    opens = planned_start - CHECKLIST_OPENS_BEFORE
    if now < opens:
        raise PreconditionFailed("SES-02", "session", f"the checklist opens 30 minutes before the planned start, at {opens.isoformat()}")


def checklist_complete(done: Sequence[str]) -> bool:
    return set(done) >= {item.value for item in ChecklistItem}


def check_open(status: Status) -> None:
    """SES-02: the room opens only when the checklist is complete."""
    if status is not Status.READY:
        raise PreconditionFailed("SES-02", "session", f"the room opens when the pre-live checklist is complete; the session is {status}")


def check_live(status: Status, *, rule: str, action: str) -> None:
    if status is not Status.LIVE:
        raise PreconditionFailed(rule, "session", f"{action} needs a live session; the session is {status}")


# SES-05: a patrol category (services/session/patrol/data/lexicon.json) as the anchor service's
# violation vocabulary; a category not named here is OTHER.
CATEGORY_OF_PATROL = {
    "absolute_terms": "ABSOLUTE_TERMS",
    "national_symbols": "BANNED_CONTENT",
    "state_organs": "BANNED_CONTENT",
    "special_supply": "FALSE_ADVERTISING",
    "off_platform": "OFF_PLATFORM_LURE",
    "fake_promotion": "CONSUMER_DECEPTION",
    "fake_transactions": "CONSUMER_DECEPTION",
    "false_claims": "FALSE_ADVERTISING",
    "vulgar": "BANNED_CONTENT",
    "insults": "BANNED_CONTENT",
    "discrimination": "BANNED_CONTENT",
    "illegal_goods": "BANNED_CONTENT",
    "political": "BANNED_CONTENT",
    "panic_marketing": "CONSUMER_DECEPTION",
    "disaster_marketing": "BANNED_CONTENT",
    "privacy_leak": "PRIVACY_LEAK",
    "anxiety_topics": "CONSUMER_DECEPTION",
}
SEVERITY_OF_GRADE = {Grade.A: "SEVERE", Grade.B: "MAJOR", Grade.C: "MINOR", Grade.D: "MINOR", Grade.HIDE: "MINOR"}
"""SES-05: a stop-the-stream hit is severe, one that needs correction now major, the rest minor."""


def violation_category(patrol_category: str) -> str:
    return CATEGORY_OF_PATROL.get(patrol_category, "OTHER")
