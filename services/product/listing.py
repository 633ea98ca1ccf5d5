"""Whether a product may be listed at a moment, and why not (every block with its rule ID), and
what the clock takes down: an expired licence (PRD-02), authorization or patent (PRD-03), or the
goods' expiry date (PRD-01). Sampling (PRD-07): listed only after a passing inspection; the newest
inspection decides, so a failed one blocks (and delists) until a later one passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from livecommerce.runtime.clock import PLATFORM_TZ, platform_date
from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from services.product.catalogue import Catalogue, Category
from services.product.domain import Block, Details, OnFile, compliance_blocks
from services.product.formats import check_document
from services.product.pricing import DocumentRef
from services.product.prohibited import CompiledList
from services.product.review import DelistCause, Delisting

MAX_LAB = 200
MAX_FINDINGS = 2000


@dataclass(frozen=True)
class Inspection:
    """A quality sampling inspection (PRD-07)."""

    lab: str
    sampled_at: datetime
    passed: bool
    report: DocumentRef
    findings: str = ""


def check_inspection(
    *, lab: str, sampled_at: datetime | None, passed: bool | None, report: DocumentRef | None, findings: str, now: datetime
) -> None:
    """PRD-07: who tested, when (not in the future), the result, the report's digest; a failure says what failed."""
    violations = []
    if not lab.strip() or len(lab) > MAX_LAB:
        violations.append(FieldViolation("inspection.lab", f"is required (at most {MAX_LAB} characters)", "PRD-07"))
    if sampled_at is None:
        violations.append(FieldViolation("inspection.sampled_at", "is required", "PRD-07"))
    elif sampled_at > now:
        violations.append(FieldViolation("inspection.sampled_at", "lies in the future", "PRD-07"))
    if passed is None:
        violations.append(FieldViolation("inspection.result", "must be PASS or FAIL", "PRD-07"))
    elif not passed and not findings.strip():
        violations.append(FieldViolation("inspection.findings", "is required for a failed inspection", "PRD-07"))
    if len(findings) > MAX_FINDINGS:
        violations.append(FieldViolation("inspection.findings", f"is longer than {MAX_FINDINGS} characters"))
    if report is None:
        violations.append(FieldViolation("inspection.report", "is required: the lab's report with its SHA-256", "PRD-07"))
    else:
        check_document(violations, "inspection.report", report.uri, report.sha256, "PRD-07")
    if violations:
        raise InvalidArgument(violations)


def newest(inspections: tuple[Inspection, ...]) -> Inspection | None:
    return max(inspections, key=lambda i: i.sampled_at, default=None)


@dataclass(frozen=True)
class ListingFacts:
    """What the listing decision looks at, loaded by the store."""

    approved: Details | None
    category: Category | None
    expiry: date | None
    on_file: OnFile
    inspections: tuple[Inspection, ...] = ()
    delisting: Delisting | None = None
    extra_blocks: tuple[Block, ...] = field(default=())


def listing_blocks(facts: ListingFacts, *, catalogue: Catalogue, prohibited: CompiledList | None, at: datetime) -> list[Block]:
    """Every rule that keeps the product off the shelf at `at`; empty means it may be listed."""
    if facts.approved is None or facts.category is None:
        return [Block("PRD-04", "no version has been approved by a compliance officer"), *facts.extra_blocks]
    blocks = []
    if facts.delisting is not None:
        blocks.append(Block(facts.delisting.rule_id, f"taken down ({facts.delisting.cause.value}): {facts.delisting.reason}"))
    if facts.expiry is not None and platform_date(at) > facts.expiry:
        blocks.append(Block("PRD-01", f"the goods expired on {facts.expiry.isoformat()}", "details.expiry_date"))
    blocks += compliance_blocks(
        facts.approved, facts.category, on_file=facts.on_file, catalogue=catalogue, prohibited=prohibited, at=at
    )
    latest = newest(facts.inspections)
    if latest is None:
        blocks.append(Block("PRD-07", "no sample inspection has passed yet"))
    elif not latest.passed:
        blocks.append(Block("PRD-07", f"the sample inspection of {platform_date(latest.sampled_at).isoformat()} by {latest.lab} failed: {latest.findings}"))
    blocks.extend(facts.extra_blocks)
    return blocks


def approval_blocks(facts: ListingFacts, *, catalogue: Catalogue, prohibited: CompiledList | None, at: datetime) -> list[Block]:
    """PRD-04: what refuses approving `facts.approved` at `at`: expired goods (PRD-01), a licence
    (PRD-02), IP (PRD-03) or the prohibited list (PRD-06). Sampling (PRD-07) and take-downs come
    after approval; the file's shape and price evidence were checked at submission."""
    blocks = listing_blocks(replace(facts, delisting=None), catalogue=catalogue, prohibited=prohibited, at=at)
    return [block for block in blocks if block.rule_id != "PRD-07"]


def clock_delisting(facts: ListingFacts, *, catalogue: Catalogue, at: datetime) -> Delisting | None:
    """The take-down the clock makes at `at` for a listed product, if any (PRD-01, PRD-02, PRD-03):
    the first expiry among the goods, the licences and the IP it relies on."""
    blocks = listing_blocks(facts, catalogue=catalogue, prohibited=None, at=at)
    causes = {"PRD-01": DelistCause.EXPIRED_GOODS, "PRD-02": DelistCause.LICENCE_EXPIRED, "PRD-03": DelistCause.IP_EXPIRED}
    for block in blocks:
        cause = causes.get(block.rule_id)
        if cause is not None:
            return Delisting(cause, block.reason, "system", "system", at)
    return None


def next_deadline(facts: ListingFacts, *, after: datetime) -> datetime | None:
    """The next moment after `after` at which the clock may take the product down: a licence or
    authorization ending, a right going out of force, or the day after the goods' expiry date
    (Beijing calendar). The service sets its timer to it."""
    if facts.approved is None:
        return None
    moments = []
    for licence_id in facts.approved.licence_ids:
        licence = facts.on_file.licence(licence_id)
        if licence is not None:
            moments.append(licence.valid_until)
    for right in facts.approved.ip_rights:
        if right.valid_until is not None:
            moments.append(right.valid_until)
        authorization = None if right.owned_by_merchant else facts.on_file.authorization(right.authorization_id)
        if authorization is not None:
            moments.append(authorization.valid_until)
    if facts.expiry is not None:
        moments.append(datetime.combine(facts.expiry + timedelta(days=1), time(), PLATFORM_TZ))
    future = [m for m in moments if m > after]
    return min(future, default=None)
