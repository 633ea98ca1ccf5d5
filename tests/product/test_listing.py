"""Review (PRD-04), listing and sampling (PRD-07), links (PRD-05), perishables (PRD-09) and
take-down (PRD-10, by the clock for PRD-01/02/03)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from livecommerce.runtime.errors import Aborted, InvalidArgument, PermissionDenied, PreconditionFailed
from services.product import listing, review
from services.product.links import (
    Link,
    LinkRefused,
    LinkResolution,
    PerishableTreatment,
    classify_link,
    own_link,
    perishable_treatment,
    resolve_link,
)
from services.product.listing import Inspection, ListingFacts, check_inspection, clock_delisting, listing_blocks, next_deadline
from services.product.pricing import DocumentRef
from services.product.prohibited import CompiledList, Entry, EntryKind, ProhibitedList
from services.product.review import DelistCause, Delisting, ProductState, VersionStatus
from services.product.rules_config import LinkRules
from tests.product.builders import CATALOGUE, NOW, RULES, authorization, digest, licence, on_file, rice

REPORT = DocumentRef("s3://labs/r-1.pdf", digest("report"))
PASSED = Inspection("浙江省食品药品检验研究院", NOW - timedelta(days=3), True, REPORT)
FAILED = Inspection("浙江省食品药品检验研究院", NOW - timedelta(days=1), False, REPORT, "镉含量超标")


def facts(**changes) -> ListingFacts:
    base = ListingFacts(rice(), CATALOGUE.get("food.grain"), datetime(2027, 6, 30).date(), on_file(licence()), (PASSED,))
    return replace(base, **changes)


def blocks(f: ListingFacts, at=NOW) -> list[tuple[str, str]]:
    return [(b.rule_id, b.reason) for b in listing_blocks(f, catalogue=CATALOGUE, prohibited=None, at=at)]


def test_PRD_07_an_approved_product_with_a_passing_sample_is_listable():
    assert blocks(facts()) == []


def test_PRD_07_no_passing_sample_blocks_listing():
    assert blocks(facts(inspections=())) == [("PRD-07", "no sample inspection has passed yet")]


def test_PRD_07_the_newest_inspection_decides():
    assert blocks(facts(inspections=(PASSED, FAILED))) == [
        ("PRD-07", "the sample inspection of 2026-11-30 by 浙江省食品药品检验研究院 failed: 镉含量超标")
    ]
    later_pass = replace(PASSED, sampled_at=NOW)
    assert blocks(facts(inspections=(FAILED, later_pass))) == []


def test_PRD_07_an_inspection_record_is_checked():
    with pytest.raises(InvalidArgument) as refused:
        check_inspection(lab="", sampled_at=NOW + timedelta(seconds=1), passed=False, report=None, findings="", now=NOW)
    assert [v.field for v in refused.value.violations] == [
        "inspection.lab", "inspection.sampled_at", "inspection.findings", "inspection.report",
    ]
    check_inspection(lab="SGS", sampled_at=NOW, passed=True, report=REPORT, findings="", now=NOW)


def test_PRD_04_nothing_approved_blocks_listing():
    assert blocks(facts(approved=None)) == [("PRD-04", "no version has been approved by a compliance officer")]


def test_every_block_is_listed_with_its_rule():
    expired = facts(on_file=on_file(licence(until=NOW)), inspections=(), expiry=datetime(2026, 11, 30).date(),
                    delisting=Delisting(DelistCause.COMPLIANCE, "虚假宣传", "officer-li", "compliance_officer", NOW))
    assert [rule for rule, _ in blocks(expired)] == ["PRD-10", "PRD-01", "PRD-02", "PRD-07"]


def test_PRD_02_the_clock_delists_when_a_licence_expires():
    f = facts(on_file=on_file(licence(until=NOW + timedelta(hours=1))))
    assert clock_delisting(f, catalogue=CATALOGUE, at=NOW) is None
    assert next_deadline(f, after=NOW) == NOW + timedelta(hours=1)
    taken = clock_delisting(f, catalogue=CATALOGUE, at=NOW + timedelta(hours=1))
    assert (taken.cause, taken.rule_id, taken.operator) == (DelistCause.LICENCE_EXPIRED, "PRD-02", "system")


def test_PRD_03_the_clock_delists_when_an_authorization_expires():
    right = replace(rice().ip_rights[0], number="第87654321号", holder="某某品牌管理有限公司", owned_by_merchant=False, authorization_id="auth-1")
    f = facts(approved=rice(ip_rights=(right,)), on_file=on_file(licence(), authorizations=(authorization(until=NOW + timedelta(days=2)),)))
    assert next_deadline(f, after=NOW) == NOW + timedelta(days=2)
    taken = clock_delisting(f, catalogue=CATALOGUE, at=NOW + timedelta(days=2))
    assert (taken.cause, taken.rule_id) == (DelistCause.IP_EXPIRED, "PRD-03")


def test_PRD_01_the_clock_delists_goods_past_their_expiry_date_on_the_beijing_calendar():
    f = facts(expiry=datetime(2026, 12, 1).date())
    midnight_beijing = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert next_deadline(f, after=NOW) == midnight_beijing
    assert clock_delisting(f, catalogue=CATALOGUE, at=midnight_beijing - timedelta(microseconds=1)) is None
    assert clock_delisting(f, catalogue=CATALOGUE, at=midnight_beijing).cause is DelistCause.EXPIRED_GOODS


def test_the_clock_ignores_what_it_does_not_own():
    assert clock_delisting(facts(inspections=()), catalogue=CATALOGUE, at=NOW) is None
    assert next_deadline(facts(approved=None), after=NOW) is None


def test_PRD_04_a_new_submission_supersedes_pending_versions_only():
    statuses = [VersionStatus.APPROVED, VersionStatus.REJECTED, VersionStatus.PENDING_REVIEW]
    assert review.supersede(statuses) == [VersionStatus.APPROVED, VersionStatus.REJECTED, VersionStatus.SUPERSEDED]


def test_PRD_04_only_a_compliance_officer_reviews_the_newest_pending_version_once():
    ok = dict(reviewer_role="compliance_officer", version=2, latest_version=2, status=VersionStatus.PENDING_REVIEW, approve=True, reason="")
    review.check_review(**ok)
    with pytest.raises(PermissionDenied):
        review.check_review(**{**ok, "reviewer_role": "merchant"})
    with pytest.raises(InvalidArgument) as refused:
        review.check_review(**{**ok, "approve": False})
    assert refused.value.violations[0].text() == "reason: is required for a rejection (PRD-04)"
    with pytest.raises(InvalidArgument):
        review.check_review(**{**ok, "approve": None})
    with pytest.raises(PreconditionFailed) as decided:
        review.check_review(**{**ok, "status": VersionStatus.APPROVED})
    assert decided.value.description == "version 2 is approved; a reviewed version never changes"
    with pytest.raises(PreconditionFailed) as stale:
        review.check_review(**{**ok, "version": 1})
    assert stale.value.rule == "PRD-04"


def test_PRD_04_a_revision_names_the_latest_version_it_saw():
    review.check_revision(expected_latest_version=3, latest_version=3)
    with pytest.raises(Aborted) as refused:
        review.check_revision(expected_latest_version=2, latest_version=3)
    assert str(refused.value).startswith("expected_latest_version: ")


def test_PRD_04_product_state_follows_its_facts():
    state = review.state_of
    assert state(approved_version=0, latest_status=VersionStatus.PENDING_REVIEW, listed=False, delisting=None) is ProductState.PENDING_REVIEW
    assert state(approved_version=0, latest_status=VersionStatus.REJECTED, listed=False, delisting=None) is ProductState.REJECTED
    assert state(approved_version=1, latest_status=VersionStatus.REJECTED, listed=True, delisting=None) is ProductState.LISTED
    assert state(approved_version=1, latest_status=VersionStatus.APPROVED, listed=False, delisting=None) is ProductState.APPROVED
    down = Delisting(DelistCause.INSPECTION_FAILED, "镉超标", "system", "system", NOW)
    assert state(approved_version=1, latest_status=VersionStatus.APPROVED, listed=True, delisting=down) is ProductState.DELISTED


def test_PRD_10_delisting_needs_a_cause_a_reason_and_for_a_session_its_id():
    review.check_delist_request(role="compliance_officer", cause=DelistCause.COMPLIANCE, reason="虚假宣传", session_id="")
    review.check_delist_request(role="integration", cause=DelistCause.SESSION_EMERGENCY, reason="主播违规", session_id="s-1")
    with pytest.raises(InvalidArgument) as refused:
        review.check_delist_request(role="compliance_officer", cause=DelistCause.SESSION_EMERGENCY, reason=" ", session_id="")
    assert [v.field for v in refused.value.violations] == ["reason", "session_id"]
    with pytest.raises(InvalidArgument):
        review.check_delist_request(role="compliance_officer", cause=DelistCause.LICENCE_EXPIRED, reason="x", session_id="")
    with pytest.raises(PermissionDenied):
        review.check_delist_request(role="integration", cause=DelistCause.COMPLIANCE, reason="x", session_id="")
    with pytest.raises(PermissionDenied):
        review.check_delist_request(role="merchant", cause=DelistCause.COMPLIANCE, reason="x", session_id="")


def test_PRD_10_every_cause_names_its_rule():
    assert {c: c.rule_id for c in DelistCause} == {
        DelistCause.COMPLIANCE: "PRD-10", DelistCause.SESSION_EMERGENCY: "PRD-10", DelistCause.LICENCE_EXPIRED: "PRD-02",
        DelistCause.IP_EXPIRED: "PRD-03", DelistCause.PROHIBITED: "PRD-06", DelistCause.INSPECTION_FAILED: "PRD-07",
        DelistCause.EXPIRED_GOODS: "PRD-01",
    }


def test_PRD_10_only_approved_products_are_taken_down_once():
    review.check_delistable(ProductState.LISTED)
    review.check_delistable(ProductState.APPROVED)
    for state, text in ((ProductState.DELISTED, "the product is already delisted"),
                        (ProductState.PENDING_REVIEW, "the product has no approved version to take down")):
        with pytest.raises(PreconditionFailed) as refused:
            review.check_delistable(state)
        assert refused.value.description == text


def test_PRD_10_relisting_needs_an_officer_a_reason_and_no_block():
    review.check_relist(role="compliance_officer", state=ProductState.DELISTED, reason="整改完成", blocks=[])
    with pytest.raises(PermissionDenied):
        review.check_relist(role="merchant", state=ProductState.DELISTED, reason="x", blocks=[])
    with pytest.raises(InvalidArgument):
        review.check_relist(role="compliance_officer", state=ProductState.DELISTED, reason="", blocks=[])
    with pytest.raises(PreconditionFailed):
        review.check_relist(role="compliance_officer", state=ProductState.LISTED, reason="x", blocks=[])
    still = listing_blocks(facts(inspections=(FAILED,)), catalogue=CATALOGUE, prohibited=None, at=NOW)
    with pytest.raises(PreconditionFailed) as refused:
        review.check_relist(role="compliance_officer", state=ProductState.DELISTED, reason="x", blocks=still)
    assert refused.value.rule == "PRD-07"


@pytest.mark.parametrize(
    "url, platform, name",
    [
        ("https://item.jd.com/100012345.html", "jd.com", "京东"),
        ("https://jd.com/x", "jd.com", "京东"),
        ("https://detail.tmall.com/item.htm?id=1", "tmall.com", "天猫"),
        ("https://mobile.yangkeduo.com/goods.html?goods_id=1", "yangkeduo.com", "拼多多"),
    ],
)
def test_PRD_05_a_link_to_another_platform_is_flagged_with_the_notice(url, platform, name):
    link = classify_link(url, RULES.links)
    assert (link.platform, link.platform_name, link.external) == (platform, name, True)
    assert link.notice == f"该商品链接将跳转至第三方交易平台「{name}」，交易及售后在该平台完成，请注意核实商品与直播展示是否一致。"


def test_PRD_05_own_links_stay_on_the_platform():
    link = classify_link("https://shop.livecommerce.example/p/1", RULES.links)
    assert (link.external, link.notice) == (False, "")
    assert own_link("p-9", RULES.links).url == "https://shop.livecommerce.example/products/p-9"


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://item.jd.com/1", "must be an https:// URL"),
        ("https://jd.com.example.cn/1", "leads to jd.com.example.cn, which is neither the platform's shop nor a known trading platform"),
        ("https://notjd.com/1", "leads to notjd.com, which is neither the platform's shop nor a known trading platform"),
        ("https://user@jd.com/1", "must not carry user information"),
        ("https://jd.com/" + "x" * 2048, "is longer than 2048 characters"),
        ("jd.com/1", "must be an https:// URL"),
    ],
)
def test_PRD_05_near_miss_hosts_are_refused(url, why):
    with pytest.raises(LinkRefused) as refused:
        classify_link(url, RULES.links)
    assert str(refused.value) == why


def test_PRD_05_a_session_link_resolves_to_the_approved_version():
    assert resolve_link(approved_version=3, shown_version=3, listed=True) == (resolved := resolve_link(approved_version=3, shown_version=0, listed=True))
    assert resolved.matches_shown_version and resolved.listed
    stale = resolve_link(approved_version=3, shown_version=2, listed=True)
    assert not stale.matches_shown_version
    none = resolve_link(approved_version=0, shown_version=0, listed=True)
    assert (none.matches_shown_version, none.listed) == (False, False)
    assert not resolve_link(approved_version=3, shown_version=3, listed=False).listed


def test_PRD_09_perishables_carry_the_notice_and_strict_after_sales():
    meat = perishable_treatment(CATALOGUE.get("food.fresh.meat"), RULES.perishables)
    assert (meat.perishable, meat.strict_after_sales, meat.claim_window_hours) == (True, True, 48)
    assert meat.notice == RULES.perishables.notice
    seafood = perishable_treatment(CATALOGUE.get("food.fresh.seafood"), RULES.perishables)
    assert seafood.notice == CATALOGUE.get("food.fresh.seafood").notice
    fruit = perishable_treatment(CATALOGUE.get("produce.fruit"), RULES.perishables)
    assert fruit.strict_after_sales
    rice_treatment = perishable_treatment(CATALOGUE.get("food.grain"), RULES.perishables)
    assert (rice_treatment.perishable, rice_treatment.notice, rice_treatment.strict_after_sales) == (False, "", False)


INSPECTION_OK = dict(lab="SGS", sampled_at=NOW, passed=True, report=REPORT, findings="", now=NOW)


@pytest.mark.parametrize(
    "changes, problems",
    [
        ({"lab": " "}, ["inspection.lab: is required (at most 200 characters) (PRD-07)"]),
        ({"lab": "检" * 201}, ["inspection.lab: is required (at most 200 characters) (PRD-07)"]),
        ({"sampled_at": None}, ["inspection.sampled_at: is required (PRD-07)"]),
        ({"sampled_at": NOW + timedelta(microseconds=1)}, ["inspection.sampled_at: lies in the future (PRD-07)"]),
        ({"passed": None}, ["inspection.result: must be PASS or FAIL (PRD-07)"]),
        ({"passed": False, "findings": " "}, ["inspection.findings: is required for a failed inspection (PRD-07)"]),
        ({"findings": "超" * 2001}, ["inspection.findings: is longer than 2000 characters"]),
        ({"report": None}, ["inspection.report: is required: the lab's report with its SHA-256 (PRD-07)"]),
        (
            {"report": DocumentRef("labs/r-1.pdf", "ABC")},
            [
                "inspection.report.uri: must be an absolute URI of at most 2048 characters (PRD-07)",
                "inspection.report.sha256: must be 64 lower-case hex digits (SHA-256) (PRD-07)",
            ],
        ),
    ],
)
def test_PRD_07_each_bad_inspection_field_is_refused_naming_it_and_why(changes, problems):
    with pytest.raises(InvalidArgument) as refused:
        check_inspection(**{**INSPECTION_OK, **changes})
    assert [v.text() for v in refused.value.violations] == problems


def test_PRD_07_an_inspection_at_its_bounds_is_accepted():
    check_inspection(**{**INSPECTION_OK, "lab": "检" * 200, "findings": "超" * 2000})
    check_inspection(**{**INSPECTION_OK, "passed": False, "findings": "镉含量超标"})


def test_PRD_01_and_PRD_10_blocks_name_the_field_and_the_take_down():
    down = Delisting(DelistCause.COMPLIANCE, "虚假宣传", "officer-li", "compliance_officer", NOW)
    found = listing_blocks(facts(expiry=datetime(2026, 11, 30).date(), delisting=down), catalogue=CATALOGUE, prohibited=None, at=NOW)
    assert [(b.rule_id, b.reason, b.field) for b in found] == [
        ("PRD-10", "taken down (compliance): 虚假宣传", ""),
        ("PRD-01", "the goods expired on 2026-11-30", "details.expiry_date"),
    ]


def test_PRD_06_listing_checks_the_prohibited_list_it_is_given():
    ivory_list = CompiledList(ProhibitedList("v1", (Entry("ivory", EntryKind.PROHIBITED, keywords=("象牙",), basis="《野生动物保护法》"),)))
    ivory = facts(approved=rice(title="象牙雕摆件"))
    assert blocks(ivory) == []
    assert [(b.rule_id, b.field) for b in listing_blocks(ivory, catalogue=CATALOGUE, prohibited=ivory_list, at=NOW)] == [
        ("PRD-06", "details.title"),
    ]


def test_PRD_02_the_clock_records_a_system_take_down_with_the_block_reason():
    until = NOW + timedelta(hours=1)
    f = facts(on_file=on_file(licence(until=until)))
    taken = clock_delisting(f, catalogue=CATALOGUE, at=until)
    [block] = listing_blocks(f, catalogue=CATALOGUE, prohibited=None, at=until)
    assert taken == Delisting(DelistCause.LICENCE_EXPIRED, block.reason, "system", "system", until)
    assert taken.reason == "食品经营许可证 JY13301060012345 expired at 2026-12-01T05:00:00+00:00"


def test_PRD_01_a_deadline_that_has_arrived_is_not_the_next_one():
    f = facts(on_file=on_file(licence(until=NOW)), expiry=datetime(2026, 12, 1).date())
    assert next_deadline(f, after=NOW) == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert next_deadline(facts(on_file=on_file(licence(until=NOW)), expiry=None), after=NOW) is None


def test_PRD_03_a_right_going_out_of_force_is_a_deadline():
    patent_end = NOW + timedelta(days=5)
    right = replace(rice().ip_rights[0], valid_until=patent_end)
    assert next_deadline(facts(approved=rice(ip_rights=(right,))), after=NOW) == patent_end


def test_PRD_03_a_merchants_own_right_waits_on_no_authorization():
    own = replace(rice().ip_rights[0], authorization_id="auth-1")
    files = on_file(licence(), authorizations=(authorization(until=NOW + timedelta(days=2)),))
    assert next_deadline(facts(approved=rice(ip_rights=(own,)), on_file=files, expiry=None), after=NOW) == NOW + timedelta(days=365)


def test_PRD_05_a_link_records_its_url_platform_and_notice():
    jd = "https://item.jd.com/1.html"
    assert classify_link(jd, RULES.links) == Link(jd, "jd.com", "京东", True, RULES.links.notice.format(platform="京东"))
    own = "https://shop.livecommerce.example/p/1"
    assert classify_link(own, RULES.links) == Link(own, "shop.livecommerce.example", "", False, "")
    assert own_link("p-9", RULES.links) == Link(
        "https://shop.livecommerce.example/products/p-9", "shop.livecommerce.example", "", False, ""
    )


def test_PRD_05_the_most_specific_configured_platform_names_the_link():
    rules = LinkRules(platforms={"taobao.com": "淘宝", "world.taobao.com": "淘宝全球"})
    assert classify_link("https://item.world.taobao.com/1", rules).platform_name == "淘宝全球"
    assert classify_link("https://item.taobao.com/1", rules).platform_name == "淘宝"


@pytest.mark.parametrize(
    "url, why",
    [("https:///item/1", "must be an https:// URL"), ("https://[::1/item", "is not a URL")],
)
def test_PRD_05_a_link_without_a_host_is_refused(url, why):
    with pytest.raises(LinkRefused) as refused:
        classify_link(url, RULES.links)
    assert str(refused.value) == why


def test_PRD_05_a_link_of_2048_characters_is_accepted():
    url = "https://jd.com/" + "x" * (2048 - len("https://jd.com/"))
    assert classify_link(url, RULES.links).url == url


def test_PRD_05_the_first_approved_version_resolves():
    assert resolve_link(approved_version=1, shown_version=1, listed=True) == LinkResolution(1, True, True)
    assert resolve_link(approved_version=0, shown_version=0, listed=True) == LinkResolution(0, False, False)


def test_PRD_09_a_product_that_is_not_perishable_gets_no_treatment():
    assert perishable_treatment(CATALOGUE.get("food.grain"), RULES.perishables) == PerishableTreatment(False, "", False, 0)


def test_PRD_04_approval_is_refused_by_what_holds_at_that_moment_not_by_sampling():
    facts = ListingFacts(rice(), CATALOGUE.get("food.grain"), date(2027, 6, 30), on_file(licence()))
    assert listing.approval_blocks(facts, catalogue=CATALOGUE, prohibited=None, at=NOW) == []  # no sample yet: still approvable
    expired = replace(facts, on_file=on_file(licence(until=NOW)))
    assert [b.rule_id for b in listing.approval_blocks(expired, catalogue=CATALOGUE, prohibited=None, at=NOW)] == ["PRD-02"]
    taken_down = replace(facts, delisting=Delisting(DelistCause.COMPLIANCE, "x", "o", "compliance_officer", NOW))
    assert listing.approval_blocks(taken_down, catalogue=CATALOGUE, prohibited=None, at=NOW) == []  # a take-down is not the file's fault


def test_PRD_06_approval_checks_the_live_prohibited_list():
    ivory = CompiledList(ProhibitedList("v1", (Entry("ivory", EntryKind.PROHIBITED, keywords=("象牙",), basis="《野生动物保护法》"),)))
    facts = ListingFacts(rice(title="象牙雕摆件"), CATALOGUE.get("food.grain"), date(2027, 6, 30), on_file(licence()))
    assert [b.rule_id for b in listing.approval_blocks(facts, catalogue=CATALOGUE, prohibited=ivory, at=NOW)] == ["PRD-06"]
