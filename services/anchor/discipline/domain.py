"""Checks for what compliance officers and the session service report about a live session:
its times and its violations (ANC-06). Pure: takes the moment it reasons about, raises with
every problem named, changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from services.anchor.vocabulary import ID_TOKEN, SHA256, Severity, ViolationCategory

MAX_DESCRIPTION = 2000
MAX_EVIDENCE = 20
MAX_VIOLATIONS_PER_SESSION = 100
_URI = re.compile(r"^[a-z][a-z0-9+.-]*://\S{1,2040}$")


@dataclass(frozen=True)
class Evidence:
    uri: str
    sha256: str
    description: str = ""


@dataclass(frozen=True)
class ViolationReport:
    category: ViolationCategory | None
    severity: Severity | None
    description: str
    evidence: tuple[Evidence, ...]
    occurred_at: datetime | None


@dataclass(frozen=True)
class SessionOutcome:
    session_id: str
    started_at: datetime | None
    ended_at: datetime | None
    violations: tuple[ViolationReport, ...]


def violation_problems(report: ViolationReport, *, path: str, now: datetime) -> list[FieldViolation]:
    """ANC-06: a violation has a category, a severity, a description, evidence and a time."""
    problems = []
    if report.category is None:
        problems.append(FieldViolation(f"{path}.category", "must be a known violation category", "ANC-06"))
    if report.severity is None:
        problems.append(FieldViolation(f"{path}.severity", "must be MINOR, MAJOR or SEVERE", "ANC-06"))
    if not report.description.strip():
        problems.append(FieldViolation(f"{path}.description", "is required", "ANC-06"))
    elif len(report.description) > MAX_DESCRIPTION:
        problems.append(FieldViolation(f"{path}.description", f"is longer than {MAX_DESCRIPTION} characters"))
    if not report.evidence:
        problems.append(FieldViolation(f"{path}.evidence", "needs at least one piece of evidence", "ANC-06"))
    elif len(report.evidence) > MAX_EVIDENCE:
        problems.append(FieldViolation(f"{path}.evidence", f"at most {MAX_EVIDENCE} pieces"))
    for index, item in enumerate(report.evidence[:MAX_EVIDENCE]):
        if not _URI.match(item.uri):
            problems.append(FieldViolation(f"{path}.evidence[{index}].uri", "must be an absolute URI of at most 2048 characters"))
        if not SHA256.match(item.sha256):
            problems.append(FieldViolation(f"{path}.evidence[{index}].sha256", "must be 64 lower-case hex digits (SHA-256)", "ANC-06"))
        if len(item.description) > MAX_DESCRIPTION:
            problems.append(FieldViolation(f"{path}.evidence[{index}].description", f"is longer than {MAX_DESCRIPTION} characters"))
    if report.occurred_at is None:
        problems.append(FieldViolation(f"{path}.occurred_at", "is required", "ANC-06"))
    elif report.occurred_at > now:
        problems.append(FieldViolation(f"{path}.occurred_at", "lies in the future", "ANC-06"))
    return problems


def check_session_id(session_id: str, *, field: str = "session_id") -> list[FieldViolation]:
    return [] if ID_TOKEN.match(session_id) else [FieldViolation(field, "must be 1-64 letters, digits or ._:-", "ANC-06")]


def check_violation(report: ViolationReport, *, session_id: str, now: datetime) -> None:
    problems = check_session_id(session_id) + violation_problems(report, path="violation", now=now)
    if problems:
        raise InvalidArgument(problems)


def check_outcome(outcome: SessionOutcome, *, now: datetime) -> None:
    """A session that took place: ended after it started, not in the future, violations well-formed."""
    problems = check_session_id(outcome.session_id)
    if outcome.started_at is None:
        problems.append(FieldViolation("started_at", "is required", "ANC-06"))
    if outcome.ended_at is None:
        problems.append(FieldViolation("ended_at", "is required", "ANC-06"))
    elif outcome.ended_at > now:
        problems.append(FieldViolation("ended_at", "lies in the future: record a session once it has ended", "ANC-06"))
    if outcome.started_at and outcome.ended_at and outcome.ended_at < outcome.started_at:
        problems.append(FieldViolation("ended_at", "is before started_at", "ANC-06"))
    if len(outcome.violations) > MAX_VIOLATIONS_PER_SESSION:
        problems.append(FieldViolation("violations", f"at most {MAX_VIOLATIONS_PER_SESSION} per session"))
    for index, report in enumerate(outcome.violations[:MAX_VIOLATIONS_PER_SESSION]):
        problems += violation_problems(report, path=f"violations[{index}]", now=now)
    if problems:
        raise InvalidArgument(problems)
