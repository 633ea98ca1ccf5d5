"""Context rules (issue 18): whether a term or number the automaton and detectors found is a hit
in the message it was found in, and how confident the engine is of it.

They read the folded message (`folded`) with `origins`, the original index of each folded
character, so "written together" (no filler between two characters) can be told from a real
gap (a space or punctuation). Per-term rules are data: `data/context.json`, each with why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

#: Negations and warnings that, right before a term, say the term is not what is on offer.
NEGATIONS: tuple[str, ...] = (
    "不属于",
    "不是",
    "并非",
    "从来不",
    "从不",
    "绝不",
    "不要",
    "切勿",
    "谨防",
    "严禁",
    "禁止",
    "拒绝",
    "不支持",
    "不接受",
    "不能",
    "不会",
    "不卖",
    "不做",
    "没有",
    "不含",
    "不用",
    "不需要",
    "无需",
    "远离",
    "杜绝",
)
_NEGATION_LENGTHS = sorted({len(n) for n in NEGATIONS})
_NEGATION_SET = frozenset(NEGATIONS)
_NEGATION_LAST = frozenset(n[-1] for n in NEGATIONS)  # a cheap first test
_NEGATION_GAP = 1  # characters allowed between a negation and the term it negates


def joined(origins: Sequence[int], k: int) -> bool:
    """Folded characters k-1 and k were written side by side (no filler between them)."""
    return 0 < k < len(origins) and origins[k] - origins[k - 1] == 1


def negated(folded: str, origins: Sequence[int], start: int) -> bool:
    """SES-05: whether a negation ends at most _NEGATION_GAP characters before `start`, written
    together with the term (no filler from the negation's first character up to the term)."""
    for gap in range(_NEGATION_GAP + 1):
        end = start - gap
        if end < 2 or folded[end - 1] not in _NEGATION_LAST:
            continue
        for size in _NEGATION_LENGTHS:
            begin = end - size
            if (
                begin >= 0
                and folded[begin:end] in _NEGATION_SET
                and all(joined(origins, k) for k in range(begin + 1, start + 1))
                # "有没有", "是不是", "要不要": an A-not-A question, not a negation
                and not (begin > 0 and folded[begin - 1] == folded[begin + 1])
            ):
                return True
    return False


#: How far the segmenter reads either side of a term: enough for the longest dictionary words
#: around it, and bounded so a megabyte of text written together costs linear time.
STRETCH_CHARS = 12


def stretch(folded: str, origins: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """The run of characters written together around folded[start:end] (up to a gap, an edge or
    STRETCH_CHARS): what the segmenter reads to judge whether the term stands as a word."""
    low, high = max(0, start - STRETCH_CHARS), min(len(folded), end + STRETCH_CHARS)
    # Most often the whole reach is written together: one subtraction says so.
    a = low if origins[start] - origins[low] == start - low else start
    while a > low and joined(origins, a):
        a -= 1
    b = high if origins[high - 1] - origins[end - 1] == high - end else end
    while b < high and joined(origins, b):
        b += 1
    return a, b


@dataclass(frozen=True)
class TermContext:
    """Contexts in which a term is another, legitimate word (a brand, an object on sale)."""

    not_after: tuple[str, ...] = ()  # folded text right before the term
    not_before: tuple[str, ...] = ()  # folded text right after the term
    not_with: tuple[str, ...] = ()  # folded words anywhere in the message

    def excuses(self, folded: str, start: int, end: int) -> bool:
        before, after = folded[max(0, start - 8) : start], folded[end : end + 8]
        return (
            any(before.endswith(w) for w in self.not_after)
            or any(after.startswith(w) for w in self.not_before)
            or any(w in folded for w in self.not_with)
        )


def load_term_contexts() -> Mapping[str, TermContext]:
    """data/context.json: term (as folded) -> its excusing contexts."""
    from livecommerce.text.normalise import get_normaliser

    fold = get_normaliser().normalise
    data = json.loads(resources.files(__package__).joinpath("data/context.json").read_text(encoding="utf-8"))
    return {
        fold(rule["term"]): TermContext(
            not_after=tuple(fold(w) for w in rule.get("not_after", ())),
            not_before=tuple(fold(w) for w in rule.get("not_before", ())),
            not_with=tuple(fold(w) for w in rule.get("not_with", ())),
        )
        for rule in data["rules"]
    }


# -- numbers and handles ----------------------------------------------------------------------

_LIST_SEPARATORS = frozenset("/、，,;；|")
_PRICE_WORDS = re.compile("价|元|块|¥|￥|rmb|售|折|券")
_MODEL_WORDS = ("型号", "货号", "款号", "编号", "规格", "model")


def list_separated(text: str, start: int, end: int) -> bool:
    """Whether a number's groups are separated by list punctuation (159/2399/6999)."""
    return any(c in _LIST_SEPARATORS for c in text[start:end])


def talks_prices(text: str) -> bool:
    """SES-04: with list_separated, a list of prices (三个价位：159/2399/6999) is not a gapped
    mobile number."""
    return _PRICE_WORDS.search(text.casefold()) is not None


def model_number(folded: str, start: int) -> bool:
    """SES-04: a product model (型号：WX-K2000pro) is not a WeChat handle."""
    before = folded[max(0, start - 6) : start]
    return any(before.endswith(w) for w in _MODEL_WORDS)
