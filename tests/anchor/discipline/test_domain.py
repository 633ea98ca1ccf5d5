"""What compliance officers and the session service report about a session (ANC-06), pure: every
problem named at once, each with its field, what is wrong and the rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from services.anchor.discipline.domain import (
    MAX_VIOLATIONS_PER_SESSION,
    Evidence,
    SessionOutcome,
    ViolationReport,
    check_outcome,
    check_violation,
)
from services.anchor.vocabulary import Severity, ViolationCategory
from tests.support import digest

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
EVIDENCE = Evidence("s3://evidence/clip.mp4", digest("clip"), "clip")
GOOD = ViolationReport(ViolationCategory.ABSOLUTE_TERMS, Severity.MAJOR, "said 国家级", (EVIDENCE,), NOW)
URI_RULE = "must be an absolute URI of at most 2048 characters"


def V(field: str, description: str, rule: str = "") -> FieldViolation:
    return FieldViolation(field, description, rule)


def violations(call) -> list[FieldViolation]:
    with pytest.raises(InvalidArgument) as refused:
        call()
    return list(refused.value.violations)


def test_ANC_06_a_violation_needs_category_severity_description_evidence_time_and_session():
    bad = ViolationReport(None, None, " ", (), None)
    assert violations(lambda: check_violation(bad, session_id="a b", now=NOW)) == [
        V("session_id", "must be 1-64 letters, digits or ._:-", "ANC-06"),
        V("violation.category", "must be a known violation category", "ANC-06"),
        V("violation.severity", "must be MINOR, MAJOR or SEVERE", "ANC-06"),
        V("violation.description", "is required", "ANC-06"),
        V("violation.evidence", "needs at least one piece of evidence", "ANC-06"),
        V("violation.occurred_at", "is required", "ANC-06"),
    ]
    check_violation(GOOD, session_id="s-1", now=NOW)


def test_ANC_06_oversized_reports_and_bad_evidence_are_named_piece_by_piece():
    bad_evidence = Evidence("nope", "ABC", "d" * 2001)
    report = ViolationReport(ViolationCategory.OTHER, Severity.MINOR, "x" * 2001, (EVIDENCE, bad_evidence), NOW + timedelta(microseconds=1))
    assert violations(lambda: check_violation(report, session_id="s-1", now=NOW)) == [
        V("violation.description", "is longer than 2000 characters"),
        V("violation.evidence[1].uri", URI_RULE),
        V("violation.evidence[1].sha256", "must be 64 lower-case hex digits (SHA-256)", "ANC-06"),
        V("violation.evidence[1].description", "is longer than 2000 characters"),
        V("violation.occurred_at", "lies in the future", "ANC-06"),
    ]
    many = ViolationReport(ViolationCategory.OTHER, Severity.MINOR, "x" * 2000, (EVIDENCE,) * 21, NOW)
    assert violations(lambda: check_violation(many, session_id="s-1", now=NOW)) == [V("violation.evidence", "at most 20 pieces")]
    longest = Evidence("s3://" + "e" * 2040, digest("e"), "d" * 2000)
    check_violation(ViolationReport(ViolationCategory.OTHER, Severity.MINOR, "x", (longest,) * 20, NOW), session_id="s" * 64, now=NOW)
    assert violations(lambda: check_violation(
        ViolationReport(ViolationCategory.OTHER, Severity.MINOR, "x", (Evidence("s3://" + "e" * 2041, digest("e")),), NOW),
        session_id="s-1", now=NOW)) == [V("violation.evidence[0].uri", URI_RULE)]


def test_ANC_06_a_session_outcome_has_times_in_order_and_in_the_past():
    assert violations(lambda: check_outcome(SessionOutcome("a b", None, None, ()), now=NOW)) == [
        V("session_id", "must be 1-64 letters, digits or ._:-", "ANC-06"),
        V("started_at", "is required", "ANC-06"),
        V("ended_at", "is required", "ANC-06"),
    ]
    assert violations(lambda: check_outcome(SessionOutcome("s", NOW, NOW - timedelta(microseconds=1), ()), now=NOW)) == [
        V("ended_at", "is before started_at", "ANC-06")]
    assert violations(lambda: check_outcome(SessionOutcome("s", NOW, NOW + timedelta(microseconds=1), ()), now=NOW)) == [
        V("ended_at", "lies in the future: record a session once it has ended", "ANC-06")]
    check_outcome(SessionOutcome("s", NOW, NOW, (GOOD,) * MAX_VIOLATIONS_PER_SESSION), now=NOW)


def test_ANC_06_each_violation_of_a_session_is_checked_under_its_index():
    bad = ViolationReport(None, Severity.MINOR, "x", (EVIDENCE,), NOW)
    assert violations(lambda: check_outcome(SessionOutcome("s", NOW, NOW, (GOOD, bad)), now=NOW)) == [
        V("violations[1].category", "must be a known violation category", "ANC-06")]
    too_many = SessionOutcome("s", NOW, NOW, (GOOD,) * (MAX_VIOLATIONS_PER_SESSION + 1))
    assert violations(lambda: check_outcome(too_many, now=NOW)) == [V("violations", "at most 100 per session")]
