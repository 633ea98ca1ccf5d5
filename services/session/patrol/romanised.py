"""Banned terms written in pinyin or its initials (issue 18, SES-04): jiaweixin, sxjy.

Each version's Chinese terms get their toneless pinyin (at least six letters) and, for terms of
three characters or more, their initials as extra patterns of the automaton standing for the
term. Two-character initials (sb, dm, wd) are left out: as Latin words they are mostly something
else. A romanised match counts only as a Latin word of its own (no letter or digit written
against it, checked by the matcher) and is at most grade b: a reading of Latin letters is a guess
an operator confirms, never a reason to stop a stream by itself.

The readings come from pypinyin (maintained; its phrase dictionary picks 行业 hang, not xing),
loaded once per process with the segmenter, and cached per term across versions.
"""

from __future__ import annotations

import functools

from pypinyin import Style, lazy_pinyin

from .words import _is_ideograph

MIN_PINYIN_LETTERS = 6
MIN_INITIALS = 3


@functools.lru_cache(maxsize=65_536)
def forms(term: str) -> tuple[str, ...]:
    """The romanised forms patrolled for a folded term (none unless it is all Chinese)."""
    if len(term) < 2 or not all(_is_ideograph(c) for c in term):
        return ()
    found = []
    pinyin = "".join(lazy_pinyin(term, errors="ignore"))
    if len(pinyin) >= MIN_PINYIN_LETTERS and pinyin.isascii() and pinyin.isalpha():
        found.append(pinyin)
    if len(term) >= MIN_INITIALS:
        initials = "".join(lazy_pinyin(term, style=Style.FIRST_LETTER, errors="ignore"))
        if len(initials) == len(term) and initials.isascii() and initials.isalpha():
            found.append(initials)
    return tuple(found)


def is_romanised(matched: str, term: str) -> bool:
    """Whether a match of `term` was its romanised form (Latin letters for a Chinese term)."""
    return matched.isascii() and not term.isascii()

