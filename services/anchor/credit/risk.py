"""RSK-01: the Annex A risk assessment of one anchor or one agency, pure (no I/O but reading its table once).

CREDIT 8.4 asks operators to grade their credit-compliance risks by Annex A, Table A.1, and to act on
each grade as Table 1 says. This module loads the table (data/annex_a.json), grades every point from
what the platform knows about the subject, lets a compliance officer's attestation cover what the
platform cannot know, and renders the report as JSON or CSV for regulators. Callers gather the facts
(violations within the assessment window, training, files) and pass the time in.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from services.anchor.vocabulary import RiskLevel, SubjectKind, ViolationCategory

LOW, MEDIUM, HIGH = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH
MAX_NOTE = 1000
# Table A.1's own preamble says "10 个方面 19 个风险点", yet the table numbers 21 rows. We keep all 21:
# dropping rows would mean guessing which two the sentence forgot, and the proto numbers points 1..21.
POINT_COUNT = 21
REPEAT_EXPOSURE = 2  # violations in one point's categories within the window that make it HIGH
MAX_RETURN_RATE = 0.05  # point 18: a return rate above 5 % is treated like repeated upheld complaints
MANY_COMPLAINTS = 3  # point 18: upheld complaints that make it HIGH (1-2 make it MEDIUM)

# CREDIT 8.4, Table 1: the action each level needs. The printed table labels the middle row "中低风险";
# it can only mean 中风险, since the next row is 低风险 and Table A.1 uses exactly three levels.
ACTIONS: Mapping[RiskLevel, tuple[str, str]] = MappingProxyType(
    {
        HIGH: ("需要立即采取纠正措施", "immediate corrective action"),
        MEDIUM: ("需要持续关注，采取积极的纠正措施", "continued attention and active correction"),
        LOW: ("需要持续关注，是否采取措施视具体情况", "attention; act as the case requires"),
    }
)


@dataclass(frozen=True)
class RiskPoint:
    """One row of Table A.1."""

    number: int
    key: str
    name_zh: str
    name_en: str
    default_level: RiskLevel
    countermeasures_zh: tuple[str, ...]
    basis: str  # "facts": the platform holds facts that grade it; "attestation": only an officer can
    violation_categories: frozenset[ViolationCategory]


@dataclass(frozen=True)
class Attestation:
    """A compliance officer's finding on one point, for what the platform cannot observe (tax, suppliers ...)."""

    level: RiskLevel
    note: str
    attested_by: str
    attested_at: datetime


@dataclass(frozen=True)
class RiskFacts:
    """What the platform knows about one anchor or one agency; None means unknown or not applicable."""

    subject_kind: SubjectKind
    subject_id: str
    violations: Mapping[ViolationCategory, int] = field(default_factory=dict)  # within the window (caller filters)
    upheld_complaints: int = 0
    return_rate: float | None = None  # None: not enough orders to tell
    approved_file: bool | None = None  # ANC-02
    onboarding_trained: bool | None = None  # ANC-05
    minor: bool | None = None  # ANC-04: aged 16-17 today
    guardian_consent_on_file: bool | None = None  # ANC-04
    digital_human: bool | None = None  # ANC-13
    anchors: int | None = None  # agency: signed anchors
    anchors_approved: int | None = None
    anchors_trained: int | None = None
    minors_without_consent: int | None = None
    valid_credit_code: bool | None = None  # GB 32100 unified social credit code on file
    attestations: Mapping[int, Attestation] = field(default_factory=dict)  # by point number

    def __post_init__(self) -> None:
        violations = {ViolationCategory(c): n for c, n in self.violations.items()}
        if any(n < 0 for n in violations.values()) or self.upheld_complaints < 0:
            raise ValueError("violation and complaint counts cannot be negative")
        if self.return_rate is not None and not 0.0 <= self.return_rate <= 1.0:
            raise ValueError("return_rate is a fraction between 0 and 1")
        # frozen all the way down: a report must not change because someone kept a reference to a dict
        object.__setattr__(self, "violations", MappingProxyType(violations))
        object.__setattr__(self, "attestations", MappingProxyType(dict(self.attestations)))


class Basis(StrEnum):
    """What decided a point's level."""

    FACTS = "facts"
    ATTESTATION = "attestation"
    NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True)
class PointAssessment:
    point: RiskPoint
    level: RiskLevel
    basis: Basis
    evidence: str  # English: the facts used, or the attestation's note and who attested
    action_zh: str
    action_en: str


@dataclass(frozen=True)
class RiskReport:
    subject_kind: SubjectKind
    subject_id: str
    generated_at: datetime
    points: tuple[PointAssessment, ...]

    @property
    def overall(self) -> RiskLevel:
        return max((a.level for a in self.points), key=lambda level: level.rank, default=LOW)

    @property
    def counts(self) -> Mapping[RiskLevel, int]:
        levels = [a.level for a in self.points]
        return MappingProxyType({level: levels.count(level) for level in (HIGH, MEDIUM, LOW)})


# --- Table A.1, loaded once -------------------------------------------------------------------------


@cache
def risk_points() -> tuple[RiskPoint, ...]:
    """The 21 points of Table A.1, validated: a broken data file fails the first caller, loudly."""
    source = resources.files("services.anchor") / "data" / "annex_a.json"
    entries = json.loads(source.read_text(encoding="utf-8"))
    points = tuple(_load(entry) for entry in entries)
    if [p.number for p in points] != list(range(1, POINT_COUNT + 1)):
        raise ValueError(f"annex_a.json must hold points 1..{POINT_COUNT} in order")
    if len({p.key for p in points}) != POINT_COUNT:
        raise ValueError("annex_a.json: point keys must be unique")
    for p in points:
        if p.basis == "attestation" and p.violation_categories:
            raise ValueError(f"annex_a.json point {p.number}: an attestation point cannot be graded by violations")
        if p.basis == "facts" and not (p.violation_categories or p.key in _CHECKS):
            raise ValueError(f"annex_a.json point {p.number}: a facts point needs categories or a check")
    return points


def _load(entry: Mapping) -> RiskPoint:
    try:
        point = RiskPoint(
            number=int(entry["number"]),
            key=str(entry["key"]),
            name_zh=str(entry["name_zh"]),
            name_en=str(entry["name_en"]),
            default_level=RiskLevel(entry["default_level"]),
            countermeasures_zh=tuple(str(c) for c in entry["countermeasures_zh"]),
            basis=str(entry["basis"]),
            violation_categories=frozenset(ViolationCategory(c) for c in entry["violation_categories"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"annex_a.json entry {entry!r}: {error}") from error
    if point.basis not in ("facts", "attestation") or not point.countermeasures_zh or not point.name_zh:
        raise ValueError(f"annex_a.json point {point.number}: basis, name and countermeasures are required")
    return point


def risk_point(number: int) -> RiskPoint | None:
    points = risk_points()
    return points[number - 1] if isinstance(number, int) and 1 <= number <= len(points) else None


def check_attestation(*, number: int, level: RiskLevel | None, note: str) -> None:
    """RSK-01: refuses an officer's attestation with every problem named."""
    violations: list[FieldViolation] = []
    if risk_point(number) is None:
        violations.append(FieldViolation("point_number", f"must be an Annex A point, 1..{POINT_COUNT}", "RSK-01"))
    if level is None:
        violations.append(FieldViolation("level", "must be LOW, MEDIUM or HIGH", "RSK-01"))
    if not note.strip():
        violations.append(FieldViolation("note", "is required: say what the finding rests on", "RSK-01"))
    elif len(note) > MAX_NOTE:
        violations.append(FieldViolation("note", f"is longer than {MAX_NOTE} characters", "RSK-01"))
    if violations:
        raise InvalidArgument(violations)


# --- Grading from facts -----------------------------------------------------------------------------
# A finding is a level and the English evidence for it. A check returns None when its facts do not
# apply to this kind of subject (or are unknown); the point then falls to attestation.
Finding = tuple[RiskLevel, str]


def _gate(
    f: RiskFacts, level: RiskLevel, *, own: bool | None, done: int | None, yes: str, no: str, what: str
) -> Finding | None:
    """An anchor's own yes/no fact, or an agency's count over its signed anchors; falling short -> `level`."""
    if f.subject_kind is SubjectKind.ANCHOR:
        return None if own is None else ((LOW, yes) if own else (level, no))
    if f.anchors is None or done is None:
        return None
    return (LOW if done >= f.anchors else level), f"{done} of {f.anchors} signed anchors {what}"


def _entity(f: RiskFacts, p: RiskPoint) -> Finding | None:
    # Point 1 (CREDIT 8.2.3.1.1): registration shows as a GB 32100 code. Missing or invalid -> MEDIUM,
    # not HIGH: an agency we signed was checked at signing, so this is most often a lapsed or
    # mistyped record, to correct actively (Table 1), not proof of trading unregistered. Anchors are
    # natural persons without a code: their qualifications (8.2.3.1.2) need an attestation.
    if f.subject_kind is not SubjectKind.AGENCY or f.valid_credit_code is None:
        return None
    if f.valid_credit_code:
        return LOW, "valid unified social credit code (GB 32100) on file"
    return MEDIUM, "no valid unified social credit code (GB 32100) on file"


def _trained(f: RiskFacts, p: RiskPoint) -> Finding | None:
    # Points 7 (agencies: 定期培训并做好记录) and 9 (新入职主播合规培训), ANC-05: untrained -> default level.
    # Point 7 is about how an agency manages its staff, so for an anchor only point 9 applies.
    own = f.onboarding_trained if p.key == "anchor_compliance" else None
    return _gate(
        f, p.default_level, own=own, done=f.anchors_trained,
        yes="onboarding training recorded (ANC-05)",
        no="no completed onboarding training recorded (ANC-05)",
        what="have completed onboarding training (ANC-05)",
    )


def _cooperation(f: RiskFacts, p: RiskPoint) -> Finding | None:
    # Point 8 (实名登记和资质审核), ANC-02: no approved real-name file -> default level.
    return _gate(
        f, p.default_level, own=f.approved_file, done=f.anchors_approved,
        yes="approved real-name file on record (ANC-02)",
        no="no approved real-name file (ANC-02)",
        what="have an approved real-name file (ANC-02)",
    )


def _digital_human(f: RiskFacts, p: RiskPoint) -> Finding | None:
    # Point 10, ANC-13: LOW either way, because the platform itself labels the room (SES-09); only a
    # DIGITAL_HUMAN_UNLABELLED violation (graded by category below) shows the label failed.
    if f.subject_kind is not SubjectKind.ANCHOR or f.digital_human is None:
        return None
    who = "is a digital-human (AI) anchor" if f.digital_human else "is not a digital-human anchor"
    return LOW, f"anchor {who}; the platform labels such rooms \"数字 AI 直播\" (ANC-13, SES-09)"


def _minors(f: RiskFacts, p: RiskPoint) -> Finding | None:
    # Point 17, ANC-03/04: a minor without guardian consent -> HIGH; with consent -> MEDIUM, since a
    # 16-17-year-old on air still needs continued attention; an adult -> LOW.
    if f.subject_kind is SubjectKind.AGENCY:
        lacking = f.minors_without_consent
        if lacking is None:
            return None
        return (HIGH if lacking else LOW), f"{lacking} signed minor anchors without guardian consent (ANC-04)"
    if f.minor is None:
        return None
    if not f.minor:
        return LOW, "anchor is an adult"
    if f.guardian_consent_on_file:
        return MEDIUM, "anchor is aged 16-17 with guardian consent on file (ANC-04)"
    return HIGH, "anchor is aged 16-17 without guardian consent on file (ANC-04)"


def _consumers(f: RiskFacts, p: RiskPoint) -> Finding | None:
    # Point 18 (CREDIT 8.2.3.9.3): 3+ upheld complaints or returns above 5 % -> HIGH; 1-2 -> MEDIUM.
    rate = "unknown (too few orders)" if f.return_rate is None else f"{f.return_rate:.1%}"
    evidence = f"upheld complaints: {f.upheld_complaints}, return rate: {rate}"
    if f.upheld_complaints >= MANY_COMPLAINTS or (f.return_rate or 0.0) > MAX_RETURN_RATE:
        return HIGH, evidence
    return (MEDIUM if f.upheld_complaints else LOW), evidence


# The points whose own facts (beyond violations) grade them, by key. Every "facts" point is also
# graded by violations in its categories: none -> LOW; one -> its default level; two or more -> HIGH
# (repeat exposure). A point's facts level is the highest of the two.
_CHECKS: Mapping[str, Callable[[RiskFacts, RiskPoint], Finding | None]] = MappingProxyType(
    {
        "entity_qualification": _entity,
        "personnel_management": _trained,
        "anchor_cooperation": _cooperation,
        "anchor_compliance": _trained,
        "digital_human_anchor": _digital_human,
        "minors_protection": _minors,
        "consumer_protection": _consumers,
    }
)


def _exposure(f: RiskFacts, p: RiskPoint) -> tuple[int, Finding]:
    categories = sorted(p.violation_categories)
    counts = {c: f.violations.get(c, 0) for c in categories}
    total = sum(counts.values())
    if not total:
        return 0, (LOW, f"no {'/'.join(categories)} violations in the window")
    listed = ", ".join(f"{c}: {n}" for c, n in counts.items() if n)
    if total >= REPEAT_EXPOSURE:
        return total, (HIGH, f"{total} violations in the window ({listed}), repeat exposure")
    return total, (p.default_level, f"1 violation in the window ({listed})")


def _from_facts(f: RiskFacts, p: RiskPoint) -> Finding | None:
    if p.basis != "facts":
        return None
    check = _CHECKS.get(p.key)
    found = check(f, p) if check else None
    findings = [found] if found else []
    if p.violation_categories:
        total, exposed = _exposure(f, p)
        # a clean record alone cannot grade a point whose own facts we lack; a violation still can
        if total or findings or check is None:
            findings.append(exposed)
    if not findings:
        return None
    level = max((level for level, _ in findings), key=lambda level: level.rank)
    return level, "; ".join(evidence for _, evidence in findings)


def _attested(a: Attestation) -> str:
    return f"attested {a.level} by {a.attested_by} at {a.attested_at.isoformat()}: {a.note}"


def _assess_point(f: RiskFacts, p: RiskPoint) -> PointAssessment:
    found, attested = _from_facts(f, p), f.attestations.get(p.number)
    if found is None and attested is None:
        level, basis = p.default_level, Basis.NOT_ASSESSED
        evidence = "no platform facts for this point; a compliance officer's attestation is needed (Annex A default)"
    elif found is None:
        assert attested is not None  # the branch above took "neither"
        level, basis, evidence = attested.level, Basis.ATTESTATION, _attested(attested)
    elif attested is None:
        (level, evidence), basis = found, Basis.FACTS
    else:
        # An officer may know worse than the platform does, so an attestation raises a facts point;
        # it never lowers one, because the facts on record still stand.
        raised = attested.level.rank > found[0].rank
        level, basis = (attested.level, Basis.ATTESTATION) if raised else (found[0], Basis.FACTS)
        kept = "" if attested.level.rank >= found[0].rank else " (cannot lower the level the facts set)"
        evidence = f"{found[1]}; {_attested(attested)}{kept}"
    action_zh, action_en = ACTIONS[level]
    return PointAssessment(p, level, basis, evidence, action_zh, action_en)


def assess(facts: RiskFacts, *, now: datetime) -> RiskReport:
    """RSK-01: every Annex A point graded for one subject, in table order."""
    points = tuple(_assess_point(facts, p) for p in risk_points())
    return RiskReport(facts.subject_kind, facts.subject_id, now, points)


# --- Exports for regulators -------------------------------------------------------------------------

CSV_HEADER = ("number", "key", "name_zh", "name_en", "level", "basis", "evidence", "action_zh", "action_en")


def to_json(report: RiskReport) -> str:
    """UTF-8 JSON with Chinese kept readable; keys in a fixed order so two exports diff cleanly."""
    document = {
        "rule": "RSK-01",
        "standard": "CREDIT 8.4, Table 1, Annex A Table A.1",
        "subject_kind": str(report.subject_kind),
        "subject_id": report.subject_id,
        "generated_at": report.generated_at.isoformat(),
        "overall": str(report.overall),
        "counts": {str(level): n for level, n in report.counts.items()},
        "points": [_point_document(a) for a in report.points],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _point_document(a: PointAssessment) -> dict[str, object]:
    p = a.point
    return {
        "number": p.number, "key": p.key, "name_zh": p.name_zh, "name_en": p.name_en,
        "default_level": str(p.default_level), "level": str(a.level), "basis": str(a.basis),
        "evidence": a.evidence, "action_zh": a.action_zh, "action_en": a.action_en,
        "countermeasures_zh": list(p.countermeasures_zh),
    }


def to_csv(report: RiskReport) -> str:
    """RFC 4180 CSV (the csv module quotes commas, quotes and newlines), one row per point."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for a in report.points:
        p = a.point
        writer.writerow((p.number, p.key, p.name_zh, p.name_en, a.level, a.basis, a.evidence, a.action_zh, a.action_en))
    return out.getvalue()
