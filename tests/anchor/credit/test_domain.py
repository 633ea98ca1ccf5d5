"""Pure credit rules: the score formula and its levels (ANC-10), warnings (ANC-11, TRD-06, RSK-02)
and credit repair (ANC-12). Expected scores are computed by hand from the documented defaults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from livecommerce.runtime.errors import InvalidArgument, PreconditionFailed
from services.anchor.credit.domain import (
    CreditFacts,
    CreditItem,
    CreditItemKind,
    FiredThreshold,
    RepairStatus,
    ScoreConfig,
    ScorePart,
    Subject,
    WarningConfig,
    check_repair_application,
    check_repair_decision,
    fired_thresholds,
    score,
    subjects_of,
)
from services.anchor.vocabulary import RiskLevel, Severity, SubjectKind, ViolationCategory

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
K = CreditItemKind


def on(day: int) -> datetime:
    return T0 + timedelta(days=day)


def violation(severity: Severity = Severity.MAJOR, day: int = 0) -> CreditItem:
    return CreditItem(K.VIOLATION, on(day), severity, ViolationCategory.FALSE_ADVERTISING)


def item(kind: CreditItemKind, day: int = 0) -> CreditItem:
    return CreditItem(kind, on(day))


def facts(*items: CreditItem, **changes) -> CreditFacts:
    return CreditFacts(items=items, **changes)


def only_field(error: InvalidArgument) -> tuple[str, str]:
    [violation] = error.violations
    return violation.field, violation.rule


# --- ANC-10: the score -------------------------------------------------------------------------


def test_ANC_10_clean_archive_scores_full_marks():
    result = score(CreditFacts())
    assert (result.value, result.level, result.parts) == (100.0, RiskLevel.LOW, (ScorePart("base", 100.0),))


def test_ANC_10_score_formula_with_defaults():
    # 100 - 2 (minor) - 2 x 5 (major) - 10 (severe) - 10 (suspension) - 3 (complaint) + 2 x 2 (training) = 69
    result = score(
        facts(
            violation(Severity.MAJOR, 1),
            item(K.TRAINING, 2),
            violation(Severity.MINOR, 3),
            violation(Severity.SEVERE, 4),
            item(K.UPHELD_COMPLAINT, 5),
            violation(Severity.MAJOR, 6),
            item(K.SUSPENSION, 7),
            item(K.TRAINING, 8),
        )
    )
    assert result.value == 69.0
    assert result.level is RiskLevel.MEDIUM
    # Fixed order whatever order the archive lists its items in.
    assert result.parts == (
        ScorePart("base", 100.0),
        ScorePart("violations (minor x1)", -2.0),
        ScorePart("violations (major x2)", -10.0),
        ScorePart("violations (severe x1)", -10.0),
        ScorePart("suspensions (x1)", -10.0),
        ScorePart("upheld complaints (x1)", -3.0),
        ScorePart("trainings (x2 counted of 2)", 4.0),
    )


def test_ANC_10_bans_and_terminations_cost_25_each():
    result = score(facts(item(K.BAN), item(K.TERMINATION)))
    assert (result.value, result.level) == (50.0, RiskLevel.HIGH)
    assert ScorePart("bans (x1)", -25.0) in result.parts
    assert ScorePart("terminations (x1)", -25.0) in result.parts


def test_ANC_10_TRD_06_return_rate_costs_2_points_per_point_above_5_percent():
    # 20 of 200 = 10%: 5 points above 5%, x 2 = -10
    result = score(CreditFacts(orders=200, returns=20))
    assert result.value == 90.0
    assert result.parts[-1] == ScorePart("return rate 10.00% above 5%", -10.0)


def test_ANC_10_TRD_06_return_rate_at_exactly_5_percent_costs_nothing():
    assert score(CreditFacts(orders=100, returns=5)).value == 100.0


def test_ANC_10_return_rate_is_ignored_below_20_orders():
    assert score(CreditFacts(orders=19, returns=10)).value == 100.0
    # 2 of 20 = 10%: counted from 20 orders on
    assert score(CreditFacts(orders=20, returns=2)).value == 90.0


def test_ANC_10_training_bonus_is_capped_at_5():
    # 100 - 3 x 10 + min(7, 5) x 2 = 80
    result = score(facts(*(violation(Severity.SEVERE) for _ in range(3)), *(item(K.TRAINING) for _ in range(7))))
    assert (result.value, result.level) == (80.0, RiskLevel.LOW)
    assert ScorePart("trainings (x5 counted of 7)", 10.0) in result.parts


def test_ANC_10_exactly_80_is_low_risk():
    result = score(facts(violation(Severity.SEVERE), violation(Severity.SEVERE)))
    assert (result.value, result.level) == (80.0, RiskLevel.LOW)


def test_ANC_10_79_9_is_medium_risk():
    # 100 - 2 x 5 - 10 - (101/2000 = 5.05%: 0.05 points above x 2 = 0.1) = 79.9
    result = score(facts(violation(), violation(), item(K.SUSPENSION), orders=2000, returns=101))
    assert (result.value, result.level) == (79.9, RiskLevel.MEDIUM)


def test_ANC_10_exactly_60_is_medium_risk_and_59_9_high():
    sanctions = (item(K.SUSPENSION), item(K.BAN), violation(Severity.MAJOR))  # 100 - 10 - 25 - 5 = 60
    result = score(facts(*sanctions))
    assert (result.value, result.level) == (60.0, RiskLevel.MEDIUM)
    # ... and 0.1 less (5.05% returns, as above) is high
    result = score(facts(*sanctions, orders=2000, returns=101))
    assert (result.value, result.level) == (59.9, RiskLevel.HIGH)


def test_ANC_10_score_is_clamped_at_0():
    # 100 - 5 x 25 = -25
    result = score(facts(*(item(K.BAN) for _ in range(5))))
    assert (result.value, result.level) == (0.0, RiskLevel.HIGH)
    assert result.parts[-1] == ScorePart("clamped to [0, 100]", 25.0)
    assert sum(part.points for part in result.parts) == 0.0


def test_ANC_10_score_is_clamped_at_100():
    # 100 + 3 x 2 = 106
    result = score(facts(*(item(K.TRAINING) for _ in range(3))))
    assert result.value == 100.0
    assert result.parts[-1] == ScorePart("clamped to [0, 100]", -6.0)


def test_ANC_10_value_is_rounded_to_one_decimal():
    # 51 of 1000 = 5.1%: 0.1 point above x 2 = 0.2 (floating point alone says 0.1999999999999988)
    result = score(CreditFacts(orders=1000, returns=51))
    assert result.value == 99.8


def test_ANC_10_ANC_12_fully_repaired_penalties_weigh_nothing_but_stay_visible():
    repaired = facts(
        violation(Severity.SEVERE, 1), violation(Severity.SEVERE, 2), violation(Severity.MAJOR, 20), repaired_at=on(10)
    )
    result = score(repaired)
    # 100 - 2 x 10 x 0 - 5 = 95
    assert (result.value, result.level) == (95.0, RiskLevel.LOW)
    assert ScorePart("violations (severe x2, before repair x0)", 0.0) in result.parts
    assert ScorePart("violations (major x1)", -5.0) in result.parts


def test_ANC_10_ANC_12_half_weight_after_repair():
    repaired = facts(
        violation(Severity.SEVERE, 1),
        violation(Severity.SEVERE, 2),
        item(K.SUSPENSION, 3),
        violation(Severity.MAJOR, 20),
        repaired_at=on(10),
    )
    # 100 - 2 x 10 x 0.5 - 10 x 0.5 - 5 = 80
    result = score(repaired, ScoreConfig(repaired_weight=0.5))
    assert (result.value, result.level) == (80.0, RiskLevel.LOW)
    assert ScorePart("violations (severe x2, before repair x0.5)", -10.0) in result.parts
    assert ScorePart("suspensions (x1, before repair x0.5)", -5.0) in result.parts


def test_ANC_10_ANC_12_repair_never_reduces_the_training_bonus():
    # 100 - 10 x 0.5 + 2 (training before the repair, counted in full) = 97
    repaired = facts(violation(Severity.SEVERE, 1), item(K.TRAINING, 2), repaired_at=on(10))
    assert score(repaired, ScoreConfig(repaired_weight=0.5)).value == 97.0


def test_ANC_10_blacklisting_scores_zero_whatever_else():
    result = score(facts(item(K.BLACKLISTING, 1), *(item(K.TRAINING) for _ in range(5)), repaired_at=on(10)))
    assert (result.value, result.level) == (0.0, RiskLevel.HIGH)
    assert len(result.parts) == 1 and "blacklisted" in result.parts[0].name


def test_ANC_10_formula_is_configurable():
    config = ScoreConfig(
        violation_weights={Severity.MINOR: 1.0, Severity.MAJOR: 4.0, Severity.SEVERE: 20.0},
        low_risk_from=90.0,
        medium_risk_from=70.0,
    )
    result = score(facts(violation(Severity.MAJOR), violation(Severity.MINOR)), config)
    assert (result.value, result.level) == (95.0, RiskLevel.LOW)
    assert score(facts(violation(Severity.SEVERE)), config).level is RiskLevel.MEDIUM


def test_ANC_10_default_weights_are_read_only():
    with pytest.raises(TypeError):
        ScoreConfig().violation_weights[Severity.MINOR] = 0.0  # type: ignore[index]


def test_ANC_10_an_ungraded_violation_weighs_as_major_on_its_own_line():
    result = score(facts(CreditItem(K.VIOLATION, T0), violation(Severity.MAJOR)))
    assert result.value == 90.0
    assert ScorePart("violations (ungraded x1)", -5.0) in result.parts
    assert len(fired_thresholds(facts(CreditItem(K.VIOLATION, T0), violation(), violation()))) == 1


def test_return_rate_is_none_without_orders():
    assert CreditFacts().return_rate is None
    assert CreditFacts(orders=8, returns=2).return_rate == 0.25


# --- ANC-11, TRD-06, RSK-02: warnings ----------------------------------------------------------


def test_ANC_11_two_violations_do_not_warn():
    assert fired_thresholds(facts(violation(), violation())) == []


def test_ANC_11_third_violation_fires_the_warning():
    assert fired_thresholds(facts(violation(Severity.MINOR), violation(), violation(Severity.SEVERE))) == [
        FiredThreshold("violations", "ANC-11", "3 violations reached (threshold 3)", 3.0, 3.0)
    ]


def test_ANC_11_only_violations_count_towards_the_warning():
    assert fired_thresholds(facts(violation(), violation(), item(K.SUSPENSION), item(K.UPHELD_COMPLAINT))) == []


def test_ANC_11_threshold_is_configurable():
    config = WarningConfig(violation_threshold=5)
    assert fired_thresholds(facts(*(violation() for _ in range(4))), config) == []
    [fired] = fired_thresholds(facts(*(violation() for _ in range(5))), config)
    assert (fired.value, fired.limit, fired.description) == (5.0, 5.0, "5 violations reached (threshold 5)")


def test_ANC_11_ANC_12_repair_starts_the_count_again():
    old = [violation(day=day) for day in (1, 2, 3)]
    assert fired_thresholds(facts(*old, violation(day=20), violation(day=21), repaired_at=on(10))) == []
    [fired] = fired_thresholds(facts(*old, *(violation(day=day) for day in (20, 21, 22)), repaired_at=on(10)))
    assert fired.rule_id == "ANC-11"
    assert fired.value == 3.0
    assert fired.description == "3 violations reached since the credit repair of 2026-03-11 (threshold 3)"


def test_TRD_06_return_rate_at_exactly_5_percent_does_not_warn():
    assert fired_thresholds(CreditFacts(orders=100, returns=5)) == []
    assert fired_thresholds(CreditFacts(orders=20, returns=1)) == []


def test_TRD_06_return_rate_above_5_percent_warns():
    [fired] = fired_thresholds(CreditFacts(orders=2000, returns=101))
    assert (fired.threshold_id, fired.rule_id) == ("return_rate", "TRD-06")
    assert (fired.value, fired.limit) == (101 / 2000, 0.05)
    assert fired.description == "return rate 5.05% (101 of 2000 orders) above the threshold 5.00%"


def test_TRD_06_return_rate_needs_20_orders():
    assert fired_thresholds(CreditFacts(orders=19, returns=19)) == []
    assert fired_thresholds(CreditFacts()) == []
    assert [f.threshold_id for f in fired_thresholds(CreditFacts(orders=20, returns=2))] == ["return_rate"]
    config = WarningConfig(min_orders_for_return_rate=100)
    assert fired_thresholds(CreditFacts(orders=99, returns=50), config) == []


def test_RSK_02_every_fired_threshold_is_named_with_its_limit():
    fired = fired_thresholds(
        facts(*(violation() for _ in range(4)), orders=50, returns=5),
        WarningConfig(violation_threshold=4, return_rate_threshold=0.08),
    )
    assert [(f.threshold_id, f.rule_id, f.value, f.limit) for f in fired] == [
        ("violations", "ANC-11", 4.0, 4.0),
        ("return_rate", "TRD-06", 0.1, 0.08),
    ]


# --- ANC-12: credit repair ---------------------------------------------------------------------


def apply(**changes) -> None:
    arguments = dict(
        now=on(100),
        facts=facts(violation(day=5), violation(day=10)),
        sanction_in_force=False,
        final_sanction=False,
        observation_days=90,
        statement="已完成整改培训，补偿了受影响的消费者。",
    )
    arguments.update(changes)
    check_repair_application(**arguments)


def test_ANC_12_application_after_a_clean_observation_period_is_accepted():
    apply()  # last violation on day 10, 90 days observed on day 100 exactly
    apply(statement="x" * 2000)


@pytest.mark.parametrize("statement", ["", "   \n"])
def test_ANC_12_application_needs_a_statement(statement):
    with pytest.raises(InvalidArgument) as refused:
        apply(statement=statement)
    assert only_field(refused.value) == ("statement", "ANC-12")


def test_ANC_12_statement_longer_than_2000_is_refused():
    with pytest.raises(InvalidArgument) as refused:
        apply(statement="x" * 2001)
    assert only_field(refused.value) == ("statement", "ANC-12")


def test_ANC_12_no_repair_while_a_sanction_is_in_force():
    with pytest.raises(PreconditionFailed) as refused:
        apply(sanction_in_force=True)
    assert refused.value.rule == "ANC-12"
    assert "in force" in refused.value.description


def test_ANC_12_no_repair_after_termination_or_blacklisting():
    with pytest.raises(PreconditionFailed) as refused:
        apply(final_sanction=True)
    assert refused.value.rule == "ANC-12"
    # A blacklisting in the archive is final even if the caller did not say so.
    with pytest.raises(PreconditionFailed) as refused:
        apply(facts=facts(violation(day=5), item(K.BLACKLISTING, 6)))
    assert refused.value.rule == "ANC-12"
    assert "blacklisted" in refused.value.description


def test_ANC_12_nothing_to_repair_without_a_violation():
    with pytest.raises(PreconditionFailed) as refused:
        apply(facts=facts(item(K.UPHELD_COMPLAINT, 5)))
    assert refused.value.rule == "ANC-12"
    assert "no violation" in refused.value.description


def test_ANC_12_violations_already_repaired_are_not_repaired_twice():
    with pytest.raises(PreconditionFailed) as refused:
        apply(facts=facts(violation(day=5), violation(day=10), repaired_at=on(50)))
    assert "no violation" in refused.value.description


def test_ANC_12_observation_period_must_have_passed():
    with pytest.raises(PreconditionFailed) as refused:
        apply(now=on(100) - timedelta(minutes=1))
    assert refused.value.rule == "ANC-12"
    assert refused.value.subject == "credit repair"
    assert "2026-06-09T09:30+00:00" in refused.value.description  # day 10 + 90 days


def test_ANC_12_observation_counts_from_the_last_violation():
    with pytest.raises(PreconditionFailed) as refused:
        apply(facts=facts(violation(day=5), violation(day=60)), observation_days=30, now=on(80))
    assert "2026-05-30" in refused.value.description
    apply(facts=facts(violation(day=5), violation(day=60)), observation_days=30, now=on(90))


def test_ANC_12_decision_on_a_missing_application_is_refused():
    with pytest.raises(PreconditionFailed) as refused:
        check_repair_decision(status=None, approve=True, reason="")
    assert (refused.value.rule, refused.value.field) == ("ANC-12", "repair_id")


@pytest.mark.parametrize("status", [RepairStatus.APPROVED, RepairStatus.REJECTED])
def test_ANC_12_an_application_is_decided_once(status):
    with pytest.raises(PreconditionFailed) as refused:
        check_repair_decision(status=status, approve=True, reason="")
    assert refused.value.rule == "ANC-12"
    assert "already decided" in refused.value.description


def test_ANC_12_decision_must_be_approve_or_reject():
    with pytest.raises(InvalidArgument) as refused:
        check_repair_decision(status=RepairStatus.PENDING, approve=None, reason="")
    assert only_field(refused.value) == ("decision", "ANC-12")


@pytest.mark.parametrize("reason", ["", "  "])
def test_ANC_12_rejection_needs_a_reason(reason):
    with pytest.raises(InvalidArgument) as refused:
        check_repair_decision(status=RepairStatus.PENDING, approve=False, reason=reason)
    assert only_field(refused.value) == ("reason", "ANC-12")


@pytest.mark.parametrize("approve", [True, False])
def test_ANC_12_reason_longer_than_1000_is_refused(approve):
    with pytest.raises(InvalidArgument) as refused:
        check_repair_decision(status=RepairStatus.PENDING, approve=approve, reason="x" * 1001)
    assert only_field(refused.value) == ("reason", "ANC-12")


def test_ANC_12_valid_decisions_pass():
    check_repair_decision(status=RepairStatus.PENDING, approve=True, reason="")
    check_repair_decision(status=RepairStatus.PENDING, approve=False, reason="整改证明不足" + "x" * 994)


# --- Exact refusals: the caller is told what is wrong -------------------------------------------


@pytest.mark.parametrize(
    ("changes", "description"),
    [
        (dict(final_sanction=True), "a terminated or blacklisted subject cannot repair its credit"),
        (
            dict(facts=facts(violation(day=5), item(K.BLACKLISTING, 6))),
            "a terminated or blacklisted subject cannot repair its credit",
        ),
        (dict(sanction_in_force=True), "a suspension or ban is in force; apply after it ends"),
        (dict(facts=facts(item(K.UPHELD_COMPLAINT, 5))), "there is no violation to repair"),
        (dict(now=on(99)), "the 90-day observation period after the last violation ends on 2026-06-09T09:30+00:00"),
    ],
)
def test_ANC_12_repair_application_refusals_say_why(changes, description):
    with pytest.raises(PreconditionFailed) as refused:
        apply(**changes)
    assert (refused.value.rule, refused.value.subject, refused.value.description) == (
        "ANC-12",
        "credit repair",
        description,
    )


def test_ANC_12_missing_statement_is_refused_with_the_reason():
    with pytest.raises(InvalidArgument) as refused:
        apply(statement=" ")
    assert [(v.field, v.description) for v in refused.value.violations] == [
        ("statement", "a rectification statement is required")
    ]
    with pytest.raises(InvalidArgument) as refused:
        apply(statement="x" * 2001)
    assert [(v.field, v.description) for v in refused.value.violations] == [("statement", "is longer than 2000 characters")]


@pytest.mark.parametrize(
    ("status", "approve", "reason", "description", "field"),
    [
        (None, True, "", "no application with this ID", "repair_id"),
        (RepairStatus.APPROVED, True, "", "the application is already decided (approved)", None),
        (RepairStatus.REJECTED, False, "no", "the application is already decided (rejected)", None),
    ],
)
def test_ANC_12_repair_decision_preconditions_say_why(status, approve, reason, description, field):
    with pytest.raises(PreconditionFailed) as refused:
        check_repair_decision(status=status, approve=approve, reason=reason)
    assert (refused.value.rule, refused.value.subject, refused.value.description, refused.value.field) == (
        "ANC-12",
        "credit repair",
        description,
        field,
    )


@pytest.mark.parametrize(
    ("approve", "reason", "field", "description"),
    [
        (None, "", "decision", "must be APPROVE or REJECT"),
        (False, " ", "reason", "is required for a rejection"),
        (True, "x" * 1001, "reason", "is longer than 1000 characters"),
    ],
)
def test_ANC_12_bad_repair_decisions_say_what_is_wrong(approve, reason, field, description):
    with pytest.raises(InvalidArgument) as refused:
        check_repair_decision(status=RepairStatus.PENDING, approve=approve, reason=reason)
    assert [(v.field, v.description, v.rule) for v in refused.value.violations] == [(field, description, "ANC-12")]


def test_ANC_12_a_violation_at_the_moment_of_repair_is_not_repaired():
    # the repair covers what happened before its approval, not what is recorded at the same instant
    result = score(facts(violation(Severity.MAJOR, 10), repaired_at=on(10)))
    assert ScorePart("violations (major x1)", -5.0) in result.parts
    assert result.value == 95.0


# --- ANC-10: the explanation's exact arithmetic ----------------------------------------------------


def test_ANC_10_blacklisting_explains_itself_in_one_line():
    result = score(facts(item(K.BLACKLISTING, 1)))
    assert result.parts == (ScorePart("blacklisted: score fixed at 0", 0.0),)


def test_ANC_10_TRD_06_a_return_rate_at_exactly_5_percent_adds_no_line():
    assert score(CreditFacts(orders=100, returns=5)).parts == (ScorePart("base", 100.0),)


def test_ANC_10_penalty_lines_are_rounded_to_two_decimals_and_the_value_to_one():
    # 151 of 3000 = 5.0333...%: 0.0333 points above x 2 = 0.0667 -> -0.07 on its line; 99.93 -> 99.9
    result = score(CreditFacts(orders=3000, returns=151))
    assert result.parts == (ScorePart("base", 100.0), ScorePart("return rate 5.03% above 5%", -0.07))
    assert result.value == 99.9
    weights = {Severity.MINOR: 1.234, Severity.MAJOR: 5.0, Severity.SEVERE: 10.0}
    result = score(facts(violation(Severity.MINOR)), ScoreConfig(violation_weights=weights))
    assert result.parts == (ScorePart("base", 100.0), ScorePart("violations (minor x1)", -1.23))
    assert result.value == 98.8


def test_ANC_10_clamping_line_is_rounded_to_one_decimal():
    # 100 - 0.07 + 3 x 2 = 105.93, clamped to 100: the clamp line says -5.9
    result = score(facts(*(item(K.TRAINING) for _ in range(3)), orders=3000, returns=151))
    assert result.value == 100.0
    assert result.parts[-1] == ScorePart("clamped to [0, 100]", -5.9)


# --- Whose archive --------------------------------------------------------------------------------


def test_ANC_10_an_anchors_facts_count_for_it_and_its_agency():
    assert subjects_of("anchor-1", "agency-1") == [
        Subject(SubjectKind.ANCHOR, "anchor-1"),
        Subject(SubjectKind.AGENCY, "agency-1"),
    ]
    assert subjects_of("anchor-1", "") == [Subject(SubjectKind.ANCHOR, "anchor-1")]
