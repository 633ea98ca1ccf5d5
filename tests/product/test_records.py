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


def test_PRD_02_every_malformed_field_is_named_at_once():
    bad = LicenceFiling("fishing", " ", "", "x" * 201, None, None, DocumentRef("not a uri", "abc"))
    with pytest.raises(InvalidArgument) as refused:
        check_licence(bad, catalogue=CATALOGUE, now=NOW)
    assert fields_of(refused.value) == [
        "licence.kind", "licence.number", "licence.issuer", "licence.holder", "licence.valid_from", "licence.valid_until",
        "licence.document.uri", "licence.document.sha256",
    ]
    assert all(v.rule == "PRD-02" for v in refused.value.violations)


def test_PRD_02_validity_must_run_forwards_and_not_be_over():
    with pytest.raises(InvalidArgument) as refused:
        check_licence(replace(LICENCE, valid_until=LICENCE.valid_from), catalogue=CATALOGUE, now=NOW)
    assert fields_of(refused.value) == ["licence.valid_until"]
    with pytest.raises(PreconditionFailed) as over:
        check_licence(replace(LICENCE, valid_until=NOW), catalogue=CATALOGUE, now=NOW)  # the end is exclusive
    assert over.value.rule == "PRD-02" and over.value.field == "licence.valid_until"
    check_licence(replace(LICENCE, valid_until=NOW + timedelta(microseconds=1)), catalogue=CATALOGUE, now=NOW)
    check_licence(replace(LICENCE, valid_from=NOW + timedelta(days=1)), catalogue=CATALOGUE, now=NOW)  # valid later: may be filed now


def test_PRD_02_a_missing_document_is_named():
    with pytest.raises(InvalidArgument) as refused:
        check_licence(replace(LICENCE, document=None), catalogue=CATALOGUE, now=NOW)
    assert fields_of(refused.value) == ["licence.document"]


def test_PRD_03_a_well_formed_authorization_passes():
    check_authorization(AUTHORIZATION, now=NOW)


def test_PRD_03_every_malformed_field_is_named_at_once():
    bad = AuthorizationFiling("", ("第1号", "第1号", " "), NOW, NOW - timedelta(days=1), None)
    with pytest.raises(InvalidArgument) as refused:
        check_authorization(bad, now=NOW)
    assert fields_of(refused.value) == [
        "authorization.holder", "authorization.right_numbers[2]", "authorization.right_numbers",
        "authorization.valid_until", "authorization.document",
    ]
    with pytest.raises(InvalidArgument) as none:
        check_authorization(replace(AUTHORIZATION, right_numbers=()), now=NOW)
    assert fields_of(none.value) == ["authorization.right_numbers"]
    with pytest.raises(InvalidArgument) as many:
        check_authorization(replace(AUTHORIZATION, right_numbers=tuple(f"第{i}号" for i in range(51))), now=NOW)
    assert fields_of(many.value) == ["authorization.right_numbers"]
    check_authorization(replace(AUTHORIZATION, right_numbers=tuple(f"第{i}号" for i in range(50))), now=NOW)


def test_PRD_03_an_ended_authorization_is_refused():
    with pytest.raises(PreconditionFailed) as over:
        check_authorization(replace(AUTHORIZATION, valid_until=NOW), now=NOW)
    assert over.value.rule == "PRD-03" and over.value.field == "authorization.valid_until"
