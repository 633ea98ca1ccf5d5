"""SES-04: the lexicon as data: the seed's coverage of the standards, validation that refuses a
bad version listing every offending entry, and building a 10,000-term version."""

from __future__ import annotations

import random

import pytest

from services.session.patrol.lexicon import (
    Category,
    DetectorRule,
    LexiconError,
    LexiconSpec,
    TermEntry,
    load_seed,
    validate,
)
from services.session.patrol.matcher import build
from services.session.patrol.model import SOURCES, Grade, Source


def spec(entries=(), allow=(), detectors=(), version="t1") -> LexiconSpec:
    categories = (
        Category(id="absolute_terms", label="绝对化用语", grade="b", overrides={"danmaku": "ignore"}),
        Category(id="vulgar", label="低俗", grade="b", overrides={"danmaku": "hide"}),
    )
    return LexiconSpec(version=version, categories=categories, entries=tuple(entries), allow=tuple(allow),
                       detectors=tuple(detectors))


def problems(bad: LexiconSpec) -> list[tuple[str, str]]:
    with pytest.raises(LexiconError) as refused:
        validate(bad)
    return [(p.where, p.term) for p in refused.value.problems]


# -- the seed ----------------------------------------------------------------------------------


def test_SES_04_seed_lexicon_is_valid_and_substantial():
    seed = load_seed()
    compiled = build(seed)
    assert compiled.version == seed.version
    assert compiled.term_count >= 250
    assert len(seed.allow) >= 50


@pytest.mark.parametrize(
    ("term", "category"),
    [
        ("国家级", "absolute_terms"),
        ("最高级", "absolute_terms"),
        ("最佳", "absolute_terms"),
        ("第一", "absolute_terms"),
        ("国旗", "national_symbols"),
        ("国歌", "national_symbols"),
        ("国徽", "national_symbols"),
        ("军旗", "national_symbols"),
        ("军歌", "national_symbols"),
        ("军徽", "national_symbols"),
        ("党徽", "national_symbols"),
        ("国家机关", "state_organs"),
        ("特供", "special_supply"),
        ("私下交易", "off_platform"),
        ("加微信", "off_platform"),
        ("百分百中奖", "fake_promotion"),
        ("刷单", "fake_transactions"),
        ("包治百病", "false_claims"),
        ("色情", "vulgar"),
        ("傻逼", "insults"),
        ("地域黑", "discrimination"),
        ("赌博", "illegal_goods"),
        ("分裂国家", "political"),
        ("人肉搜索", "privacy_leak"),
    ],
)
def test_SES_04_seed_covers_the_examples_of_the_standards(term, category):
    entries = {e.term: e.category for e in load_seed().entries}
    assert entries[term] == category


def test_SES_04_seed_detectors_cover_privacy_and_lures():
    rules = {r.detector: r.category for r in load_seed().detectors}
    assert rules == {"resident_id": "privacy_leak", "mobile_number": "privacy_leak", "im_handle": "off_platform"}


def test_SES_05_seed_uses_every_grade():
    resolved = validate(load_seed())
    used = {g for t in resolved.terms for g in t.grades if g is not None}
    assert used == set(Grade)


# -- validation --------------------------------------------------------------------------------


def test_SES_04_empty_term_is_refused():
    assert problems(spec([TermEntry("最佳", "absolute_terms"), TermEntry("", "absolute_terms")])) == [
        ("entries[1]", "")
    ]


def test_SES_04_term_of_fillers_only_is_refused_as_empty():
    assert problems(spec([TermEntry(" ，😀 ", "absolute_terms")])) == [("entries[0]", " ，😀 ")]


def test_SES_04_duplicate_term_with_two_grades_is_refused_naming_both():
    bad = spec([TermEntry("最佳", "absolute_terms", grade="b"), TermEntry("最佳", "absolute_terms", grade="c")])
    with pytest.raises(LexiconError) as refused:
        validate(bad)
    (problem,) = refused.value.problems
    assert (problem.where, problem.term) == ("entries[1]", "最佳")
    assert "entries[0]" in problem.problem and "different grade" in problem.problem


def test_SES_04_duplicate_after_normalisation_is_refused():
    # 國家級 and 国家级 are the same term once folded.
    assert problems(spec([TermEntry("国家级", "absolute_terms"), TermEntry("國家級", "absolute_terms")])) == [
        ("entries[1]", "國家級")
    ]


def test_SES_04_unknown_category_is_refused():
    assert problems(spec([TermEntry("最佳", "no_such_category")])) == [("entries[0]", "最佳")]


def test_SES_05_unknown_grade_and_source_are_refused():
    bad = spec([
        TermEntry("最佳", "absolute_terms", grade="e"),
        TermEntry("最强", "absolute_terms", overrides={"radio": "b"}),
        TermEntry("顶级", "absolute_terms", overrides={"danmaku": "stop"}),
    ])
    assert problems(bad) == [("entries[0]", "最佳"), ("entries[1]", "最强"), ("entries[2]", "顶级")]


def test_SES_04_every_offending_entry_is_listed_at_once():
    bad = spec(
        [
            TermEntry("", "absolute_terms"),
            TermEntry("最佳", "absolute_terms", grade="b"),
            TermEntry("最佳", "absolute_terms", grade="a"),
            TermEntry("傻逼", "unknown"),
            TermEntry("ok", "vulgar"),
        ],
        allow=["", "最佳赏味期", "与任何词无关"],
        detectors=[DetectorRule("fingerprint", "vulgar")],
        version="",
    )
    listed = problems(bad)
    assert listed == [
        ("version", ""),
        ("entries[0]", ""),
        ("entries[2]", "最佳"),
        ("entries[3]", "傻逼"),
        ("allow[0]", ""),
        ("allow[2]", "与任何词无关"),
        ("detectors[0]", "fingerprint"),
    ]
    with pytest.raises(LexiconError) as refused:
        validate(bad)
    assert "7 problem(s)" in str(refused.value)


def test_SES_04_allow_phrase_equal_to_a_term_is_refused():
    assert problems(spec([TermEntry("最佳", "absolute_terms")], allow=["最 佳"])) == [("allow[0]", "最 佳")]


def test_SES_05_overrides_resolve_to_one_grade_per_source():
    resolved = validate(spec([
        TermEntry("最佳", "absolute_terms"),
        TermEntry("傻逼", "vulgar", overrides={"user_comment": "d", "anchor_speech": "a"}),
    ]))
    by_term = {t.term: dict(zip(SOURCES, t.grades, strict=True)) for t in resolved.terms}
    assert by_term["最佳"] == {
        Source.ANCHOR_SPEECH: Grade.B, Source.PRODUCT_INFO: Grade.B, Source.USER_COMMENT: Grade.B, Source.DANMAKU: None
    }
    assert by_term["傻逼"] == {
        Source.ANCHOR_SPEECH: Grade.A, Source.PRODUCT_INFO: Grade.B, Source.USER_COMMENT: Grade.D,
        Source.DANMAKU: Grade.HIDE,
    }


def test_SES_04_spec_round_trips_through_its_json_shape():
    data = {
        "version": "v9",
        "categories": [{"id": "vulgar", "label": "低俗", "grade": "b", "overrides": {"danmaku": "hide"}}],
        "entries": [{"term": "傻逼", "category": "vulgar", "grade": "a"}],
        "allow": [],
        "detectors": [{"detector": "mobile_number", "category": "vulgar"}],
    }
    parsed = LexiconSpec.from_dict(data)
    assert parsed.entries == (TermEntry("傻逼", "vulgar", "a", {}),)
    assert build(parsed).term_count == 1


# -- building --------------------------------------------------------------------------------


def test_SES_04_a_ten_thousand_term_version_builds():
    rng = random.Random(5)
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方"
    terms = {"".join(rng.choices(chars, k=rng.randint(3, 6))) for _ in range(10_500)}
    seed = load_seed()
    extra = Category(id="extra", label="extra", grade="c")
    big = seed.with_version(
        "big", categories=(*seed.categories, extra),
        entries=(*seed.entries, *(TermEntry(t, "extra") for t in sorted(terms)[:10_000])),
    )
    compiled = build(big)
    assert compiled.term_count == len(seed.entries) + 10_000
    assert compiled.build_seconds > 0  # measured in bench/bench_patrol.py, not asserted here


def test_SES_05_a_bad_category_grade_is_reported_once_not_per_entry():
    bad = LexiconSpec(
        version="t",
        categories=(Category(id="c", label="c", grade="z", overrides={"danmaku": "q"}),),
        entries=(TermEntry("最佳", "c"), TermEntry("最强", "c")),
    )
    assert problems(bad) == [("categories[0]", "c"), ("categories[0]", "c")]
