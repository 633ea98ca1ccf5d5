"""Price rules: bounds of the selling price (PRD-01) and the integrity of a crossed-out reference
price (PRD-08, CREDIT 8.2.3.2.4 b: no fictitious original price).

Our reading of PRD-08 follows the 2022 明码标价和禁止价格欺诈规定: a crossed-out price must not
exceed a price the goods really sold at recently, so its evidence names the amount, the period
it sold at that amount (ending within the configured window before the moment of the check,
7 days by default) and where. Pure: the moment is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from livecommerce.runtime.errors import FieldViolation
from services.product.formats import check_document
from services.product.rules_config import PricingRules, SubmissionRules

MAX_SOURCE = 500


@dataclass(frozen=True)
class DocumentRef:
    uri: str
    sha256: str


@dataclass(frozen=True)
class PriceEvidence:
    """A real prior selling price (PRD-08)."""

    amount_fen: int
    sold_from: datetime | None
    sold_until: datetime | None
    source: str
    document: DocumentRef | None = None


def yuan(fen: int) -> str:
    """Fen as yuan for messages: 12345 -> "123.45"."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def check_price(violations: list[FieldViolation], price_fen: int, rules: SubmissionRules) -> None:
    """PRD-01: a positive price in fen, at most the configured ceiling."""
    if price_fen <= 0:
        violations.append(FieldViolation("details.price_fen", "is required: a positive price in fen", "PRD-01"))
    elif price_fen > rules.price_ceiling_fen:
        violations.append(
            FieldViolation(
                "details.price_fen",
                f"exceeds the ceiling of {rules.price_ceiling_fen} fen ({yuan(rules.price_ceiling_fen)} yuan)",
                "PRD-01",
            )
        )


def check_crossed_out_price(
    violations: list[FieldViolation],
    *,
    price_fen: int,
    crossed_out_fen: int,
    evidence: PriceEvidence | None,
    submission: SubmissionRules,
    pricing: PricingRules,
    now: datetime,
) -> None:
    """PRD-08: no crossed-out price (0), or one above the selling price backed by evidence of a
    real prior selling price at least as high, sold within the window before `now`."""
    path = "details.crossed_out_price_fen"
    if crossed_out_fen == 0:
        return
    if crossed_out_fen < 0:
        violations.append(FieldViolation(path, "must be 0 (none) or a positive price in fen", "PRD-08"))
        return
    if crossed_out_fen > submission.price_ceiling_fen:
        violations.append(
            FieldViolation(path, f"exceeds the ceiling of {submission.price_ceiling_fen} fen ({yuan(submission.price_ceiling_fen)} yuan)", "PRD-01")
        )
    if crossed_out_fen <= price_fen:
        violations.append(FieldViolation(path, "must be above the selling price, or 0 for none", "PRD-08"))
    evidence_path = "details.crossed_out_price_evidence"
    if evidence is None:
        violations.append(
            FieldViolation(evidence_path, "is required for a crossed-out price: a real prior selling price (amount, period, source)", "PRD-08")
        )
        return
    if evidence.amount_fen < crossed_out_fen:
        violations.append(
            FieldViolation(
                f"{evidence_path}.amount_fen",
                f"is {yuan(evidence.amount_fen)} yuan, below the crossed-out {yuan(crossed_out_fen)} yuan: "
                "a crossed-out price may not exceed a real prior selling price",
                "PRD-08",
            )
        )
    window = timedelta(days=pricing.reference_window_days)
    if evidence.sold_from is None or evidence.sold_until is None:
        violations.append(FieldViolation(f"{evidence_path}.sold_until", "the period it sold at that price is required", "PRD-08"))
    elif evidence.sold_from >= evidence.sold_until:
        violations.append(FieldViolation(f"{evidence_path}.sold_from", "must lie before sold_until", "PRD-08"))
    elif evidence.sold_until > now:
        violations.append(FieldViolation(f"{evidence_path}.sold_until", "lies in the future", "PRD-08"))
    elif evidence.sold_until < now - window:
        violations.append(
            FieldViolation(
                f"{evidence_path}.sold_until",
                f"ended more than {pricing.reference_window_days} days ago: the price must have been real recently",
                "PRD-08",
            )
        )
    if not evidence.source.strip():
        violations.append(FieldViolation(f"{evidence_path}.source", "is required: where the goods sold at that price", "PRD-08"))
    elif len(evidence.source) > MAX_SOURCE:
        violations.append(FieldViolation(f"{evidence_path}.source", f"is longer than {MAX_SOURCE} characters"))
    if evidence.document is not None:
        check_document(violations, f"{evidence_path}.document", evidence.document.uri, evidence.document.sha256, "PRD-08")
