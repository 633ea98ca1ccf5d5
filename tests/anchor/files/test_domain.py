"""Pure rules of anchor onboarding: identity (ANC-01), age (ANC-03, ANC-04), review (ANC-02),
training and eligibility (ANC-05)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from livecommerce.runtime.errors import InvalidArgument, PermissionDenied, PreconditionFailed
from livecommerce.runtime.resident_id import has_valid_check_digit, parse_resident_id
from services.anchor.files import domain
from services.anchor.files.domain import Document, DocumentKind, DocumentType, Guardian, Identity, Profile
from tests.support import digest, resident_id, with_bad_check_digit

TODAY = date(2026, 11, 23)


def make_profile(born: date = date(1995, 5, 17), **changes) -> Profile:
    fields = dict(
        identity=Identity("张三", DocumentType.RESIDENT_ID_CARD, resident_id(born)),
        display_name="小张带货",
        address="北京市朝阳区建国路88号",
        phone="13812345678",
        documents=(Document(DocumentKind.IDENTITY_FRONT, "s3://kyc/a/front.jpg", digest("front")),),
    )
    fields.update(changes)
    return Profile(**fields)


def guardian() -> Guardian:
    return Guardian(Identity("张父", DocumentType.RESIDENT_ID_CARD, resident_id(date(1975, 1, 1))), "father", "13900001111")


def fields_of(error: InvalidArgument) -> set[str]:
    return {v.field for v in error.violations}


def test_ANC_01_resident_id_check_digit_is_verified():
    number = resident_id(date(1990, 2, 28))
    assert has_valid_check_digit(number)
    assert not has_valid_check_digit(with_bad_check_digit(number))
    with pytest.raises(InvalidArgument) as refused:
        domain.check_profile(make_profile(identity=Identity("张三", DocumentType.RESIDENT_ID_CARD, with_bad_check_digit(number))), today=TODAY)
    assert fields_of(refused.value) == {"profile.identity.document_number"}
    assert "ANC-01" in str(refused.value)


def test_ANC_01_known_good_resident_id_parses_birth_date():
    # The published GB 11643 example number.
    parsed = parse_resident_id("11010519491231002X", today=TODAY)
    assert parsed.date_of_birth == date(1949, 12, 31)
    assert parsed.female


@pytest.mark.parametrize("bad", ["11010519490231002X", "110105194912310", "A1010519491231002X", "110105219912310023"])
def test_ANC_01_impossible_or_malformed_numbers_are_refused(bad):
    with pytest.raises(ValueError):
        parse_resident_id(bad, today=TODAY)


def test_ANC_01_birth_date_is_derived_from_the_number_and_must_agree():
    profile = make_profile()
    checked = domain.check_profile(profile, today=TODAY)
    assert checked.date_of_birth == date(1995, 5, 17)
    mismatched = make_profile(identity=Identity("张三", DocumentType.RESIDENT_ID_CARD, resident_id(date(1995, 5, 17)), "1995-05-18"))
    with pytest.raises(InvalidArgument) as refused:
        domain.check_profile(mismatched, today=TODAY)
    assert fields_of(refused.value) == {"profile.identity.date_of_birth"}


def test_ANC_01_the_file_stores_the_birth_date_read_from_the_resident_id_number():
    # Nothing sent but the number: the normalised file holds the date GB 11643 digits 7-14 prove.
    checked = domain.check_profile(make_profile(date(1995, 5, 17)), today=TODAY)
    assert checked.profile.identity.date_of_birth == "1995-05-17"
    assert checked.profile.identity.nationality == "CHN"


def test_ANC_04_the_guardian_identity_is_stored_normalised_too():
    number = resident_id(date(1975, 1, 1))
    sent = Guardian(Identity("张父", DocumentType.RESIDENT_ID_CARD, f" {number.lower()} "), "father", "13900001111")
    checked = domain.check_profile(make_profile(date(2009, 6, 1), guardian=sent, documents=_with_consent()), today=TODAY)
    assert checked.profile.guardian == Guardian(
        Identity("张父", DocumentType.RESIDENT_ID_CARD, number, "1975-01-01", "CHN"), "father", "13900001111")


def test_PLT_04_an_agency_submission_names_the_agency_itself_and_changes_nothing_else():
    sent = make_profile(agency_id="someone-else")
    assert domain.replace_agency(sent, "ag-7") == Profile(**(vars(sent) | {"agency_id": "ag-7"}))


def test_ANC_01_every_missing_field_is_named_at_once():
    empty = Profile(identity=Identity("", None, ""), display_name="", address="", phone="")
    with pytest.raises(InvalidArgument) as refused:
        domain.check_profile(empty, today=TODAY)
    assert {
        "profile.identity.legal_name",
        "profile.identity.document_type",
        "profile.display_name",
        "profile.address",
        "profile.phone",
        "profile.documents",
    } <= fields_of(refused.value)


def test_ANC_01_passport_needs_birth_date_and_nationality():
    passport = Identity("John Smith", DocumentType.PASSPORT, "e12345678", "", "")
    with pytest.raises(InvalidArgument) as refused:
        domain.check_profile(make_profile(identity=passport), today=TODAY)
    assert fields_of(refused.value) == {"profile.identity.date_of_birth", "profile.identity.nationality"}
    ok = domain.check_profile(
        make_profile(
            identity=Identity("John Smith", DocumentType.PASSPORT, "e12345678", "1990-01-01", "GBR"),
            documents=(Document(DocumentKind.PASSPORT_DATA_PAGE, "s3://kyc/p.jpg", digest("p")),),
        ),
        today=TODAY,
    )
    assert ok.profile.identity.document_number == "E12345678"


def test_ANC_01_document_references_carry_sha256_digests():
    bad = make_profile(documents=(Document(DocumentKind.IDENTITY_FRONT, "s3://kyc/a.jpg", "abc"),))
    with pytest.raises(InvalidArgument) as refused:
        domain.check_profile(bad, today=TODAY)
    assert fields_of(refused.value) == {"profile.documents[0].sha256"}


def test_oversized_strings_are_refused_with_their_field():
    with pytest.raises(InvalidArgument) as refused:
        domain.check_profile(make_profile(address="路" * 201, display_name="名" * 65), today=TODAY)
    assert fields_of(refused.value) == {"profile.address", "profile.display_name"}


def test_ANC_03_under_16_is_refused_on_the_day_before_the_16th_birthday():
    born = date(2010, 11, 24)  # turns 16 tomorrow
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_profile(make_profile(born), today=TODAY)
    assert refused.value.rule == "ANC-03"
    domain.check_profile(make_profile(born, guardian=guardian(), documents=_with_consent()), today=date(2026, 11, 24))


def test_ANC_03_refusal_names_the_resident_id_number_when_the_age_comes_from_it():
    born = date(2011, 1, 1)
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_profile(make_profile(born), today=TODAY)
    assert refused.value.field == "profile.identity.document_number"


def test_ANC_03_refusal_names_the_date_of_birth_the_caller_sent():
    born = date(2011, 1, 1)
    passport = Identity("John Doe", DocumentType.PASSPORT, "E12345678", born.isoformat(), "GBR")
    documents = (Document(DocumentKind.PASSPORT_DATA_PAGE, "s3://kyc/a/page.jpg", digest("page")),)
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_profile(make_profile(identity=passport, documents=documents), today=TODAY)
    assert refused.value.field == "profile.identity.date_of_birth"
    # A resident ID sent with its (agreeing) date of birth: the caller's date is what is named.
    both = Identity("张三", DocumentType.RESIDENT_ID_CARD, resident_id(born), born.isoformat())
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_profile(make_profile(identity=both), today=TODAY)
    assert refused.value.field == "profile.identity.date_of_birth"


def _with_consent() -> tuple[Document, ...]:
    return (
        Document(DocumentKind.IDENTITY_FRONT, "s3://kyc/a/front.jpg", digest("front")),
        Document(DocumentKind.GUARDIAN_CONSENT, "s3://kyc/a/consent.pdf", digest("consent")),
    )


def test_ANC_04_minor_needs_guardian_identity_and_written_consent():
    born = date(2009, 6, 1)  # 17
    with pytest.raises(InvalidArgument) as refused:
        domain.check_profile(make_profile(born), today=TODAY)
    assert fields_of(refused.value) == {"profile.guardian", "profile.documents"}
    assert all(v.rule == "ANC-04" for v in refused.value.violations)
    with pytest.raises(InvalidArgument):
        domain.check_profile(make_profile(born, guardian=guardian()), today=TODAY)
    checked = domain.check_profile(make_profile(born, guardian=guardian(), documents=_with_consent()), today=TODAY)
    assert checked.adult_on == date(2027, 6, 1)


def test_ANC_04_adults_need_no_guardian():
    domain.check_profile(make_profile(date(2008, 11, 23)), today=TODAY)  # 18 today


def test_ANC_04_guardian_identity_is_validated_too():
    bad_guardian = Guardian(Identity("张父", DocumentType.RESIDENT_ID_CARD, "123"), "father", "13900001111")
    with pytest.raises(InvalidArgument) as refused:
        domain.check_profile(make_profile(date(2009, 6, 1), guardian=bad_guardian, documents=_with_consent()), today=TODAY)
    assert fields_of(refused.value) == {"profile.guardian.identity.document_number"}


def test_ANC_02_only_compliance_officers_review():
    with pytest.raises(PermissionDenied):
        domain.check_review(
            reviewer_role="agency", version=1, latest_version=1, status=domain.VersionStatus.PENDING_REVIEW,
            decision=domain.ReviewDecision(True, ""),
        )


@pytest.mark.parametrize("status", [domain.VersionStatus.APPROVED, domain.VersionStatus.REJECTED, domain.VersionStatus.SUPERSEDED])
def test_ANC_02_a_reviewed_version_is_never_reviewed_again(status):
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_review(
            reviewer_role="compliance_officer", version=1, latest_version=1, status=status, decision=domain.ReviewDecision(True, "")
        )
    assert refused.value.rule == "ANC-02"


def test_ANC_02_rejection_needs_a_reason():
    with pytest.raises(InvalidArgument) as refused:
        domain.check_review(
            reviewer_role="compliance_officer", version=1, latest_version=1,
            status=domain.VersionStatus.PENDING_REVIEW, decision=domain.ReviewDecision(False, " "),
        )
    assert fields_of(refused.value) == {"reason"}


def test_ANC_02_identity_cannot_change_in_a_revision():
    old = make_profile()
    new = make_profile()  # a different resident ID number
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_revision(old, new)
    assert refused.value.rule == "ANC-02"


def _facts(**changes) -> domain.EligibilityFacts:
    fields = dict(approved_profile=make_profile(), date_of_birth=date(1995, 5, 17), onboarding_training_passed=True)
    fields.update(changes)
    return domain.EligibilityFacts(**fields)


def test_ANC_05_eligibility_names_each_blocking_rule():
    assert domain.go_live_blocks(_facts(), today=TODAY) == []
    blocks = domain.go_live_blocks(_facts(approved_profile=None, onboarding_training_passed=False), today=TODAY)
    assert [b.rule_id for b in blocks] == ["ANC-02", "ANC-05"]


def test_ANC_03_eligibility_checks_age_at_every_go_live():
    blocks = domain.go_live_blocks(_facts(date_of_birth=date(2011, 1, 1)), today=TODAY)
    assert [b.rule_id for b in blocks] == ["ANC-03"]


def test_ANC_04_eligibility_of_a_minor_needs_consent_on_the_approved_file():
    blocks = domain.go_live_blocks(_facts(date_of_birth=date(2009, 6, 1)), today=TODAY)
    assert [b.rule_id for b in blocks] == ["ANC-04"]
    assert domain.go_live_blocks(_facts(date_of_birth=date(2009, 6, 1)), today=date(2027, 6, 1)) == []


def test_ANC_05_training_must_lie_in_the_past():
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    with pytest.raises(InvalidArgument) as refused:
        domain.check_training(
            kind=None, course_id="", completed_at=datetime(2026, 11, 24, tzinfo=UTC), certificate=None, now=now
        )
    assert fields_of(refused.value) == {"kind", "course_id", "completed_at"}


def test_age_counts_leap_day_birthdays():
    assert domain.add_years(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert domain.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
