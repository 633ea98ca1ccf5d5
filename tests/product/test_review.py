"""The review workflow (PRD-04) and take-down / relisting (PRD-10) as pure state rules: who may act,
what a request must carry, and the exact refusal a caller sees (rule, subject, text, field)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from livecommerce.runtime.errors import Aborted, InvalidArgument, PermissionDenied, PreconditionFailed
from services.product import review
from services.product.domain import Block
from services.product.review import DelistCause, ProductState, VersionStatus

LONGEST = "理" * 1000
TOO_LONG = "理" * 1001


def refusal(call: Callable[[], None]) -> tuple | None:
    """What the caller is told, all of it: None when the call passes."""
    try:
        call()
    except PermissionDenied as denied:
        return ("PERMISSION_DENIED", str(denied), denied.rule)
    except InvalidArgument as invalid:
        return ("INVALID_ARGUMENT", [(v.field, v.description, v.rule) for v in invalid.violations])
    except PreconditionFailed as failed:
        return ("FAILED_PRECONDITION", failed.rule, failed.subject, failed.description, failed.field)
    except Aborted as aborted:
        return ("ABORTED", str(aborted))
    return None


# --- PRD-04: review --------------------------------------------------------------------------

def review_of(**changes) -> Callable[[], None]:
    request = dict(reviewer_role="compliance_officer", version=2, latest_version=2, status=VersionStatus.PENDING_REVIEW,
                   approve=True, reason="")
    request.update(changes)
    return lambda: review.check_review(**request)


@pytest.mark.parametrize("changes", [
    {},
    {"approve": False, "reason": "成分表与实物不符"},
    {"approve": False, "reason": LONGEST},
    {"approve": True, "reason": LONGEST},
], ids=["approve-without-reason", "reject-with-reason", "reject-longest-reason", "approve-longest-reason"])
def test_PRD_04_a_compliance_officer_decides_the_newest_pending_version(changes):
    assert refusal(review_of(**changes)) is None


@pytest.mark.parametrize("changes, told", [
    ({"reviewer_role": "merchant"},
     ("PERMISSION_DENIED", "only a compliance officer reviews products (PRD-04)", "PRD-04")),
    ({"reviewer_role": "integration", "approve": None},
     ("PERMISSION_DENIED", "only a compliance officer reviews products (PRD-04)", "PRD-04")),
    ({"approve": None},
     ("INVALID_ARGUMENT", [("decision", "must be APPROVE or REJECT", "PRD-04")])),
    ({"approve": False, "reason": " \n"},
     ("INVALID_ARGUMENT", [("reason", "is required for a rejection", "PRD-04")])),
    ({"approve": True, "reason": TOO_LONG},
     ("INVALID_ARGUMENT", [("reason", "is longer than 1000 characters", "")])),
    ({"approve": None, "reason": TOO_LONG},
     ("INVALID_ARGUMENT", [("decision", "must be APPROVE or REJECT", "PRD-04"), ("reason", "is longer than 1000 characters", "")])),
    ({"approve": None, "status": VersionStatus.APPROVED},
     ("INVALID_ARGUMENT", [("decision", "must be APPROVE or REJECT", "PRD-04")])),
    ({"status": VersionStatus.APPROVED},
     ("FAILED_PRECONDITION", "PRD-04", "product version 2", "version 2 is approved; a reviewed version never changes", None)),
    ({"status": VersionStatus.REJECTED},
     ("FAILED_PRECONDITION", "PRD-04", "product version 2", "version 2 is rejected; a reviewed version never changes", None)),
    ({"status": VersionStatus.SUPERSEDED, "version": 1},
     ("FAILED_PRECONDITION", "PRD-04", "product version 1", "version 1 was superseded by a later submission before review", None)),
    ({"version": 1},
     ("FAILED_PRECONDITION", "PRD-04", "product version 1", "version 2 superseded it", None)),
], ids=["merchant", "role-before-arguments", "no-decision", "rejection-without-reason", "reason-too-long", "both-at-once",
        "arguments-before-state", "approved", "rejected", "superseded", "not-the-newest"])
def test_PRD_04_a_review_is_refused_with_its_reason(changes, told):
    assert refusal(review_of(**changes)) == told


@pytest.mark.parametrize("expected, latest, told", [
    (3, 3, None),
    (2, 3, ("ABORTED", "expected_latest_version: version 3 is the latest, not 2; reload and revise again (PRD-04)")),
    (4, 3, ("ABORTED", "expected_latest_version: version 3 is the latest, not 4; reload and revise again (PRD-04)")),
])
def test_PRD_04_a_revision_must_name_the_latest_version(expected, latest, told):
    assert refusal(lambda: review.check_revision(expected_latest_version=expected, latest_version=latest)) == told


# --- PRD-10: take-down ------------------------------------------------------------------------

SESSION_RULE = "is required for a session's emergency action: must be 1-64 letters, digits or ._:-"


def delist(role="compliance_officer", cause=DelistCause.COMPLIANCE, reason="虚假宣传", session_id="") -> Callable[[], None]:
    return lambda: review.check_delist_request(role=role, cause=cause, reason=reason, session_id=session_id)


@pytest.mark.parametrize("request_", [
    delist(),
    delist(reason=LONGEST),
    delist(session_id="not checked for compliance"),
    delist(role="integration", cause=DelistCause.SESSION_EMERGENCY, reason="主播违规", session_id="s-1"),
    delist(cause=DelistCause.SESSION_EMERGENCY, session_id="s:2026.12-01_A"),
    delist(cause=DelistCause.SESSION_EMERGENCY, session_id="s" * 64),
], ids=["officer", "longest-reason", "compliance-ignores-session", "integration-for-a-session", "officer-for-a-session",
        "longest-session-id"])
def test_PRD_10_an_officer_or_a_sessions_emergency_action_takes_a_product_down(request_):
    assert refusal(request_) is None


@pytest.mark.parametrize("request_, violations", [
    (delist(cause=None), [("cause", "must be COMPLIANCE or SESSION_EMERGENCY", "PRD-10")]),
    (delist(cause=DelistCause.LICENCE_EXPIRED), [("cause", "must be COMPLIANCE or SESSION_EMERGENCY", "PRD-10")]),
    (delist(cause=DelistCause.INSPECTION_FAILED), [("cause", "must be COMPLIANCE or SESSION_EMERGENCY", "PRD-10")]),
    (delist(reason=" "), [("reason", "is required: why the product is taken down", "PRD-10")]),
    (delist(reason=TOO_LONG), [("reason", "is longer than 1000 characters", "")]),
    (delist(cause=DelistCause.SESSION_EMERGENCY), [("session_id", SESSION_RULE, "PRD-10")]),
    (delist(cause=DelistCause.SESSION_EMERGENCY, session_id="s 1"), [("session_id", SESSION_RULE, "PRD-10")]),
    (delist(cause=DelistCause.SESSION_EMERGENCY, session_id="s" * 65), [("session_id", SESSION_RULE, "PRD-10")]),
    (delist(role="integration", cause=DelistCause.SESSION_EMERGENCY, reason="", session_id=""),
     [("reason", "is required: why the product is taken down", "PRD-10"), ("session_id", SESSION_RULE, "PRD-10")]),
    (delist(role="merchant", cause=None, reason=""),
     [("cause", "must be COMPLIANCE or SESSION_EMERGENCY", "PRD-10"), ("reason", "is required: why the product is taken down", "PRD-10")]),
], ids=["no-cause", "system-cause-licence", "system-cause-inspection", "no-reason", "reason-too-long", "no-session",
        "malformed-session", "session-too-long", "every-field-at-once", "arguments-before-role"])
def test_PRD_10_a_take_down_request_names_every_missing_field(request_, violations):
    assert refusal(request_) == ("INVALID_ARGUMENT", violations)


@pytest.mark.parametrize("request_, text", [
    (delist(role="merchant"), "only a compliance officer or a session's emergency action takes a product down (PRD-10)"),
    (delist(role="merchant", cause=DelistCause.SESSION_EMERGENCY, session_id="s-1"),
     "only a compliance officer or a session's emergency action takes a product down (PRD-10)"),
    (delist(role="integration"), "the session service takes products down only as a session's emergency action (PRD-10)"),
], ids=["merchant", "merchant-for-a-session", "integration-for-compliance"])
def test_PRD_10_only_an_officer_or_the_session_service_takes_a_product_down(request_, text):
    assert refusal(request_) == ("PERMISSION_DENIED", text, "PRD-10")


@pytest.mark.parametrize("state, told", [
    (ProductState.LISTED, None),
    (ProductState.APPROVED, None),
    (ProductState.DELISTED, ("FAILED_PRECONDITION", "PRD-10", "product", "the product is already delisted", None)),
    (ProductState.PENDING_REVIEW,
     ("FAILED_PRECONDITION", "PRD-10", "product", "the product has no approved version to take down", None)),
    (ProductState.REJECTED,
     ("FAILED_PRECONDITION", "PRD-10", "product", "the product has no approved version to take down", None)),
])
def test_PRD_10_only_an_approved_product_is_taken_down_once(state, told):
    assert refusal(lambda: review.check_delistable(state)) == told


# --- PRD-10: relisting ------------------------------------------------------------------------

def relist(role="compliance_officer", state=ProductState.DELISTED, reason="整改完成", blocks=()) -> Callable[[], None]:
    return lambda: review.check_relist(role=role, state=state, reason=reason, blocks=list(blocks))


@pytest.mark.parametrize("request_", [relist(), relist(reason=LONGEST)], ids=["officer", "longest-reason"])
def test_PRD_10_a_compliance_officer_relists_a_delisted_product_nothing_blocks(request_):
    assert refusal(request_) is None


LICENCE_GONE = Block("PRD-02", "食品经营许可证 JY1 expired at 2026-12-01T04:00:00+00:00", "details.licence_ids[0]")
NO_INSPECTION = Block("PRD-07", "no passing inspection on file")


@pytest.mark.parametrize("request_, told", [
    (relist(role="merchant"), ("PERMISSION_DENIED", "only a compliance officer relists a product (PRD-10)", "PRD-10")),
    (relist(role="integration", reason="", state=ProductState.LISTED),
     ("PERMISSION_DENIED", "only a compliance officer relists a product (PRD-10)", "PRD-10")),
    (relist(reason="\t"), ("INVALID_ARGUMENT", [("reason", "is required: why the product may return", "PRD-10")])),
    (relist(reason=TOO_LONG), ("INVALID_ARGUMENT", [("reason", "is longer than 1000 characters", "")])),
    (relist(reason="", state=ProductState.LISTED, blocks=[LICENCE_GONE]),
     ("INVALID_ARGUMENT", [("reason", "is required: why the product may return", "PRD-10")])),
    (relist(state=ProductState.LISTED), ("FAILED_PRECONDITION", "PRD-10", "product", "the product is listed, not delisted", None)),
    (relist(state=ProductState.APPROVED, blocks=[LICENCE_GONE]),
     ("FAILED_PRECONDITION", "PRD-10", "product", "the product is approved, not delisted", None)),
    (relist(blocks=[LICENCE_GONE, NO_INSPECTION]),
     ("FAILED_PRECONDITION", "PRD-02", "product", "食品经营许可证 JY1 expired at 2026-12-01T04:00:00+00:00", "details.licence_ids[0]")),
    (relist(blocks=[NO_INSPECTION, LICENCE_GONE]),
     ("FAILED_PRECONDITION", "PRD-07", "product", "no passing inspection on file", None)),
], ids=["merchant", "role-first", "no-reason", "reason-too-long", "reason-before-state", "listed", "approved",
        "first-block-named", "block-without-field"])
def test_PRD_10_a_relisting_is_refused_with_its_reason(request_, told):
    assert refusal(request_) == told
