"""Pure rules of product submission: required information (PRD-01), admission licences (PRD-02),
intellectual property (PRD-03), links (PRD-05), prohibited categories (PRD-06), all refused with
the field and the rule named."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed
from livecommerce.runtime.requests import check_request_id
from services.product import domain
from services.product.domain import IpKind, IpRight, PatentStatus
from services.product.formats import check_document
from services.product.pricing import DocumentRef, PriceEvidence
from services.product.prohibited import CompiledList, Entry, EntryKind, ProhibitedList
from tests.product.builders import (
    CATALOGUE,
    MERCHANT,
    NOW,
    RULES,
    authorization,
    digest,
    fields_of,
    licence,
    on_file,
    own_trademark,
    rice,
)


def check(details, files=None, prohibited=None, now=NOW, rules=RULES):
    return domain.check_details(
        details, on_file=files if files is not None else on_file(licence()), catalogue=CATALOGUE, rules=rules,
        prohibited=prohibited, now=now,
    )


def test_PRD_01_a_complete_submission_passes_and_is_normalised():
    checked = check(rice(title="  有机五常大米 5kg  "))
    assert checked.details.title == "有机五常大米 5kg"
    assert checked.category.path == ("食品", "粮油米面")
    assert checked.expiry.isoformat() == "2027-06-30"
    assert checked.link is None


def test_PRD_01_every_missing_field_is_named_at_once():
    empty = rice(
        title="", category="", origin=" ", producer="", performance_and_use="", specification="", ingredients="",
        price_fen=0, expiry_date="", images=(), ip_rights=(),
    )
    with pytest.raises(InvalidArgument) as refused:
        check(empty)
    assert fields_of(refused.value) == [
        "details.title", "details.category", "details.origin", "details.producer", "details.performance_and_use",
        "details.specification", "details.ingredients", "details.price_fen", "details.expiry_date", "details.images",
        "details.ip_rights",
    ]
    assert {v.rule for v in refused.value.violations} == {"PRD-01", "PRD-03"}
    assert str(refused.value).startswith("details.title: is required (PRD-01); details.category: is required (PRD-01)")


def test_PRD_01_oversized_text_is_refused_with_its_limit():
    with pytest.raises(InvalidArgument) as refused:
        check(rice(title="米" * 61, ingredients="粳" * 2001, description="x" * 2001))
    assert [v.text() for v in refused.value.violations] == [
        "details.title: is longer than 60 characters (PRD-01)",
        "details.ingredients: is longer than 2000 characters (PRD-01)",
        "details.description: is longer than 2000 characters (PRD-01)",
    ]
    check(rice(title="米" * 60, ingredients="粳" * 2000, description="x" * 2000))


@pytest.mark.parametrize("price, ok", [(1, True), (100_000_000, True), (0, False), (-1, False), (100_000_001, False)])
def test_PRD_01_price_is_positive_and_at_most_the_ceiling(price, ok):
    if ok:
        check(rice(price_fen=price))
        return
    with pytest.raises(InvalidArgument) as refused:
        check(rice(price_fen=price))
    text = refused.value.violations[0].text()
    expected = (
        "details.price_fen: exceeds the ceiling of 100000000 fen (1000000.00 yuan) (PRD-01)"
        if price > 0 else "details.price_fen: is required: a positive price in fen (PRD-01)"
    )
    assert text == expected


def test_PRD_01_unknown_category_is_named():
    with pytest.raises(InvalidArgument) as refused:
        check(rice(category="food.caviar"))
    assert refused.value.violations[0].text() == "details.category: 'food.caviar' is not in the category tree (PRD-01)"


@pytest.mark.parametrize("expiry", ["2026-12-01", "2026-11-30", "2020-01-01"])
def test_PRD_01_an_expiry_date_today_or_in_the_past_is_refused(expiry):
    with pytest.raises(InvalidArgument) as refused:
        check(rice(expiry_date=expiry))
    assert refused.value.violations[0].text() == (
        "details.expiry_date: is not after today (2026-12-01): the goods have expired (PRD-01)"
    )


def test_PRD_01_expiry_is_reckoned_on_the_beijing_calendar():
    # 2026-11-30T17:00Z is already 12-01 in Beijing: an expiry of 11-30... and 12-01 are past
    late_evening_utc = NOW.replace(day=30, month=11, hour=17)
    with pytest.raises(InvalidArgument):
        check(rice(expiry_date="2026-12-01"), now=late_evening_utc)
    check(rice(expiry_date="2026-12-02"), now=late_evening_utc)


@pytest.mark.parametrize("expiry", ["2027/06/30", "20270630", "2027-02-30", "tomorrow"])
def test_PRD_01_expiry_must_be_a_date(expiry):
    with pytest.raises(InvalidArgument) as refused:
        check(rice(expiry_date=expiry))
    assert refused.value.violations[0].text() == "details.expiry_date: must be a date as YYYY-MM-DD (PRD-01)"


def test_PRD_01_goods_that_do_not_expire_need_no_expiry_date():
    check(rice(category="apparel", expiry_date="", licence_ids=()), files=on_file())


def test_PRD_01_images_need_sha256_digests():
    with pytest.raises(InvalidArgument) as refused:
        check(rice(images=(DocumentRef("s3://p/a.jpg", digest("a").upper()), DocumentRef("not a uri", digest("b")))))
    assert [v.text() for v in refused.value.violations] == [
        "details.images[0].sha256: must be 64 lower-case hex digits (SHA-256) (PRD-01)",
        "details.images[1].uri: must be an absolute URI of at most 2048 characters (PRD-01)",
    ]


def test_PRD_01_too_many_images_are_refused():
    with pytest.raises(InvalidArgument) as refused:
        check(rice(images=tuple(DocumentRef(f"s3://p/{i}.jpg", digest(str(i))) for i in range(21))))
    assert fields_of(refused.value) == ["details.images"]


def test_PRD_02_a_licensed_category_needs_the_licence_named():
    with pytest.raises(InvalidArgument) as refused:
        check(rice(licence_ids=("lic-nothing",)))
    assert refused.value.violations[0].text() == "details.licence_ids[0]: names no licence on file (PRD-02)"
    with pytest.raises(PreconditionFailed) as missing:
        check(rice(licence_ids=()))
    assert missing.value.rule == "PRD-02"
    assert missing.value.description == "食品/粮油米面 needs 食品经营许可证 (food_business) on file"
    assert missing.value.field == "details.licence_ids"


def test_PRD_02_another_merchants_licence_is_not_on_file():
    with pytest.raises(InvalidArgument) as refused:
        check(rice(), files=on_file(licence(merchant="m-2")))
    assert refused.value.violations[0].rule == "PRD-02"


def test_PRD_02_health_food_needs_both_its_licences():
    files = on_file(licence(), licence("health_food", "lic-hf"))
    check(rice(category="food.health", licence_ids=("lic-food", "lic-hf")), files=files)
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(category="food.health"), files=files)
    assert refused.value.description == "食品/保健食品 needs 保健食品注册证书或备案凭证 (health_food) on file"


def test_PRD_02_a_licence_of_the_wrong_kind_does_not_count():
    files = on_file(licence("cosmetics_filing", "lic-food"))
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(), files=files)
    assert refused.value.rule == "PRD-02"


def test_PRD_02_an_expired_licence_is_refused_at_its_exclusive_end():
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(), files=on_file(licence(until=NOW)))
    assert refused.value.description == "食品经营许可证 JY13301060012345 expired at 2026-12-01T04:00:00+00:00"
    assert refused.value.field == "details.licence_ids[0]"
    check(rice(), files=on_file(licence(until=NOW + timedelta(microseconds=1))))


def test_PRD_02_a_licence_not_yet_valid_is_refused():
    future = replace(licence(), valid_from=NOW + timedelta(days=1))
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(), files=on_file(future))
    assert refused.value.description == "食品经营许可证 JY13301060012345 is valid only from 2026-12-02T04:00:00+00:00"


def test_PRD_02_unlicensed_categories_need_none():
    check(rice(category="produce.fruit", licence_ids=()), files=on_file())


def authorized_right(**changes) -> IpRight:
    right = IpRight(IpKind.TRADEMARK, "第87654321号", "某某品牌管理有限公司", owned_by_merchant=False, authorization_id="auth-1")
    return replace(right, **changes)


def test_PRD_03_a_rights_holders_authorization_on_file_admits():
    check(rice(ip_rights=(authorized_right(),)), files=on_file(licence(), authorizations=(authorization(),)))


def test_PRD_03_authorization_problems_are_named():
    files = on_file(licence(), authorizations=(authorization(), authorization("auth-2", holder="冒名公司")))
    rights = (
        authorized_right(authorization_id=""),
        authorized_right(authorization_id="auth-9"),
        authorized_right(authorization_id="auth-2"),
        authorized_right(number="第11111111号"),
    )
    with pytest.raises(InvalidArgument) as refused:
        check(rice(ip_rights=rights), files=files)
    assert [v.text() for v in refused.value.violations] == [
        "details.ip_rights[0].authorization_id: is required for a right the merchant does not hold (PRD-03)",
        "details.ip_rights[1].authorization_id: names no authorization on file (PRD-03)",
        "details.ip_rights[2].authorization_id: is from '冒名公司', not from the rights holder '某某品牌管理有限公司' (PRD-03)",
        "details.ip_rights[3].authorization_id: does not cover 第11111111号 (PRD-03)",
    ]


def test_PRD_03_an_expired_authorization_is_refused():
    files = on_file(licence(), authorizations=(authorization(until=NOW),))
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(ip_rights=(authorized_right(),)), files=files)
    assert refused.value.rule == "PRD-03"
    assert refused.value.description == "the authorization for 第87654321号 expired at 2026-12-01T04:00:00+00:00"


@pytest.mark.parametrize(("status", "standing"), [(PatentStatus.APPLICATION, "only applied for, not granted"), (PatentStatus.LAPSED, "lapsed")])
def test_PRD_03_a_patent_shown_must_be_granted(status, standing):
    patent = IpRight(IpKind.PATENT, "ZL202310123456.7", "五常稻香农业有限公司", True, patent_status=status)
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(ip_rights=(own_trademark(), patent)))
    assert refused.value.description == f"patent ZL202310123456.7 is {standing}: only a granted patent in force may be shown"
    assert refused.value.field == "details.ip_rights[1].patent_status"


def test_PRD_03_a_granted_patent_must_be_in_force():
    patent = IpRight(IpKind.PATENT, "ZL1", "X", True, patent_status=PatentStatus.GRANTED, valid_until=NOW)
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(ip_rights=(patent,)))
    assert refused.value.description == "patent ZL1 is no longer in force (ended 2026-12-01T04:00:00+00:00)"
    check(rice(ip_rights=(replace(patent, valid_until=NOW + timedelta(days=1)),)))


def test_PRD_03_malformed_rights_are_named():
    with pytest.raises(InvalidArgument) as refused:
        check(rice(ip_rights=(IpRight(None, "", "", True), IpRight(IpKind.PATENT, "ZL1", "X", True))))
    assert fields_of(refused.value) == [
        "details.ip_rights[0].kind", "details.ip_rights[0].number", "details.ip_rights[0].holder",
        "details.ip_rights[1].patent_status",
    ]


def test_PRD_05_a_link_to_an_unknown_host_is_refused():
    with pytest.raises(InvalidArgument) as refused:
        check(rice(link_url="https://evil-jd.com/item/1"))
    assert refused.value.violations[0].text() == (
        "details.link_url: leads to evil-jd.com, which is neither the platform's shop nor a known trading platform (PRD-05)"
    )


def test_PRD_05_a_link_to_another_platform_is_flagged_at_submission():
    checked = check(rice(link_url="https://item.jd.com/100012345.html"))
    assert checked.link.external and checked.link.platform_name == "京东"


def test_PRD_06_a_prohibited_category_is_refused_with_its_basis():
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(category="electronics.e_cigarette", expiry_date="", licence_ids=()), files=on_file())
    assert refused.value.rule == "PRD-06"
    assert refused.value.description == (
        "category electronics.e_cigarette (数码家电/电子烟) is prohibited: 《电子烟管理办法》：禁止通过信息网络销售电子烟产品"
    )


def test_PRD_06_a_restricted_category_needs_its_licence():
    files = on_file(licence("drug_business", "lic-drug"), licence("internet_drug_information", "lic-idi"))
    check(rice(category="drug.otc", licence_ids=("lic-drug", "lic-idi")), files=files)
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(category="drug.otc", licence_ids=("lic-drug",)), files=files)
    assert refused.value.rule == "PRD-06"
    assert refused.value.description == "药品/非处方药 needs 互联网药品信息服务资格证书 (internet_drug_information) on file"


@pytest.mark.parametrize("request_id, violation", [
    ("req-1", None),
    ("r" * 64, None),
    ("", "request_id: is required: 1-64 letters, digits or ._:-, one per intended write, so a retry takes effect once"),
    ("has space", "request_id: must be 1-64 letters, digits or ._:-"),
    ("x" * 65, "request_id: must be 1-64 letters, digits or ._:-"),
])
def test_PRD_01_request_ids_follow_the_token_rule(request_id, violation):
    if violation is None:
        check_request_id(request_id)
        return
    with pytest.raises(InvalidArgument) as refused:
        check_request_id(request_id)
    assert [v.text() for v in refused.value.violations] == [violation]


@pytest.mark.parametrize("uri, found", [
    ("s3://p/" + "a" * 2041, []),
    ("s3://p/" + "a" * 2042, [("doc.uri", "must be an absolute URI of at most 2048 characters", "")]),
])
def test_a_document_uri_is_at_most_2048_characters_and_names_no_rule_unless_given(uri, found):
    violations: list[FieldViolation] = []
    check_document(violations, "doc", uri, digest("doc"))
    assert [(v.field, v.description, v.rule) for v in violations] == found


def test_compliance_blocks_list_every_rule_at_once():
    expired = on_file(licence(until=NOW), authorizations=(authorization(until=NOW),))
    checked_category = CATALOGUE.get("food.grain")
    blocks = domain.compliance_blocks(
        rice(ip_rights=(authorized_right(),)), checked_category, on_file=expired, catalogue=CATALOGUE, prohibited=None, at=NOW
    )
    assert [b.rule_id for b in blocks] == ["PRD-02", "PRD-03"]
    assert MERCHANT == "m-1"


# --- refusals asserted whole: field, text and rule of every violation -------------------------

def violations_of(details, files=None) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidArgument) as refused:
        check(details, files=files)
    return [(v.field, v.description, v.rule) for v in refused.value.violations]


def test_PRD_01_missing_expiry_date_and_images_are_named():
    assert violations_of(rice(expiry_date="", images=())) == [
        ("details.expiry_date", "is required as YYYY-MM-DD", "PRD-01"),
        ("details.images", "needs at least one image", "PRD-01"),
    ]


def images(count: int) -> tuple[DocumentRef, ...]:
    return tuple(DocumentRef(f"s3://p/{i}.jpg", digest(str(i))) for i in range(count))


def test_PRD_01_at_most_20_images():
    check(rice(images=images(20)))
    assert violations_of(rice(images=images(21))) == [("details.images", "at most 20 images", "")]


MALFORMED_RIGHTS = [
    (IpRight(None, "第1号", "某公司", True),
     [("details.ip_rights[0].kind", "must be TRADEMARK, PATENT, COPYRIGHT or GEOGRAPHICAL_INDICATION", "PRD-03")]),
    (IpRight(IpKind.TRADEMARK, " ", "某公司", True),
     [("details.ip_rights[0].number", "is required (at most 64 characters)", "PRD-03")]),
    (IpRight(IpKind.TRADEMARK, "9" * 65, "某公司", True),
     [("details.ip_rights[0].number", "is required (at most 64 characters)", "PRD-03")]),
    (IpRight(IpKind.TRADEMARK, "第1号", "", True),
     [("details.ip_rights[0].holder", "is required (at most 200 characters)", "PRD-03")]),
    (IpRight(IpKind.TRADEMARK, "第1号", "公" * 201, True),
     [("details.ip_rights[0].holder", "is required (at most 200 characters)", "PRD-03")]),
    (IpRight(IpKind.PATENT, "ZL1", "某公司", True),
     [("details.ip_rights[0].patent_status", "is required for a patent", "PRD-03")]),
]


@pytest.mark.parametrize("right, found", MALFORMED_RIGHTS, ids=["kind", "number", "number-too-long", "holder", "holder-too-long", "patent-status"])
def test_PRD_03_each_malformed_right_is_named_with_its_field(right, found):
    assert violations_of(rice(ip_rights=(right,))) == found


def test_PRD_03_the_longest_number_and_holder_are_accepted():
    check(rice(ip_rights=(IpRight(IpKind.COPYRIGHT, "9" * 64, "公" * 200, True),)))


def test_PRD_03_a_product_needs_a_right_and_at_most_20():
    assert violations_of(rice(ip_rights=())) == [
        ("details.ip_rights", "needs the product's own trademark, patent or copyright, or a rights holder's authorization", "PRD-03")
    ]
    check(rice(ip_rights=(own_trademark(),) * 20))
    assert violations_of(rice(ip_rights=(own_trademark(),) * 21)) == [("details.ip_rights", "at most 20 rights", "")]


def test_PRD_03_another_merchants_authorization_is_not_on_file():
    files = on_file(licence(), authorizations=(authorization(merchant="m-2"),))
    assert violations_of(rice(ip_rights=(authorized_right(),)), files=files) == [
        ("details.ip_rights[0].authorization_id", "names no authorization on file", "PRD-03")
    ]


def licences(count: int):
    return tuple(licence(licence_id=f"lic-{i}") for i in range(count))


def test_PRD_02_at_most_20_licences_each_named_once_and_well_formed():
    many = licences(21)
    check(rice(licence_ids=tuple(x.licence_id for x in many[:20])), files=on_file(*many))
    assert violations_of(rice(licence_ids=tuple(x.licence_id for x in many)), files=on_file(*many)) == [
        ("details.licence_ids", "at most 20 licences", "")
    ]
    assert violations_of(rice(licence_ids=("lic-food", "bad id", "lic-food"))) == [
        ("details.licence_ids[1]", "must be 1-64 letters, digits or ._:-", ""),
        ("details.licence_ids[2]", "is named twice", ""),
    ]


def test_PRD_08_a_crossed_out_price_is_checked_at_submission():
    real = PriceEvidence(12900, NOW - timedelta(days=20), NOW - timedelta(days=1), "本店 2026-11 订单记录")
    check(rice(crossed_out_price_fen=12900, crossed_out_price_evidence=real))
    assert violations_of(rice(crossed_out_price_fen=8990, crossed_out_price_evidence=real)) == [
        ("details.crossed_out_price_fen", "must be above the selling price, or 0 for none", "PRD-08")
    ]
    assert violations_of(rice(crossed_out_price_fen=12900)) == [
        ("details.crossed_out_price_evidence",
         "is required for a crossed-out price: a real prior selling price (amount, period, source)", "PRD-08")
    ]


def test_PRD_02_a_rule_refusal_is_about_the_product_and_names_its_field():
    with pytest.raises(PreconditionFailed) as refused:
        check(rice(licence_ids=()))
    assert (refused.value.rule, refused.value.subject, refused.value.field) == ("PRD-02", "product", "details.licence_ids")


def test_the_texts_matched_against_the_prohibited_list_are_named_by_field():
    details = rice(description="描述")
    assert details.texts() == {
        "details.title": "有机五常大米 5kg",
        "details.description": "描述",
        "details.ingredients": "粳稻",
        "details.specification": "5kg/袋",
        "details.performance_and_use": "食用；煮饭、熬粥",
    }


@pytest.mark.parametrize("at, valid", [
    (NOW - timedelta(microseconds=1), False), (NOW, True), (NOW + timedelta(days=1), True),
    (NOW + timedelta(days=2) - timedelta(microseconds=1), True), (NOW + timedelta(days=2), False),
])
def test_PRD_02_PRD_03_licences_and_authorizations_are_valid_from_their_start_until_their_exclusive_end(at, valid):
    until = NOW + timedelta(days=2)
    assert replace(licence(until=until), valid_from=NOW).valid_at(at) is valid
    assert replace(authorization(until=until), valid_from=NOW).valid_at(at) is valid


# --- compliance blocks: every rule the product breaks at a moment, asserted whole -------------

def blocks_of(details, files, *, category="food.grain", prohibited=None, at=NOW) -> list[domain.Block]:
    return domain.compliance_blocks(
        details, CATALOGUE.get(category), on_file=files, catalogue=CATALOGUE, prohibited=prohibited, at=at
    )


def test_PRD_02_a_licence_valid_from_this_moment_admits():
    assert blocks_of(rice(), on_file(replace(licence(), valid_from=NOW))) == []


def test_PRD_02_every_missing_licence_is_named():
    assert blocks_of(rice(licence_ids=()), on_file(), category="food.health") == [
        domain.Block("PRD-02", "食品/保健食品 needs 食品经营许可证 (food_business) on file", "details.licence_ids"),
        domain.Block("PRD-02", "食品/保健食品 needs 保健食品注册证书或备案凭证 (health_food) on file", "details.licence_ids"),
    ]


def test_PRD_03_a_product_without_rights_is_blocked():
    assert blocks_of(rice(ip_rights=()), on_file(licence())) == [
        domain.Block("PRD-03", "no own trademark, patent or copyright and no rights holder's authorization", "details.ip_rights")
    ]


RIGHT = "第87654321号"
HOLDER = "某某品牌管理有限公司"
ENDED = NOW - timedelta(days=1)


@pytest.mark.parametrize("right, block", [
    (IpRight(IpKind.PATENT, "ZL1", "X", True),
     domain.Block("PRD-03", "patent ZL1 is of unknown status: only a granted patent in force may be shown", "details.ip_rights[0].patent_status")),
    (IpRight(IpKind.PATENT, "ZL1", "X", True, patent_status=PatentStatus.LAPSED),
     domain.Block("PRD-03", "patent ZL1 is lapsed: only a granted patent in force may be shown", "details.ip_rights[0].patent_status")),
    (IpRight(IpKind.COPYRIGHT, "著作1", "X", True, valid_until=ENDED),
     domain.Block("PRD-03", "copyright 著作1 is no longer in force (ended 2026-11-30T04:00:00+00:00)", "details.ip_rights[0].valid_until")),
    (IpRight(None, "R1", "X", True, valid_until=NOW),
     domain.Block("PRD-03", "right R1 is no longer in force (ended 2026-12-01T04:00:00+00:00)", "details.ip_rights[0].valid_until")),
], ids=["patent-of-unknown-status", "lapsed-patent", "ended-right", "ended-right-of-unknown-kind"])
def test_PRD_03_a_right_shown_must_be_in_force(right, block):
    assert blocks_of(rice(ip_rights=(right,)), on_file(licence())) == [block]


def held(**changes) -> IpRight:
    return replace(IpRight(IpKind.TRADEMARK, RIGHT, HOLDER, False, authorization_id="auth-1"), **changes)


NO_AUTHORIZATION = domain.Block("PRD-03", f"{RIGHT} has no authorization on file from {HOLDER}", "details.ip_rights[0].authorization_id")


@pytest.mark.parametrize("files, block", [
    (on_file(licence()), NO_AUTHORIZATION),
    (on_file(licence(), authorizations=(authorization(merchant="m-2"),)), NO_AUTHORIZATION),
    (on_file(licence(), authorizations=(authorization(holder="冒名公司"),)), NO_AUTHORIZATION),
    (on_file(licence(), authorizations=(authorization(numbers=("第1号",)),)), NO_AUTHORIZATION),
    (on_file(licence(), authorizations=(replace(authorization(), valid_from=NOW + timedelta(days=1)),)),
     domain.Block("PRD-03", f"the authorization for {RIGHT} is valid only from 2026-12-02T04:00:00+00:00", "details.ip_rights[0].authorization_id")),
    (on_file(licence(), authorizations=(authorization(until=NOW),)),
     domain.Block("PRD-03", f"the authorization for {RIGHT} expired at 2026-12-01T04:00:00+00:00", "details.ip_rights[0].authorization_id")),
], ids=["none", "another-merchants", "from-someone-else", "not-covering-the-right", "not-yet-valid", "expired"])
def test_PRD_03_a_right_the_merchant_does_not_hold_needs_a_valid_authorization(files, block):
    assert blocks_of(rice(ip_rights=(held(),)), files) == [block]


@pytest.mark.parametrize("valid_from", [NOW, NOW - timedelta(days=30)], ids=["from-this-moment", "since-last-month"])
def test_PRD_03_an_authorization_in_force_admits(valid_from):
    files = on_file(licence(), authorizations=(replace(authorization(), valid_from=valid_from),))
    assert blocks_of(rice(ip_rights=(held(),)), files) == []


def test_PRD_06_a_prohibited_category_blocks_naming_the_category_field():
    assert blocks_of(rice(licence_ids=()), on_file(), category="electronics.e_cigarette") == [
        domain.Block(
            "PRD-06", "category electronics.e_cigarette (数码家电/电子烟) is prohibited: 《电子烟管理办法》：禁止通过信息网络销售电子烟产品",
            "details.category",
        )
    ]


def test_PRD_06_a_restricted_list_entry_needs_its_licence():
    knife = Entry("controlled-knife", EntryKind.RESTRICTED, keywords=("管制刀具",), licence_kind="food_production", basis="公安部管制刀具认定标准")
    listed = CompiledList(ProhibitedList("2026.12-1", (knife,)))
    assert blocks_of(rice(description="附赠管制刀具一把"), on_file(licence()), prohibited=listed) == [
        domain.Block(
            "PRD-06",
            "prohibited-goods list 2026.12-1, entry controlled-knife restricts it ('管制刀具' in details.description): "
            "食品/粮油米面 needs 食品生产许可证 (food_production) on file",
            "details.licence_ids",
        )
    ]
