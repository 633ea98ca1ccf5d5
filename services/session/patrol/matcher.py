"""Compiles a lexicon version into an automaton and scans batches of chunks with it.

A compiled version is immutable: the engine swaps whole versions, so a batch is always matched
against exactly one. Scanning joins a batch's texts with a separator no term can contain, folds
the joined string once, runs the Aho-Corasick automaton (ahocorasick-rs, leftmost-longest) and
the detectors' pre-filters once over it, and only then looks at single messages: the rare ones
with a match get their exact positions from the slower, position-keeping fold. Clean messages
(nearly all of them) share one result object and cost no Python work of their own.

Allow-list phrases are patterns of their own: at a position where both a banned term and a
longer allowed phrase start, leftmost-longest matching picks the phrase, which reports nothing.
"""

from __future__ import annotations

import time
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import ahocorasick_rs

from livecommerce.text.normalise import SEPARATOR, Normaliser, get_normaliser

from . import detectors
from .lexicon import LexiconSpec, ResolvedLexicon, ResolvedTerm, SourceGrades, validate
from .model import SOURCE_INDEX, ChunkResult, Hit, HitKind, Source


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

    hits = [Hit(t.term, t.category, grade, *span(s, e), HitKind.TERM, version) for t, s, e, grade in wanted]
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
