"""SES-04/05: what a refused lexicon version tells the compliance officer, problem by problem and
in exact words (the report is read by a person, so its text is behaviour), the length limit at its
boundary, and the JSON shape read in full and with every optional key missing.

Pure (no database, no network): part of the mutation run (docs/testing.md).
"""

from __future__ import annotations

import pytest

from services.session.patrol.lexicon import (
    MAX_TERM_CHARS,
    Category,
    DetectorRule,
    LexiconError,
    LexiconSpec,
    TermEntry,
    validate,
)
from services.session.patrol.model import SOURCES, Grade, HitKind, Source

CATEGORIES = (
    Category(id="absolute_terms", label="绝对化用语", grade="b", overrides={"danmaku": "ignore"}),
    Category(id="vulgar", label="低俗", grade="b", overrides={"danmaku": "hide"}),
)


def spec(entries=(), allow=(), detectors=(), categories=CATEGORIES, version="t1") -> LexiconSpec:
    return LexiconSpec(version=version, categories=tuple(categories), entries=tuple(entries), allow=tuple(allow),
                       detectors=tuple(detectors))


def refusal(bad: LexiconSpec) -> list[tuple[str, str, str]]:
    with pytest.raises(LexiconError) as refused:
        validate(bad)
    return [(p.where, p.term, p.problem) for p in refused.value.problems]


EMPTY_TERM = "empty term (nothing left after removing fillers)"
LONG = f"longer than {MAX_TERM_CHARS} characters"


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (spec([TermEntry("最佳", "absolute_terms")], version=" "), [("version", " ", "a version name is required")]),
        (
            spec(categories=(*CATEGORIES, Category(id=" ", label="x", grade="b"))),
            [("categories[2]", " ", "empty category id")],
        ),
        (
            spec(categories=(*CATEGORIES, Category(id="vulgar", label="x", grade="b"))),
            [("categories[2]", "vulgar", "category defined twice")],
        ),
        (spec([TermEntry("  ", "absolute_terms")]), [("entries[0]", "  ", EMPTY_TERM)]),
        (
            spec([TermEntry("最佳", "absolute_terms"), TermEntry("最 佳", "absolute_terms")]),
            [("entries[1]", "最 佳", "duplicates entries[0] '最佳'")],
        ),
        (
            spec([TermEntry("最佳", "absolute_terms"), TermEntry("最佳", "vulgar")]),
            [("entries[1]", "最佳", "duplicates entries[0] '最佳' with a different grade or category (default in absolute_terms)")],
        ),
        (
            spec([TermEntry("最佳", "absolute_terms", grade="c"), TermEntry("最佳", "absolute_terms")]),
            [("entries[1]", "最佳", "duplicates entries[0] '最佳' with a different grade or category (c in absolute_terms)")],
        ),
        (
            spec([TermEntry("最佳", "absolute_terms", grade="e")]),
            [("entries[0]", "最佳", "unknown grade 'e'; use one of ['a', 'b', 'c', 'd', 'hide']")],
        ),
        (
            spec([TermEntry("最佳", "absolute_terms", overrides={"radio": "b"})]),
            [("entries[0]", "最佳", "unknown source 'radio' in overrides")],
        ),
        (
            spec([TermEntry("最佳", "absolute_terms", overrides={"danmaku": "stop"})]),
            [("entries[0]", "最佳", "unknown grade 'stop' for source 'danmaku'")],
        ),
        (spec([TermEntry("最佳", "absolute_terms")], allow=[" ，"]), [("allow[0]", " ，", "empty allow-list phrase")]),
        (
            spec([TermEntry("国家级", "absolute_terms"), TermEntry("最佳", "absolute_terms")], allow=["最 佳"]),
            [("allow[0]", "最 佳", "is itself the term entries[1]")],
        ),
        (
            spec([TermEntry("最佳", "absolute_terms")], allow=["最佳赏味期", "好吃"]),
            [("allow[1]", "好吃", "contains no term of this version")],
        ),
        (
            spec(detectors=[DetectorRule("fingerprint", "vulgar")]),
            [("detectors[0]", "fingerprint", "unknown detector; use one of ['im_handle', 'mobile_number', 'resident_id']")],
        ),
        (
            spec(detectors=[DetectorRule("mobile_number", "vulgar"), DetectorRule("mobile_number", "vulgar")]),
            [("detectors[1]", "mobile_number", "detector configured twice")],
        ),
        (
            spec(detectors=[DetectorRule("mobile_number", "privacy")]),
            [("detectors[0]", "mobile_number", "unknown category 'privacy'")],
        ),
        (
            spec(detectors=[DetectorRule("mobile_number", "vulgar", grade="z")]),
            [("detectors[0]", "mobile_number", "unknown grade 'z'; use one of ['a', 'b', 'c', 'd', 'hide']")],
        ),
        (
            spec([TermEntry("最佳", "no_such")]),
            [("entries[0]", "最佳", "unknown category 'no_such'")],
        ),
    ],
)
def test_SES_04_each_problem_is_reported_where_it_is_in_exact_words(bad, expected):
    assert refusal(bad) == expected


def test_SES_04_a_term_of_the_maximum_length_is_accepted_and_one_more_is_refused():
    at_limit, over = "好" * (MAX_TERM_CHARS - 1) + "坏", "好" * MAX_TERM_CHARS + "坏"
    assert [t.term for t in validate(spec([TermEntry(at_limit, "vulgar")])).terms] == [at_limit]
    assert refusal(spec([TermEntry(over, "vulgar")])) == [("entries[0]", over, LONG)]


def test_SES_04_an_allow_phrase_of_the_maximum_length_is_accepted_and_one_more_is_refused():
    at_limit, over = "坏" + "好" * (MAX_TERM_CHARS - 1), "坏" + "好" * MAX_TERM_CHARS
    assert validate(spec([TermEntry("坏", "vulgar")], allow=[at_limit])).allow_folded == (at_limit,)
    assert refusal(spec([TermEntry("坏", "vulgar")], allow=[over])) == [("allow[0]", over, LONG)]


def test_SES_04_a_repeated_allow_phrase_is_kept_once():
    resolved = validate(spec([TermEntry("最佳", "absolute_terms")], allow=["最佳赏味期", "最佳 赏味期"]))
    assert resolved.allow_folded == ("最佳赏味期",)


def test_SES_04_allow_phrases_in_a_version_without_terms_are_named_as_written():
    # Code fix: these were reported as "allow" with the folded phrase, not where and as written.
    assert refusal(spec(allow=["國家級非遺", "最佳赏味期"])) == [
        ("allow[0]", "國家級非遺", "contains no term of this version"),
        ("allow[1]", "最佳赏味期", "contains no term of this version"),
    ]


def test_SES_04_problems_after_an_unknown_category_are_still_listed():
    bad = spec(
        [TermEntry("最佳", "no_such"), TermEntry("", "vulgar")],
        detectors=[DetectorRule("mobile_number", "no_such"), DetectorRule("fingerprint", "no_such")],
    )
    assert [(where, term) for where, term, _ in refusal(bad)] == [
        ("entries[0]", "最佳"), ("entries[1]", ""),
        ("detectors[0]", "mobile_number"), ("detectors[1]", "fingerprint"), ("detectors[1]", "fingerprint"),
    ]


def test_SES_05_a_valid_version_resolves_terms_and_detectors_with_their_categories():
    good = spec([TermEntry("傻逼", "vulgar")], detectors=[DetectorRule("mobile_number", "vulgar", grade="a")])
    resolved = validate(good)
    assert resolved.spec is good
    (term,) = resolved.terms
    assert (term.term, term.folded, term.category) == ("傻逼", "傻逼", "vulgar")
    assert resolved.detectors == {
        HitKind.MOBILE_NUMBER: ("vulgar", tuple(Grade.HIDE if s == Source.DANMAKU else Grade.A for s in SOURCES))
    }


# -- the refusal's message ----------------------------------------------------------------------


def test_SES_04_the_refusal_message_lists_each_problem():
    with pytest.raises(LexiconError) as refused:
        validate(spec([TermEntry("", "vulgar"), TermEntry("最佳", "no_such")]))
    assert str(refused.value) == (
        "lexicon refused, 2 problem(s): entries[0] '': empty term (nothing left after removing fillers); "
        "entries[1] '最佳': unknown category 'no_such'"
    )


@pytest.mark.parametrize(("count", "more"), [(20, ""), (21, " (and 1 more)"), (23, " (and 3 more)")])
def test_SES_04_the_refusal_message_lists_twenty_problems_and_counts_the_rest(count, more):
    with pytest.raises(LexiconError) as refused:
        validate(spec([TermEntry("", "vulgar")] * count))
    message = str(refused.value)
    listed = "; ".join(f"entries[{i}] '': {EMPTY_TERM}" for i in range(20))
    assert message == f"lexicon refused, {count} problem(s): {listed}{more}"
    assert len(refused.value.problems) == count


# -- the JSON shape ------------------------------------------------------------------------------


def test_SES_04_every_field_of_the_json_shape_is_read():
    data = {
        "version": "2026.12.1",
        "description": "December",
        "categories": [{"id": "vulgar", "label": "低俗", "grade": "b", "overrides": {"danmaku": "hide"},
                        "basis": "CREDIT 8.2.3.6.2 f"}],
        "entries": [{"term": "卧槽", "category": "vulgar", "grade": "c", "overrides": {"user_comment": "ignore"}}],
        "allow": ["去死皮"],
        "detectors": [{"detector": "mobile_number", "category": "vulgar", "grade": "a",
                       "overrides": {"danmaku": "ignore"}}],
    }
    assert LexiconSpec.from_dict(data) == LexiconSpec(
        version="2026.12.1",
        description="December",
        categories=(Category("vulgar", "低俗", "b", {"danmaku": "hide"}, "CREDIT 8.2.3.6.2 f"),),
        entries=(TermEntry("卧槽", "vulgar", "c", {"user_comment": "ignore"}),),
        allow=("去死皮",),
        detectors=(DetectorRule("mobile_number", "vulgar", "a", {"danmaku": "ignore"}),),
    )


def test_SES_04_missing_keys_of_the_json_shape_take_their_defaults():
    assert LexiconSpec.from_dict({}) == LexiconSpec(version="", categories=(), entries=())
    parsed = LexiconSpec.from_dict({"categories": [{}], "entries": [{}], "detectors": [{}]})
    assert parsed == LexiconSpec(
        version="", description="",
        categories=(Category("", "", "", {}, ""),),
        entries=(TermEntry("", "", None, {}),),
        detectors=(DetectorRule("", "", None, {}),),
    )


def test_SES_04_with_version_copies_under_the_new_name():
    original = spec([TermEntry("最佳", "absolute_terms")])
    copy = original.with_version("t2", allow=("最佳赏味期",))
    assert (copy.version, copy.entries, copy.allow) == ("t2", original.entries, ("最佳赏味期",))
