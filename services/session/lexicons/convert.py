"""`livecommerce.session.v1` patrol messages <-> the patrol engine's data (SES-03..05), both ways
and without loss, so a stored `Lexicon` message is the version's one source of truth.

A value the engine does not know (an unset grade on a category, an override without a source,
an enum number from a newer client) is passed on as text the engine's validation refuses, so
every offending entry is named in one answer rather than the first conversion failing.
"""

from __future__ import annotations

from collections.abc import Mapping

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.session.v1 import patrol_pb2 as pb
from services.session.patrol import ChunkResult, Grade, HitKind, LexiconError, LexiconSpec, Source
from services.session.patrol.lexicon import IGNORE, Category, DetectorRule, TermEntry

GRADES: dict[Grade, pb.PatrolGrade] = {
    Grade.A: pb.PATROL_GRADE_A_STOP_STREAM,
    Grade.B: pb.PATROL_GRADE_B_CORRECT_IMMEDIATELY,
    Grade.C: pb.PATROL_GRADE_C_GUIDE_BEFORE_END,
    Grade.D: pb.PATROL_GRADE_D_NOTE_FOR_REVIEW,
    Grade.HIDE: pb.PATROL_GRADE_HIDE_MESSAGE,
}
SOURCES: dict[Source, pb.ChunkSource] = {source: pb.ChunkSource.Value(f"CHUNK_SOURCE_{source.name}") for source in Source}
KINDS: dict[HitKind, pb.PatrolHitKind] = {kind: pb.PatrolHitKind.Value(f"PATROL_HIT_KIND_{kind.name}") for kind in HitKind}
_GRADE_OF: dict[int, str] = {number: grade for grade, number in GRADES.items()}
_SOURCE_OF: dict[int, Source] = {number: source for source, number in SOURCES.items()}
_KIND_OF: dict[int, str] = {number: kind for kind, number in KINDS.items()}


def source(number: int) -> Source | None:
    """The engine's source of a chunk; None when unset or unknown."""
    return _SOURCE_OF.get(number)


def _named(table: Mapping[int, str], number: int) -> str:
    """The engine's name for an enum number (str() of a StrEnum is its value); unset is ""."""
    return str(table[number]) if number in table else ("" if number == 0 else f"#{number}")


def _overrides(overrides) -> dict[str, str]:
    return {_named(_SOURCE_OF, o.source): IGNORE if o.ignore else _named(_GRADE_OF, o.grade) for o in overrides}


def spec(lexicon: pb.Lexicon) -> LexiconSpec:
    """A proposed version as the engine validates it."""
    return LexiconSpec(
        version=lexicon.version,
        description=lexicon.description,
        categories=tuple(
            Category(id=c.id, label=c.label, grade=_named(_GRADE_OF, c.grade), overrides=_overrides(c.overrides), basis=c.basis)
            for c in lexicon.categories
        ),
        entries=tuple(
            TermEntry(term=e.term, category=e.category, grade=_named(_GRADE_OF, e.grade) or None, overrides=_overrides(e.overrides))
            for e in lexicon.entries
        ),
        allow=tuple(lexicon.allow),
        detectors=tuple(
            DetectorRule(
                detector=_named(_KIND_OF, d.detector), category=d.category, grade=_named(_GRADE_OF, d.grade) or None,
                overrides=_overrides(d.overrides),
            )
            for d in lexicon.detectors
        ),
    )


def _grade_pb(grade: str | None) -> pb.PatrolGrade:
    return GRADES[Grade(grade)] if grade else pb.PATROL_GRADE_UNSPECIFIED


def _overrides_pb(overrides: Mapping[str, str]) -> list[pb.SourceOverride]:
    return [
        pb.SourceOverride(source=SOURCES[Source(name)], ignore=True)
        if value == IGNORE
        else pb.SourceOverride(source=SOURCES[Source(name)], grade=_grade_pb(value))
        for name, value in overrides.items()
    ]


def lexicon_pb(spec: LexiconSpec) -> pb.Lexicon:
    """A valid version as the API shows and the store keeps it (the seed's, for one)."""
    return pb.Lexicon(
        version=spec.version,
        description=spec.description,
        categories=[
            pb.LexiconCategory(id=c.id, label=c.label, basis=c.basis, grade=_grade_pb(c.grade), overrides=_overrides_pb(c.overrides))
            for c in spec.categories
        ],
        entries=[
            pb.LexiconEntry(term=e.term, category=e.category, grade=_grade_pb(e.grade), overrides=_overrides_pb(e.overrides))
            for e in spec.entries
        ],
        allow=list(spec.allow),
        detectors=[
            pb.DetectorRule(
                detector=KINDS[HitKind(d.detector)], category=d.category, grade=_grade_pb(d.grade), overrides=_overrides_pb(d.overrides)
            )
            for d in spec.detectors
        ],
    )


def refusal(error: LexiconError) -> InvalidArgument:
    """SES-04: one field violation per offending entry ("lexicon.entries[12]"), its problems joined."""
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        found.setdefault(f"lexicon.{problem.where}", []).append(f"{problem.term!r}: {problem.problem}")
    return InvalidArgument([FieldViolation(field, "; ".join(problems), "SES-04") for field, problems in found.items()])


def fill_result(message: pb.PatrolResult, chunk_id: str, result: ChunkResult) -> None:
    """Writes `result` into `message` (one added to a response in place)."""
    message.chunk_id, message.lexicon_version, message.clean = chunk_id, result.lexicon_version, result.clean
    if result.clean:  # most chunks: nothing more to convert
        return
    for h in result.hits:
        added = message.hits.add(term=h.term, category=h.category, grade=GRADES[h.grade], start=h.start, end=h.end, kind=KINDS[h.kind])
        for span in h.spans:  # SES-04: a hit across a speaker's chunks names each one
            added.spans.add(chunk_id=span.chunk_id, start=span.start, end=span.end)
    message.verdict = GRADES[result.verdict] if result.verdict else pb.PATROL_GRADE_UNSPECIFIED


def result_pb(chunk_id: str, result: ChunkResult) -> pb.PatrolResult:
    message = pb.PatrolResult()
    fill_result(message, chunk_id, result)
    return message

