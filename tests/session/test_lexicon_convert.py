"""Patrol messages <-> the engine's data (SES-04, SES-05), without I/O: a version survives the round
trip through its stored message unchanged; values the engine does not know reach its validation
as refusals; problems become one field violation per offending entry; results keep their grades."""

from __future__ import annotations

from livecommerce.session.v1 import patrol_pb2 as pb
from services.session.lexicons import convert
from services.session.patrol import LexiconError, LexiconProblem, PatrolEngine, Source, load_seed
from services.session.patrol.lexicon import validate


def test_SES_04_the_seed_survives_the_round_trip_through_its_message():
    seed = load_seed()
    stored = pb.Lexicon.FromString(convert.lexicon_pb(seed).SerializeToString(deterministic=True))
    assert convert.spec(stored) == seed


def test_SES_04_unset_or_unknown_enum_values_are_refused_by_the_engine_validation():
    lexicon = pb.Lexicon(
        version="v1",
        categories=[pb.LexiconCategory(id="jam", label="果酱")],  # no grade
        entries=[
            pb.LexiconEntry(term="果酱甲", category="jam", grade=pb.PATROL_GRADE_A_STOP_STREAM),
            pb.LexiconEntry(term="果酱乙", category="jam", grade=pb.PATROL_GRADE_B_CORRECT_IMMEDIATELY,
                            overrides=[pb.SourceOverride(grade=pb.PATROL_GRADE_D_NOTE_FOR_REVIEW)]),  # no source
            pb.LexiconEntry(term="果酱丙", category="jam", grade=pb.PATROL_GRADE_B_CORRECT_IMMEDIATELY,
                            overrides=[pb.SourceOverride(source=pb.CHUNK_SOURCE_DANMAKU)]),  # neither grade nor ignore
        ],
        detectors=[pb.DetectorRule(detector=pb.PATROL_HIT_KIND_TERM, category="jam")],  # not a detector
    )
    try:
        validate(convert.spec(lexicon))
    except LexiconError as error:
        where = {p.where for p in error.problems}
    else:
        raise AssertionError("accepted")
    assert where == {"categories[0]", "entries[1]", "entries[2]", "detectors[0]"}


def test_SES_04_problems_become_one_field_violation_per_offending_entry():
    error = LexiconError([
        LexiconProblem("entries[3]", "", "empty term"),
        LexiconProblem("entries[7]", "极品", "unknown category 'x'"),
        LexiconProblem("entries[7]", "极品", "unknown grade 'z'"),
        LexiconProblem("allow[0]", "国家级非遗", "contains no term of this version"),
    ])
    violations = convert.refusal(error).violations
    assert [v.field for v in violations] == ["lexicon.entries[3]", "lexicon.entries[7]", "lexicon.allow[0]"]
    assert "unknown category" in violations[1].description and "unknown grade" in violations[1].description
    assert {v.rule for v in violations} == {"SES-04"}


def test_SES_05_a_result_keeps_its_hits_grades_positions_and_version():
    text = "这是國家級产品，加我微信 abc12345"
    result = PatrolEngine().check(text, Source.ANCHOR_SPEECH)
    message = convert.result_pb("seg-1", result)
    assert message.chunk_id == "seg-1" and message.lexicon_version == load_seed().version and not message.clean
    assert message.verdict == pb.PATROL_GRADE_B_CORRECT_IMMEDIATELY
    assert [(h.kind, text[h.start : h.end]) for h in message.hits][0] == (pb.PATROL_HIT_KIND_TERM, "國家級")
    assert {h.kind for h in message.hits} >= {pb.PATROL_HIT_KIND_TERM, pb.PATROL_HIT_KIND_IM_HANDLE}
    assert convert.source(pb.CHUNK_SOURCE_DANMAKU) is Source.DANMAKU and convert.source(0) is None
