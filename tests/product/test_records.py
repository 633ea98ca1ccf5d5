"""What merchants file, as plain values (PRD-02 licences, PRD-03 authorizations): every malformed
field at once, an already-ended record refused naming its rule, the boundaries exact."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from livecommerce.runtime.errors import InvalidArgument, PreconditionFailed
from services.product.pricing import DocumentRef
from services.product.records import AuthorizationFiling, LicenceFiling, check_authorization, check_licence
from tests.product.builders import CATALOGUE, NOW, digest, fields_of

DOCUMENT = DocumentRef("s3://licences/m-1/food.pdf", digest("food"))
LICENCE = LicenceFiling("food_business", "JY13301060012345", "杭州市市场监督管理局", "杭州稻香食品有限公司",
                        NOW - timedelta(days=1), NOW + timedelta(days=365), DOCUMENT)
AUTHORIZATION = AuthorizationFiling("某某品牌管理有限公司", ("第87654321号",), NOW - timedelta(days=1), NOW + timedelta(days=30), DOCUMENT)


def test_PRD_02_a_well_formed_licence_passes():
    check_licence(LICENCE, catalogue=CATALOGUE, now=NOW)


def told(error: InvalidArgument) -> list[tuple[str, str, str]]:
    return [(v.field, v.description, v.rule) for v in error.violations]


def test_PRD_02_every_malformed_field_is_named_at_once():
    bad = LicenceFiling("fishing", " ", "", "x" * 201, None, None, DocumentRef("not a uri", "abc"))
    with pytest.raises(InvalidArgument) as refused:
        check_licence(bad, catalogue=CATALOGUE, now=NOW)
    kinds = ", ".join(sorted(CATALOGUE.licence_kinds))
    assert told(refused.value) == [
        ("licence.kind", f"'fishing' is not a licence kind of the category tree ({kinds})", "PRD-02"),
        ("licence.number", "is required (at most 64 characters)", "PRD-02"),
        ("licence.issuer", "is required (at most 200 characters)", "PRD-02"),
        ("licence.holder", "is required (at most 200 characters)", "PRD-02"),
        ("licence.valid_from", "is required", "PRD-02"),
        ("licence.valid_until", "is required: the end of validity", "PRD-02"),
        ("licence.document.uri", "must be an absolute URI of at most 2048 characters", "PRD-02"),
        ("licence.document.sha256", "must be 64 lower-case hex digits (SHA-256)", "PRD-02"),
    ]


@pytest.mark.parametrize("missing", ["valid_from", "valid_until"])
def test_PRD_02_each_end_of_validity_is_required_on_its_own(missing):
    with pytest.raises(InvalidArgument) as refused:
        check_licence(replace(LICENCE, **{missing: None}), catalogue=CATALOGUE, now=NOW)
    assert fields_of(refused.value) == [f"licence.{missing}"]


def test_PRD_02_texts_at_their_limits_pass():
    check_licence(replace(LICENCE, number="N" * 64, issuer="局" * 200, holder="司" * 200), catalogue=CATALOGUE, now=NOW)
    with pytest.raises(InvalidArgument) as refused:
        check_licence(replace(LICENCE, number="N" * 65), catalogue=CATALOGUE, now=NOW)
    assert fields_of(refused.value) == ["licence.number"]


def test_PRD_02_validity_must_run_forwards_and_not_be_over():
    with pytest.raises(InvalidArgument) as refused:
        check_licence(replace(LICENCE, valid_until=LICENCE.valid_from), catalogue=CATALOGUE, now=NOW)
    assert fields_of(refused.value) == ["licence.valid_until"]
    with pytest.raises(InvalidArgument) as backwards:
        check_licence(replace(LICENCE, valid_until=LICENCE.valid_from - timedelta(days=1)), catalogue=CATALOGUE, now=NOW)
    assert told(backwards.value) == [("licence.valid_until", "must lie after valid_from", "PRD-02")]
    with pytest.raises(PreconditionFailed) as over:
        check_licence(replace(LICENCE, valid_until=NOW), catalogue=CATALOGUE, now=NOW)  # the end is exclusive
    assert (over.value.rule, over.value.subject, over.value.description, over.value.field) == (
        "PRD-02", "licence", f"the licence expired at {NOW.isoformat()}", "licence.valid_until"
    )
    check_licence(replace(LICENCE, valid_until=NOW + timedelta(microseconds=1)), catalogue=CATALOGUE, now=NOW)
    check_licence(replace(LICENCE, valid_from=NOW + timedelta(days=1)), catalogue=CATALOGUE, now=NOW)  # valid later: may be filed now


def test_PRD_02_a_missing_document_is_named():
    with pytest.raises(InvalidArgument) as refused:
        check_licence(replace(LICENCE, document=None), catalogue=CATALOGUE, now=NOW)
    assert told(refused.value) == [("licence.document", "is required: the scanned document with its SHA-256", "PRD-02")]


def test_PRD_03_a_well_formed_authorization_passes():
    check_authorization(AUTHORIZATION, now=NOW)


def test_PRD_03_every_malformed_field_is_named_at_once():
    bad = AuthorizationFiling("", ("第1号", "第1号", " "), NOW, NOW - timedelta(days=1), None)
    with pytest.raises(InvalidArgument) as refused:
        check_authorization(bad, now=NOW)
    assert told(refused.value) == [
        ("authorization.holder", "is required (at most 200 characters)", "PRD-03"),
        ("authorization.right_numbers[2]", "is required (at most 64 characters)", "PRD-03"),
        ("authorization.right_numbers", "names a right twice", ""),
        ("authorization.valid_until", "must lie after valid_from", "PRD-03"),
        ("authorization.document", "is required: the scanned document with its SHA-256", "PRD-03"),
    ]
    with pytest.raises(InvalidArgument) as none:
        check_authorization(replace(AUTHORIZATION, right_numbers=()), now=NOW)
    assert told(none.value) == [("authorization.right_numbers", "needs the registration number of every right it covers", "PRD-03")]
    with pytest.raises(InvalidArgument) as many:
        check_authorization(replace(AUTHORIZATION, right_numbers=tuple(f"第{i}号" for i in range(51))), now=NOW)
    assert told(many.value) == [("authorization.right_numbers", "at most 50 rights", "")]
    check_authorization(replace(AUTHORIZATION, right_numbers=tuple(f"第{i}号" for i in range(50))), now=NOW)


def test_PRD_03_an_ended_authorization_is_refused():
    with pytest.raises(PreconditionFailed) as over:
        check_authorization(replace(AUTHORIZATION, valid_until=NOW), now=NOW)
    assert (over.value.rule, over.value.subject, over.value.description, over.value.field) == (
        "PRD-03", "authorization", f"the authorization expired at {NOW.isoformat()}", "authorization.valid_until"
    )
    with pytest.raises(InvalidArgument) as missing:
        check_authorization(replace(AUTHORIZATION, valid_from=None, valid_until=None), now=NOW)
    assert told(missing.value) == [
        ("authorization.valid_from", "is required", "PRD-03"),
        ("authorization.valid_until", "is required: the end of validity", "PRD-03"),
    ]
