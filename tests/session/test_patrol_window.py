"""SES-04 / SES-05: a window per speaker (issue 18): terms and numbers split across consecutive
chunks of one speaker are caught, naming the chunks they span; the anchor's repeated grade c/d
terms escalate to b. Pure: the chunks' own timestamps, no clock, no database.
"""

from __future__ import annotations

import pytest

from services.session.patrol.engine import PatrolEngine
from services.session.patrol.model import Chunk, Grade, HitKind, Source
from services.session.patrol.window import ChunkSpan, SessionCounts, SpeakerWindows

A, D = Source.ANCHOR_SPEECH, Source.DANMAKU


@pytest.fixture(scope="module")
def engine() -> PatrolEngine:
    return PatrolEngine()


def test_SES_04_a_term_split_over_two_danmaku_of_one_viewer_is_caught(engine):
    windows = SpeakerWindows(engine)
    assert windows.add("s1", "viewer-7", "m1", "想要的加微", D, at=100.0) == []
    [found] = windows.add("s1", "viewer-7", "m2", "信详聊", D, at=103.0)
    assert found.hit.term == "加微信"
    assert found.hit.grade is Grade.HIDE
    assert found.spans == (ChunkSpan("m1", 3, 5), ChunkSpan("m2", 0, 1))


def test_SES_04_a_phone_number_split_over_three_chunks_is_caught(engine):
    windows = SpeakerWindows(engine)
    windows.add("s1", "viewer-9", "m1", "打我 138", D, at=10.0)
    assert windows.add("s1", "viewer-9", "m2", "1234", D, at=11.0) == []  # not yet a number
    [found] = windows.add("s1", "viewer-9", "m3", "5678", D, at=12.0)
    assert found.hit.kind is HitKind.MOBILE_NUMBER
    assert [s.chunk_id for s in found.spans] == ["m1", "m2", "m3"]
    assert found.spans[0] == ChunkSpan("m1", 3, 6)


def test_SES_04_the_anchors_transcript_segments_are_one_window(engine):
    windows = SpeakerWindows(engine)
    windows.add("s1", "anchor", "seg-1", "这个价格是全网", A, at=0.0)
    [found] = windows.add("s1", "anchor", "seg-2", "最低的，大家抓紧", A, at=2.5)
    assert found.hit.term == "全网最低"
    assert [s.chunk_id for s in found.spans] == ["seg-1", "seg-2"]


def test_SES_04_different_speakers_and_sessions_do_not_share_a_window(engine):
    windows = SpeakerWindows(engine)
    windows.add("s1", "viewer-1", "m1", "加微", D, at=0.0)
    assert windows.add("s1", "viewer-2", "m2", "信", D, at=1.0) == []  # another viewer
    assert windows.add("s2", "viewer-1", "m3", "信", D, at=1.0) == []  # another session
    assert len(windows) == 3


def test_SES_04_the_window_is_bounded_by_the_chunks_own_seconds(engine):
    windows = SpeakerWindows(engine, max_seconds=20.0)
    windows.add("s1", "viewer-1", "m1", "加微", D, at=0.0)
    assert windows.add("s1", "viewer-1", "m2", "信", D, at=20.5) == []  # 20.5 s later: gone
    windows.add("s1", "viewer-1", "m3", "加微", D, at=30.0)
    assert windows.add("s1", "viewer-1", "m4", "信", D, at=25.0) == []  # out of order: afresh


def test_SES_04_the_window_is_bounded_by_chunks_and_characters(engine):
    windows = SpeakerWindows(engine, max_chunks=2, max_chars=40)
    windows.add("s1", "viewer-1", "m1", "加微", D, at=0.0)
    windows.add("s1", "viewer-1", "m2", "好的", D, at=1.0)
    assert windows.add("s1", "viewer-1", "m3", "信", D, at=2.0) == []  # m1 left: two chunks at most
    windows.add("s1", "viewer-2", "n1", "加微", D, at=3.0)
    assert windows.add("s1", "viewer-2", "n2", "哈" * 39 + "信", D, at=4.0) == []  # over 40 characters


def test_SES_04_a_hit_inside_one_chunk_is_not_reported_again_by_the_window(engine):
    windows = SpeakerWindows(engine)
    windows.add("s1", "viewer-1", "m1", "加微信", D, at=0.0)
    assert windows.add("s1", "viewer-1", "m2", "好的", D, at=1.0) == []


def test_SES_04_near_misses_across_chunks_stay_clean(engine):
    windows = SpeakerWindows(engine)
    windows.add("s1", "anchor", "seg-1", "天津十八街的大", A, at=0.0)
    assert windows.add("s1", "anchor", "seg-2", "麻花，又香又脆", A, at=1.0) == []  # 大/麻花


def test_SES_04_silent_speakers_are_forgotten_and_the_count_is_capped(engine):
    windows = SpeakerWindows(engine, max_seconds=10.0, max_speakers=2)
    windows.add("s1", "a", "1", "你好", D, at=0.0)
    windows.add("s1", "b", "2", "你好", D, at=1.0)
    windows.add("s1", "c", "3", "你好", D, at=2.0)
    assert len(windows) == 2  # the least recently heard went first
    windows.add("s1", "d", "4", "你好", D, at=50.0)
    assert len(windows) == 1  # b and c were silent for more than 10 s


def test_SES_05_repeated_extreme_words_in_a_session_escalate_to_b(engine):
    counts = SessionCounts(repeat_at=3)
    text = "这款是顶级的面料"  # 顶级: grade c
    grades = []
    for _ in range(3):
        chunk = Chunk(text, A)
        result = counts.escalate("s1", chunk, engine.check(chunk.text, chunk.source))
        grades.append(result.verdict)
    assert grades == [Grade.C, Grade.C, Grade.B]
    assert counts.count("s1", "顶级") == 3
    other = counts.escalate("s2", Chunk(text, A), engine.check(text, A))
    assert other.verdict is Grade.C  # counted per session
    counts.end("s1")
    assert counts.count("s1", "顶级") == 0


def test_SES_05_only_the_anchors_c_and_d_hits_are_counted(engine):
    counts = SessionCounts(repeat_at=2)
    for _ in range(3):
        result = counts.escalate("s1", Chunk("想便宜的话咱们私下交易吧", A), engine.check("想便宜的话咱们私下交易吧", A))
        assert result.verdict is Grade.A  # grade a stays a, and is not counted
    assert counts.count("s1", "私下交易") == 0
    comment = Chunk("顶级", Source.USER_COMMENT)
    assert counts.escalate("s1", comment, engine.check(comment.text, comment.source)).clean


def test_SES_04_a_retried_chunk_is_held_once_and_answered_alike(engine):
    windows = SpeakerWindows(engine)
    windows.add("s1", "viewer-1", "m1", "想要的加微", D, at=0.0)
    [first] = windows.add("s1", "viewer-1", "m2", "信详聊", D, at=1.0)
    [again] = windows.add("s1", "viewer-1", "m2", "信详聊", D, at=1.0)
    assert again == first
    assert windows.add("s1", "viewer-1", "m1", "想要的加微", D, at=0.0) == []  # an older one: not added twice
    windows.add("s1", "viewer-1", "m3", "好的", D, at=2.0)
    assert windows.add("s1", "viewer-1", "m4", "好的", D, at=3.0) == []  # m1, m2, m3, m4: each held once


def test_SES_04_a_session_that_ends_loses_its_windows_and_only_its_own(engine):
    windows = SpeakerWindows(engine)
    windows.add("s1", "viewer-1", "m1", "加微", D, at=0.0)
    windows.add("s1", "anchor", "seg-1", "全网", A, at=0.0)
    windows.add("s2", "viewer-1", "n1", "加微", D, at=0.0)
    assert (len(windows), windows.sessions()) == (3, 2)
    windows.end("s1")
    assert (len(windows), windows.sessions()) == (1, 1)
    assert windows.add("s1", "viewer-1", "m2", "信", D, at=1.0) == []  # starts clean
    assert len(windows.add("s2", "viewer-1", "n2", "信", D, at=1.0)) == 1  # s2 kept its window
    windows.end("s1")
    windows.end("s2")
    assert (len(windows), windows.sessions()) == (0, 0)


def test_SES_05_counted_sessions_are_capped_and_a_retried_chunk_is_not_counted_again(engine):
    counts = SessionCounts(repeat_at=2, max_sessions=2)
    text = "这款是顶级的面料"

    def use(session: str, chunk_id: str) -> Grade | None:
        return counts.escalate(session, Chunk(text, A), engine.check(text, A), chunk_id).verdict

    assert [use("s1", "c1"), use("s1", "c1"), use("s1", "c2"), use("s1", "c2")] == [Grade.C, Grade.C, Grade.B, Grade.B]
    assert counts.count("s1", "顶级") == 2
    use("s2", "c1")
    use("s3", "c1")
    assert len(counts) == 2 and counts.count("s1", "顶级") == 0  # the least recently used session went


# -- the pre-filter: split hits of every kind still caught, clean batches never patrolled whole --


def test_SES_04_a_term_split_over_three_danmaku_is_caught_naming_all_three(engine):
    windows = SpeakerWindows(engine)
    assert windows.add("s1", "viewer-3", "m1", "加", D, at=0.0) == []
    assert windows.add("s1", "viewer-3", "m2", "微", D, at=1.0) == []
    [found] = windows.add("s1", "viewer-3", "m3", "信", D, at=2.0)
    assert found.hit.term == "加微信"
    assert found.spans == (ChunkSpan("m1", 0, 1), ChunkSpan("m2", 0, 1), ChunkSpan("m3", 0, 1))


@pytest.mark.parametrize(
    ("first", "second", "term", "spans"),
    [
        ("我的邮箱是 abc123", "@qq.com 发我", "pattern:email", ((6, 12), (0, 7))),  # split at '@'
        ("看这里 http", "://t.cn/Ab12 有惊喜", "pattern:url", ((4, 8), (0, 12))),
        ("有需要的+", "v详聊", "pattern:off_platform_lure", ((4, 5), (0, 1))),  # "+" then "v"
        ("加我 jia", "weixin 聊", "加微信", ((3, 6), (0, 6))),  # pinyin across two danmaku
    ],
)
def test_SES_04_original_text_patterns_and_romanised_terms_split_over_two_danmaku_are_caught(engine, first, second, term, spans):
    windows = SpeakerWindows(engine)
    assert windows.add("s1", "viewer-5", "m1", first, D, at=0.0) == []
    [found] = windows.add("s1", "viewer-5", "m2", second, D, at=1.0)
    assert found.hit.term == term
    assert [(s.chunk_id, s.start, s.end) for s in found.spans] == [("m1", *spans[0]), ("m2", *spans[1])]


@pytest.mark.parametrize(
    ("pieces", "term"),
    [
        (["有需要的+", "   ", "v详聊"], "pattern:off_platform_lure"),  # spaces alone keep the joint open
        (["喜欢的扣 v", "❤ 私信"], "pattern:off_platform_lure"),  # "v" then a heart
        (["短链 u.nu", "/Ab12 进"], "pattern:url"),  # a short link's "/" after its name
        (["短链 u.nu ", " /Ab12 进"], "pattern:url"),
    ],
)
def test_SES_04_an_original_text_pattern_across_a_joint_is_caught(engine, pieces, term):
    windows = SpeakerWindows(engine)
    found = [windows.add("s1", "viewer-6", f"m{k}", piece, D, at=float(k)) for k, piece in enumerate(pieces)]
    assert [[w.hit.term for w in f] for f in found] == [[]] * (len(pieces) - 1) + [[term]]


@pytest.mark.parametrize(
    "pieces",
    [
        ["SPF50+ PA+", "好的", "v详聊"],  # a chunk between closes the joint
        ["防晒 SPF50+", "夏天必备"],  # "+" then no app
        ["iPhone PRO U", "/USB-C 线"],  # "U" is not a short link
        ["TV", "❤ 好看"],  # "v" inside a word
    ],
)
def test_SES_04_near_misses_across_a_joint_stay_clean(engine, pieces):
    windows = SpeakerWindows(engine)
    found = [windows.add("s1", "viewer-6", f"m{k}", piece, D, at=float(k)) for k, piece in enumerate(pieces)]
    assert found == [[]] * len(pieces)


def test_SES_04_an_open_joint_is_forgotten_with_its_speaker(engine):
    """A speaker whose last chunk ended with "+" holds nothing once silent or their session ended."""
    windows = SpeakerWindows(engine, max_seconds=5.0)
    windows.add_many([("s1", "viewer-1", "m1", "SPF50+", D, 0.0), ("s2", "viewer-2", "n1", "加我+", D, 0.0)])
    windows.end("s2")
    windows.add("s3", "viewer-3", "k1", "好的", D, at=60.0)  # viewer-1 silent for a minute
    assert len(windows) == 1 and not windows._joints  # private: nothing else tells what is held


@pytest.mark.parametrize(
    ("first", "second", "term"),
    [
        ("坚持喝3个", "月就能痊愈哦", "pattern:medical_claim"),
        ("这款茶专治", "失眠多梦", "pattern:medical_claim"),
        ("销量第", "1的品牌", "pattern:absolute_digits"),
        ("新疆人都是", "骗子", "pattern:regional_discrimination"),
    ],
)
def test_SES_05_pattern_families_split_over_two_transcript_segments_are_caught(engine, first, second, term):
    windows = SpeakerWindows(engine)
    windows.add("s1", "anchor", "seg-1", first, A, at=0.0)
    [found] = windows.add("s1", "anchor", "seg-2", second, A, at=1.0)
    assert found.hit.term == term
    assert [s.chunk_id for s in found.spans] == ["seg-1", "seg-2"]


def test_SES_04_a_latin_word_that_only_contains_a_romanised_term_across_chunks_is_not_a_hit(engine):
    windows = SpeakerWindows(engine)
    windows.add("s1", "viewer-1", "m1", "abcs", D, at=0.0)
    assert windows.add("s1", "viewer-1", "m2", "xjyz", D, at=1.0) == []  # sxjy inside abcs/xjyz


class CountingEngine(PatrolEngine):
    """The engine, counting the texts it is asked to check (the windows' exact path)."""

    checked: int = 0

    def check_columns(self, texts, sources, **options):
        self.checked += len(texts)
        return super().check_columns(texts, sources, **options)


def test_SES_04_a_batch_the_pre_filter_clears_is_answered_without_patrolling_a_window():
    engine = CountingEngine()
    windows = SpeakerWindows(engine)
    sales = ["这款面霜质地清爽，适合油性皮肤", "今天直播间下单还送小样", "满 199 减 30，叠加店铺券", "iPhone 15 Pro 256G 全网通"]
    chunks = [("s1", f"viewer-{i % 3}", f"m{i}", sales[i % 4], D, float(i)) for i in range(12)]
    _, scanned = engine.check_scanned([c[3] for c in chunks], [c[4] for c in chunks])
    assert windows.add_many(chunks, scanned) == [[]] * 12
    assert engine.checked == 0  # no window patrolled whole
    [dirty] = windows.add_many([("s1", "viewer-9", "m12", "加微", D, 12.0)])
    assert dirty == [] and engine.checked == 0
    assert len(windows.add("s1", "viewer-9", "m13", "信", D, at=13.0)) == 1
    assert engine.checked == 1  # only the window the seam called for


def test_SES_04_a_batch_with_clocks_that_disagree_is_added_as_one_chunk_at_a_time(engine):
    one_by_one, batched = SpeakerWindows(engine), SpeakerWindows(engine)
    first = ("s1", "viewer-1", "m1", "加微", D, 0.0)
    later = [("s1", "viewer-2", "n1", "好", D, 30.0), ("s1", "viewer-1", "m2", "信", D, 5.0)]
    one_by_one.add(*first)
    batched.add(*first)
    # viewer-2's clock runs 30 s ahead: their chunk drops viewer-1's window (silent for 30 s by it)
    assert [one_by_one.add(*c) for c in later] == batched.add_many(later) == [[], []]


def test_SES_04_a_chunk_sent_twice_in_one_batch_is_held_once_and_answered_alike(engine):
    windows = SpeakerWindows(engine)
    chunks = [("s1", "viewer-1", "m1", "想要的加微", D, 0.0), ("s1", "viewer-1", "m2", "信详聊", D, 1.0)]
    first, second, again = windows.add_many([*chunks, chunks[1]])
    assert first == [] and len(second) == 1 and again == second
    assert len(windows) == 1


def _whole(engine, chunks, *, max_chunks=4, max_chars=256, max_seconds=20.0):
    """The reference: every window patrolled whole (the windows before the pre-filter), read with
    the original-text patterns (once only when a window of the same call held a literal)."""
    held: dict = {}
    found = []
    for session, speaker, chunk_id, text, source, at in chunks:
        window = held.setdefault((session, speaker, source), [])
        if any(h[0] == chunk_id for h in window):
            window_ = list(window) if window[-1][0] == chunk_id else []
        else:
            if window and at < window[-1][2]:
                window.clear()
            window[:] = [h for h in window if h[2] >= at - max_seconds]
            window.append((chunk_id, text, at))
            while len(window) > max_chunks or (len(window) > 1 and sum(len(h[1]) for h in window) > max_chars):
                window.pop(0)
            window_ = list(window)
        if len(window_) < 2:
            found.append([])
            continue
        [result] = engine.check_columns([" ".join(h[1] for h in window_)], [source], original_patterns=True)
        held_ = [(session, speaker, h[0], h[1], source, h[2]) for h in window_]
        found.append([(w.hit, w.spans) for w in SpeakerWindows._spanning(held_, result)])
    return found


def test_SES_04_the_pre_filter_reports_what_patrolling_every_window_whole_reports(engine):
    """Violation, near-miss and clean lines of the corpus cut anywhere and sent by a few speakers
    in batches of every size: the same hits as the windows patrolled whole, chunk by chunk."""
    import random

    from services.session.patrol.quality import load_corpus

    rng = random.Random(18)
    corpus = load_corpus()
    lines = [x["text"] for label in ("violations", "near_miss", "clean") for x in corpus[label]]
    chunks, clock = [], 0.0  # one clock: speakers silent for 20 s are dropped, as their windows end
    for n in range(600):
        text = rng.choice(lines)
        cuts = sorted(rng.sample(range(1, len(text)), k=min(len(text) - 1, rng.randint(1, 2))))
        speaker = f"viewer-{rng.randrange(5)}"
        source = D if speaker != "viewer-0" else A
        for k, piece in enumerate(text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)):
            clock += rng.choice([0.1, 0.5, 3.0])
            chunks.append(("s1", speaker, f"{n}-{k}", piece, source, clock))
    expected = _whole(engine, chunks)
    windows, found, start = SpeakerWindows(engine), [], 0
    while start < len(chunks):
        size = rng.choice([1, 7, 64, 256])
        found += [[(w.hit, w.spans) for w in f] for f in windows.add_many(chunks[start : start + size])]
        start += size
    assert sum(map(bool, expected)) > 100  # split hits aplenty
    assert found == expected
