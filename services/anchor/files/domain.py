"""Anchor rules as plain Python, no I/O: registration validation, age rules, review, eligibility.

Rules: ANC-01 (real-name identity), ANC-02 (review, immutable approved files), ANC-03 (under 16
refused), ANC-04 (16-17 need a guardian), ANC-05 (training before going live). Every function
takes the date or time it reasons about, so tests drive the calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PermissionDenied, PreconditionFailed
from livecommerce.runtime.resident_id import parse_resident_id
from services.anchor.vocabulary import EMAIL, ID_TOKEN, SHA256

MINIMUM_AGE = 16
ADULT_AGE = 18
MAX_NAME = 64
MAX_ADDRESS = 200
MAX_URI = 2048
MAX_DOCUMENTS = 20
MAX_REASON = 1000

_MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_URI = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")


class DocumentType(StrEnum):
    RESIDENT_ID_CARD = "resident_id_card"
    PASSPORT = "passport"


class DocumentKind(StrEnum):
    IDENTITY_FRONT = "identity_front"
    IDENTITY_BACK = "identity_back"
    PASSPORT_DATA_PAGE = "passport_data_page"
    GUARDIAN_CONSENT = "guardian_consent"
    GUARDIAN_IDENTITY = "guardian_identity"
    TRAINING_CERTIFICATE = "training_certificate"
    OTHER = "other"


IDENTITY_DOCUMENT_KINDS = {DocumentKind.IDENTITY_FRONT, DocumentKind.IDENTITY_BACK, DocumentKind.PASSPORT_DATA_PAGE}


class VersionStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


class TrainingKind(StrEnum):
    ONBOARDING = "onboarding"
    PERIODIC = "periodic"


@dataclass(frozen=True)
class Document:
    kind: DocumentKind | None
    uri: str
    sha256: str


@dataclass(frozen=True)
class Identity:
    legal_name: str
    document_type: DocumentType | None
    document_number: str
    date_of_birth: str = ""
    nationality: str = ""


@dataclass(frozen=True)
class Guardian:
    identity: Identity
    relationship: str
    phone: str


@dataclass(frozen=True)
class Profile:
    identity: Identity
    display_name: str
    address: str
    phone: str
    email: str = ""
    agency_id: str = ""
    digital_human: bool = False
    documents: tuple[Document, ...] = ()
    guardian: Guardian | None = None

    def has_document(self, kind: DocumentKind) -> bool:
        return any(d.kind == kind for d in self.documents)


@dataclass(frozen=True)
class CheckedProfile:
    """A profile that passed validation, normalised, with the birth date it establishes."""

    profile: Profile
    date_of_birth: date
    age_field: str = "profile.identity.date_of_birth"
    """The field the birth date was read from, which an age refusal names (ANC-03): the date of
    birth the caller sent, or the resident ID number it was taken from."""

    @property
    def adult_on(self) -> date:
        return add_years(self.date_of_birth, ADULT_AGE)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # born on 29 February: the birthday falls on 1 March in common years
        return date(day.year + years, 3, 1)


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _text(violations: list[FieldViolation], path: str, value: str, *, limit: int, required: bool = True) -> None:
    if required and not value.strip():
        violations.append(FieldViolation(path, "is required", "ANC-01"))
    elif len(value) > limit:
        violations.append(FieldViolation(path, f"is longer than {limit} characters"))


def _check_phone(violations: list[FieldViolation], path: str, phone: str) -> None:
    if not phone:
        violations.append(FieldViolation(path, "is required", "ANC-01"))
    elif not (_MAINLAND_MOBILE.match(phone) or _E164.match(phone)):
        violations.append(FieldViolation(path, "must be an 11-digit mainland mobile number or E.164 (+...)"))


def _check_identity(violations: list[FieldViolation], path: str, identity: Identity, today: date) -> tuple[Identity, date | None]:
    """Validates one identity; returns it normalised and the birth date it proves (None if invalid)."""
    _text(violations, f"{path}.legal_name", identity.legal_name, limit=MAX_NAME)
    number = identity.document_number.strip().upper()
    born: date | None = None
    if identity.document_type is None:
        violations.append(FieldViolation(f"{path}.document_type", "must be RESIDENT_ID_CARD or PASSPORT", "ANC-01"))
    elif identity.document_type is DocumentType.RESIDENT_ID_CARD:
        try:
            resident = parse_resident_id(number, today=today)
            born = resident.date_of_birth
        except ValueError as error:
            violations.append(FieldViolation(f"{path}.document_number", f"is not a valid resident ID: {error}", "ANC-01"))
        if identity.date_of_birth and born and identity.date_of_birth != born.isoformat():
            violations.append(
                FieldViolation(f"{path}.date_of_birth", "disagrees with the resident ID number", "ANC-01")
            )
        identity = replace(identity, nationality=identity.nationality or "CHN")
    else:
        if not _PASSPORT.match(number):
            violations.append(FieldViolation(f"{path}.document_number", "must be 5-20 letters or digits", "ANC-01"))
        if not _COUNTRY.match(identity.nationality):
            violations.append(FieldViolation(f"{path}.nationality", "must be an ISO 3166-1 alpha-3 code", "ANC-01"))
        try:
            born = date.fromisoformat(identity.date_of_birth)
            if born > today or born.year < 1900:
                violations.append(FieldViolation(f"{path}.date_of_birth", "is impossible", "ANC-01"))
                born = None
        except ValueError:
            violations.append(FieldViolation(f"{path}.date_of_birth", "is required as YYYY-MM-DD for a passport", "ANC-01"))
    normalised = replace(identity, document_number=number, date_of_birth=born.isoformat() if born else "")
    return normalised, born


def _check_documents(violations: list[FieldViolation], documents: tuple[Document, ...]) -> None:
    if len(documents) > MAX_DOCUMENTS:
        violations.append(FieldViolation("profile.documents", f"at most {MAX_DOCUMENTS} documents"))
    for index, document in enumerate(documents):
        path = f"profile.documents[{index}]"
        if document.kind is None:
            violations.append(FieldViolation(f"{path}.kind", "is unknown or unspecified"))
        if len(document.uri) > MAX_URI or not _URI.match(document.uri):
            violations.append(FieldViolation(f"{path}.uri", "must be an absolute URI of at most 2048 characters"))
        if not SHA256.match(document.sha256):
            violations.append(FieldViolation(f"{path}.sha256", "must be 64 lower-case hex digits (SHA-256)", "ANC-01"))
    if not any(d.kind in IDENTITY_DOCUMENT_KINDS for d in documents):
        violations.append(
            FieldViolation("profile.documents", "needs a scan of the identity document (front or data page)", "ANC-01")
        )


def check_profile(profile: Profile, *, today: date) -> CheckedProfile:
    """ANC-01, ANC-03, ANC-04: refuses with every problem named, or returns the normalised profile."""
    violations: list[FieldViolation] = []
    identity, born = _check_identity(violations, "profile.identity", profile.identity, today)
    _text(violations, "profile.display_name", profile.display_name, limit=MAX_NAME)
    _text(violations, "profile.address", profile.address, limit=MAX_ADDRESS)
    _check_phone(violations, "profile.phone", profile.phone)
    if profile.email and (len(profile.email) > 254 or not EMAIL.match(profile.email)):
        violations.append(FieldViolation("profile.email", "is not an e-mail address"))
    if profile.agency_id and not ID_TOKEN.match(profile.agency_id):
        violations.append(FieldViolation("profile.agency_id", "must be 1-64 letters, digits or ._:-"))
    _check_documents(violations, profile.documents)
    guardian = profile.guardian
    if guardian is not None:
        guardian_identity, _ = _check_identity(violations, "profile.guardian.identity", guardian.identity, today)
        _text(violations, "profile.guardian.relationship", guardian.relationship, limit=MAX_NAME)
        _check_phone(violations, "profile.guardian.phone", guardian.phone)
        guardian = replace(guardian, identity=guardian_identity)
    if violations:
        raise InvalidArgument(violations)
    assert born is not None
    checked = CheckedProfile(replace(profile, identity=identity, guardian=guardian), born, age_source(profile.identity))
    check_age(checked, today=today)
    return checked


def age_source(identity: Identity, *, as_sent: bool = True) -> str:
    """ANC-03: the field the anchor's age comes from. A date of birth the caller sent is that field;
    otherwise the resident ID number the date is read from (GB 11643 digits 7-14). A stored,
    normalised identity always holds a date, so for it (`as_sent=False`) the document type decides."""
    sent_date = as_sent and bool(identity.date_of_birth)
    if identity.document_type is DocumentType.RESIDENT_ID_CARD and not sent_date:
        return "profile.identity.document_number"
    return "profile.identity.date_of_birth"


def check_age(checked: CheckedProfile, *, today: date) -> None:
    age = age_on(checked.date_of_birth, today)
    # ANC-03: nobody under 16 registers or goes live as an anchor.
    if age < MINIMUM_AGE:
        raise PreconditionFailed(
            "ANC-03", "anchor", f"the anchor is {age}; anchors must be at least {MINIMUM_AGE}",
            field=checked.age_field,
        )
    # ANC-04: 16- and 17-year-olds need a guardian's identity and written consent on file.
    if age < ADULT_AGE:
        missing = []
        if checked.profile.guardian is None:
            missing.append(FieldViolation("profile.guardian", "is required for an anchor aged 16-17", "ANC-04"))
        if not checked.profile.has_document(DocumentKind.GUARDIAN_CONSENT):
            missing.append(
                FieldViolation("profile.documents", "needs the guardian's written consent (GUARDIAN_CONSENT)", "ANC-04")
            )
        if missing:
            raise InvalidArgument(missing)


def check_revision(old: Profile, new: Profile) -> None:
    """A file revision changes details, never whose file it is."""
    if (old.identity.document_type, old.identity.document_number) != (new.identity.document_type, new.identity.document_number):
        raise PreconditionFailed(
            "ANC-02", "anchor", "the identity document of a registered anchor cannot change; register anew",
            field="profile.identity.document_number",
        )


@dataclass(frozen=True)
class ReviewDecision:
    approve: bool
    reason: str


def check_review(
    *, reviewer_role: str, version: int, latest_version: int, status: VersionStatus, decision: ReviewDecision | None
) -> None:
    """ANC-02: only a compliance officer decides, only on the newest pending version, once."""
    if reviewer_role != "compliance_officer":
        raise PermissionDenied("only a compliance officer reviews anchor qualifications", rule="ANC-02")
    if decision is None:
        raise InvalidArgument([FieldViolation("decision", "must be APPROVE or REJECT")])
    if not decision.approve and not decision.reason.strip():
        raise InvalidArgument([FieldViolation("reason", "is required for a rejection", "ANC-02")])
    if len(decision.reason) > MAX_REASON:
        raise InvalidArgument([FieldViolation("reason", f"is longer than {MAX_REASON} characters")])
    if status is not VersionStatus.PENDING_REVIEW:
        raise PreconditionFailed(
            "ANC-02", f"anchor file version {version}", f"version {version} is {status.value}; a reviewed file never changes"
        )
    if version != latest_version:
        raise PreconditionFailed("ANC-02", f"anchor file version {version}", f"version {latest_version} superseded it")


@dataclass(frozen=True)
class Block:
    rule_id: str
    reason: str


@dataclass(frozen=True)
class EligibilityFacts:
    """What the go-live decision looks at, loaded by the store."""

    approved_profile: Profile | None
    date_of_birth: date
    onboarding_training_passed: bool
    extra_blocks: tuple[Block, ...] = field(default=())


def go_live_blocks(facts: EligibilityFacts, *, today: date) -> list[Block]:
    """Every rule that keeps the anchor off the air today; empty means eligible."""
    blocks: list[Block] = []
    if facts.approved_profile is None:
        blocks.append(Block("ANC-02", "no registration file has been approved by a compliance officer"))
    age = age_on(facts.date_of_birth, today)
    if age < MINIMUM_AGE:
        blocks.append(Block("ANC-03", f"the anchor is {age}, under {MINIMUM_AGE}"))
    elif age < ADULT_AGE and facts.approved_profile is not None:
        approved = facts.approved_profile
        if approved.guardian is None or not approved.has_document(DocumentKind.GUARDIAN_CONSENT):
            blocks.append(Block("ANC-04", "a minor anchor needs guardian identity and written consent on file"))
    if not facts.onboarding_training_passed:
        blocks.append(Block("ANC-05", "no completed onboarding training on live-commerce law"))
    blocks.extend(facts.extra_blocks)
    return blocks


def replace_agency(profile: Profile, agency_id: str) -> Profile:
    """An agency's submissions always name the agency itself (tenancy comes from the caller)."""
    return replace(profile, agency_id=agency_id)


def check_training(
    *, kind: TrainingKind | None, course_id: str, completed_at: datetime | None, certificate: Document | None, now: datetime
) -> None:
    """ANC-05: a training record names its kind and course and lies in the past."""
    violations = []
    if kind is None:
        violations.append(FieldViolation("kind", "must be ONBOARDING or PERIODIC", "ANC-05"))
    if not ID_TOKEN.match(course_id):
        violations.append(FieldViolation("course_id", "must be 1-64 letters, digits or ._:-", "ANC-05"))
    if completed_at is None:
        violations.append(FieldViolation("completed_at", "is required", "ANC-05"))
    elif completed_at > now:
        violations.append(FieldViolation("completed_at", "lies in the future", "ANC-05"))
    if certificate is not None:
        if certificate.kind is not DocumentKind.TRAINING_CERTIFICATE:
            violations.append(FieldViolation("certificate.kind", "must be DOCUMENT_KIND_TRAINING_CERTIFICATE", "ANC-05"))
        if not SHA256.match(certificate.sha256):
            violations.append(FieldViolation("certificate.sha256", "must be 64 lower-case hex digits (SHA-256)"))
        if len(certificate.uri) > MAX_URI or not _URI.match(certificate.uri):
            violations.append(FieldViolation("certificate.uri", "must be an absolute URI of at most 2048 characters"))
    if violations:
        raise InvalidArgument(violations)
