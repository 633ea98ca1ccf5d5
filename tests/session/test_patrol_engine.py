"""SES-03..05 through the engine: every source is patrolled, evasions are caught, each hit
carries its grade and the chunk its verdict, positions point into the original text, and a
new lexicon version goes live atomically while matching goes on."""

from __future__ import annotations

import threading

import pytest

from services.session.patrol.engine import PatrolEngine, UnknownLexiconVersion
from services.session.patrol.lexicon import Category, LexiconError, LexiconSpec, TermEntry, load_seed
from services.session.patrol.matcher import build
from services.session.patrol.model import Chunk, ChunkTooLarge, Grade, HitKind, Source


@pytest.fixture(scope="module")
def engine() -> PatrolEngine:
    return PatrolEngine()


def terms(engine, text, source=Source.ANCHOR_SPEECH):
    return [(h.term, text[h.start : h.end]) for h in engine.check(text, source).hits if h.kind == HitKind.TERM]


# -- SES-03: every source --------------------------------------------------------------------


@pytest.mark.parametrize("source", list(Source))
def test_SES_03_every_source_is_patrolled(engine, source):
    result = engine.check("这里可以私下交易", source)
    assert not result.clean
    assert result.hits[0].term == "私下交易"


def test_SES_03_a_batch_gets_one_result_per_chunk_in_order(engine):
    chunks = [Chunk("你好", Source.DANMAKU), Chunk("国家级", Source.ANCHOR_SPEECH), Chunk("", Source.DANMAKU),
              Chunk("傻逼", Source.DANMAKU)]
    results = engine.check_many(chunks)
    assert [r.verdict for r in results] == [None, Grade.B, None, Grade.HIDE]
    assert all(r.lexicon_version == engine.current.version for r in results)


def test_SES_03_large_batches_are_checked_in_slices(engine):
    chunks = [Chunk("最佳" if i % 997 == 0 else "正常的一句话", Source.ANCHOR_SPEECH) for i in range(5000)]
    results = engine.check_many(chunks)
    assert [i for i, r in enumerate(results) if not r.clean] == list(range(0, 5000, 997))


# -- SES-04: evasions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term", "matched"),
    [
        ("这是國家級的品質", "国家级", "國家級"),
        ("這款是最佳選擇", "最佳", "最佳"),
        ("最 高 级的享受", "最高级", "最 高 级"),
        ("国*家*级", "国家级", "国*家*级"),
        ("最\u200b佳", "最佳", "最\u200b佳"),
        ("国😀家😀级", "国家级", "国😀家😀级"),
        ("私-下-交-易", "私下交易", "私-下-交-易"),
        ("加ＶＸ", "加vx", "加ＶＸ"),
        ("加VX", "加vx", "加VX"),
        ("加ѵх", "加vx", "加ѵх"),  # Cyrillic izhitsa and kha
        ("加𝐯𝐱", "加vx", "加𝐯𝐱"),
        ("刷 單", "刷单", "刷 單"),
        ("NO.1", "NO.1", "NO.1"),
        ("ｎｏ１", "NO.1", "ｎｏ１"),
        ("Ｋ粉", "K粉", "Ｋ粉"),
    ],
)
def test_SES_04_evasions_are_caught(engine, text, term, matched):
    assert (term, matched) in terms(engine, text)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("国家级非物质文化遗产", None),
        ("最佳赏味期三十天", None),
        ("第一次买", None),
        ("去死皮膏", None),
        ("大麻哈鱼籽", None),
        ("这是我们的电商专供款", None),
        ("国家级产品", "国家级"),  # the same term outside the allowed phrase
        ("第一次买就是销量第一", "销量第一"),
    ],
)
def test_SES_04_allow_list_phrases_excuse_the_term_inside_them(engine, text, term):
    assert [t for t, _ in terms(engine, text)] == ([term] if term else [])


def test_SES_04_allow_list_also_sees_through_evasion(engine):
    assert terms(engine, "國家級非物質文化遺產") == []


def test_SES_04_positions_map_back_to_the_original_text(engine):
    text = "宝宝们，這款 面霜是 國 家 級 的，還是最\u200b佳！"
    result = engine.check(text, Source.ANCHOR_SPEECH)
    assert [(h.start, h.end) for h in result.hits] == [(11, 16), (21, 24)]
    assert [text[h.start : h.end] for h in result.hits] == ["國 家 級", "最\u200b佳"]


def test_SES_04_positions_are_exact_inside_a_batch(engine):
    texts = ["😀" * 5 + "最佳", "前缀" * 3 + "國家級", "ok"]
    results = engine.check_many([Chunk(t, Source.PRODUCT_INFO) for t in texts])
    assert [[t[h.start : h.end] for h in r.hits] for t, r in zip(texts, results, strict=True)] == [
        ["最佳"], ["國家級"], []
    ]


# -- SES-05: grades --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("想要的私下交易", Grade.A),  # a: stop the stream
        ("这是国家级产品", Grade.B),  # b: immediate correction
        ("全网顶级面料", Grade.C),  # c: guidance before the session ends
        ("送礼首选", Grade.D),  # d: note for the post-session review
    ],
)
def test_SES_05_each_hit_carries_its_grade(engine, text, grade):
    (hit,) = engine.check(text, Source.ANCHOR_SPEECH).hits
    assert hit.grade == grade


def test_SES_05_grade_a_stops_the_stream(engine):
    assert engine.check("今晚教大家网赌", Source.ANCHOR_SPEECH).verdict == Grade.A


def test_SES_05_grade_b_immediate_correction(engine):
    assert engine.check("这款是最佳选择", Source.ANCHOR_SPEECH).verdict == Grade.B


def test_SES_05_grade_c_guidance_before_the_end(engine):
    assert engine.check("不买就是穷", Source.ANCHOR_SPEECH).verdict == Grade.C


def test_SES_05_grade_d_note_for_review(engine):
    assert engine.check("我们是独家代理", Source.ANCHOR_SPEECH).verdict == Grade.D


def test_SES_05_verdict_is_the_most_urgent_grade(engine):
    result = engine.check("首选，顶级，最佳，私下交易", Source.ANCHOR_SPEECH)
    assert [h.grade for h in result.hits] == [Grade.D, Grade.C, Grade.B, Grade.A]
    assert result.verdict == Grade.A


def test_SES_05_hide_ranks_between_b_and_c():
    assert Grade.A.severity > Grade.B.severity > Grade.HIDE.severity > Grade.C.severity > Grade.D.severity


def test_SES_05_same_term_is_b_in_anchor_speech_and_hidden_in_danmaku(engine):
    assert engine.check("傻逼", Source.ANCHOR_SPEECH).verdict == Grade.B
    assert engine.check("傻逼", Source.DANMAKU).verdict == Grade.HIDE


def test_SES_05_a_term_can_be_ignored_in_a_source(engine):
    # A viewer writing 最佳 is no advertising claim; the anchor saying it is.
    assert engine.check("最佳", Source.DANMAKU).clean
    assert engine.check("最佳", Source.USER_COMMENT).clean
    assert engine.check("最佳", Source.PRODUCT_INFO).verdict == Grade.B


def test_SES_05_a_term_level_override_beats_the_category(engine):
    assert engine.check("牛逼", Source.ANCHOR_SPEECH).verdict == Grade.C
    assert engine.check("牛逼", Source.DANMAKU).clean
    assert engine.check("操你妈", Source.DANMAKU).verdict == Grade.HIDE


def test_SES_05_every_hit_names_its_lexicon_version(engine):
    result = engine.check("最佳", Source.ANCHOR_SPEECH)
    assert result.lexicon_version == result.hits[0].lexicon_version == load_seed().version


# -- bad input -----------------------------------------------------------------------------


def test_SES_03_chunk_over_the_limit_is_refused_with_the_limit(engine):
    with pytest.raises(ChunkTooLarge) as refused:
        engine.check("好" * (engine.max_chunk_chars + 1), Source.PRODUCT_INFO)
    assert refused.value.limit == engine.max_chunk_chars
    assert refused.value.size == engine.max_chunk_chars + 1
    assert str(engine.max_chunk_chars) in str(refused.value)


def test_SES_03_oversized_chunk_in_a_batch_is_named_and_nothing_is_checked(engine):
    chunks = [Chunk("最佳", Source.ANCHOR_SPEECH), Chunk("x" * 10**6, Source.DANMAKU)]
    with pytest.raises(ChunkTooLarge) as refused:
        engine.check_many(chunks)
    assert refused.value.index == 1


def test_SES_03_chunk_at_the_limit_is_accepted(engine):
    assert engine.check("好" * engine.max_chunk_chars, Source.PRODUCT_INFO).clean


# -- SES-04: versions, atomic swap -------------------------------------------------------------


def small_spec(version: str, term: str) -> LexiconSpec:
    return LexiconSpec(
        version=version,
        categories=(Category(id="test", label="test", grade="b"),),
        entries=(TermEntry(term, "test"),),
    )


def test_SES_04_a_proposed_version_does_not_change_matching_until_published():
    engine = PatrolEngine(build(small_spec("v1", "苹果")))
    engine.propose(small_spec("v2", "香蕉"))
    assert engine.current.version == "v1"
    assert engine.check("香蕉", Source.ANCHOR_SPEECH).clean
    previous = engine.publish("v2")
    assert previous.version == "v1"
    result = engine.check("香蕉和苹果", Source.ANCHOR_SPEECH)
    assert [h.term for h in result.hits] == ["香蕉"]
    assert result.lexicon_version == "v2"


def test_SES_04_publishing_an_earlier_version_rolls_back():
    engine = PatrolEngine(build(small_spec("v1", "苹果")))
    engine.propose(small_spec("v2", "香蕉"))
    engine.publish("v2")
    engine.publish("v1")
    assert engine.check("苹果", Source.ANCHOR_SPEECH).lexicon_version == "v1"
    assert engine.versions() == ["v1", "v2"]


def test_SES_04_refused_proposal_leaves_the_engine_untouched():
    engine = PatrolEngine(build(small_spec("v1", "苹果")))
    with pytest.raises(LexiconError):
        engine.propose(small_spec("v2", ""))
    assert engine.versions() == ["v1"]
    with pytest.raises(UnknownLexiconVersion):
        engine.publish("v2")


def test_SES_04_a_version_name_cannot_be_reused_for_other_content():
    engine = PatrolEngine(build(small_spec("v1", "苹果")))
    engine.propose(small_spec("v1", "苹果"))  # the same content again is harmless
    with pytest.raises(LexiconError):
        engine.propose(small_spec("v1", "香蕉"))


def test_SES_04_matching_goes_on_while_versions_are_swapped():
    engine = PatrolEngine(build(small_spec("v1", "苹果")))
    engine.propose(small_spec("v2", "香蕉"))
    chunks = [Chunk("苹果香蕉" * 3, Source.ANCHOR_SPEECH)] * 200
    seen: list[tuple[str, ...]] = []
    stop = threading.Event()

    def check() -> None:
        while not stop.is_set():
            for result in engine.check_many(chunks):
                seen.append((result.lexicon_version, *sorted({h.term for h in result.hits})))

    workers = [threading.Thread(target=check) for _ in range(2)]
    for w in workers:
        w.start()
    for i in range(200):
        engine.publish("v2" if i % 2 == 0 else "v1")
    stop.set()
    for w in workers:
        w.join()
    # Every result is wholly one version: its version's term and never the other's.
    assert set(seen) <= {("v1", "苹果"), ("v2", "香蕉")}
    assert seen
