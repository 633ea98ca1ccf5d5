"""The credit archive's arithmetic, pure: the credit score, the warning thresholds and credit repair.

Rules: ANC-10 (a credit score and risk level per anchor or agency, CREDIT B.3.2-B.3.4), ANC-11 and
TRD-06 (warnings at 3 violations and at a return rate above 5%, CREDIT B.9.5), RSK-02 (a warning
carries the threshold that fired), ANC-12 (credit repair after rectification and a clean
observation period; history is kept, never erased, CREDIT 9.2 and B.6.5). No I/O and no clock:
every function takes the facts and the moment it reasons about, so the store decides what to load
and tests drive the calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed
from services.anchor.vocabulary import RiskLevel, Severity, SubjectKind, ViolationCategory

MAX_STATEMENT = 2000
MAX_REASON = 1000


@dataclass(frozen=True)
class Subject:
    """Whose credit archive: an anchor (by its id) or an agency (by its agency id)."""

    kind: SubjectKind
    id: str


def subjects_of(anchor_id: str, agency_id: str) -> list[Subject]:
    """An anchor's facts count in its own archive and its agency's."""
    subjects = [Subject(SubjectKind.ANCHOR, anchor_id)]
    if agency_id:
        subjects.append(Subject(SubjectKind.AGENCY, agency_id))
    return subjects


class CreditItemKind(StrEnum):
    VIOLATION = "violation"
    SUSPENSION = "suspension"
    BAN = "ban"
    TERMINATION = "termination"
    BLACKLISTING = "blacklisting"
    TRAINING = "training"
    UPHELD_COMPLAINT = "upheld_complaint"
    RETURN_RATE_WARNING = "return_rate_warning"
    """TRD-06: the trade service found the anchor's return rate over its window above the threshold
    (recorded in the archive; the score's own return-rate part counts the orders and returns)."""


@dataclass(frozen=True)
class CreditItem:
    """One fact in a credit archive (ANC-10)."""

    kind: CreditItemKind
    at: datetime
    severity: Severity | None = None
    """Violations only (ANC-06 grades every violation); weights the score. An ungraded violation
    weighs as major: neither excused nor condemned, and its own line in the explanation shows it."""
    category: ViolationCategory | None = None
    """Violations only."""


@dataclass(frozen=True)
class CreditFacts:
    """Everything the score and the warnings look at for one anchor or agency."""

    items: tuple[CreditItem, ...] = ()
    orders: int = 0
    """Completed orders counted from trade events."""
    returns: int = 0
    """Of those orders, how many were returned."""
    repaired_at: datetime | None = None
    """When the last credit repair was approved (ANC-12); items before it weigh less, none vanish."""

    @property
    def return_rate(self) -> float | None:
        return self.returns / self.orders if self.orders else None

    def of_kind(self, kind: CreditItemKind) -> list[CreditItem]:
        return [item for item in self.items if item.kind is kind]

    def repaired(self, item: CreditItem) -> bool:
        return self.repaired_at is not None and item.at < self.repaired_at


@dataclass(frozen=True)
class ScoreConfig:
    """The documented, configurable score formula (ANC-10); each default is the value this module documents."""

    base: float = 100.0
    violation_weights: Mapping[Severity, float] = field(
        default_factory=lambda: MappingProxyType({Severity.MINOR: 2.0, Severity.MAJOR: 5.0, Severity.SEVERE: 10.0})
    )
    suspension_penalty: float = 10.0
    ban_penalty: float = 25.0
    """Per ban or termination."""
    complaint_penalty: float = 3.0
    """Per upheld complaint."""
    return_rate_threshold: float = 0.05
    """TRD-06 / CREDIT B.9.5: returns above 5% of orders cost points."""
    return_penalty_per_point: float = 2.0
    """Per percentage point of return rate above the threshold."""
    min_orders_for_return_rate: int = 20
    """Below this many orders the rate is noise and is not counted."""
    training_bonus: float = 2.0
    """Per passed training ..."""
    training_bonus_cap: int = 5
    """... counted at most this many times, so training cannot buy back a bad record."""
    repaired_weight: float = 0.0
    """How much penalties from before the last approved repair still count (0: fully repaired)."""
    low_risk_from: float = 80.0
    medium_risk_from: float = 60.0

    def level(self, value: float) -> RiskLevel:
        if value >= self.low_risk_from:
            return RiskLevel.LOW
        return RiskLevel.MEDIUM if value >= self.medium_risk_from else RiskLevel.HIGH


@dataclass(frozen=True)
class ScorePart:
    """One line of a score's explanation, e.g. ("violations (major x2)", -10.0)."""

    name: str
    points: float


@dataclass(frozen=True)
class CreditScore:
    value: float
    """Clamped to [0, 100], rounded to one decimal; the parts add up to it (to rounding)."""
    level: RiskLevel
    parts: tuple[ScorePart, ...]


def _penalties(facts: CreditFacts, config: ScoreConfig) -> list[ScorePart]:
    """One line per kind (and severity), current items before repaired ones, so the explanation
    still shows repaired history (ANC-12) at the weight it now carries."""
    flat = {
        CreditItemKind.SUSPENSION: ("suspensions", config.suspension_penalty),
        CreditItemKind.BAN: ("bans", config.ban_penalty),
        CreditItemKind.TERMINATION: ("terminations", config.ban_penalty),
        CreditItemKind.UPHELD_COMPLAINT: ("upheld complaints", config.complaint_penalty),
    }
    # Lines keyed (noun, severity, repaired) and laid out first, so the explanation has a fixed
    # order whatever order the archive lists its items in.
    keys = [("violations", severity.value) for severity in Severity] + [("violations", "ungraded")]
    keys += [(noun, "") for noun, _ in flat.values()]
    lines: dict[tuple[str, str, bool], list[float]] = {(*key, repaired): [] for key in keys for repaired in (False, True)}
    for item in facts.items:
        if item.kind is CreditItemKind.VIOLATION:
            detail = item.severity.value if item.severity else "ungraded"
            noun, penalty = "violations", config.violation_weights[item.severity or Severity.MAJOR]
        elif item.kind in flat:
            (noun, penalty), detail = flat[item.kind], ""
        else:
            continue
        repaired = facts.repaired(item)
        lines[(noun, detail, repaired)].append(penalty * config.repaired_weight if repaired else penalty)
    parts = []
    for (noun, detail, repaired), penalties in lines.items():
        if penalties:
            prefix = f"{detail} " if detail else ""
            suffix = f", before repair x{config.repaired_weight:g}" if repaired else ""
            parts.append(ScorePart(f"{noun} ({prefix}x{len(penalties)}{suffix})", round(0.0 - sum(penalties), 2)))
    return parts


def score(facts: CreditFacts, config: ScoreConfig = ScoreConfig()) -> CreditScore:
    """ANC-10: base minus penalties plus a capped training bonus, clamped to [0, 100]."""
    if facts.of_kind(CreditItemKind.BLACKLISTING):
        # Blacklisting ends the cooperation for good (CREDIT B.6.4): no repair or bonus lifts it.
        return CreditScore(0.0, RiskLevel.HIGH, (ScorePart("blacklisted: score fixed at 0", 0.0),))
    parts = [ScorePart("base", config.base), *_penalties(facts, config)]
    rate = facts.return_rate
    if rate is not None and facts.orders >= config.min_orders_for_return_rate and rate > config.return_rate_threshold:
        above = (rate - config.return_rate_threshold) * 100
        penalty = round(above * config.return_penalty_per_point, 2)
        parts.append(ScorePart(f"return rate {rate:.2%} above {config.return_rate_threshold * 100:g}%", 0.0 - penalty))
    trainings = len(facts.of_kind(CreditItemKind.TRAINING))
    if trainings:
        # Training is rectification done, so repair never reduces it.
        counted = min(trainings, config.training_bonus_cap)
        parts.append(ScorePart(f"trainings (x{counted} counted of {trainings})", counted * config.training_bonus))
    raw = sum(part.points for part in parts)
    value = round(min(100.0, max(0.0, raw)), 1)
    if value != round(raw, 1):
        parts.append(ScorePart("clamped to [0, 100]", round(value - raw, 1)))
    return CreditScore(value, config.level(value), tuple(parts))


@dataclass(frozen=True)
class WarningConfig:
    violation_threshold: int = 3
    """ANC-11 / CREDIT B.9.5: 主播违规 ≥ 3 次."""
    return_rate_threshold: float = 0.05
    """TRD-06 / CREDIT B.9.5: 退货率超5%, strictly above."""
    min_orders_for_return_rate: int = 20


@dataclass(frozen=True)
class FiredThreshold:
    """RSK-02: a warning names the threshold that fired, what was measured and the limit."""

    threshold_id: str
    """Stable: "violations" or "return_rate"."""
    rule_id: str
    description: str
    value: float
    """The measured value: a count, or a rate as a fraction."""
    limit: float


def fired_thresholds(facts: CreditFacts, config: WarningConfig = WarningConfig()) -> list[FiredThreshold]:
    """ANC-11, TRD-06: the warning thresholds the facts reach, violations first."""
    fired = []
    # ANC-12: an approved repair starts the count again; the older violations stay in the archive.
    counted = [item for item in facts.of_kind(CreditItemKind.VIOLATION) if not facts.repaired(item)]
    if len(counted) >= config.violation_threshold:
        since = f" since the credit repair of {facts.repaired_at:%Y-%m-%d}" if facts.repaired_at else ""
        fired.append(
            FiredThreshold(
                "violations",
                "ANC-11",
                f"{len(counted)} violations reached{since} (threshold {config.violation_threshold})",
                float(len(counted)),
                float(config.violation_threshold),
            )
        )
    rate = facts.return_rate
    if rate is not None and facts.orders >= config.min_orders_for_return_rate and rate > config.return_rate_threshold:
        fired.append(
            FiredThreshold(
                "return_rate",
                "TRD-06",
                f"return rate {rate:.2%} ({facts.returns} of {facts.orders} orders) "
                f"above the threshold {config.return_rate_threshold:.2%}",
                rate,
                config.return_rate_threshold,
            )
        )
    return fired


def check_repair_application(
    *,
    now: datetime,
    facts: CreditFacts,
    sanction_in_force: bool,
    final_sanction: bool,
    observation_days: int,
    statement: str,
) -> None:
    """ANC-12: rectification statement given, no sanction running, something to repair, and a
    clean observation period since the last violation (CREDIT B.6.5: 考察期无新失信)."""
    if not statement.strip():
        raise InvalidArgument([FieldViolation("statement", "a rectification statement is required", "ANC-12")])
    if len(statement) > MAX_STATEMENT:
        raise InvalidArgument([FieldViolation("statement", f"is longer than {MAX_STATEMENT} characters", "ANC-12")])
    if final_sanction or facts.of_kind(CreditItemKind.BLACKLISTING):
        raise PreconditionFailed("ANC-12", "credit repair", "a terminated or blacklisted subject cannot repair its credit")
    if sanction_in_force:
        raise PreconditionFailed("ANC-12", "credit repair", "a suspension or ban is in force; apply after it ends")
    check_observation_period(now=now, facts=facts, observation_days=observation_days)


def check_observation_period(*, now: datetime, facts: CreditFacts, observation_days: int) -> None:
    """ANC-12: something to repair and no violation within the observation period before `now`.
    Checked when applying and again when approving, since approval repairs every violation before
    it: one recorded while the application waited must not be wiped with the rest."""
    # Violations an earlier repair covered are not repaired twice.
    open_violations = [item for item in facts.of_kind(CreditItemKind.VIOLATION) if not facts.repaired(item)]
    if not open_violations:
        raise PreconditionFailed("ANC-12", "credit repair", "there is no violation to repair")
    ends = max(item.at for item in open_violations) + timedelta(days=observation_days)
    if now < ends:
        raise PreconditionFailed(
            "ANC-12",
            "credit repair",
            f"the {observation_days}-day observation period after the last violation ends on "
            f"{ends.isoformat(timespec='minutes')}",
        )


class RepairStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def check_repair_decision(*, status: RepairStatus | None, approve: bool | None, reason: str) -> None:
    """ANC-12: a compliance officer decides a pending application once; a rejection says why."""
    if status is None:
        raise PreconditionFailed("ANC-12", "credit repair", "no application with this ID", field="repair_id")
    if status is not RepairStatus.PENDING:
        raise PreconditionFailed("ANC-12", "credit repair", f"the application is already decided ({status.value})")
    if approve is None:
        raise InvalidArgument([FieldViolation("decision", "must be APPROVE or REJECT", "ANC-12")])
    if not approve and not reason.strip():
        raise InvalidArgument([FieldViolation("reason", "is required for a rejection", "ANC-12")])
    if len(reason) > MAX_REASON:
        raise InvalidArgument([FieldViolation("reason", f"is longer than {MAX_REASON} characters", "ANC-12")])
