"""SES-03..05 at their boundaries: which digits make an ID or a mobile number and exactly where
its hit lies, handles after handles, what each hit records, and how a batch is sliced.

Pure (no database, no network): part of the mutation run (docs/testing.md). Every lexicon here is
built inside the test that uses it, so a broken build or scan fails the test that reads it.
"""

from __future__ import annotations

import time

import pytest

from livecommerce.runtime.resident_id import check_character
from livecommerce.text.normalise import Normaliser, get_normaliser
from services.session.patrol import engine as engine_module
from services.session.patrol.detectors import check_resident_id
from services.session.patrol.engine import PatrolEngine, UnknownLexiconVersion
from services.session.patrol.lexicon import Category, DetectorRule, LexiconError, LexiconSpec, TermEntry
from services.session.patrol.matcher import build, scan
from services.session.patrol.model import Chunk, ChunkResult, ChunkTooLarge, Grade, Hit, HitKind, Source


def resident_id(born: str, serial: str = "123") -> str:
    body = f"110105{born}{serial}"
    return body + check_character(body)


VALID_ID = resident_id("19900307")


@pytest.fixture(scope="module")
def engine() -> PatrolEngine:
    return PatrolEngine()


def found(engine: PatrolEngine, text: str, source: Source = Source.ANCHOR_SPEECH) -> list[tuple[HitKind, str]]:
    result = engine.check(text, source)
    return [(hit.kind, text[hit.start : hit.end]) for hit in result.hits if hit.kind != HitKind.TERM]


def lexicon_spec(version: str = "v1", entries: tuple[TermEntry, ...] = (TermEntry("国家级", "absolute_terms"),),
                 detectors: tuple[DetectorRule, ...] = (DetectorRule("mobile_number", "privacy_leak"),)) -> LexiconSpec:
    return LexiconSpec(
        version=version,
        categories=(
            Category(id="absolute_terms", label="绝对化用语", grade="b", overrides={"danmaku": "ignore"}),
            Category(id="privacy_leak", label="隐私", grade="b", overrides={"danmaku": "hide"}),
        ),
        entries=entries,
        detectors=detectors,
    )


# -- SES-04: resident ID numbers -------------------------------------------------------------


@pytest.mark.parametrize("born", ["19000101", "20991231", "19901231", "19900131", "20000229"])
def test_SES_04_a_resident_id_with_a_real_birth_date_in_range_is_one(born):
    assert check_resident_id(resident_id(born))


@pytest.mark.parametrize(
    "born",
    [
        "18991231",  # before 1900
        "21000101",  # after 2099
        "19901301",  # month 13
        "19900001",  # month 0
        "19900132",  # day 32
        "19900100",  # day 0
        "19900230",  # 30 February
        "19010229",  # 29 February of a common year
    ],
)
def test_SES_04_a_check_digit_alone_does_not_make_a_resident_id(born):
    assert not check_resident_id(resident_id(born))


def test_SES_04_a_resident_id_followed_by_another_number_is_still_found(engine):
    assert found(engine, f"{VALID_ID} 5") == [(HitKind.RESIDENT_ID, VALID_ID)]


# -- SES-04: mobile numbers and where their hits lie -------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # a digit then a gap: the number starts after the gap, not at the run's start
        ("尾号5 13812345678", ["13812345678"]),
        # two numbers after other text, and two where the first is written with spaces
        ("电话 13812345678 13912345678", ["13812345678", "13912345678"]),
        ("138 1234 5678 13912345678", ["138 1234 5678", "13912345678"]),
        # an x after a gap is no ID check character; the number before it stands
        ("电话13812345678 x", ["13812345678"]),
        # +86 written after another digit: the hit covers the country code
        ("5 +86 138 1234 5678", ["86 138 1234 5678"]),
        # "86" after the number is not its country code: the hit does not reach back before it
        ("x 电话13812345678 86", ["13812345678"]),
    ],
)
def test_SES_04_a_mobile_number_hit_covers_exactly_the_number(engine, text, numbers):
    assert found(engine, text) == [(HitKind.MOBILE_NUMBER, n) for n in numbers]


def test_SES_04_a_phone_number_and_an_id_ending_in_x_in_one_run_are_both_found(engine):
    id_with_x = next(
        resident_id("19900307", f"12{d}") for d in "0123456789" if resident_id("19900307", f"12{d}").endswith("X")
    )
    text = f"13812345678 {id_with_x}"
    assert found(engine, text) == [(HitKind.MOBILE_NUMBER, "13812345678"), (HitKind.RESIDENT_ID, id_with_x)]


# -- SES-04: IM handles ------------------------------------------------------------------------


def test_SES_04_a_handle_after_a_handle_whose_account_holds_an_app_name_is_found(engine):
    text = "vx: vxshop01，扣扣 12345678"
    assert found(engine, text) == [(HitKind.IM_HANDLE, "vx: vxshop01"), (HitKind.IM_HANDLE, "扣扣 12345678")]


# -- SES-05: what a hit records ----------------------------------------------------------------


def test_SES_05_a_term_hit_records_term_category_grade_span_kind_and_version():
    engine = PatrolEngine(build(lexicon_spec("v7")))
    result = engine.check("这是國家級产品", Source.PRODUCT_INFO)
    assert result == ChunkResult(
        hits=(Hit("国家级", "absolute_terms", Grade.B, 2, 5, HitKind.TERM, "v7"),), verdict=Grade.B,
        lexicon_version="v7",
    )


def test_SES_05_a_detector_hit_records_category_grade_span_kind_and_version():
    engine = PatrolEngine(build(lexicon_spec("v7")))
    result = engine.check("电话13812345678", Source.DANMAKU)
    assert result == ChunkResult(
        hits=(Hit("mobile_number", "privacy_leak", Grade.HIDE, 2, 13, HitKind.MOBILE_NUMBER, "v7"),),
        verdict=Grade.HIDE, lexicon_version="v7",
    )


def test_SES_03_a_clean_chunk_names_the_version_it_was_checked_against():
    engine = PatrolEngine(build(lexicon_spec("v7")))
    assert engine.check("你好", Source.ANCHOR_SPEECH) == ChunkResult(hits=(), verdict=None, lexicon_version="v7")


@pytest.mark.parametrize(("text", "matched"), [("国家级\u0301呀", "国家级\u0301"), ("国家级\u0301", "国家级\u0301")])
def test_SES_04_a_hit_takes_the_combining_mark_after_it_and_nothing_more(text, matched):
    (hit,) = PatrolEngine(build(lexicon_spec())).check(text, Source.ANCHOR_SPEECH).hits
    assert (hit.start, hit.end) == (0, len(matched))
    assert text[hit.start : hit.end] == matched


def test_SES_03_a_lexicon_of_detectors_only_patrols():
    lexicon = build(lexicon_spec(entries=()))
    assert lexicon.term_count == 0
    (result,) = scan(lexicon, ["电话13812345678"], [Source.ANCHOR_SPEECH])  # the process-wide normaliser
    assert [h.kind for h in result.hits] == [HitKind.MOBILE_NUMBER]


def test_SES_03_a_detector_hit_is_reported_on_its_own_chunk_in_a_batch():
    engine = PatrolEngine(build(lexicon_spec()))
    results = engine.check_many([Chunk("你好", Source.ANCHOR_SPEECH), Chunk("电话13812345678", Source.ANCHOR_SPEECH),
                                 Chunk("谢谢", Source.ANCHOR_SPEECH)])
    assert [[h.kind for h in r.hits] for r in results] == [[], [HitKind.MOBILE_NUMBER], []]


def test_SES_04_build_time_is_the_time_the_build_took():
    before = time.perf_counter()
    lexicon = build(lexicon_spec())
    elapsed = time.perf_counter() - before
    assert 0 < lexicon.build_seconds <= elapsed


# -- SES-03: batches are sliced, with the engine's own normaliser --------------------------------


class RecordingNormaliser(Normaliser):
    """The process-wide tables, recording the chunk count of every batch folded."""

    def __init__(self) -> None:  # shares the built tables rather than building its own
        self.__dict__.update(get_normaliser().__dict__)
        self.batches: list[int] = []

    def join(self, texts):  # the engine joins each slice once, then folds it
        self.batches.append(len(texts))
        return super().join(texts)


FULL = engine_module.DEFAULT_MAX_CHUNK_CHARS  # 32,768: eight fill a 256 KiB slice exactly


@pytest.mark.parametrize(
    ("sizes", "slices"),
    [
        ([10] * 5000, [2048, 2048, 904]),
        ([10] * 2049, [2048, 1]),
        ([FULL] * 17, [8, 8, 1]),  # 8 × 32,768 = 262,144 characters: the slice is full
        ([FULL] * 7 + [FULL - 1] + [FULL] * 2, [9, 1]),  # one character short: a ninth chunk joins
    ],
)
def test_SES_03_a_batch_is_sliced_by_chunk_count_and_by_characters(sizes, slices):
    normaliser = RecordingNormaliser()
    engine = PatrolEngine(build(lexicon_spec()), normaliser=normaliser)
    results = engine.check_many([Chunk("好" * n, Source.PRODUCT_INFO) for n in sizes])
    assert normaliser.batches == slices
    assert len(results) == len(sizes) and all(r.clean for r in results)


# -- refusals ---------------------------------------------------------------------------------


def test_SES_04_reusing_a_version_name_is_refused_with_the_reason():
    engine = PatrolEngine(build(lexicon_spec("v1")))
    with pytest.raises(LexiconError) as refused:
        engine.propose(lexicon_spec("v1", entries=(TermEntry("最佳", "absolute_terms"),)))
    assert [(p.where, p.term, p.problem) for p in refused.value.problems] == [
        ("version", "v1", "already exists with other content; versions are immutable")
    ]


def test_SES_04_publishing_an_unknown_version_names_it():
    engine = PatrolEngine(build(lexicon_spec("v1")))
    with pytest.raises(UnknownLexiconVersion) as refused:
        engine.publish("v9")
    assert refused.value.args == ("v9",)


def test_SES_03_an_oversized_chunk_is_refused_naming_it_and_the_limit():
    engine = PatrolEngine(build(lexicon_spec()), max_chunk_chars=5)
    with pytest.raises(ChunkTooLarge) as refused:
        engine.check_many([Chunk("好", Source.DANMAKU), Chunk("好" * 6, Source.DANMAKU)])
    assert str(refused.value) == "chunk 1 has 6 characters; the patrol engine accepts at most 5 per chunk"


def test_SES_03_chunk_too_large_names_chunk_0_by_default():
    error = ChunkTooLarge(size=9, limit=8)
    assert error.index == 0
    assert str(error) == "chunk 0 has 9 characters; the patrol engine accepts at most 8 per chunk"
