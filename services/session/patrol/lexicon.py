"""The lexicon as data (SES-04): categories, graded terms with per-source overrides, detector
rules and the allow-list, as a compliance officer proposes them; and their validation.

A `LexiconSpec` holds what was proposed, verbatim (grades are still strings), so a bad proposal
can be answered with every offending entry at once rather than the first exception. `validate`
resolves a spec into one effective grade per term and source, or raises `LexiconError` listing
each problem with where it is (`entries[12]`) and the term. `matcher.build` compiles the
resolved form; the shipped seed lexicon is `data/lexicon.json`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import ahocorasick_rs

from livecommerce.text.normalise import get_normaliser

from .model import SOURCES, Grade, HitKind, Source

#: An override value meaning "this term is not patrolled in this source".
IGNORE = "ignore"
#: Longest term or allow-list phrase accepted, in characters.
MAX_TERM_CHARS = 64
DETECTORS: tuple[HitKind, ...] = (HitKind.RESIDENT_ID, HitKind.MOBILE_NUMBER, HitKind.IM_HANDLE)


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    grade: str  # default grade for the category's terms
    overrides: Mapping[str, str] = field(default_factory=dict)  # source -> grade or "ignore"
    basis: str = ""  # the clauses of the standards the category comes from


@dataclass(frozen=True)
class TermEntry:
    term: str
    category: str
    grade: str | None = None  # None: the category's grade
    overrides: Mapping[str, str] = field(default_factory=dict)  # merged over the category's


@dataclass(frozen=True)
class DetectorRule:
    detector: str  # a HitKind other than TERM
    category: str
    grade: str | None = None
    overrides: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LexiconSpec:
    """One proposed lexicon version, as submitted."""

    version: str
    categories: tuple[Category, ...]
    entries: tuple[TermEntry, ...]
    allow: tuple[str, ...] = ()
    detectors: tuple[DetectorRule, ...] = ()
    description: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LexiconSpec:
        """From the JSON shape of data/lexicon.json; missing optional keys take defaults."""
        return cls(
            version=str(data.get("version", "")),
            description=str(data.get("description", "")),
            categories=tuple(
                Category(
                    id=c.get("id", ""),
                    label=c.get("label", ""),
                    grade=c.get("grade", ""),
                    overrides=dict(c.get("overrides", {})),
                    basis=c.get("basis", ""),
                )
                for c in data.get("categories", ())
            ),
            entries=tuple(
                TermEntry(
                    term=e.get("term", ""),
                    category=e.get("category", ""),
                    grade=e.get("grade"),
                    overrides=dict(e.get("overrides", {})),
                )
                for e in data.get("entries", ())
            ),
            allow=tuple(data.get("allow", ())),
            detectors=tuple(
                DetectorRule(
                    detector=d.get("detector", ""),
                    category=d.get("category", ""),
                    grade=d.get("grade"),
                    overrides=dict(d.get("overrides", {})),
                )
                for d in data.get("detectors", ())
            ),
        )

    def with_version(self, version: str, **changes: Any) -> LexiconSpec:
        """A copy under a new version number, e.g. to propose an edited lexicon."""
        return replace(self, version=version, **changes)


def load_seed() -> LexiconSpec:
    """The lexicon shipped with the project (reviewed against the clean sales corpus)."""
    text = resources.files(__package__).joinpath("data/lexicon.json").read_text(encoding="utf-8")
    return LexiconSpec.from_dict(json.loads(text))


@dataclass(frozen=True)
class LexiconProblem:
    """One reason a proposed version is refused: where, which term, and what is wrong."""

    where: str
    term: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where} {self.term!r}: {self.problem}"


class LexiconError(ValueError):
    """A proposed lexicon version is refused; `problems` names every offending entry."""

    def __init__(self, problems: Sequence[LexiconProblem]) -> None:
        self.problems = tuple(problems)
        listing = "; ".join(str(p) for p in self.problems[:20])
        more = f" (and {len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        super().__init__(f"lexicon refused, {len(self.problems)} problem(s): {listing}{more}")


#: Effective grade per source, in SOURCES order; None where the source is not patrolled.
SourceGrades = tuple[Grade | None, ...]


@dataclass(frozen=True)
class ResolvedTerm:
    term: str  # as written in the lexicon
    folded: str  # what the automaton matches
    category: str
    grades: SourceGrades


@dataclass(frozen=True)
class ResolvedLexicon:
    """A valid spec with every grade resolved; input to `matcher.build`."""

    spec: LexiconSpec
    terms: tuple[ResolvedTerm, ...]
    allow_folded: tuple[str, ...]
    detectors: Mapping[HitKind, tuple[str, SourceGrades]]  # detector -> (category, grades)


_GRADES = {g.value: g for g in Grade}
_SOURCES = {s.value: s for s in Source}


def _check_grades(
    where: str, term: str, grade: str | None, overrides: Mapping[str, str], problems: list[LexiconProblem]
) -> None:
    """Reports a grade or override written here that is unknown (inherited ones are reported
    once, where they are written)."""
    if grade is not None and grade not in _GRADES:
        problems.append(LexiconProblem(where, term, f"unknown grade {grade!r}; use one of {sorted(_GRADES)}"))
    for name, value in overrides.items():
        if name not in _SOURCES:
            problems.append(LexiconProblem(where, term, f"unknown source {name!r} in overrides"))
        elif value != IGNORE and value not in _GRADES:
            problems.append(LexiconProblem(where, term, f"unknown grade {value!r} for source {name!r}"))


def _resolve_grades(grade: str, overrides: Mapping[str, str]) -> SourceGrades:
    """SES-05: one grade per source, from the default grade and the per-source overrides."""
    default = _GRADES.get(grade)
    by_source = {
        _SOURCES[name]: None if value == IGNORE else _GRADES.get(value, default)
        for name, value in overrides.items()
        if name in _SOURCES
    }
    return tuple(by_source.get(s, default) for s in SOURCES)


def category_grades(spec: LexiconSpec) -> dict[str, SourceGrades]:
    """Each category's grade per source (for hits that come from no term: the pattern families)."""
    return {c.id: _resolve_grades(c.grade, c.overrides) for c in spec.categories}


def validate(spec: LexiconSpec) -> ResolvedLexicon:
    """Resolves the spec or raises LexiconError listing every problem found."""
    problems: list[LexiconProblem] = []
    normaliser = get_normaliser()
    if not spec.version.strip():
        problems.append(LexiconProblem("version", spec.version, "a version name is required"))

    categories: dict[str, Category] = {}
    for i, defined in enumerate(spec.categories):
        where = f"categories[{i}]"
        if not defined.id.strip():
            problems.append(LexiconProblem(where, defined.id, "empty category id"))
        elif defined.id in categories:
            problems.append(LexiconProblem(where, defined.id, "category defined twice"))
        categories[defined.id] = defined
        _check_grades(where, defined.id, defined.grade, defined.overrides, problems)

    terms: list[ResolvedTerm] = []
    first_seen: dict[str, tuple[int, TermEntry]] = {}
    for i, entry in enumerate(spec.entries):
        where = f"entries[{i}]"
        folded = normaliser.normalise(entry.term)
        category = categories.get(entry.category)
        if not entry.term.strip() or not folded:
            problems.append(LexiconProblem(where, entry.term, "empty term (nothing left after removing fillers)"))
            continue
        if len(entry.term) > MAX_TERM_CHARS:
            problems.append(LexiconProblem(where, entry.term, f"longer than {MAX_TERM_CHARS} characters"))
        if category is None:
            problems.append(LexiconProblem(where, entry.term, f"unknown category {entry.category!r}"))
            continue
        _check_grades(where, entry.term, entry.grade, entry.overrides, problems)
        grades = _resolve_grades(entry.grade or category.grade, {**category.overrides, **entry.overrides})
        if folded in first_seen:
            j, other = first_seen[folded]
            same = other.grade == entry.grade and other.category == entry.category
            detail = (
                ""
                if same
                else f" with a different grade or category ({other.grade or 'default'} in {other.category})"
            )
            problems.append(
                LexiconProblem(where, entry.term, f"duplicates entries[{j}] {other.term!r}{detail}")
            )
            continue
        first_seen[folded] = (i, entry)
        terms.append(ResolvedTerm(entry.term, folded, entry.category, grades))

    allow: list[str] = []
    seen_allow: set[str] = set()
    for i, phrase in enumerate(spec.allow):
        where = f"allow[{i}]"
        folded = normaliser.normalise(phrase)
        if not folded:
            problems.append(LexiconProblem(where, phrase, "empty allow-list phrase"))
        elif len(phrase) > MAX_TERM_CHARS:
            problems.append(LexiconProblem(where, phrase, f"longer than {MAX_TERM_CHARS} characters"))
        elif folded in first_seen:
            problems.append(LexiconProblem(where, phrase, f"is itself the term entries[{first_seen[folded][0]}]"))
        elif folded not in seen_allow:
            seen_allow.add(folded)
            allow.append(folded)
    problems.extend(_allow_without_terms(spec.allow, allow, [t.folded for t in terms]))

    detectors: dict[HitKind, tuple[str, SourceGrades]] = {}
    known = {d.value: d for d in DETECTORS}
    for i, rule in enumerate(spec.detectors):
        where = f"detectors[{i}]"
        kind = known.get(rule.detector)
        category = categories.get(rule.category)
        if kind is None:
            problems.append(LexiconProblem(where, rule.detector, f"unknown detector; use one of {sorted(known)}"))
        elif kind in detectors:
            problems.append(LexiconProblem(where, rule.detector, "detector configured twice"))
        if category is None:
            problems.append(LexiconProblem(where, rule.detector, f"unknown category {rule.category!r}"))
            continue
        _check_grades(where, rule.detector, rule.grade, rule.overrides, problems)
        grades = _resolve_grades(rule.grade or category.grade, {**category.overrides, **rule.overrides})
        if kind is not None:
            detectors[kind] = (rule.category, grades)

    if problems:
        raise LexiconError(problems)
    return ResolvedLexicon(spec=spec, terms=tuple(terms), allow_folded=tuple(allow), detectors=detectors)


def _allow_without_terms(raw: Sequence[str], allow: Sequence[str], terms: Sequence[str]) -> list[LexiconProblem]:
    """An allow-list phrase exists to excuse a term inside it; one that contains none is stale."""
    if not allow:
        return []
    folded_to_raw = {get_normaliser().normalise(p): (i, p) for i, p in enumerate(raw)}
    automaton = ahocorasick_rs.AhoCorasick(list(terms))  # standard match kind: any term inside; none if no terms
    stale = [phrase for phrase in allow if not automaton.find_matches_as_indexes(phrase, overlapping=True)]
    return [
        LexiconProblem(f"allow[{folded_to_raw[p][0]}]", folded_to_raw[p][1], "contains no term of this version")
        for p in stale
    ]
