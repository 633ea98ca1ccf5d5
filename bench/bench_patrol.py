"""Benchmark of the patrol engine (issue 5): messages per second with full normalisation against
a lexicon of at least 10,000 terms, a one-regex baseline over the same terms, and build time.

Run: `.venv/bin/python -m bench.bench_patrol` (one process, about a minute). The extra terms are
synthetic but shaped like real ones (2–6 Chinese characters, some Latin or mixed), generated
from a fixed seed and added to the shipped seed lexicon. Messages are 100 characters of mixed
Chinese/ASCII sales talk and danmaku with punctuation, spaces and emoji; 5% carry a banned
term disguised (traditional characters, inserted spaces or symbols, full-width letters,
homoglyphs). Figures are best of three rounds, so a noisy neighbour on the machine does not
decide them.

It prints the engine with issue 18's context rules (negation, per-term contexts, the segmenter's
word boundaries, price lists) on and off, and their ratio; and the engine with every chunk also
held in its speaker's window (64 viewers, SES-04), against the engine off: issue 18's target,
all on >= 0.8x off. Then the windows alone, over batches scanned beforehand, and per chunk what
each part costs beside what the windows may cost for that target. It also prints the engine's
quality on the labelled corpus (issue 18; `services/session/patrol/data/corpus/`, written by
`bench/patrol_corpus.py`) with the shipped seed lexicon: recall, precision, false positives on
near-misses and clean lines, false grade-a stops, and the recall of violation lines cut in two
chunks of one speaker inside the hit that catches them.
`--quality` prints only that (a second).
"""

from __future__ import annotations

import os
import platform
import random
import re
import statistics
import sys
import time

from livecommerce.text.normalise import get_normaliser
from services.session.patrol.engine import PatrolEngine
from services.session.patrol.lexicon import Category, TermEntry, load_seed
from services.session.patrol.matcher import build
from services.session.patrol.model import Chunk, Source
from services.session.patrol.quality import evaluate, evaluate_split
from services.session.patrol.window import SpeakerWindows

SEED = 20261123
TERMS = 10_000
MESSAGES = 100_000
BATCH = 256  # chunks per call, as the streaming RPC would batch them
BASELINE_MESSAGES = 2_000
ROUNDS = 3

# Frequent characters of modern Chinese (a fixed list, so the run is reproducible).
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学"
    "法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天"
    "政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者"
    "最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期"
    "根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受"
)
LATIN = "abcdefghijklmnopqrstuvwxyz"
SALES = [
    "这款面霜质地清爽，适合油性皮肤，今天直播间下单还送小样。",
    "宝宝们看这个颜色，上身特别显白，码数标准，按平时尺码拍就行。",
    "我们家的蜂蜜是农户自己养的蜂，没有添加剂，喝起来有淡淡的花香。",
    "iPhone 15 Pro 256G 全网通，支持 5G，官方正品，保修一年。",
    "SPF50+ PA++++ 的防晒霜，夏天出门必备，记得每两个小时补涂一次。",
    "link 已经挂在 3 号链接，库存只有 200 件，喜欢的抓紧时间。",
    "这件羊毛衫 100% wool，手感很软，机洗要用羊毛模式哦～",
    "满 199 减 30，叠加店铺券还能再便宜 10 块，算下来很划算！",
    "主播好美😍 已拍 ✅ 3号链接还有吗？？ 求讲解一下尺码 🙏🙏",
    "The USB-C 充电线支持 PD 快充 65W，MacBook 也能用，线长 1.5 m。",
    "哈哈哈哈 666 主播太会说了 👍👍 已经下单两件了",
    "这个锅是 304 不锈钢的，电磁炉燃气灶都能用，洗起来也方便。",
]


def synthetic_terms(rng: random.Random, count: int) -> list[str]:
    """Realistic-looking terms: mostly 2–6 common Chinese characters, some Latin or mixed."""
    terms: set[str] = set()
    while len(terms) < count:
        roll = rng.random()
        if roll < 0.8:
            term = "".join(rng.choices(COMMON, k=rng.randint(3, 6)))
        elif roll < 0.9:
            term = "".join(rng.choices(LATIN, k=rng.randint(5, 8)))
        else:
            term = "".join(rng.choices(LATIN, k=2)) + "".join(rng.choices(COMMON, k=rng.randint(2, 3)))
        terms.add(term)
    return sorted(terms)


def disguise(rng: random.Random, term: str) -> str:
    """The evasions patrol must see through: fillers, full width, upper case, traditional."""
    kind = rng.randrange(4)
    if kind == 0:
        return " ".join(term)
    if kind == 1:
        return "💥".join(term)
    if kind == 2:
        return "".join(chr(ord(c) + 0xFEE0) if "a" <= c <= "z" else c for c in term.upper())
    return term.translate(_SIMPLIFIED_TO_TRADITIONAL)


_SIMPLIFIED_TO_TRADITIONAL = str.maketrans("国级这个说为发动对会产来时们样后", "國級這個說為發動對會產來時們樣後")


def messages(rng: random.Random, count: int, banned: list[str], *, length: int = 100, dirty: float = 0.05) -> list[str]:
    """`count` texts of `length` characters of SALES; a share `dirty` of them carry a disguised banned term."""
    out = []
    for _ in range(count):
        text = ""
        while len(text) < length:
            text += rng.choice(SALES)
        text = text[:length]
        if rng.random() < dirty:
            cut = rng.randrange(max(1, length * 3 // 5))
            text = (text[:cut] + disguise(rng, rng.choice(banned)) + text[cut:])[:length]
        out.append(text)
    return out


def rate(label: str, count: int, run) -> float:
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        rounds.append(count / (time.perf_counter() - started))
    listed = ", ".join(f"{r:,.0f}" for r in rounds)
    print(f"  {label:<60} {max(rounds):>10,.0f} msg/s  (rounds: {listed})")
    return max(rounds)


def quality() -> None:
    print("patrol quality on the labelled corpus, seed lexicon")
    engine = PatrolEngine()
    for line in evaluate(engine).report():
        print(f"  {line}")
    print(f"  {evaluate_split(engine).report()}")


def main() -> None:
    rng = random.Random(SEED)
    started = time.perf_counter()
    normaliser = get_normaliser()
    table_seconds = time.perf_counter() - started

    seed = load_seed()
    extra_category = Category(id="bench_synthetic", label="synthetic bench terms", grade="b")
    extra = tuple(TermEntry(term=t, category=extra_category.id) for t in synthetic_terms(rng, TERMS))
    spec = seed.with_version(
        "bench-10k", categories=(*seed.categories, extra_category), entries=(*seed.entries, *extra)
    )
    builds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        lexicon = build(spec)
        builds.append(time.perf_counter() - started)
    engine = PatrolEngine(lexicon)
    engine_off = PatrolEngine(lexicon, verify=False)  # issue 18's context rules off
    banned = [e.term for e in seed.entries if len(e.term) >= 2]
    texts = messages(rng, MESSAGES, banned)
    sources = [Source.DANMAKU if i % 3 == 0 else Source.ANCHOR_SPEECH for i in range(MESSAGES)]
    chunks = [Chunk(t, s) for t, s in zip(texts, sources, strict=True)]
    # Worst case: every message is traditional, spaced out, and carries a disguised banned
    # term, so every one takes the exact path (positions, detectors, a result of its own).
    adversarial = [
        Chunk(
            (disguise(rng, rng.choice(banned)) + " ".join(t.translate(_SIMPLIFIED_TO_TRADITIONAL)))[:100],
            Source.ANCHOR_SPEECH,
        )
        for t in texts[:20_000]
    ]

    mean = statistics.mean(map(len, texts))
    print(f"patrol engine benchmark on {os.cpu_count()} CPU(s), Python {platform.python_version()}, one process")
    print(f"  lexicon: {lexicon.term_count:,} terms ({len(seed.entries)} seed + {TERMS:,} synthetic), "
          f"{len(seed.allow)} allow-list phrases")
    print(f"  messages: {MESSAGES:,} of {mean:.0f} characters, mixed Chinese/ASCII, 5% with a disguised banned term")
    print(f"  normalisation tables, built once per process: {table_seconds * 1000:,.0f} ms")
    listed = ", ".join(f"{b * 1000:.0f}" for b in builds)
    print(f"  lexicon build (validate + fold + compile): {min(builds) * 1000:,.0f} ms  (rounds: {listed} ms)")

    def batched(items: list[Chunk]) -> None:
        for i in range(0, len(items), BATCH):
            engine.check_many(items[i : i + BATCH])

    flagged = sum(not r.clean for r in engine.check_many(chunks))
    print(f"  messages with hits: {flagged:,} of {MESSAGES:,}")
    rate("normalisation alone (batches, one translate each)", MESSAGES,
         lambda: [normaliser.normalise_joined(texts[i : i + BATCH]) for i in range(0, MESSAGES, BATCH)])
    engine_rate = rate(f"ENGINE, full normalisation, batches of {BATCH}", MESSAGES, lambda: batched(chunks))
    off_rate = rate(f"engine, context rules OFF, batches of {BATCH}", MESSAGES,
                    lambda: [engine_off.check_many(chunks[i : i + BATCH]) for i in range(0, MESSAGES, BATCH)])
    # SES-04's window per speaker: the same messages from 64 viewers of one session, each chunk
    # also held in its speaker's window and the windows patrolled together (what the session
    # service adds to the engine for chunks that carry a speaker and a time).
    windowed = [("s-1", f"viewer-{i % 64}", f"c-{i}", c.text, c.source, i * 0.05) for i, c in enumerate(chunks)]

    def with_windows() -> None:
        windows = SpeakerWindows(engine)
        for i in range(0, MESSAGES, BATCH):
            _, scanned = engine.check_scanned(texts[i : i + BATCH], sources[i : i + BATCH])
            windows.add_many(windowed[i : i + BATCH], scanned)

    window_rate = rate(f"ENGINE + SPEAKER WINDOWS (all on), batches of {BATCH}", MESSAGES, with_windows)
    # The windows alone, over batches the engine scanned beforehand: what they cost per chunk
    # without the engine's work (or its cache misses) in between.
    prescanned = [engine.check_scanned(texts[i : i + BATCH], sources[i : i + BATCH])[1] for i in range(0, MESSAGES, BATCH)]

    def windows_alone() -> None:
        windows = SpeakerWindows(engine)
        for k, i in enumerate(range(0, MESSAGES, BATCH)):
            windows.add_many(windowed[i : i + BATCH], prescanned[k])

    alone_rate = rate("speaker windows alone (batches scanned beforehand)", MESSAGES, windows_alone)
    rate("engine, one check() call per message", 20_000,
         lambda: [engine.check(c.text, c.source) for c in chunks[:20_000]])
    rate("engine, worst case: every message disguised, with a hit", 20_000, lambda: batched(adversarial))

    terms = [e.term for e in spec.entries]
    pattern = re.compile("|".join(map(re.escape, sorted(terms, key=len, reverse=True))))
    sample = texts[:BASELINE_MESSAGES]
    baseline = rate("BASELINE, one regex alternation, no normalisation", BASELINE_MESSAGES,
                    lambda: [pattern.findall(t) for t in sample])
    print(f"  ratio engine / baseline: {engine_rate / baseline:,.0f}x  "
          f"({engine_rate:,.0f} / {baseline:,.0f} msg/s; target >= 50x)")
    print(f"  ratio rules on / off: {engine_rate / off_rate:.2f}x  "
          f"({engine_rate:,.0f} / {off_rate:,.0f} msg/s; target >= 0.8x)")
    print(f"  ratio with speaker windows / without: {window_rate / engine_rate:.2f}x  "
          f"({window_rate:,.0f} / {engine_rate:,.0f} msg/s; every chunk windowed here)")
    print(f"  ratio all on (rules + speaker windows) / off: {window_rate / off_rate:.2f}x  "
          f"({window_rate:,.0f} / {off_rate:,.0f} msg/s; target >= 0.8x)")
    budget = 1e6 / (0.8 * off_rate) - 1e6 / engine_rate
    print(f"  per chunk: engine on {1e6 / engine_rate:.2f} us, off {1e6 / off_rate:.2f} us; speaker windows "
          f"{1e6 / window_rate - 1e6 / engine_rate:.2f} us in the run above, {1e6 / alone_rate:.2f} us alone; "
          f"what they may cost for all on >= 0.8x off: {budget:.2f} us")


if __name__ == "__main__":
    if "--quality" not in sys.argv:
        main()
    quality()
