"""The patrol quality benchmark (issue 18): precision, recall, false positives on near-misses and
false grade-a stops, measured on the labelled corpus in `data/corpus/` (written by
`bench/patrol_corpus.py`, described there).

A violation line counts as caught when some hit carries its expected category. A clean or
near-miss line counts as a false positive when it has any hit at all (the report also gives
those acted on, with a hit above grade d, a note for the post-session review), and as a false
stop when its verdict is grade a. Precision is over lines: caught violations among all lines with a hit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .engine import PatrolEngine
from .model import Grade, Source

CORPUS_DIR = Path(__file__).resolve().parent / "data" / "corpus"
LABELS = ("clean", "near_miss", "violations")


def load_corpus(directory: Path = CORPUS_DIR) -> dict[str, list[dict[str, str]]]:
    return {
        label: [json.loads(line) for line in (directory / f"{label}.jsonl").read_text(encoding="utf-8").splitlines()]
        for label in LABELS
    }


@dataclass(frozen=True)
class Quality:
    lines: Mapping[str, int]
    caught: int
    flagged: int  # lines with any hit, of every label
    true_flagged: int  # violation lines with any hit
    false_positives: Mapping[str, list[str]]  # label -> texts of clean / near-miss lines with a hit
    false_stops: list[str]  # clean or near-miss lines with verdict a
    acting: Mapping[str, list[str]] = field(default_factory=dict)  # label -> lines with a hit above grade d
    stopped: int = 0  # violation lines with verdict a
    missed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.lines["violations"]

    @property
    def precision(self) -> float:
        return self.true_flagged / self.flagged if self.flagged else 1.0

    def false_positive_rate(self, label: str) -> float:
        return len(self.false_positives[label]) / self.lines[label]

    def report(self) -> list[str]:
        n = self.lines
        return [
            f"corpus: {n['clean']} clean, {n['near_miss']} near-miss, {n['violations']} violation lines",
            f"recall (violations caught with their category)  {self.recall:7.2%}  "
            f"({self.caught}/{n['violations']}; target >= 98%)",
            f"precision (lines with a hit that are violations) {self.precision:7.2%}  "
            f"({self.true_flagged}/{self.flagged})",
            f"false positives, near-miss lines              {self.false_positive_rate('near_miss'):7.2%}  "
            f"({len(self.false_positives['near_miss'])}/{n['near_miss']}; target <= 2%)",
            f"  of which acted on (a, b, hide or c; not a d note) {len(self.acting['near_miss']) / n['near_miss']:7.2%}  "
            f"({len(self.acting['near_miss'])}/{n['near_miss']})",
            f"false positives, clean lines                  {self.false_positive_rate('clean'):7.2%}  "
            f"({len(self.false_positives['clean'])}/{n['clean']})",
            f"false grade-a stops (clean + near-miss)        {len(self.false_stops):7d}  (target 0)",
            f"violation lines stopped at grade a             {self.stopped:7d}",
        ]


def evaluate(engine: PatrolEngine, corpus: Mapping[str, Sequence[Mapping[str, str]]] | None = None) -> Quality:
    corpus = corpus if corpus is not None else load_corpus()
    false_positives: dict[str, list[str]] = {}
    false_stops: list[str] = []
    acting: dict[str, list[str]] = {}
    flagged = caught = true_flagged = stopped = 0
    missed: list[str] = []
    for label in LABELS:
        lines = corpus[label]
        results = engine.check_columns([x["text"] for x in lines], [Source(x["source"]) for x in lines])
        false_positives[label] = []
        acting[label] = []
        for line, result in zip(lines, results, strict=True):
            flagged += not result.clean
            if label == "violations":
                true_flagged += not result.clean
                stopped += result.verdict is Grade.A
                if any(h.category == line["category"] for h in result.hits):
                    caught += 1
                else:
                    missed.append(line["text"])
                continue
            if not result.clean:
                false_positives[label].append(line["text"])
            if result.verdict is not None and result.verdict is not Grade.D:
                acting[label].append(line["text"])
            if result.verdict is Grade.A:
                false_stops.append(line["text"])
    return Quality(
        lines={label: len(corpus[label]) for label in LABELS},
        caught=caught,
        flagged=flagged,
        true_flagged=true_flagged,
        false_positives=false_positives,
        false_stops=false_stops,
        acting=acting,
        stopped=stopped,
        missed=missed,
    )


@dataclass(frozen=True)
class SplitRecall:
    """Violation lines cut in two chunks of one speaker inside the hit that catches them whole."""

    lines: int  # violation lines whose catching hit is two characters or more
    caught: int  # caught still: by a chunk's own hit or by the speaker's window

    def report(self) -> str:
        return (
            f"recall of violation lines split in two chunks of one speaker {self.caught / self.lines:7.2%}  "
            f"({self.caught}/{self.lines}; cut inside the hit, speaker windows on)"
        )


def evaluate_split(engine: PatrolEngine, corpus: Mapping[str, Sequence[Mapping[str, str]]] | None = None) -> SplitRecall:
    """SES-04 (issue 18): each violation line cut in the middle of the hit that catches it whole
    and sent as two chunks by one speaker, 1 s apart; caught when the second chunk's own hits or
    the window's hits carry the line's category (the first chunk's own hits count too)."""
    from .window import SpeakerWindows  # the window module imports the engine's

    lines = (corpus if corpus is not None else load_corpus())["violations"]
    sources = [Source(x["source"]) for x in lines]
    results = engine.check_columns([x["text"] for x in lines], sources)
    cut: list[tuple[Mapping[str, str], Source, str, str]] = []
    for line, source, result in zip(lines, sources, results, strict=True):
        hit = next((h for h in result.hits if h.category == line["category"]), None)
        if hit is not None and hit.end - hit.start >= 2:
            middle = (hit.start + hit.end) // 2
            cut.append((line, source, line["text"][:middle], line["text"][middle:]))
    windows = SpeakerWindows(engine)
    chunks = [
        chunk
        for n, (_, source, first, second) in enumerate(cut)
        for chunk in (("split", f"speaker-{n}", f"{n}-a", first, source, 0.0), ("split", f"speaker-{n}", f"{n}-b", second, source, 1.0))
    ]
    found = windows.add_many(chunks)
    own = engine.check_columns([c[3] for c in chunks], [c[4] for c in chunks])
    caught = 0
    for n, (line, *_) in enumerate(cut):
        hits = [*own[2 * n].hits, *own[2 * n + 1].hits, *(w.hit for w in found[2 * n + 1])]
        caught += any(h.category == line["category"] for h in hits)
    return SplitRecall(lines=len(cut), caught=caught)
