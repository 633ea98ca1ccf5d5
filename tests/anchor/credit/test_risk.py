"""RSK-01: the Annex A risk assessment, checked against the standard's own table and Table 1."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from livecommerce.runtime.errors import InvalidArgument
from services.anchor.credit.risk import (
    ACTIONS,
    Attestation,
    Basis,
    RiskFacts,
    RiskPoint,
    RiskReport,
    _load,
    assess,
    check_attestation,
    risk_point,
    risk_points,
    to_csv,
    to_json,
)
from services.anchor.vocabulary import RiskLevel, SubjectKind, ViolationCategory

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
LOW, MEDIUM, HIGH = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH


def anchor(**changes) -> RiskFacts:
    """A clean adult anchor: approved, trained, not a digital human."""
    facts = dict(
        subject_kind=SubjectKind.ANCHOR,
        subject_id="anchor-1",
        approved_file=True,
        onboarding_trained=True,
        minor=False,
        digital_human=False,
    )
    return RiskFacts(**(facts | changes))


def agency(**changes) -> RiskFacts:
    facts = dict(
        subject_kind=SubjectKind.AGENCY,
        subject_id="agency-1",
        anchors=10,
        anchors_approved=10,
        anchors_trained=10,
        minors_without_consent=0,
        valid_credit_code=True,
    )
    return RiskFacts(**(facts | changes))


def attestation(level: RiskLevel, note: str = "checked the ledgers") -> Attestation:
    return Attestation(level=level, note=note, attested_by="officer-7", attested_at=NOW)


def point(report: RiskReport, number: int):
    found = report.points[number - 1]
    assert found.point.number == number
    return found


def test_RSK_01_annex_a_has_21_points_with_levels_from_the_standard():
    points = risk_points()
    # the annex's preamble says 19, its table numbers 21: we keep all 21
    assert [p.number for p in points] == list(range(1, 22))
    assert len({p.key for p in points}) == 21
    expected = {
        1: ("经营主体资质合规风险点", LOW),
        2: ("品控合规风险点 - 平台资质", MEDIUM),
        3: ("品控合规风险点 - 供应商资质", HIGH),
        5: ("品控合规风险点 - 产品价格", HIGH),  # split across a page break in the standard
        9: ("人员合规风险点 - 主播合规要求", MEDIUM),
        10: ("人员合规风险点 - 数字人主播", LOW),
        12: ("内容合规风险点", HIGH),
        17: ("未成年人保护风险点", HIGH),
        18: ("消费者保护风险点", HIGH),
        21: ("税务风险点", MEDIUM),
    }
    for number, (name_zh, level) in expected.items():
        assert (risk_point(number).name_zh, risk_point(number).default_level) == (name_zh, level)
    assert risk_point(5).countermeasures_zh[0] == "直播主体根据市场情况和自身运营成本合理定价，不滥用自主定价权；"
    assert risk_point(11).countermeasures_zh == (
        "在收集、处理、使用直播营销人员、消费者等个人信息及其他类型数据时，遵守法律、行政法规有关个人信息保护的规定以及 GB/T 35273 要求。",
    )
    assert len(risk_point(6).countermeasures_zh) == 6
    assert risk_point(17).countermeasures_zh[-1] == "直播间标注“未成年人需监护人陪同观看”。"
    assert all(p.countermeasures_zh and not p.countermeasures_zh[0][0].isdigit() for p in points)
    assert risk_point(0) is None and risk_point(22) is None
    assert {p.key for p in points} >= {"entity_qualification", "product_price", "minors_protection"}


def test_RSK_01_report_lists_every_point_with_its_action():
    report = assess(anchor(), now=NOW)
    assert (report.subject_kind, report.subject_id, report.generated_at) == (SubjectKind.ANCHOR, "anchor-1", NOW)
    assert [a.point.number for a in report.points] == list(range(1, 22))
    for a in report.points:
        assert (a.action_zh, a.action_en) == ACTIONS[a.level]
        assert a.evidence
    assert ACTIONS[HIGH][0] == "需要立即采取纠正措施"
    assert ACTIONS[MEDIUM][0] == "需要持续关注，采取积极的纠正措施"
    assert ACTIONS[LOW][0] == "需要持续关注，是否采取措施视具体情况"
    assert sum(report.counts.values()) == 21
    # tax, suppliers ... stay at Annex A's defaults until attested; supplier qualification is high
    assert report.overall is HIGH
    assert report.counts[HIGH] == sum(a.level is HIGH for a in report.points)


def test_RSK_01_a_clean_anchor_is_low_on_every_facts_point():
    report = assess(anchor(), now=NOW)
    for number in (4, 5, 6, 8, 9, 10, 11, 12, 14, 15, 17, 18):
        assert (point(report, number).level, point(report, number).basis) == (LOW, Basis.FACTS), number
    assert "no banned_content violations" in point(report, 12).evidence


def test_RSK_01_a_changed_fact_changes_the_report():
    clean = assess(anchor(), now=NOW)
    once = assess(anchor(violations={ViolationCategory.BANNED_CONTENT: 1}), now=NOW)
    twice = assess(anchor(violations={ViolationCategory.PRIVACY_LEAK: 2}), now=NOW)
    single_leak = assess(anchor(violations={ViolationCategory.PRIVACY_LEAK: 1}), now=NOW)
    assert point(clean, 12).level is LOW
    assert point(once, 12).level is HIGH  # content's default level is high
    assert "banned_content: 1" in point(once, 12).evidence
    assert point(single_leak, 11).level is MEDIUM  # one violation: the default level
    assert point(twice, 11).level is HIGH  # repeat exposure
    assert "repeat exposure" in point(twice, 11).evidence

    untrained = assess(anchor(onboarding_trained=False), now=NOW)
    assert point(untrained, 9).level is MEDIUM
    assert "ANC-05" in point(untrained, 9).evidence
    assert point(assess(anchor(onboarding_trained=True), now=NOW), 9).level is LOW

    unapproved = assess(anchor(approved_file=False), now=NOW)
    assert point(unapproved, 8).level is MEDIUM


def test_RSK_01_one_category_exposes_every_point_it_belongs_to():
    report = assess(anchor(violations={ViolationCategory.IP_INFRINGEMENT: 1}), now=NOW)
    assert point(report, 14).level is HIGH and point(report, 15).level is HIGH
    two_kinds = assess(
        anchor(violations={ViolationCategory.ABSOLUTE_TERMS: 1, ViolationCategory.FALSE_ADVERTISING: 1}), now=NOW
    )
    assert point(two_kinds, 6).level is HIGH and "repeat exposure" in point(two_kinds, 6).evidence


def test_RSK_01_minors_protection_for_anchors_and_agencies():
    assert point(assess(anchor(minor=False), now=NOW), 17).level is LOW
    with_consent = point(assess(anchor(minor=True, guardian_consent_on_file=True), now=NOW), 17)
    assert (with_consent.level, with_consent.basis) == (MEDIUM, Basis.FACTS)
    assert with_consent.action_en == "continued attention and active correction"
    without = point(assess(anchor(minor=True, guardian_consent_on_file=False), now=NOW), 17)
    assert without.level is HIGH and "without guardian consent" in without.evidence
    assert without.action_zh == "需要立即采取纠正措施"
    assert point(assess(anchor(minor=True, guardian_consent_on_file=None), now=NOW), 17).level is HIGH
    # a minors violation on an adult's record still exposes the point at its default (high)
    exposed = point(assess(anchor(violations={ViolationCategory.MINORS: 1}), now=NOW), 17)
    assert exposed.level is HIGH

    assert point(assess(agency(minors_without_consent=0), now=NOW), 17).level is LOW
    assert point(assess(agency(minors_without_consent=2), now=NOW), 17).level is HIGH


def test_RSK_01_agency_facts_grade_entity_personnel_and_cooperation():
    clean = assess(agency(), now=NOW)
    for number in (1, 7, 8, 9):
        assert (point(clean, number).level, point(clean, number).basis) == (LOW, Basis.FACTS), number
    report = assess(agency(valid_credit_code=False, anchors_trained=8, anchors_approved=9), now=NOW)
    assert point(report, 1).level is MEDIUM and "GB 32100" in point(report, 1).evidence
    assert point(report, 7).level is MEDIUM and "8 of 10" in point(report, 7).evidence
    assert point(report, 9).level is MEDIUM
    assert point(report, 8).level is MEDIUM and "9 of 10" in point(report, 8).evidence


def test_RSK_01_facts_that_do_not_apply_leave_the_point_to_attestation():
    anchor_report = assess(anchor(), now=NOW)
    # an anchor has no credit code and no staff: points 1 and 7 need an officer
    for number in (1, 7):
        a = point(anchor_report, number)
        assert (a.level, a.basis) == (risk_point(number).default_level, Basis.NOT_ASSESSED)
    bare_agency = RiskFacts(subject_kind=SubjectKind.AGENCY, subject_id="agency-2")
    report = assess(bare_agency, now=NOW)
    for number in (1, 7, 8, 9, 10, 17):
        assert point(report, number).basis is Basis.NOT_ASSESSED, number
    attested = assess(
        RiskFacts(subject_kind=SubjectKind.AGENCY, subject_id="agency-2", attestations={10: attestation(LOW)}),
        now=NOW,
    )
    assert (point(attested, 10).level, point(attested, 10).basis) == (LOW, Basis.ATTESTATION)


def test_RSK_01_digital_human_anchor_is_low_and_labelled_by_the_platform():
    a = point(assess(anchor(digital_human=True), now=NOW), 10)
    assert (a.level, a.basis) == (LOW, Basis.FACTS)
    assert "digital-human (AI) anchor" in a.evidence and "数字 AI 直播" in a.evidence
    assert "not a digital-human" in point(assess(anchor(), now=NOW), 10).evidence
    unlabelled = anchor(digital_human=True, violations={ViolationCategory.DIGITAL_HUMAN_UNLABELLED: 2})
    assert point(assess(unlabelled, now=NOW), 10).level is HIGH


@pytest.mark.parametrize(
    ("complaints", "return_rate", "level"),
    [(0, None, LOW), (0, 0.05, LOW), (1, 0.01, MEDIUM), (2, None, MEDIUM), (3, 0.0, HIGH), (0, 0.051, HIGH)],
)
def test_RSK_01_consumer_protection_from_complaints_and_returns(complaints, return_rate, level):
    a = point(assess(anchor(upheld_complaints=complaints, return_rate=return_rate), now=NOW), 18)
    assert (a.level, a.basis) == (level, Basis.FACTS)
    assert f"upheld complaints: {complaints}" in a.evidence


def test_RSK_01_attestation_raises_a_facts_point_but_never_lowers_it():
    raised = point(assess(anchor(attestations={9: attestation(HIGH, "scripts not read before going live")}), now=NOW), 9)
    assert (raised.level, raised.basis) == (HIGH, Basis.ATTESTATION)
    assert "officer-7" in raised.evidence and "scripts not read" in raised.evidence
    assert raised.action_en == "immediate corrective action"

    facts = anchor(violations={ViolationCategory.BANNED_CONTENT: 1}, attestations={12: attestation(LOW, "rectified")})
    kept = point(assess(facts, now=NOW), 12)
    assert (kept.level, kept.basis) == (HIGH, Basis.FACTS)
    assert "cannot lower" in kept.evidence and "rectified" in kept.evidence


def test_RSK_01_attestation_sets_an_attestation_point():
    report = assess(anchor(attestations={21: attestation(LOW, "tax filings current"), 3: attestation(MEDIUM)}), now=NOW)
    tax = point(report, 21)
    assert (tax.level, tax.basis) == (LOW, Basis.ATTESTATION)
    assert "tax filings current" in tax.evidence and "officer-7" in tax.evidence
    assert tax.action_zh == "需要持续关注，是否采取措施视具体情况"
    assert point(report, 3).level is MEDIUM  # lowered from the default high by an officer's finding


def test_RSK_01_a_point_with_neither_facts_nor_attestation_keeps_its_default():
    report = assess(anchor(), now=NOW)
    for number in (2, 3, 13, 16, 19, 20, 21):
        a = point(report, number)
        assert (a.level, a.basis) == (risk_point(number).default_level, Basis.NOT_ASSESSED), number
        assert "attestation is needed" in a.evidence
        assert (a.action_zh, a.action_en) == ACTIONS[a.level]


def test_RSK_01_bad_attestations_are_refused_field_by_field():
    check_attestation(number=21, level=LOW, note="ok")
    cases = [
        (dict(number=0, level=LOW, note="x"), {"point_number"}),
        (dict(number=22, level=LOW, note="x"), {"point_number"}),
        (dict(number=3, level=None, note="x"), {"level"}),
        (dict(number=3, level=LOW, note="   "), {"note"}),
        (dict(number=3, level=LOW, note="x" * 1001), {"note"}),
        (dict(number=99, level=None, note=""), {"point_number", "level", "note"}),
    ]
    for arguments, fields in cases:
        with pytest.raises(InvalidArgument) as refused:
            check_attestation(**arguments)
        assert {v.field for v in refused.value.violations} == fields
        assert all(v.rule == "RSK-01" for v in refused.value.violations)
    check_attestation(number=3, level=HIGH, note="x" * 1000)


def test_RSK_01_json_export_round_trips():
    report = assess(anchor(minor=True, guardian_consent_on_file=False), now=NOW)
    text = to_json(report)
    assert "未成年人保护风险点" in text  # not \\u-escaped
    document = json.loads(text)
    assert len(document["points"]) == 21
    assert document["overall"] == "high" == report.overall
    assert document["subject_id"] == "anchor-1" and document["generated_at"] == NOW.isoformat()
    assert document["points"][16]["level"] == "high" and document["points"][16]["basis"] == "facts"
    assert document["points"][0]["countermeasures_zh"] == list(risk_point(1).countermeasures_zh)
    assert sum(document["counts"].values()) == 21
    assert list(document["points"][0])[:6] == ["number", "key", "name_zh", "name_en", "default_level", "level"]
    assert to_json(report) == text  # stable


def test_RSK_01_csv_export_keeps_chinese_and_quoting():
    note = 'supplier "A, Ltd" licences lapsed, 2 of 5'
    report = assess(anchor(attestations={3: attestation(HIGH, note)}), now=NOW)
    rows = list(csv.reader(io.StringIO(to_csv(report))))
    assert rows[0] == ["number", "key", "name_zh", "name_en", "level", "basis", "evidence", "action_zh", "action_en"]
    assert len(rows) == 22
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 22)]
    assert rows[5][2] == "品控合规风险点 - 产品价格"
    supplier = rows[3]
    assert supplier[1] == "supplier_qualification" and supplier[4] == "high" and supplier[5] == "attestation"
    assert note in supplier[6]
    assert supplier[7] == "需要立即采取纠正措施"


def test_RSK_01_facts_are_frozen_and_checked():
    counts = {ViolationCategory.BANNED_CONTENT: 1}
    facts = anchor(violations=counts)
    counts[ViolationCategory.BANNED_CONTENT] = 5
    assert facts.violations[ViolationCategory.BANNED_CONTENT] == 1
    with pytest.raises(ValueError):
        anchor(violations={ViolationCategory.BANNED_CONTENT: -1})
    with pytest.raises(ValueError):
        anchor(return_rate=1.5)


# --- The evidence a regulator reads: exact texts, one per finding ----------------------------------

CLEAN = "no {} violations in the window"


@pytest.mark.parametrize(
    ("facts", "number", "level", "evidence"),
    [
        (anchor(), 8, LOW, "approved real-name file on record (ANC-02)"),
        (anchor(approved_file=False), 8, MEDIUM, "no approved real-name file (ANC-02)"),
        (anchor(), 9, LOW, "onboarding training recorded (ANC-05)"),
        (anchor(onboarding_trained=False), 9, MEDIUM, "no completed onboarding training recorded (ANC-05)"),
        (agency(), 7, LOW, "10 of 10 signed anchors have completed onboarding training (ANC-05)"),
        (agency(anchors_trained=8), 9, MEDIUM, "8 of 10 signed anchors have completed onboarding training (ANC-05)"),
        (agency(), 8, LOW, "10 of 10 signed anchors have an approved real-name file (ANC-02)"),
        (agency(anchors_approved=9), 8, MEDIUM, "9 of 10 signed anchors have an approved real-name file (ANC-02)"),
        (agency(), 1, LOW, "valid unified social credit code (GB 32100) on file"),
        (agency(valid_credit_code=False), 1, MEDIUM, "no valid unified social credit code (GB 32100) on file"),
        (
            anchor(digital_human=True),
            10,
            LOW,
            'anchor is a digital-human (AI) anchor; the platform labels such rooms "数字 AI 直播" (ANC-13, SES-09); '
            + CLEAN.format("digital_human_unlabelled"),
        ),
        (
            anchor(),
            10,
            LOW,
            'anchor is not a digital-human anchor; the platform labels such rooms "数字 AI 直播" (ANC-13, SES-09); '
            + CLEAN.format("digital_human_unlabelled"),
        ),
        (anchor(), 17, LOW, "anchor is an adult; " + CLEAN.format("minors")),
        (
            anchor(minor=True, guardian_consent_on_file=True),
            17,
            MEDIUM,
            "anchor is aged 16-17 with guardian consent on file (ANC-04); " + CLEAN.format("minors"),
        ),
        (
            anchor(minor=True),
            17,
            HIGH,
            "anchor is aged 16-17 without guardian consent on file (ANC-04); " + CLEAN.format("minors"),
        ),
        (
            agency(minors_without_consent=2),
            17,
            HIGH,
            "2 signed minor anchors without guardian consent (ANC-04); " + CLEAN.format("minors"),
        ),
        (
            anchor(),
            18,
            LOW,
            "upheld complaints: 0, return rate: unknown (too few orders); "
            + CLEAN.format("consumer_deception/off_platform_lure"),
        ),
        (
            anchor(upheld_complaints=1, return_rate=0.051),
            18,
            HIGH,
            "upheld complaints: 1, return rate: 5.1%; " + CLEAN.format("consumer_deception/off_platform_lure"),
        ),
        (
            anchor(violations={ViolationCategory.ABSOLUTE_TERMS: 1, ViolationCategory.FALSE_ADVERTISING: 1}),
            6,
            HIGH,
            "2 violations in the window (absolute_terms: 1, false_advertising: 1), repeat exposure",
        ),
        (anchor(violations={ViolationCategory.BANNED_CONTENT: 1}), 12, HIGH, "1 violation in the window (banned_content: 1)"),
    ],
)
def test_RSK_01_each_facts_point_states_its_evidence(facts, number, level, evidence):
    a = point(assess(facts, now=NOW), number)
    assert (a.level, a.basis, a.evidence) == (level, Basis.FACTS, evidence)


def test_RSK_01_a_point_without_facts_says_an_attestation_is_needed():
    a = point(assess(anchor(), now=NOW), 21)
    assert a.evidence == (
        "no platform facts for this point; a compliance officer's attestation is needed (Annex A default)"
    )


def test_RSK_01_an_unknown_digital_human_flag_leaves_point_10_to_an_officer():
    a = point(assess(anchor(digital_human=None), now=NOW), 10)
    assert (a.level, a.basis) == (LOW, Basis.NOT_ASSESSED)


def test_RSK_01_an_agency_without_a_signed_anchor_count_is_not_graded_on_its_anchors():
    # counts of trained or approved anchors mean nothing without the number signed, and vice versa
    for facts in (agency(anchors=None), agency(anchors_trained=None, anchors_approved=None)):
        report = assess(facts, now=NOW)
        for number in (7, 8, 9):
            assert point(report, number).basis is Basis.NOT_ASSESSED, number


def test_RSK_01_a_violation_alone_grades_a_point_whose_own_facts_are_unknown():
    # minors status unknown (agency without the count), but a minors violation is on record
    a = point(assess(agency(minors_without_consent=None, violations={ViolationCategory.MINORS: 1}), now=NOW), 17)
    assert (a.level, a.basis, a.evidence) == (HIGH, Basis.FACTS, "1 violation in the window (minors: 1)")


ATTESTED_LOW = "attested low by officer-7 at 2025-03-01T09:30:00+00:00: rectified"


def test_RSK_01_an_attestation_below_the_facts_is_recorded_but_kept_out_of_the_level():
    facts = anchor(violations={ViolationCategory.BANNED_CONTENT: 1}, attestations={12: attestation(LOW, "rectified")})
    kept = point(assess(facts, now=NOW), 12)
    assert (kept.level, kept.basis) == (HIGH, Basis.FACTS)
    assert kept.evidence == (
        f"1 violation in the window (banned_content: 1); {ATTESTED_LOW} (cannot lower the level the facts set)"
    )


def test_RSK_01_an_attestation_equal_to_the_facts_leaves_the_facts_basis():
    a = point(assess(anchor(attestations={9: attestation(LOW, "rectified")}), now=NOW), 9)
    assert (a.level, a.basis) == (LOW, Basis.FACTS)
    assert a.evidence == f"onboarding training recorded (ANC-05); {ATTESTED_LOW}"


def test_RSK_01_an_attestation_above_the_facts_raises_the_level_without_a_caveat():
    a = point(assess(anchor(attestations={9: attestation(HIGH, "rectified")}), now=NOW), 9)
    assert (a.level, a.basis) == (HIGH, Basis.ATTESTATION)
    assert a.evidence == "onboarding training recorded (ANC-05); " + ATTESTED_LOW.replace("low", "high")


def test_RSK_01_attestation_refusals_say_what_is_wrong():
    with pytest.raises(InvalidArgument) as refused:
        check_attestation(number=99, level=None, note=" ")
    assert [(v.field, v.description) for v in refused.value.violations] == [
        ("point_number", "must be an Annex A point, 1..21"),
        ("level", "must be LOW, MEDIUM or HIGH"),
        ("note", "is required: say what the finding rests on"),
    ]
    with pytest.raises(InvalidArgument) as refused:
        check_attestation(number=3, level=LOW, note="x" * 1001)
    assert [(v.field, v.description) for v in refused.value.violations] == [
        ("note", "is longer than 1000 characters")
    ]


# --- Facts are checked and frozen ------------------------------------------------------------------


def test_RSK_01_zero_counts_and_a_return_rate_of_one_are_valid_facts():
    facts = anchor(violations={ViolationCategory.BANNED_CONTENT: 0}, return_rate=1.0)
    assert point(assess(facts, now=NOW), 12).level is LOW
    assert point(assess(facts, now=NOW), 18).level is HIGH
    assert anchor(return_rate=0.0).return_rate == 0.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(violations={ViolationCategory.BANNED_CONTENT: -1}), "violation and complaint counts cannot be negative"),
        (dict(upheld_complaints=-1), "violation and complaint counts cannot be negative"),
        (dict(return_rate=1.01), "return_rate is a fraction between 0 and 1"),
        (dict(return_rate=-0.01), "return_rate is a fraction between 0 and 1"),
    ],
)
def test_RSK_01_impossible_facts_are_refused_with_the_reason(changes, message):
    with pytest.raises(ValueError) as refused:
        anchor(**changes)
    assert str(refused.value) == message


def test_RSK_01_attestations_are_frozen_with_the_facts():
    attestations = {3: attestation(HIGH)}
    facts = anchor(attestations=attestations)
    attestations[21] = attestation(LOW)
    del attestations[3]
    assert list(facts.attestations) == [3]
    with pytest.raises(TypeError):
        facts.attestations[21] = attestation(LOW)  # type: ignore[index]


# --- Table A.1's loader: a broken data file fails loudly, naming the entry --------------------------

ENTRY = {
    "number": 4,
    "key": "product_quality",
    "name_zh": "品控合规风险点 - 产品质量",
    "name_en": "Product quality",
    "default_level": "high",
    "countermeasures_zh": ["甲", "乙"],
    "basis": "facts",
    "violation_categories": ["product_quality"],
}


def test_RSK_01_an_annex_a_entry_loads_field_by_field():
    assert _load(ENTRY) == RiskPoint(
        number=4,
        key="product_quality",
        name_zh="品控合规风险点 - 产品质量",
        name_en="Product quality",
        default_level=HIGH,
        countermeasures_zh=("甲", "乙"),
        basis="facts",
        violation_categories=frozenset({ViolationCategory.PRODUCT_QUALITY}),
    )
    assert _load(ENTRY | {"basis": "attestation", "violation_categories": []}).basis == "attestation"


@pytest.mark.parametrize("missing", sorted(ENTRY))
def test_RSK_01_an_annex_a_entry_missing_a_field_is_refused(missing):
    entry = {k: v for k, v in ENTRY.items() if k != missing}
    with pytest.raises(ValueError) as refused:
        _load(entry)
    assert str(refused.value) == f"annex_a.json entry {entry!r}: '{missing}'"


@pytest.mark.parametrize(
    "changes",
    [{"basis": "guess"}, {"countermeasures_zh": []}, {"name_zh": ""}],
)
def test_RSK_01_an_annex_a_entry_without_basis_name_or_countermeasures_is_refused(changes):
    with pytest.raises(ValueError) as refused:
        _load(ENTRY | changes)
    assert str(refused.value) == "annex_a.json point 4: basis, name and countermeasures are required"


# --- Exports ---------------------------------------------------------------------------------------


def test_RSK_01_json_export_names_the_rule_and_standard_in_a_fixed_layout():
    text = to_json(assess(anchor(), now=NOW))
    assert text.startswith(
        '{\n  "rule": "RSK-01",\n  "standard": "CREDIT 8.4, Table 1, Annex A Table A.1",\n'
        '  "subject_kind": "anchor",\n  "subject_id": "anchor-1",\n'
    )
    assert text.endswith("\n}\n")


def test_RSK_01_json_export_writes_every_field_of_a_point():
    report = assess(anchor(onboarding_trained=False), now=NOW)
    document = json.loads(to_json(report))
    nine = risk_point(9)
    assert document["points"][8] == {
        "number": 9,
        "key": nine.key,
        "name_zh": "人员合规风险点 - 主播合规要求",
        "name_en": nine.name_en,
        "default_level": "medium",
        "level": "medium",
        "basis": "facts",
        "evidence": "no completed onboarding training recorded (ANC-05)",
        "action_zh": "需要持续关注，采取积极的纠正措施",
        "action_en": "continued attention and active correction",
        "countermeasures_zh": list(nine.countermeasures_zh),
    }
    assert document["points"][0]["default_level"] == "low"
