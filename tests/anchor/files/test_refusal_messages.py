"""Refusals of anchor onboarding tell the caller what is wrong (ANC-01..05): each names the field,
says in words what is wrong with it and, where a rule refuses it, the rule ID. These are the exact
texts compliance officers and agencies read, so a change to one is a change to the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PermissionDenied, PreconditionFailed
from services.anchor.files import domain as d
from tests.support import digest, resident_id, with_bad_check_digit

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
NUMBER = resident_id(date(1995, 5, 17))
SCAN = d.Document(d.DocumentKind.IDENTITY_FRONT, "s3://kyc/front.jpg", digest("front"))
URI_RULE = "must be an absolute URI of at most 2048 characters"
SHA_RULE = "must be 64 lower-case hex digits (SHA-256)"


def profile(identity: d.Identity | None = None, **changes) -> d.Profile:
    fields = dict(display_name="小张", address="北京市", phone="13812345678", documents=(SCAN,))
    return d.Profile(identity=identity or d.Identity("张三", d.DocumentType.RESIDENT_ID_CARD, NUMBER), **(fields | changes))


def violations(call) -> list[FieldViolation]:
    with pytest.raises(InvalidArgument) as refused:
        call()
    return list(refused.value.violations)


def V(field: str, description: str, rule: str = "") -> FieldViolation:
    return FieldViolation(field, description, rule)


def test_ANC_01_everything_wrong_at_once_is_named_field_by_field():
    guardian = d.Guardian(d.Identity("名" * 65, d.DocumentType.PASSPORT, "ab", "2030-01-01", "cn"), "", "123")
    bad = d.Profile(
        identity=d.Identity(" ", None, "x"), display_name="", address="路" * 201, phone="", email="bad", agency_id="a b",
        documents=(d.Document(None, "nope", "ABC"),), guardian=guardian,
    )
    assert violations(lambda: d.check_profile(bad, today=TODAY)) == [
        V("profile.identity.legal_name", "is required", "ANC-01"),
        V("profile.identity.document_type", "must be RESIDENT_ID_CARD or PASSPORT", "ANC-01"),
        V("profile.display_name", "is required", "ANC-01"),
        V("profile.address", "is longer than 200 characters"),
        V("profile.phone", "is required", "ANC-01"),
        V("profile.email", "is not an e-mail address"),
        V("profile.agency_id", "must be 1-64 letters, digits or ._:-"),
        V("profile.documents[0].kind", "is unknown or unspecified"),
        V("profile.documents[0].uri", URI_RULE),
        V("profile.documents[0].sha256", SHA_RULE, "ANC-01"),
        V("profile.documents", "needs a scan of the identity document (front or data page)", "ANC-01"),
        V("profile.guardian.identity.legal_name", "is longer than 64 characters"),
        V("profile.guardian.identity.document_number", "must be 5-20 letters or digits", "ANC-01"),
        V("profile.guardian.identity.nationality", "must be an ISO 3166-1 alpha-3 code", "ANC-01"),
        V("profile.guardian.identity.date_of_birth", "is impossible", "ANC-01"),
        V("profile.guardian.relationship", "is required", "ANC-01"),
        V("profile.guardian.phone", "must be an 11-digit mainland mobile number or E.164 (+...)"),
    ]


@pytest.mark.parametrize(
    ("identity", "changes", "expected"),
    [
        (d.Identity("张", d.DocumentType.RESIDENT_ID_CARD, with_bad_check_digit(NUMBER)), {},
         V("profile.identity.document_number", "is not a valid resident ID: check digit does not match (GB 11643)", "ANC-01")),
        (d.Identity("张", d.DocumentType.RESIDENT_ID_CARD, NUMBER, "1995-05-18"), {},
         V("profile.identity.date_of_birth", "disagrees with the resident ID number", "ANC-01")),
        (d.Identity("张", d.DocumentType.PASSPORT, "E1234567", "", "GBR"), {},
         V("profile.identity.date_of_birth", "is required as YYYY-MM-DD for a passport", "ANC-01")),
        (d.Identity("张", d.DocumentType.PASSPORT, "E1234567", "1899-12-31", "GBR"), {},
         V("profile.identity.date_of_birth", "is impossible", "ANC-01")),
        (None, {"phone": "+0123"}, V("profile.phone", "must be an 11-digit mainland mobile number or E.164 (+...)")),
        (None, {"documents": (SCAN,) * 21}, V("profile.documents", "at most 20 documents")),
        (None, {"display_name": "名" * 65}, V("profile.display_name", "is longer than 64 characters")),
    ],
)
def test_ANC_01_each_refusal_says_what_is_wrong(identity, changes, expected):
    assert violations(lambda: d.check_profile(profile(identity, **changes), today=TODAY)) == [expected]


def test_ANC_01_limits_are_inclusive():
    checked = d.check_profile(
        profile(display_name="名" * 64, address="路" * 200, documents=(SCAN,) * 20, email="a@b.cn", agency_id="ag-1",
                phone="+8613812345678"),
        today=TODAY,
    )
    assert checked.profile.identity.nationality == "CHN" and checked.date_of_birth == date(1995, 5, 17)
    passport = d.check_profile(profile(d.Identity("J", d.DocumentType.PASSPORT, " e1234567 ", "1900-01-01", "GBR")), today=TODAY)
    assert passport.profile.identity.document_number == "E1234567" and passport.date_of_birth == date(1900, 1, 1)
    assert passport.age_field == "profile.identity.date_of_birth"


LONGEST_URI = "s3://kyc/" + "a" * (2048 - len("s3://kyc/"))
LONGEST_EMAIL = f"{'a' * 64}@{'b' * (254 - 64 - 1 - 4)}.com"


def test_ANC_01_uri_and_e_mail_limits_are_inclusive_and_one_more_is_refused():
    assert (len(LONGEST_URI), len(LONGEST_EMAIL)) == (2048, 254)
    longest_scan = d.Document(d.DocumentKind.IDENTITY_FRONT, LONGEST_URI, digest("front"))
    d.check_profile(profile(documents=(longest_scan,), email=LONGEST_EMAIL), today=TODAY)
    longest_certificate = d.Document(d.DocumentKind.TRAINING_CERTIFICATE, LONGEST_URI, digest("certificate"))
    d.check_training(kind=d.TrainingKind.ONBOARDING, course_id="c", completed_at=NOW, certificate=longest_certificate, now=NOW)
    too_long = d.Document(d.DocumentKind.IDENTITY_FRONT, LONGEST_URI + "a", digest("front"))
    assert violations(lambda: d.check_profile(profile(documents=(too_long,), email=LONGEST_EMAIL + "m"), today=TODAY)) == [
        V("profile.email", "is not an e-mail address"),
        V("profile.documents[0].uri", URI_RULE),
    ]
    too_long_certificate = d.Document(d.DocumentKind.TRAINING_CERTIFICATE, LONGEST_URI + "a", digest("certificate"))
    assert violations(lambda: d.check_training(
        kind=d.TrainingKind.ONBOARDING, course_id="c", completed_at=NOW, certificate=too_long_certificate, now=NOW)) == [
        V("certificate.uri", URI_RULE)]


def test_ANC_01_03_a_passport_birth_date_of_today_is_possible_but_under_16_and_tomorrow_is_impossible():
    scan = d.Document(d.DocumentKind.PASSPORT_DATA_PAGE, "s3://kyc/page.jpg", digest("page"))
    born_today = profile(d.Identity("J", d.DocumentType.PASSPORT, "E1234567", TODAY.isoformat(), "GBR"), documents=(scan,))
    with pytest.raises(PreconditionFailed) as refused:
        d.check_profile(born_today, today=TODAY)
    assert (refused.value.rule, refused.value.description, refused.value.field) == (
        "ANC-03", "the anchor is 0; anchors must be at least 16", "profile.identity.date_of_birth")
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    born_tomorrow = profile(d.Identity("J", d.DocumentType.PASSPORT, "E1234567", tomorrow, "GBR"), documents=(scan,))
    assert violations(lambda: d.check_profile(born_tomorrow, today=TODAY)) == [
        V("profile.identity.date_of_birth", "is impossible", "ANC-01")]


def test_ANC_03_refusal_says_the_age_and_the_minimum():
    with pytest.raises(PreconditionFailed) as refused:
        d.check_profile(profile(d.Identity("张", d.DocumentType.RESIDENT_ID_CARD, resident_id(date(2010, 11, 24)))), today=TODAY)
    assert (refused.value.rule, refused.value.subject, refused.value.description, refused.value.field) == (
        "ANC-03", "anchor", "the anchor is 15; anchors must be at least 16", "profile.identity.document_number")


def test_ANC_04_a_minor_without_guardian_is_told_both_things_missing():
    minor = profile(d.Identity("张", d.DocumentType.RESIDENT_ID_CARD, resident_id(date(2009, 11, 24))))
    assert violations(lambda: d.check_profile(minor, today=TODAY)) == [
        V("profile.guardian", "is required for an anchor aged 16-17", "ANC-04"),
        V("profile.documents", "needs the guardian's written consent (GUARDIAN_CONSENT)", "ANC-04"),
    ]


def test_ANC_02_revision_of_the_identity_document_is_refused_naming_the_field():
    old, new = profile(), profile(d.Identity("张三", d.DocumentType.PASSPORT, NUMBER))
    with pytest.raises(PreconditionFailed) as refused:
        d.check_revision(old, new)
    assert (refused.value.rule, refused.value.subject, refused.value.field) == (
        "ANC-02", "anchor", "profile.identity.document_number")
    assert refused.value.description == "the identity document of a registered anchor cannot change; register anew"
    d.check_revision(old, profile(display_name="新名字"))


def review(**changes) -> None:
    args = dict(reviewer_role="compliance_officer", version=2, latest_version=2, status=d.VersionStatus.PENDING_REVIEW,
                decision=d.ReviewDecision(True, ""))
    d.check_review(**(args | changes))


def test_ANC_02_review_refusals_say_why():
    with pytest.raises(PermissionDenied) as role:
        review(reviewer_role="agency")
    assert str(role.value) == "only a compliance officer reviews anchor qualifications (ANC-02)"
    assert violations(lambda: review(decision=None)) == [V("decision", "must be APPROVE or REJECT")]
    assert violations(lambda: review(decision=d.ReviewDecision(False, " "))) == [V("reason", "is required for a rejection", "ANC-02")]
    assert violations(lambda: review(decision=d.ReviewDecision(True, "x" * 1001))) == [V("reason", "is longer than 1000 characters")]
    review(decision=d.ReviewDecision(False, "x" * 1000))
    with pytest.raises(PreconditionFailed) as decided:
        review(status=d.VersionStatus.REJECTED)
    assert (decided.value.subject, decided.value.description) == ("anchor file version 2", "version 2 is rejected; a reviewed file never changes")
    with pytest.raises(PreconditionFailed) as stale:
        review(version=1)
    assert (stale.value.rule, stale.value.subject, stale.value.description) == ("ANC-02", "anchor file version 1", "version 2 superseded it")


def test_ANC_05_training_refusals_name_each_field():
    bad = dict(kind=None, course_id="a b", completed_at=None, certificate=d.Document(None, "nope", "ABC"), now=NOW)
    assert violations(lambda: d.check_training(**bad)) == [
        V("kind", "must be ONBOARDING or PERIODIC", "ANC-05"),
        V("course_id", "must be 1-64 letters, digits or ._:-", "ANC-05"),
        V("completed_at", "is required", "ANC-05"),
        V("certificate.kind", "must be DOCUMENT_KIND_TRAINING_CERTIFICATE", "ANC-05"),
        V("certificate.sha256", SHA_RULE),
        V("certificate.uri", URI_RULE),
    ]
    future = dict(kind=d.TrainingKind.ONBOARDING, course_id="c", completed_at=NOW + timedelta(microseconds=1), certificate=None, now=NOW)
    assert violations(lambda: d.check_training(**future)) == [V("completed_at", "lies in the future", "ANC-05")]
    certificate = d.Document(d.DocumentKind.TRAINING_CERTIFICATE, "s3://kyc/cert.pdf", digest("certificate"))
    d.check_training(**(future | {"completed_at": NOW, "certificate": certificate}))
    for kind in (None, d.DocumentKind.IDENTITY_FRONT):  # a scan of something else, or no kind at all
        other = d.Document(kind, certificate.uri, certificate.sha256)
        assert violations(lambda other=other: d.check_training(**(future | {"completed_at": NOW, "certificate": other}))) == [
            V("certificate.kind", "must be DOCUMENT_KIND_TRAINING_CERTIFICATE", "ANC-05")]


def test_ANC_02_03_04_05_go_live_blocks_give_their_reasons():
    blocked = d.go_live_blocks(d.EligibilityFacts(None, date(2011, 1, 1), False, (d.Block("ANC-09", "blacklisted"),)), today=TODAY)
    assert blocked == [
        d.Block("ANC-02", "no registration file has been approved by a compliance officer"),
        d.Block("ANC-03", "the anchor is 15, under 16"),
        d.Block("ANC-05", "no completed onboarding training on live-commerce law"),
        d.Block("ANC-09", "blacklisted"),
    ]
    minor = d.go_live_blocks(d.EligibilityFacts(profile(), date(2009, 1, 1), True), today=TODAY)
    assert minor == [d.Block("ANC-04", "a minor anchor needs guardian identity and written consent on file")]
    assert d.go_live_blocks(d.EligibilityFacts(profile(), date(2008, 11, 23), True), today=TODAY) == []  # 18 today
    assert d.go_live_blocks(d.EligibilityFacts(None, date(2009, 1, 1), True), today=TODAY) == [
        d.Block("ANC-02", "no registration file has been approved by a compliance officer")]


GUARDIAN = d.Guardian(d.Identity("张父", d.DocumentType.RESIDENT_ID_CARD, resident_id(date(1975, 1, 1))), "father", "13900001111")
CONSENT = d.Document(d.DocumentKind.GUARDIAN_CONSENT, "s3://kyc/consent.pdf", digest("consent"))
MINOR_BLOCK = d.Block("ANC-04", "a minor anchor needs guardian identity and written consent on file")


@pytest.mark.parametrize(
    ("guardian", "documents", "expected"),
    [
        pytest.param(GUARDIAN, (SCAN, CONSENT), [], id="guardian-and-consent"),
        pytest.param(GUARDIAN, (SCAN,), [MINOR_BLOCK], id="guardian-without-consent"),
        pytest.param(None, (SCAN, CONSENT), [MINOR_BLOCK], id="consent-without-guardian"),
        pytest.param(None, (SCAN,), [MINOR_BLOCK], id="neither"),
    ],
)
def test_ANC_03_04_a_16_year_old_goes_live_only_with_guardian_and_consent_on_the_approved_file(guardian, documents, expected):
    sixteen_today = date(2010, 11, 23)
    approved = profile(guardian=guardian, documents=documents)
    assert d.go_live_blocks(d.EligibilityFacts(approved, sixteen_today, True), today=TODAY) == expected
    # The day before the 16th birthday, no consent helps: ANC-03, not ANC-04.
    assert d.go_live_blocks(d.EligibilityFacts(approved, sixteen_today, True), today=date(2026, 11, 22)) == [
        d.Block("ANC-03", "the anchor is 15, under 16")]
