"""Price integrity (PRD-08): a crossed-out price needs evidence of a real, recent, at-least-as-high
prior selling price; boundaries of the window and the amount."""

from __future__ import annotations

from datetime import timedelta

import pytest

from livecommerce.runtime.errors import FieldViolation
from services.product.pricing import DocumentRef, PriceEvidence, check_crossed_out_price, yuan
from services.product.rules_config import PricingRules, SubmissionRules
from tests.product.builders import NOW


def problems(crossed=12900, price=8990, evidence=None, now=NOW) -> list[str]:
    violations: list[FieldViolation] = []
    check_crossed_out_price(
        violations, price_fen=price, crossed_out_fen=crossed, evidence=evidence,
        submission=SubmissionRules(), pricing=PricingRules(), now=now,
    )
    return [v.text() for v in violations]


def evidence(amount=12900, until=NOW - timedelta(days=1), source="本店 2026-11 订单记录", **kw) -> PriceEvidence:
    return PriceEvidence(amount, until - timedelta(days=20), until, source, **kw)


def test_PRD_08_no_crossed_out_price_needs_no_evidence():
    assert problems(crossed=0) == []


def test_PRD_08_a_crossed_out_price_without_evidence_is_refused():
    assert problems() == [
        "details.crossed_out_price_evidence: is required for a crossed-out price: a real prior selling price (amount, period, source) (PRD-08)"
    ]


def test_PRD_08_real_recent_evidence_admits():
    assert problems(evidence=evidence()) == []
    assert problems(evidence=evidence(amount=13000)) == []


def test_PRD_08_a_crossed_out_price_above_the_real_price_is_fictitious():
    assert problems(evidence=evidence(amount=12899)) == [
        "details.crossed_out_price_evidence.amount_fen: is 128.99 yuan, below the crossed-out 129.00 yuan: "
        "a crossed-out price may not exceed a real prior selling price (PRD-08)"
    ]


@pytest.mark.parametrize("days, ok", [(0, True), (7, True), (7.00001, False), (30, False)])
def test_PRD_08_the_prior_price_must_be_within_the_window(days, ok):
    found = problems(evidence=evidence(until=NOW - timedelta(days=days)))
    assert found == ([] if ok else [
        "details.crossed_out_price_evidence.sold_until: ended more than 7 days ago: the price must have been real recently (PRD-08)"
    ])


def test_PRD_08_evidence_period_and_source_are_checked():
    future = PriceEvidence(12900, NOW, NOW + timedelta(seconds=1), "x")
    backwards = PriceEvidence(12900, NOW, NOW, "x")
    missing = PriceEvidence(12900, None, None, " ", DocumentRef("s3://e/1.png", "bad"))
    assert problems(evidence=future) == ["details.crossed_out_price_evidence.sold_until: lies in the future (PRD-08)"]
    assert problems(evidence=backwards) == ["details.crossed_out_price_evidence.sold_from: must lie before sold_until (PRD-08)"]
    assert problems(evidence=missing) == [
        "details.crossed_out_price_evidence.sold_until: the period it sold at that price is required (PRD-08)",
        "details.crossed_out_price_evidence.source: is required: where the goods sold at that price (PRD-08)",
        "details.crossed_out_price_evidence.document.sha256: must be 64 lower-case hex digits (SHA-256) (PRD-08)",
    ]


def test_PRD_08_a_crossed_out_price_must_be_above_the_selling_price():
    assert problems(crossed=8990, evidence=evidence(amount=8990)) == [
        "details.crossed_out_price_fen: must be above the selling price, or 0 for none (PRD-08)"
    ]
    assert problems(crossed=-1) == ["details.crossed_out_price_fen: must be 0 (none) or a positive price in fen (PRD-08)"]


def test_yuan_formats_fen():
    assert [yuan(0), yuan(5), yuan(12345), yuan(-150)] == ["0.00", "0.05", "123.45", "-1.50"]


CEILING = SubmissionRules().price_ceiling_fen


@pytest.mark.parametrize("crossed, found", [
    (CEILING, []),
    (CEILING + 1, [("details.crossed_out_price_fen", "exceeds the ceiling of 100000000 fen (1000000.00 yuan)", "PRD-01")]),
])
def test_PRD_01_a_crossed_out_price_is_at_most_the_price_ceiling(crossed, found):
    violations: list[FieldViolation] = []
    check_crossed_out_price(
        violations, price_fen=8990, crossed_out_fen=crossed, evidence=evidence(amount=crossed),
        submission=SubmissionRules(), pricing=PricingRules(), now=NOW,
    )
    assert [(v.field, v.description, v.rule) for v in violations] == found


@pytest.mark.parametrize("sold_from, sold_until", [
    (None, NOW - timedelta(days=1)),
    (NOW - timedelta(days=20), None),
], ids=["no-start", "no-end"])
def test_PRD_08_either_end_of_the_evidence_period_missing_is_refused(sold_from, sold_until):
    assert problems(evidence=PriceEvidence(12900, sold_from, sold_until, "本店订单")) == [
        "details.crossed_out_price_evidence.sold_until: the period it sold at that price is required (PRD-08)"
    ]


@pytest.mark.parametrize("length, found", [
    (500, []),
    (501, [("details.crossed_out_price_evidence.source", "is longer than 500 characters", "")]),
])
def test_PRD_08_the_evidence_source_is_at_most_500_characters(length, found):
    violations: list[FieldViolation] = []
    check_crossed_out_price(
        violations, price_fen=8990, crossed_out_fen=12900, evidence=evidence(source="单" * length),
        submission=SubmissionRules(), pricing=PricingRules(), now=NOW,
    )
    assert [(v.field, v.description, v.rule) for v in violations] == found
