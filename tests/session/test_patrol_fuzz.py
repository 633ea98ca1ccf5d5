"""SES-03/SES-04 under hostile input: any Unicode at all (surrogates, combining marks, RTL
marks, megabyte strings) is patrolled without a crash, in bounded time, with positions inside
the text; and a banned term is caught however fillers and variants are mixed into it.

Bounded for a 2-core machine: each property runs a fixed number of examples with a deadline.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livecommerce.text.normalise import get_normaliser
from services.session.patrol.engine import PatrolEngine
from services.session.patrol.lexicon import LexiconError, LexiconSpec, load_seed
from services.session.patrol.matcher import build
from services.session.patrol.model import Chunk, ChunkTooLarge, HitKind, Source

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(milliseconds=1500),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ENGINE = PatrolEngine()
SEED_TERMS = sorted(
    {
        e.term
        for e in load_seed().entries
        if ENGINE.check(e.term, Source.ANCHOR_SPEECH).hits  # terms graded for anchor speech
    }
)

# Every code point, surrogates included.
any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
any_text = st.text(any_char, max_size=300)
FILLERS = (
    " \t\u3000，。！？、.*-_/|~"
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202e\u0301\u0308"  # zero-width, bidi, combining
    "😀👍🏻🔥✨❤️"
)
fillers = st.text(st.sampled_from(FILLERS), min_size=0, max_size=3)


@FUZZ
@given(text=any_text, source=st.sampled_from(list(Source)))
def test_SES_03_any_unicode_is_patrolled_without_a_crash(text, source):
    result = ENGINE.check(text, source)
    for hit in result.hits:
        assert 0 <= hit.start < hit.end <= len(text)
    assert (result.verdict is None) == (not result.hits)


@FUZZ
@given(texts=st.lists(any_text, max_size=12))
def test_SES_03_a_batch_matches_its_chunks_one_by_one(texts):
    chunks = [Chunk(t, Source.ANCHOR_SPEECH) for t in texts]
    assert ENGINE.check_many(chunks) == [ENGINE.check(t, Source.ANCHOR_SPEECH) for t in texts]


@FUZZ
@given(text=any_text)
def test_SES_04_the_position_map_agrees_with_the_fast_fold(text):
    normaliser = get_normaliser()
    folded, origins = normaliser.normalise_with_origins(text)
    assert folded == normaliser.normalise(text)
    assert len(origins) == len(folded)
    assert origins == sorted(origins)
    assert all(normaliser.fold(text[i]) for i in origins)
    assert normaliser.normalise(folded) == folded


@FUZZ
@given(data=st.data())
def test_SES_04_banned_terms_are_caught_whatever_fillers_are_inserted(data):
    term = data.draw(st.sampled_from(SEED_TERMS))
    variant = "".join(
        data.draw(st.sampled_from([c, c.upper(), chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c]))
        + data.draw(fillers)
        for c in term
    )
    text = data.draw(fillers) + variant
    result = ENGINE.check(text, Source.ANCHOR_SPEECH)
    assert term in [h.term for h in result.hits if h.kind == HitKind.TERM]


@FUZZ
@given(prefix=st.text(st.sampled_from("你好宝宝们这款abc123 ，。😀"), max_size=20), data=st.data())
def test_SES_04_hit_positions_point_at_the_term_in_the_original(prefix, data):
    term = data.draw(st.sampled_from(SEED_TERMS))
    spaced = data.draw(fillers).join(term)
    text = prefix + "。" + spaced + "。"
    normaliser = get_normaliser()
    hits = [h for h in ENGINE.check(text, Source.ANCHOR_SPEECH).hits if h.term == term]
    assert hits
    assert any(normaliser.normalise(text[h.start : h.end]) == normaliser.normalise(term) for h in hits)


@settings(max_examples=60, deadline=timedelta(milliseconds=1500))
@given(
    entries=st.lists(
        st.fixed_dictionaries(
            {"term": any_text, "category": st.sampled_from(["vulgar", "nope", ""]),
             "grade": st.sampled_from(["a", "b", "c", "d", "hide", "x", None])}
        ),
        max_size=8,
    ),
    allow=st.lists(any_text, max_size=3),
)
def test_SES_04_any_proposed_lexicon_is_either_built_or_refused_with_reasons(entries, allow):
    data = {
        "version": "fuzz",
        "categories": [{"id": "vulgar", "label": "低俗", "grade": "b"}],
        "entries": [{k: v for k, v in e.items() if v is not None} for e in entries],
        "allow": allow,
    }
    try:
        build(LexiconSpec.from_dict(data))
    except LexiconError as refused:
        assert refused.problems
        assert all(p.where and p.problem for p in refused.problems)


def test_SES_03_a_megabyte_string_is_refused_with_the_limit_at_once():
    with pytest.raises(ChunkTooLarge) as refused:
        ENGINE.check("最佳" * 500_000, Source.PRODUCT_INFO)
    assert refused.value.size == 1_000_000


@pytest.mark.parametrize(
    "text",
    [
        "最佳" * 500_000,  # a hit every two characters
        "\u0301" * 1_000_000,  # nothing but combining marks
        "\u202e最" + "\u200b" * 999_997 + "佳",  # one term spread over a megabyte of zero-width spaces
        "1" * 1_000_000,  # one enormous digit run
        "\ud800\udfff" * 500_000,  # lone surrogates
        "加vx" + "a" * 999_997,  # a lure keyword followed by a huge handle-shaped run
    ],
)
def test_SES_03_megabyte_strings_finish_when_the_limit_allows_them(text):
    engine = PatrolEngine(ENGINE.current, max_chunk_chars=2_000_000)
    result = engine.check(text, Source.ANCHOR_SPEECH)
    assert all(0 <= h.start < h.end <= len(text) for h in result.hits)


def test_SES_04_a_term_spread_over_combining_marks_maps_back_whole():
    text = "最" + "\u0301" * 1000 + "佳" + "\u0308" * 5
    engine = PatrolEngine(ENGINE.current, max_chunk_chars=10_000)
    (hit,) = engine.check(text, Source.ANCHOR_SPEECH).hits
    assert (hit.start, hit.end) == (0, len(text))
