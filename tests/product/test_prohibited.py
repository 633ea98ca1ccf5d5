"""The prohibited and restricted goods list (PRD-06): validation, matching through the shared
normaliser (disguises caught, near-misses not), refusals naming version and entry, re-check on publish."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.runtime.errors import InvalidArgument, PreconditionFailed
from services.product import domain
from services.product.prohibited import CompiledList, Entry, EntryKind, Listed, ProhibitedList, check_list, recheck
from tests.product.builders import CATALOGUE, NOW, RULES, fields_of, licence, on_file, rice

IVORY = Entry("ivory", EntryKind.PROHIBITED, keywords=("象牙",), allow=("象牙白", "象牙色"), basis="《野生动物保护法》")
GUN = Entry("replica-gun", EntryKind.PROHIBITED, keywords=("仿真枪",), basis="《枪支管理法》")
KNIFE = Entry("controlled-knife", EntryKind.RESTRICTED, keywords=("管制刀具",), licence_kind="food_production", basis="公安部管制刀具认定标准")
TOBACCO = Entry("tobacco", EntryKind.PROHIBITED, categories=("tobacco",), basis="《烟草专卖法》")
LIST = ProhibitedList("2026.12-1", (IVORY, GUN, KNIFE, TOBACCO))
COMPILED = CompiledList(LIST)


def titles(text: str) -> list[str]:
    return [h.entry.entry_id for h in COMPILED.match("home", {"details.title": text})]


@pytest.mark.parametrize("text", ["仿真枪", "仿 真 枪", "仿真槍", "仿-真-枪", "仿\u200b真枪", "儿童仿真枪玩具"])
def test_PRD_06_disguised_keywords_are_caught(text):
    assert titles(text) == ["replica-gun"]


@pytest.mark.parametrize("text", ["仿真花", "真枪实弹游戏书", "象牙白花瓶", "象牙色 衬衫", "枪乌贼", "仿真"])
def test_PRD_06_near_misses_do_not_match(text):
    assert titles(text) == []


def test_PRD_06_an_allow_phrase_masks_only_itself():
    assert titles("象牙白 象牙雕") == ["ivory"]


def test_PRD_06_categories_match_themselves_and_below():
    assert [h.matched for h in COMPILED.match("tobacco", {})] == ["tobacco"]
    assert COMPILED.match("tobacco_like", {}) == []


def test_PRD_06_a_prohibited_product_is_refused_naming_version_and_entry():
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_details(
            rice(title="象 牙 雕 摆件"), on_file=on_file(licence()), catalogue=CATALOGUE, rules=RULES, prohibited=COMPILED, now=NOW
        )
    assert refused.value.rule == "PRD-06"
    assert refused.value.description == (
        "prohibited-goods list 2026.12-1, entry ivory prohibits it: '象牙' in details.title (《野生动物保护法》)"
    )
    assert refused.value.field == "details.title"


def test_PRD_06_a_restricted_product_needs_the_named_licence():
    details = rice(description="附赠管制刀具一把")
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_details(details, on_file=on_file(licence()), catalogue=CATALOGUE, rules=RULES, prohibited=COMPILED, now=NOW)
    assert refused.value.description == (
        "prohibited-goods list 2026.12-1, entry controlled-knife restricts it ('管制刀具' in details.description): "
        "食品/粮油米面 needs 食品生产许可证 (food_production) on file"
    )
    files = on_file(licence(), licence("food_production", "lic-fp"))
    domain.check_details(
        rice(description="附赠管制刀具一把", licence_ids=("lic-food", "lic-fp")),
        on_file=files, catalogue=CATALOGUE, rules=RULES, prohibited=COMPILED, now=NOW,
    )


def test_PRD_06_publishing_rechecks_listed_products():
    products = [
        Listed("p-1", "m-1", "food.grain", {"details.title": "五常大米"}),
        Listed("p-2", "m-1", "home", {"details.title": "象牙雕摆件"}),
        Listed("p-3", "m-2", "tobacco", {"details.title": "香烟"}),
        Listed("p-4", "m-2", "home", {"details.title": "管制刀具"}, licensed_kinds=frozenset({"food_production"})),
        Listed("p-5", "m-2", "home", {"details.title": "管制刀具"}, licensed_kinds=frozenset({"food_business"})),
        Listed("p-6", "m-2", "home", {"details.title": "管制刀具 象牙雕"}, licensed_kinds=frozenset({"food_production"})),
    ]
    found = recheck(COMPILED, products)
    assert [(p.product_id, h.entry.entry_id, h.version) for p, h in found] == [
        ("p-2", "ivory", "2026.12-1"),
        ("p-3", "tobacco", "2026.12-1"),
        ("p-5", "controlled-knife", "2026.12-1"),  # restricted, and it lacks the licence the entry names
        ("p-6", "ivory", "2026.12-1"),  # a prohibiting entry goes first, whatever the licences
    ]


def test_PRD_06_a_malformed_version_is_refused_entry_by_entry():
    bad = ProhibitedList("bad version", (
        Entry("ivory", EntryKind.PROHIBITED, keywords=("象牙",), basis="x"),
        Entry("ivory", None, basis=""),
        Entry("x", EntryKind.RESTRICTED, categories=("food.caviar",), keywords=("!!!",), allow=("白色",), basis="x"),
        Entry("y", EntryKind.PROHIBITED, keywords=("枪",), licence_kind="food_business", basis="x"),
    ))
    with pytest.raises(InvalidArgument) as refused:
        check_list(bad, CATALOGUE)
    assert fields_of(refused.value) == [
        "list.version",
        "list.entries[1].entry_id", "list.entries[1].kind", "list.entries[1]", "list.entries[1].basis",
        "list.entries[2].categories[0]", "list.entries[2].keywords[0]", "list.entries[2].allow[0]", "list.entries[2].licence_kind",
        "list.entries[3].licence_kind",
    ]
    check_list(LIST, CATALOGUE)


def test_PRD_06_an_empty_version_is_refused():
    with pytest.raises(InvalidArgument) as refused:
        check_list(ProhibitedList("v1", ()), CATALOGUE)
    assert [v.text() for v in refused.value.violations] == ["list.entries: needs at least one entry (PRD-06)"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" -_·*\u200b\u3000.", max_size=3), st.text(alphabet=" -_·*\u200b\u3000.", max_size=3))
def test_PRD_06_fillers_between_characters_never_hide_a_keyword(a, b):
    assert titles(f"仿{a}真{b}枪") == ["replica-gun"]


def entry(entry_id: str = "e-1", kind: EntryKind | None = EntryKind.PROHIBITED, **fields) -> Entry:
    return Entry(entry_id, kind, **{"keywords": ("象牙",), "basis": "《野生动物保护法》", **fields})


def refusals(proposed: ProhibitedList) -> list[str]:
    with pytest.raises(InvalidArgument) as refused:
        check_list(proposed, CATALOGUE)
    return [v.text() for v in refused.value.violations]


ID_RULE = "must be 1-64 letters, digits or ._:-"
BASIS_RULE = "is required (the law or policy, at most 500 characters) (PRD-06)"


@pytest.mark.parametrize(
    "entries, problems",
    [
        ((entry("bad id"),), [f"list.entries[0].entry_id: {ID_RULE} (PRD-06)"]),
        ((entry("ivory"), entry("ivory")), ["list.entries[1].entry_id: repeats entry 'ivory' (PRD-06)"]),
        ((entry(kind=None),), ["list.entries[0].kind: must be PROHIBITED or RESTRICTED (PRD-06)"]),
        ((entry(keywords=()),), ["list.entries[0]: needs a category or a keyword to match by (PRD-06)"]),
        (
            (entry(categories=("tobacco", "food.caviar")),),
            ["list.entries[0].categories[1]: 'food.caviar' is not in the category tree (PRD-06)"],
        ),
        ((entry(keywords=("象牙", "牙" * 51)),), ["list.entries[0].keywords[1]: is longer than 50 characters"]),
        (
            (entry(allow=("象牙白", "象牙" + "白" * 49)),),
            ["list.entries[0].allow[1]: is longer than 50 characters"],
        ),
        ((entry(keywords=("象牙", "!!!")),), ["list.entries[0].keywords[1]: has no letters or digits left after folding (PRD-06)"]),
        (
            (entry(allow=("象牙白", "· ·")),),
            [
                "list.entries[0].allow[1]: has no letters or digits left after folding (PRD-06)",
                "list.entries[0].allow[1]: contains none of the entry's keywords (PRD-06)",
            ],
        ),
        ((entry(allow=("象牙白", "乳白")),), ["list.entries[0].allow[1]: contains none of the entry's keywords (PRD-06)"]),
        (
            (entry(kind=EntryKind.RESTRICTED),),
            ["list.entries[0].licence_kind: a restricted entry names the licence kind it needs (PRD-06)"],
        ),
        (
            (entry(kind=EntryKind.RESTRICTED, licence_kind="gun_licence"),),
            ["list.entries[0].licence_kind: a restricted entry names the licence kind it needs (PRD-06)"],
        ),
        ((entry(licence_kind="food_business"),), ["list.entries[0].licence_kind: a prohibited entry admits no licence (PRD-06)"]),
        ((entry(basis=" "),), [f"list.entries[0].basis: {BASIS_RULE}"]),
        ((entry(basis="法" * 501),), [f"list.entries[0].basis: {BASIS_RULE}"]),
    ],
)
def test_PRD_06_each_malformed_entry_is_refused_naming_its_field_and_why(entries, problems):
    assert refusals(ProhibitedList("v1", entries)) == problems


def test_PRD_06_a_malformed_version_id_is_refused_with_the_id_rule():
    assert refusals(ProhibitedList("bad version", (entry(),))) == [f"list.version: {ID_RULE} (PRD-06)"]


def test_PRD_06_entries_at_their_bounds_are_accepted():
    check_list(ProhibitedList("v1", (
        entry(keywords=("象" * 50,), allow=("象" * 50,), basis="法" * 500),
        entry("e-2", EntryKind.RESTRICTED, categories=("tobacco",), keywords=(), licence_kind="food_business"),
    )), CATALOGUE)


def test_PRD_06_a_version_holds_at_most_5000_entries():
    def many(n: int) -> ProhibitedList:
        return ProhibitedList("v1", tuple(entry(f"e-{i}", categories=("tobacco",), keywords=()) for i in range(n)))

    check_list(many(5000), CATALOGUE)
    assert refusals(many(5001)) == ["list.entries: at most 5000 entries"]


def test_PRD_06_a_compiled_version_keeps_its_source_and_version():
    compiled = CompiledList(LIST)
    assert (compiled.source, compiled.version) == (LIST, "2026.12-1")
    assert [(h.entry.entry_id, h.matched, h.field) for h in compiled.match("home", {"details.description": "仿 真 槍 与象牙雕"})] == [
        ("ivory", "象牙", "details.description"), ("replica-gun", "仿真枪", "details.description"),
    ]


def test_PRD_06_a_keyword_that_folds_to_nothing_matches_nothing():
    compiled = CompiledList(ProhibitedList("v1", (entry(keywords=("!!!", "象牙")),)))
    assert compiled.match("home", {"details.title": "五常大米"}) == []
    assert [h.matched for h in compiled.match("home", {"details.title": "象牙雕"})] == ["象牙"]


def test_PRD_06_allow_phrases_are_folded_and_the_longest_is_masked_first():
    compiled = CompiledList(ProhibitedList("v1", (entry(allow=("象牙白", "仿象牙与象牙白", "· ·")),)))
    assert compiled.match("home", {"details.title": "仿 象 牙 与 象 牙 白"}) == []
    assert compiled.match("home", {"details.title": "象牙白"}) == []
    assert [h.field for h in compiled.match("home", {"details.title": "象牙白", "details.origin": "象牙海岸"})] == ["details.origin"]


def test_PRD_06_a_category_entry_matches_the_categories_below_it_on_details_category():
    hits = COMPILED.match("tobacco.cigar", {})
    assert [(h.entry.entry_id, h.matched, h.field) for h in hits] == [("tobacco", "tobacco", "details.category")]
    assert COMPILED.match("tobaccocigar", {}) == []
