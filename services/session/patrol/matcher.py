"""Compiles a lexicon version into an automaton and scans batches of chunks with it.

A compiled version is immutable: the engine swaps whole versions, so a batch is always matched
against exactly one. Scanning joins a batch's texts with a separator no term can contain, folds
the joined string once, runs the Aho-Corasick automaton (ahocorasick-rs, leftmost-longest) and
the detectors' pre-filters once over it, and only then looks at single messages: the rare ones
with a match get their exact positions from the slower, position-keeping fold. Clean messages
(nearly all of them) share one result object and cost no Python work of their own.

Allow-list phrases are patterns of their own: at a position where both a banned term and a
longer allowed phrase start, leftmost-longest matching picks the phrase, which reports nothing.

Context rules (issue 18) then judge each term hit in the message it was found in, with the
original text at hand to tell a real word boundary (a space or punctuation between two
characters) from characters written together:

- Latin word boundaries: a term that starts with a Latin letter does not hit right after
  another Latin letter (`pink粉` is not `k粉`, `AV信号` not `v信`), and one that ends with a
  digit does not hit right before another digit (`No.15` is a shade, not `NO.1`).
- Negation: a term right after a negation or a warning (`不属于管制刀具`, `从来不刷单`,
  `切勿私下交易`), at most one character between and no punctuation, is noted for review
  (grade d) rather than acted on.
- Grade a needs a high-confidence hit: a two-character Chinese term written inside running
  Chinese text on both sides (no space or punctuation around it) may be part of a longer word,
  so it is graded b, the anchor corrects and the operator sees it in the patrol record, instead
  of stopping the stream.
"""

from __future__ import annotations

import time
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import ahocorasick_rs

from livecommerce.text.normalise import SEPARATOR, Normaliser, get_normaliser

from . import detectors
from .lexicon import LexiconSpec, ResolvedLexicon, ResolvedTerm, SourceGrades, validate
from .model import SOURCE_INDEX, ChunkResult, Grade, Hit, HitKind, Source

#: Negations and warnings that, right before a term, say the term is not what is on offer.
NEGATIONS: tuple[str, ...] = (
    "不属于", "不是", "并非", "从来不", "从不", "绝不", "不要", "切勿", "谨防", "严禁", "禁止", "拒绝",
    "不支持", "不接受", "不能", "不会", "不卖", "不做", "没有", "不含", "不用", "不需要", "无需", "远离", "杜绝",
)
_NEGATION_LENGTHS = sorted({len(n) for n in NEGATIONS})
_NEGATION_SET = frozenset(NEGATIONS)
_NEGATION_LAST = frozenset(n[-1] for n in NEGATIONS)  # a cheap first test
_NEGATION_GAP = 1  # characters allowed between a negation and the term it negates


def _is_ideograph(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


@dataclass(frozen=True, eq=False)
class CompiledLexicon:
    """One lexicon version, ready to match."""

    version: str
    spec: LexiconSpec
    automaton: ahocorasick_rs.AhoCorasick | None
    # Pattern index -> the term it stands for; None for allow-list phrases.
    patterns: tuple[ResolvedTerm | None, ...]
    detector_rules: Mapping[HitKind, tuple[str, SourceGrades]]
    build_seconds: float
    clean_result: ChunkResult = field(repr=False)

    @property
    def term_count(self) -> int:
        return sum(p is not None for p in self.patterns)


def build(spec: LexiconSpec) -> CompiledLexicon:
    """Validates and compiles a version off to the side; raises LexiconError if it is refused."""
    started = time.perf_counter()
    resolved: ResolvedLexicon = validate(spec)
    patterns: list[ResolvedTerm | None] = [*resolved.terms, *([None] * len(resolved.allow_folded))]
    texts = [t.folded for t in resolved.terms] + list(resolved.allow_folded)
    automaton = (
        ahocorasick_rs.AhoCorasick(texts, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if texts else None
    )
    return CompiledLexicon(
        version=spec.version,
        spec=spec,
        automaton=automaton,
        patterns=tuple(patterns),
        detector_rules=dict(resolved.detectors),
        build_seconds=time.perf_counter() - started,
        clean_result=ChunkResult(hits=(), verdict=None, lexicon_version=spec.version),
    )


def scan(
    lexicon: CompiledLexicon,
    texts: Sequence[str],
    sources: Sequence[Source],
    normaliser: Normaliser | None = None,
) -> list[ChunkResult]:
    """SES-03: patrols a batch; one result per text, in order."""
    normaliser = normaliser or get_normaliser()
    joined = normaliser.normalise_joined(texts)
    matches = lexicon.automaton.find_matches_as_indexes(joined) if lexicon.automaton is not None else []
    flags = list(detectors.flagged_offsets(joined))
    results = [lexicon.clean_result] * len(texts)
    if not matches and not flags:
        return results

    starts = [0]
    for part in joined.split(SEPARATOR):
        starts.append(starts[-1] + len(part) + 1)
    found: dict[int, list[tuple[ResolvedTerm, int, int]]] = {}
    patterns = lexicon.patterns
    for pattern, start, end in matches:
        term = patterns[pattern]
        if term is None:
            continue  # an allow-list phrase: legitimate text that contains a banned term
        i = bisect_right(starts, start) - 1
        found.setdefault(i, []).append((term, start - starts[i], end - starts[i]))
    flagged = {bisect_right(starts, offset) - 1 for offset in flags}
    for i in flagged:
        found.setdefault(i, [])
    for i, terms in found.items():
        results[i] = _result(lexicon, normaliser, texts[i], sources[i], terms, i in flagged)
    return results


def _result(
    lexicon: CompiledLexicon,
    normaliser: Normaliser,
    text: str,
    source: Source,
    terms: list[tuple[ResolvedTerm, int, int]],
    flagged: bool,
) -> ChunkResult:
    column = SOURCE_INDEX[source]
    version = lexicon.version
    wanted = [(t, s, e, grade) for t, s, e in terms if (grade := t.grades[column]) is not None]
    if not wanted and not flagged:
        return lexicon.clean_result  # only terms this source does not patrol
    folded, origins = normaliser.normalise_with_origins(text)

    def span(s: int, e: int) -> tuple[int, int]:
        # Positions map back through the per-character fold: from the first folded character's
        # origin to the last one's, plus the combining marks that belong to it (a keycap 8️⃣),
        # so masking text[start:end] leaves no stray marks behind.
        end = origins[e - 1] + 1
        while end < len(text) and unicodedata.category(text[end])[0] == "M":
            end += 1
        return origins[s], end

    def joined(k: int) -> bool:
        # Folded characters k-1 and k were written side by side (no filler between them).
        return 0 < k < len(origins) and origins[k] - origins[k - 1] == 1

    def in_context(term: ResolvedTerm, s: int, e: int, grade: Grade) -> Grade | None:
        """The grade this hit keeps in its context (issue 18); None: not a hit here."""
        first, last = term.folded[0], term.folded[-1]
        if first.isascii() and first.isalpha() and s > 0 and folded[s - 1].isascii() and folded[s - 1].isalpha() and joined(s):
            return None
        if last.isascii() and last.isdigit() and e < len(folded) and folded[e].isdigit() and joined(e):
            return None
        if grade.severity > Grade.D.severity and _negated(folded, s, joined):
            return Grade.D
        if (
            grade is Grade.A
            and len(term.folded) == 2
            and _is_ideograph(first)
            and _is_ideograph(last)
            and s > 0
            and e < len(folded)
            and _is_ideograph(folded[s - 1])
            and _is_ideograph(folded[e])
            and joined(s)
            and joined(e)
        ):
            return Grade.B
        return grade

    hits = [
        Hit(t.term, t.category, kept, *span(s, e), HitKind.TERM, version)
        for t, s, e, grade in wanted
        if (kept := in_context(t, s, e, grade)) is not None
    ]
    for kind, s, e in detectors.find(folded, origins) if flagged else ():
        rule = lexicon.detector_rules.get(kind)
        if rule is not None and (detector_grade := rule[1][column]) is not None:
            hits.append(Hit(kind.value, rule[0], detector_grade, *span(s, e), kind, version))
    if not hits:
        return lexicon.clean_result
    hits.sort(key=lambda h: (h.start, h.end))
    # SES-05: the chunk's verdict is its most urgent grade.
    verdict = max((h.grade for h in hits), key=lambda g: g.severity)
    return ChunkResult(hits=tuple(hits), verdict=verdict, lexicon_version=version)


def _negated(folded: str, start: int, joined: Callable[[int], bool]) -> bool:
    """Whether a negation ends at most _NEGATION_GAP characters before `start`, written together
    with the term (no filler from the negation's first character up to the term)."""
    for gap in range(_NEGATION_GAP + 1):
        end = start - gap
        if end < 2 or folded[end - 1] not in _NEGATION_LAST:
            continue
        for size in _NEGATION_LENGTHS:
            begin = end - size
            if (
                begin >= 0
                and folded[begin:end] in _NEGATION_SET
                and all(joined(k) for k in range(begin + 1, start + 1))
                # "有没有", "是不是", "要不要": an A-not-A question, not a negation
                and not (begin > 0 and folded[begin - 1] == folded[begin + 1])
            ):
                return True
    return False
