"""Word boundaries for short Chinese terms (issue 18): a segmenter that says whether a candidate
hit stands as a word, sits inside a longer word, or straddles two words.

A two- or three-character term can be read inside ordinary text that does not contain it as a
word: `特供` in 模特供图 (模特 / 供图), `刷单` in 牙刷单支装, `大麻` in 加大麻辣 (加大 / 麻辣). The
Aho-Corasick pass stays the hot path; this module runs only for the few messages with a short
term written together with the text around it, and only over that stretch of text.

The segmenter is rjieba (the Rust port of jieba's algorithm and dictionary, jieba-rs), chosen
over jieba itself by measurement on this machine: the same segmentation on our corpus, 0.22 s to
load its dictionary against 1.0 s, and ~2 us to cut a short sentence against ~50 us. The
dictionary is loaded once per process, by `get_segmenter()` (the engine calls it when it is
built, at start-up). Each lexicon version's short terms are added to it as words, so a banned
word the dictionary does not know (网赌) is cut as one; `data/segmenter.tsv` holds the few
dictionary words we remove because they split a banned term in real sentences (真象 in 真象牙雕,
an old variant of 真相), each with why.
"""

from __future__ import annotations

import enum
import functools
import threading
from collections.abc import Iterable
from importlib import resources

import rjieba


class Fit(enum.Enum):
    """How a candidate term sits among the words of its text."""

    WORD = "word"  # the term's ends are word boundaries: it stands as a word (or several)
    INSIDE = "inside"  # one longer word contains it (大麻烟, 象牙片, 台独分子): the same word family, or not
    STRADDLES = "straddles"  # a word boundary falls inside it (模特/供图): it is not there


def _is_ideograph(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


def is_short_chinese(term: str) -> bool:
    """Terms the segmenter verifies: two or three Chinese characters. Longer terms (私下交易,
    分裂国家) are not read by accident inside other words."""
    return 2 <= len(term) <= 3 and all(_is_ideograph(c) for c in term)


class Segmenter:
    """rjieba behind a lock: its Rust object is not to be mutated while another thread cuts."""

    def __init__(self) -> None:
        self._jieba = rjieba.Jieba()
        self._lock = threading.Lock()
        self._known: set[str] = set()
        for word, freq in _tuning():
            self._jieba.add_word(word, freq, None)

    def learn(self, terms: Iterable[str]) -> None:
        """Makes the short terms of a lexicon version words of the dictionary (idempotent)."""
        new = [t for t in terms if is_short_chinese(t) and t not in self._known]
        if not new:
            return
        with self._lock:
            for term in new:
                # None: jieba's suggested frequency, just enough to cut the term as one word
                # rather than its characters; it does not beat a longer word (大麻花 stays 大/麻花).
                self._jieba.add_word(term, None, None)
                self._known.add(term)

    def fit(self, text: str, start: int, end: int) -> Fit:
        """How text[start:end] sits among the words of `text` (folded text, no fillers)."""
        with self._lock:
            words = self._jieba.cut(text, False)  # dictionary only: no HMM guesses at unknown words
        offset = 0
        for word in words:
            stop = offset + len(word)
            if offset <= start and end <= stop:
                return Fit.WORD if (offset, stop) == (start, end) else Fit.INSIDE
            if offset < start < stop or offset < end < stop:
                return Fit.STRADDLES
            if stop >= end:
                return Fit.WORD  # the term is several whole words (a dictionary-less cut)
            offset = stop
        return Fit.WORD


def _tuning() -> list[tuple[str, int]]:
    text = resources.files(__package__).joinpath("data/segmenter.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, freq, *_ = line.split("\t")
        rows.append((word, int(freq)))
    return rows


@functools.cache
def get_segmenter() -> Segmenter:
    """The process's segmenter, its dictionary loaded on the first call (~0.2 s)."""
    return Segmenter()
