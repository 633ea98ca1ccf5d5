"""What a merchant files for its products to rely on: admission licences (PRD-02) and rights
holders' authorizations (PRD-03), checked as plain values before they are stored.

A record is refused with every malformed field at once (INVALID_ARGUMENT); one that is already
over is refused as FAILED_PRECONDITION naming its rule: nothing could ever rely on it. Pure: the
moment is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed
from services.product.catalogue import Catalogue
from services.product.domain import MAX_HOLDER, MAX_NUMBER
from services.product.formats import check_document
from services.product.pricing import DocumentRef

MAX_ISSUER = 200
MAX_RIGHTS = 50


@dataclass(frozen=True)
class LicenceFiling:
    kind: str
    number: str
    issuer: str
    holder: str
    valid_from: datetime | None
    valid_until: datetime | None
    document: DocumentRef | None


@dataclass(frozen=True)
class AuthorizationFiling:
    holder: str
    right_numbers: tuple[str, ...]
    valid_from: datetime | None
    valid_until: datetime | None
    document: DocumentRef | None


def _validity(violations: list[FieldViolation], path: str, valid_from: datetime | None, valid_until: datetime | None, rule: str) -> None:
    if valid_from is None:
        violations.append(FieldViolation(f"{path}.valid_from", "is required", rule))
    if valid_until is None:
        violations.append(FieldViolation(f"{path}.valid_until", "is required: the end of validity", rule))
    if valid_from is not None and valid_until is not None and valid_until <= valid_from:
        violations.append(FieldViolation(f"{path}.valid_until", "must lie after valid_from", rule))


def _document(violations: list[FieldViolation], path: str, document: DocumentRef | None, rule: str) -> None:
    if document is None:
        violations.append(FieldViolation(path, "is required: the scanned document with its SHA-256", rule))
    else:
        check_document(violations, path, document.uri, document.sha256, rule)


def _text(violations: list[FieldViolation], path: str, value: str, limit: int, rule: str) -> None:
    if not value.strip() or len(value) > limit:
        violations.append(FieldViolation(path, f"is required (at most {limit} characters)", rule))


def check_licence(filing: LicenceFiling, *, catalogue: Catalogue, now: datetime) -> None:
    """PRD-02: a licence kind the category tree knows, its number, issuer and holder, a validity
    period that has not ended, and the document."""
    violations: list[FieldViolation] = []
    if filing.kind not in catalogue.licence_kinds:
        known = ", ".join(sorted(catalogue.licence_kinds))
        violations.append(FieldViolation("licence.kind", f"{filing.kind!r} is not a licence kind of the category tree ({known})", "PRD-02"))
    _text(violations, "licence.number", filing.number, MAX_NUMBER, "PRD-02")
    _text(violations, "licence.issuer", filing.issuer, MAX_ISSUER, "PRD-02")
    _text(violations, "licence.holder", filing.holder, MAX_HOLDER, "PRD-02")
    _validity(violations, "licence", filing.valid_from, filing.valid_until, "PRD-02")
    _document(violations, "licence.document", filing.document, "PRD-02")
    if violations:
        raise InvalidArgument(violations)
    assert filing.valid_until is not None
    if filing.valid_until <= now:
        raise PreconditionFailed("PRD-02", "licence", f"the licence expired at {filing.valid_until.isoformat()}", field="licence.valid_until")


def check_authorization(filing: AuthorizationFiling, *, now: datetime) -> None:
    """PRD-03: the rights holder, the rights it covers, a validity period that has not ended,
    and the signed authorization."""
    violations: list[FieldViolation] = []
    _text(violations, "authorization.holder", filing.holder, MAX_HOLDER, "PRD-03")
    if not filing.right_numbers:
        violations.append(FieldViolation("authorization.right_numbers", "needs the registration number of every right it covers", "PRD-03"))
    elif len(filing.right_numbers) > MAX_RIGHTS:
        violations.append(FieldViolation("authorization.right_numbers", f"at most {MAX_RIGHTS} rights"))
    for index, number in enumerate(filing.right_numbers):
        _text(violations, f"authorization.right_numbers[{index}]", number, MAX_NUMBER, "PRD-03")
    if len(set(filing.right_numbers)) != len(filing.right_numbers):
        violations.append(FieldViolation("authorization.right_numbers", "names a right twice"))
    _validity(violations, "authorization", filing.valid_from, filing.valid_until, "PRD-03")
    _document(violations, "authorization.document", filing.document, "PRD-03")
    if violations:
        raise InvalidArgument(violations)
    assert filing.valid_until is not None
    if filing.valid_until <= now:
        raise PreconditionFailed(
            "PRD-03", "authorization", f"the authorization expired at {filing.valid_until.isoformat()}", field="authorization.valid_until"
        )
