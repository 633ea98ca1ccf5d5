"""The review workflow (PRD-04), listing and take-down (PRD-07, PRD-10) as pure state rules.

Versions: a submission or revision is PENDING_REVIEW and supersedes any pending one; a compliance
officer approves or rejects the newest pending version once, with a reason for a rejection; a
decided version never changes, so every version stays in the registration archive (PLT-02).
A product is listed when its approved version has no listing block (`listing.listing_blocks`);
it is delisted at once by an officer, a session's emergency action or the clock, always with
operator and reason, and returns only by an officer's relisting when nothing blocks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from livecommerce.runtime.errors import Aborted, FieldViolation, InvalidArgument, PermissionDenied, PreconditionFailed
from services.product.formats import ID_TOKEN, ID_TOKEN_RULE, MAX_REASON


class VersionStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


class ProductState(StrEnum):
    PENDING_REVIEW = "pending_review"
    REJECTED = "rejected"
    APPROVED = "approved"
    """Approved, not listed: something blocks it (no passing inspection, PRD-07, …)."""
    LISTED = "listed"
    DELISTED = "delisted"


class DelistCause(StrEnum):
    COMPLIANCE = "compliance"
    SESSION_EMERGENCY = "session_emergency"
    LICENCE_EXPIRED = "licence_expired"
    IP_EXPIRED = "ip_expired"
    PROHIBITED = "prohibited"
    INSPECTION_FAILED = "inspection_failed"
    EXPIRED_GOODS = "expired_goods"

    @property
    def rule_id(self) -> str:
        return _CAUSE_RULES[self]


_CAUSE_RULES = {
    DelistCause.COMPLIANCE: "PRD-10",
    DelistCause.SESSION_EMERGENCY: "PRD-10",
    DelistCause.LICENCE_EXPIRED: "PRD-02",
    DelistCause.IP_EXPIRED: "PRD-03",
    DelistCause.PROHIBITED: "PRD-06",
    DelistCause.INSPECTION_FAILED: "PRD-07",
    DelistCause.EXPIRED_GOODS: "PRD-01",
}
#: Causes a caller may name; the others are the service's own (the clock, a list, an inspection).
CALLER_CAUSES = (DelistCause.COMPLIANCE, DelistCause.SESSION_EMERGENCY)
SYSTEM_OPERATOR = "system"


@dataclass(frozen=True)
class Delisting:
    cause: DelistCause
    reason: str
    operator: str
    """The principal who took it down, or "system" for the clock."""
    operator_role: str
    at: datetime
    session_id: str = ""
    list_version: str = ""
    list_entry_id: str = ""

    @property
    def rule_id(self) -> str:
        return self.cause.rule_id


def supersede(statuses: list[VersionStatus]) -> list[VersionStatus]:
    """PRD-04: a new submission supersedes every pending version; decided ones never change."""
    return [VersionStatus.SUPERSEDED if s is VersionStatus.PENDING_REVIEW else s for s in statuses]


def check_revision(*, expected_latest_version: int, latest_version: int) -> None:
    """A revision names the latest version its author saw, so no one's change is silently lost:
    ABORTED (a concurrent change won), as for anchors' files."""
    if expected_latest_version != latest_version:
        raise Aborted(
            f"expected_latest_version: version {latest_version} is the latest, not {expected_latest_version}; reload and revise again (PRD-04)"
        )


def check_review(
    *, reviewer_role: str, version: int, latest_version: int, status: VersionStatus, approve: bool | None, reason: str
) -> None:
    """PRD-04: only a compliance officer decides, only on the newest pending version, once."""
    if reviewer_role != "compliance_officer":
        raise PermissionDenied("only a compliance officer reviews products", rule="PRD-04")
    violations = []
    if approve is None:
        violations.append(FieldViolation("decision", "must be APPROVE or REJECT", "PRD-04"))
    elif not approve and not reason.strip():
        violations.append(FieldViolation("reason", "is required for a rejection", "PRD-04"))
    if len(reason) > MAX_REASON:
        violations.append(FieldViolation("reason", f"is longer than {MAX_REASON} characters"))
    if violations:
        raise InvalidArgument(violations)
    if status is VersionStatus.SUPERSEDED:
        raise PreconditionFailed("PRD-04", f"product version {version}", f"version {version} was superseded by a later submission before review")
    if status is not VersionStatus.PENDING_REVIEW:
        raise PreconditionFailed("PRD-04", f"product version {version}", f"version {version} is {status.value}; a reviewed version never changes")
    if version != latest_version:
        raise PreconditionFailed("PRD-04", f"product version {version}", f"version {latest_version} superseded it")


def state_of(*, approved_version: int, latest_status: VersionStatus, listed: bool, delisting: Delisting | None) -> ProductState:
    """Where a product stands, from its facts."""
    if approved_version == 0:
        return ProductState.REJECTED if latest_status is VersionStatus.REJECTED else ProductState.PENDING_REVIEW
    if delisting is not None:
        return ProductState.DELISTED
    return ProductState.LISTED if listed else ProductState.APPROVED


def check_delist_request(*, role: str, cause: DelistCause | None, reason: str, session_id: str) -> None:
    """PRD-10: an officer or a session's emergency action takes a product down, with a reason;
    the integration (the session service) may only act for a session."""
    violations = []
    if cause not in CALLER_CAUSES:
        violations.append(FieldViolation("cause", "must be COMPLIANCE or SESSION_EMERGENCY", "PRD-10"))
    if not reason.strip():
        violations.append(FieldViolation("reason", "is required: why the product is taken down", "PRD-10"))
    elif len(reason) > MAX_REASON:
        violations.append(FieldViolation("reason", f"is longer than {MAX_REASON} characters"))
    if cause is DelistCause.SESSION_EMERGENCY and not ID_TOKEN.match(session_id):
        violations.append(FieldViolation("session_id", f"is required for a session's emergency action: {ID_TOKEN_RULE}", "PRD-10"))
    if violations:
        raise InvalidArgument(violations)
    if role not in ("compliance_officer", "integration"):
        raise PermissionDenied("only a compliance officer or a session's emergency action takes a product down", rule="PRD-10")
    if role == "integration" and cause is not DelistCause.SESSION_EMERGENCY:
        raise PermissionDenied("the session service takes products down only as a session's emergency action", rule="PRD-10")


def check_delistable(state: ProductState) -> None:
    """Only an approved product, listed or not, can be taken down; once is enough."""
    if state is ProductState.DELISTED:
        raise PreconditionFailed("PRD-10", "product", "the product is already delisted")
    if state in (ProductState.PENDING_REVIEW, ProductState.REJECTED):
        raise PreconditionFailed("PRD-10", "product", "the product has no approved version to take down")


def check_relist(*, role: str, state: ProductState, reason: str, blocks: list) -> None:
    """PRD-10: a compliance officer relists a delisted product, with a reason, when nothing else blocks it."""
    if role != "compliance_officer":
        raise PermissionDenied("only a compliance officer relists a product", rule="PRD-10")
    if not reason.strip():
        raise InvalidArgument([FieldViolation("reason", "is required: why the product may return", "PRD-10")])
    if len(reason) > MAX_REASON:
        raise InvalidArgument([FieldViolation("reason", f"is longer than {MAX_REASON} characters")])
    if state is not ProductState.DELISTED:
        raise PreconditionFailed("PRD-10", "product", f"the product is {state.value}, not delisted")
    if blocks:
        raise PreconditionFailed(blocks[0].rule_id, "product", blocks[0].reason, field=blocks[0].field or None)
