"""Compiles a lexicon version into an automaton and scans batches of chunks with it.

A compiled version is immutable: the engine swaps whole versions, so a batch is always matched
against exactly one. Scanning joins a batch's texts with a separator no term can contain, folds
the joined string once, runs the Aho-Corasick automaton (ahocorasick-rs, leftmost-longest) and
the detectors' pre-filters once over it, and only then looks at single messages: the rare ones
with a match get their exact positions from the slower, position-keeping fold. Clean messages
(nearly all of them) share one result object and cost no Python work of their own.

Allow-list phrases are patterns of their own: at a position where both a banned term and a
longer allowed phrase start, leftmost-longest matching picks the phrase, which reports nothing.

Context rules (issue 18, `context.py` and `words.py`) then judge each term hit in the message it
was found in, with the original text at hand to tell a real word boundary (a space or
punctuation between two characters) from characters written together:

- Latin word boundaries: a term that starts with a Latin letter does not hit right after
  another Latin letter (`pink粉` is not `k粉`, `AV信号` not `v信`), and one that ends with a
  digit does not hit right before another digit (`No.15` is a shade, not `NO.1`).
- Negation: a term right after a negation or a warning (`不属于管制刀具`, `从来不刷单`,
  `切勿私下交易`), at most one character between and no punctuation, is not a hit: the anchor
  is warning viewers, not offering.
- Per-term contexts (`data/context.json`): 送给他妈的生日礼物, 这款钓鱼台可以折叠.
- Word boundaries: a short Chinese term written together with the text around it is read by
  the segmenter; one that straddles two words (模特/供图) is not a hit, one inside a longer
  word (大麻烟, 象牙片) is, but not confidently enough to stop a stream: grade a becomes b, an
  operator's call. Only a confident hit stops the stream.
- Numbers: a list of prices is not a gapped phone number, a model number not a handle.

`verify=False` (for the benchmark's comparison) skips all of these but the automaton's
allow-list.
"""

from __future__ import annotations

import time
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick_rs

from livecommerce.text.normalise import SEPARATOR, Normaliser, get_normaliser

from . import context, detectors, families, romanised, seams
from .lexicon import LexiconSpec, ResolvedLexicon, ResolvedTerm, SourceGrades, category_grades, validate
from .model import SOURCE_INDEX, ChunkResult, Grade, Hit, HitKind, Source
from .words import Fit, Segmenter, get_segmenter, is_short_chinese


@dataclass(frozen=True, eq=False)
class CompiledLexicon:
    """One lexicon version, ready to match."""

    version: str
    spec: LexiconSpec
    automaton: ahocorasick_rs.AhoCorasick | None
    # Pattern index -> the term it stands for; None for allow-list phrases and anchors.
    patterns: tuple[ResolvedTerm | None, ...]
    detector_rules: Mapping[HitKind, tuple[str, SourceGrades]]
    build_seconds: float
    clean_result: ChunkResult = field(repr=False)
    term_contexts: Mapping[str, context.TermContext] = field(default_factory=dict, repr=False)
    segmenter: Segmenter | None = field(default=None, repr=False)
    # Category -> grades per source, for the pattern families (families.py).
    category_grades: Mapping[str, SourceGrades] = field(default_factory=dict, repr=False)
    # Patterns past this index are anchors: literals that only flag a message for the pattern
    # families and the handle detector; `anchors` also lists terms that are anchors themselves.
    selectable: int = 0
    anchors: frozenset[int] = frozenset()
    # The speaker windows' seam automaton (seams.py) and what each of its patterns stands for.
    seam_automaton: ahocorasick_rs.AhoCorasick | None = field(default=None, repr=False)
    seam_kinds: Sequence[int] = field(default=(), repr=False)

    @property
    def term_count(self) -> int:
        return len({id(p) for p in self.patterns if p is not None})


def build(spec: LexiconSpec) -> CompiledLexicon:
    """Validates and compiles a version off to the side; raises LexiconError if it is refused."""
    started = time.perf_counter()
    resolved: ResolvedLexicon = validate(spec)
    patterns: list[ResolvedTerm | None] = [*resolved.terms, *([None] * len(resolved.allow_folded))]
    texts = [t.folded for t in resolved.terms] + list(resolved.allow_folded)
    index = {text: i for i, text in enumerate(texts)}
    # SES-04 (issue 18): each character written twice (加加微微信信) is the same term.
    for term in resolved.terms:
        doubled = "".join(c + c for c in term.folded)
        if doubled not in index:
            index[doubled] = len(texts)
            texts.append(doubled)
            patterns.append(term)
    # SES-04 (issue 18): pinyin and initials (jiaweixin, sxjy) stand for the term too.
    for term in resolved.terms:
        for form in romanised.forms(term.folded):
            if form not in index:
                index[form] = len(texts)
                texts.append(form)
                patterns.append(term)
    selectable = len(texts)
    # Anchors for the families and the handle detector join the automaton: one pass over a batch
    # finds terms, allow-list phrases and anchors. Matching with overlaps (Standard match kind)
    # keeps an anchor from hiding a term; leftmost-longest is then applied per message (_select).
    anchors: set[int] = set()
    for anchor in (*families.FOLDED_ANCHORS, *detectors.IM_NAMES):
        if anchor not in index:
            index[anchor] = len(texts)
            texts.append(anchor)
            patterns.append(None)
        anchors.add(index[anchor])
    automaton = ahocorasick_rs.AhoCorasick(texts) if texts else None
    seam_automaton, seam_kinds = seams.build_seams(texts, patterns, selectable, frozenset(anchors))
    segmenter = get_segmenter()
    segmenter.learn(t.folded for t in resolved.terms)  # so 网赌 is cut as a word, not 看网/赌
    return CompiledLexicon(
        version=spec.version,
        spec=spec,
        automaton=automaton,
        patterns=tuple(patterns),
        detector_rules=dict(resolved.detectors),
        build_seconds=time.perf_counter() - started,
        clean_result=ChunkResult(hits=(), verdict=None, lexicon_version=spec.version),
        term_contexts=_term_contexts(),
        segmenter=segmenter,
        category_grades=category_grades(spec),
        selectable=selectable,
        anchors=frozenset(anchors),
        seam_automaton=seam_automaton,
        seam_kinds=seam_kinds,
    )


_TERM_CONTEXTS: Mapping[str, context.TermContext] | None = None


def _term_contexts() -> Mapping[str, context.TermContext]:
    global _TERM_CONTEXTS
    if _TERM_CONTEXTS is None:
        _TERM_CONTEXTS = context.load_term_contexts()
    return _TERM_CONTEXTS


class Scanned(NamedTuple):
    """What a scan learnt of a batch besides its results, for the speaker windows (window.py)."""

    folded: list[str]
    """Each text folded."""
    marked: set[int]
    """The texts that hold an anchor (an app name, a cure, a region, a link's trace...) or a
    literal the original-text patterns start with: a window holding one is read by the pattern
    families and the detectors whole."""

    def part(self, positions: Sequence[int]) -> Scanned:
        """What it says of the texts at these positions, indexed as `positions`."""
        marked = self.marked
        return Scanned([self.folded[p] for p in positions], {i for i, p in enumerate(positions) if p in marked})


def scan(
    lexicon: CompiledLexicon,
    texts: Sequence[str],
    sources: Sequence[Source],
    normaliser: Normaliser | None = None,
    *,
    verify: bool = True,
    original_patterns: bool = False,
) -> list[ChunkResult]:
    """SES-03: patrols a batch; one result per text, in order. `verify=False` skips the context
    rules (issue 18), for measuring what they cost. `original_patterns` reads every text with the
    original-text patterns (families.RAW), as if a literal of theirs were in the batch."""
    return _scan(lexicon, texts, sources, normaliser, verify, None, original_patterns)


def scan_detail(
    lexicon: CompiledLexicon,
    texts: Sequence[str],
    sources: Sequence[Source],
    normaliser: Normaliser | None = None,
    *,
    verify: bool = True,
) -> tuple[list[ChunkResult], Scanned]:
    """`scan`, and what the speaker windows need of the batch (the folded texts, the marked)."""
    detail = Scanned([], set())
    return _scan(lexicon, texts, sources, normaliser, verify, detail), detail


def _scan(
    lexicon: CompiledLexicon,
    texts: Sequence[str],
    sources: Sequence[Source],
    normaliser: Normaliser | None,
    verify: bool,
    detail: Scanned | None,
    original_patterns: bool = False,
) -> list[ChunkResult]:
    normaliser = normaliser or get_normaliser()
    original = normaliser.join(texts)
    joined = normaliser.normalise_original_joined(original)
    matches = lexicon.automaton.find_matches_as_indexes(joined, overlapping=True) if lexicon.automaton else []
    # Off, the detectors find handles by their own scan, as before issue 18; on, the automaton's
    # anchors flag the messages with an app name.
    flags = list(detectors.digit_offsets(joined) if verify else detectors.flagged_offsets(joined))
    triggered = verify and (original_patterns or families.raw_triggered(original))  # one literal search of the batch
    raw_families = list(families.find_raw_each(texts)) if triggered else []
    results = [lexicon.clean_result] * len(texts)
    if detail is not None:
        detail.folded.extend(joined.split(SEPARATOR))
        if triggered:
            detail.marked.update(i for i, text in enumerate(texts) if families.raw_triggered(text))
    if not matches and not flags and not raw_families:
        return results

    starts = [0]
    for part in joined.split(SEPARATOR):
        starts.append(starts[-1] + len(part) + 1)
    candidates: dict[int, list[tuple[int, int, int]]] = {}
    anchored: set[int] = set()
    selectable, anchors = lexicon.selectable, lexicon.anchors
    for pattern, start, end in matches:
        i = bisect_right(starts, start) - 1
        if pattern in anchors:
            anchored.add(i)
        if pattern < selectable:
            candidates.setdefault(i, []).append((start - starts[i], end - starts[i], pattern))
    if detail is not None:
        detail.marked.update(anchored)
    found: dict[int, list[tuple[ResolvedTerm, int, int]]] = {
        i: _select(lexicon.patterns, spans) for i, spans in candidates.items()
    }
    flagged = {bisect_right(starts, offset) - 1 for offset in flags}
    if verify:
        flagged |= anchored  # an app name: the handle detector reads the message
    for i in flagged:
        found.setdefault(i, [])
    patterned: dict[int, list[tuple[families.Family, int, int, bool]]] = {}
    raw_done = {i for i, *_ in raw_families}
    for i in anchored if verify else ():
        folded = joined[starts[i] : starts[i + 1] - 1]
        patterned[i] = [(family, s, e, True) for family, s, e in families.find_folded(folded)]
        if i not in raw_done:  # a short link's folded trace: read the original too
            patterned[i] += [(family, s, e, False) for family, s, e in families.find_raw_in(texts[i])]
    for i, family, start, end in raw_families:
        patterned.setdefault(i, []).append((family, start, end, False))
    for i, hits in patterned.items():
        if hits:
            found.setdefault(i, [])
    for i, terms in found.items():
        results[i] = _result(
            lexicon, normaliser, texts[i], sources[i], terms, i in flagged, verify, patterned.get(i, ())
        )
    return results


def _select(
    patterns: Sequence[ResolvedTerm | None], spans: list[tuple[int, int, int]]
) -> list[tuple[ResolvedTerm, int, int]]:
    """Leftmost-longest over one message's overlapping matches: the earliest start, the longest
    there, then on after its end; an allow-list phrase chosen so reports nothing (it excuses the
    term inside it)."""
    spans.sort(key=lambda m: (m[0], m[0] - m[1]))
    chosen: list[tuple[ResolvedTerm, int, int]] = []
    covered = 0
    for start, end, pattern in spans:
        if start < covered:
            continue
        covered = end
        term = patterns[pattern]
        if term is not None:
            chosen.append((term, start, end))
    return chosen


def _result(
    lexicon: CompiledLexicon,
    normaliser: Normaliser,
    text: str,
    source: Source,
    terms: list[tuple[ResolvedTerm, int, int]],
    flagged: bool,
    verify: bool,
    patterned: Sequence[tuple[families.Family, int, int, bool]] = (),
) -> ChunkResult:
    column = SOURCE_INDEX[source]
    version = lexicon.version
    wanted = [(t, s, e, grade) for t, s, e in terms if (grade := t.grades[column]) is not None]
    graded = [
        (f, s, e, in_folded, grade)
        for f, s, e, in_folded in patterned
        if (grades := lexicon.category_grades.get(f.category)) is not None and (grade := grades[column]) is not None
    ]
    if not wanted and not flagged and not graded:
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

    fits: dict[tuple[str, int, int], Fit] = {}  # the segmenter's answers, per stretch of text
    hits = [
        Hit(t.term, t.category, kept, *span(s, e), HitKind.TERM, version)
        for t, s, e, grade in wanted
        if (kept := (_in_context(lexicon, folded, origins, t, s, e, grade, fits) if verify else grade)) is not None
    ]
    for family, s, e, in_folded, grade in graded:
        if in_folded and context.negated(folded, origins, s):
            continue  # SES-05: 不用加我微信 warns, it does not lure
        start, end = span(s, e) if in_folded else (s, e)
        if any(h.category == family.category and h.start < end and start < h.end for h in hits):
            continue  # the lexicon's own term already says it
        hits.append(Hit(family.name, family.category, grade, start, end, HitKind.TERM, version))
    prices: bool | None = None  # whether the message talks prices, computed once if asked
    for kind, s, e in detectors.find(folded, origins) if flagged else ():
        rule = lexicon.detector_rules.get(kind)
        if rule is None or (detector_grade := rule[1][column]) is None:
            continue
        start, end = span(s, e)
        if verify and kind is HitKind.MOBILE_NUMBER and context.list_separated(text, start, end):
            prices = context.talks_prices(text) if prices is None else prices
            if prices:
                continue
        if verify and kind is HitKind.IM_HANDLE and context.model_number(folded, s):
            continue
        hits.append(Hit(kind.value, rule[0], detector_grade, start, end, kind, version))
    if not hits:
        return lexicon.clean_result
    hits.sort(key=lambda h: (h.start, h.end))
    # SES-05: the chunk's verdict is its most urgent grade.
    verdict = max((h.grade for h in hits), key=lambda g: g.severity)
    return ChunkResult(hits=tuple(hits), verdict=verdict, lexicon_version=version)


def _in_context(
    lexicon: CompiledLexicon,
    folded: str,
    origins: Sequence[int],
    term: ResolvedTerm,
    s: int,
    e: int,
    grade: Grade,
    fits: dict[tuple[str, int, int], Fit],
) -> Grade | None:
    """The grade a term hit keeps in its message (issue 18); None: not a hit there."""
    if romanised.is_romanised(folded[s:e], term.folded):
        # A romanised term is a Latin word of its own, and a guess an operator confirms.
        if (s > 0 and folded[s - 1].isascii() and folded[s - 1].isalnum() and context.joined(origins, s)) or (
            e < len(folded) and folded[e].isascii() and folded[e].isalnum() and context.joined(origins, e)
        ):
            return None
        if context.negated(folded, origins, s):
            return None
        return Grade.B if grade is Grade.A else grade
    first, last = term.folded[0], term.folded[-1]
    # SES-04: Latin terms at Latin word boundaries (pink粉, No.15).
    if first.isascii() and first.isalpha() and s > 0 and folded[s - 1].isascii() and folded[s - 1].isalpha():
        if context.joined(origins, s):
            return None
    if last.isascii() and last.isdigit() and e < len(folded) and folded[e].isdigit() and context.joined(origins, e):
        return None
    # SES-05: a negated term is the anchor warning viewers, not offering.
    if context.negated(folded, origins, s):
        return None
    rule = lexicon.term_contexts.get(term.folded)
    if rule is not None and rule.excuses(folded, s, e):
        return None
    # SES-04/05: a short Chinese term written together with its neighbours must stand as a word.
    doubled = e - s == 2 * len(term.folded)  # 加加微微信信: written so on purpose, no word to verify
    if lexicon.segmenter is not None and is_short_chinese(term.folded) and not doubled:
        a, b = context.stretch(folded, origins, s, e)
        if a < s or b > e:
            key = (folded[a:b], s - a, e - a)
            fit = fits.get(key) or fits.setdefault(key, lexicon.segmenter.fit(*key))
            if fit is Fit.STRADDLES:
                return None
            if fit is Fit.INSIDE and grade is Grade.A:
                return Grade.B  # inside a longer word: an operator decides, the stream goes on
    return grade
