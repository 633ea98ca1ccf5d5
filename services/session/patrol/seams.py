"""The seam automaton of a lexicon version (issue 18, SES-04): what the speaker windows' pre-filter
(window.py) looks for where a speaker's new chunk meets their earlier text.

A hit spanning a speaker's chunks crosses a seam: the point between the earlier text and the new
chunk. The pre-filter sets the last SEAM folded characters before each seam beside the first
SEAM after it and runs this automaton over the batch's seams joined. It holds the version's terms
(with their doubled and romanised forms) and anchors whole up to SEAM + 1 characters, and every
(SEAM + 1)-character piece of a longer one: a longer one across a seam has a piece across it, as
the seam shows SEAM characters of each side. Allow-list phrases report nothing and are left out.
Built with the version (matcher.build), off to the side, so publishing stays one swap.
"""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick_rs

from . import romanised

#: Folded characters of a speaker's earlier text, and of the new chunk, set side by side.
SEAM = 4

# What a pattern of the seam automaton stands for (bits): a term, an anchor (a window holding
# one is read whole by the families and the handle detector); matched whole as a Latin term or a
# romanised form (for every term it stands for), the engine's Latin word rule judges it.
TERM, ANCHOR, LATIN, ROMANISED = 1, 2, 4, 8


def build_seams(
    texts: Sequence[str], terms: Sequence[object | None], selectable: int, anchors: frozenset[int]
) -> tuple[ahocorasick_rs.AhoCorasick, list[int]]:
    """The seam automaton for a version's automaton patterns (`texts`, the term each stands for
    or None, how many are terms and allow-list phrases, which are anchors), and what each of its
    patterns stands for."""
    kinds: dict[str, int] = {}

    def put(piece: str, kind: int) -> None:  # what it may stand for: any; matched as Latin: all
        old = kinds.get(piece)
        kinds[piece] = kind if old is None else (old | kind) & (TERM | ANCHOR) | old & kind & (LATIN | ROMANISED)

    for i, text in enumerate(texts):
        term = terms[i] if i < selectable else None
        anchor = i in anchors
        if len(text) < 2 or (term is None and not anchor):
            continue
        kind = (TERM if term is not None else 0) | (ANCHOR if anchor else 0)
        if len(text) > SEAM + 1:
            for k in range(len(text) - SEAM):
                put(text[k : k + SEAM + 1], kind)
        elif term is not None and text.isascii() and text.isalpha():
            folded = getattr(term, "folded", "")
            put(text, kind | LATIN | (ROMANISED if romanised.is_romanised(text, folded) else 0))
        else:
            put(text, kind)
    patterns = sorted(kinds)
    return ahocorasick_rs.AhoCorasick(patterns or ["\x00"]), [kinds[p] for p in patterns] or [0]
