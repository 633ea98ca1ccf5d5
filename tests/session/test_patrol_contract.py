"""The patrol contract (livecommerce.session.v1, protos/livecommerce/session/v1/patrol.proto):
the generated code imports, its messages carry what the engine produces, and its enums line up
one-to-one with the engine's, so the service layer can map them without loss."""

from __future__ import annotations

from livecommerce.session.v1 import patrol_pb2, patrol_pb2_grpc
from services.session.patrol.engine import PatrolEngine
from services.session.patrol.lexicon import DETECTORS
from services.session.patrol.model import Grade, HitKind, Source


def test_SES_03_patrol_service_offers_check_stream_and_lexicon_management():
    service = patrol_pb2.DESCRIPTOR.services_by_name["PatrolService"]
    methods = {m.name: m for m in service.methods}
    assert set(methods) == {
        "CheckChunk", "CheckChunks", "GetLexiconVersion", "ProposeLexiconVersion", "PublishLexiconVersion"
    }
    stream = methods["CheckChunks"]
    assert stream.client_streaming and stream.server_streaming
    assert hasattr(patrol_pb2_grpc, "PatrolServiceServicer")


def test_SES_05_engine_result_fits_the_response_message():
    chunk = patrol_pb2.TextChunk(chunk_id="seg-1", session_id="s-9", source=patrol_pb2.CHUNK_SOURCE_ANCHOR_SPEECH,
                                 text="这是國家級产品")
    result = PatrolEngine().check(chunk.text, Source.ANCHOR_SPEECH)
    message = patrol_pb2.CheckChunkResponse(
        result=patrol_pb2.PatrolResult(
            chunk_id=chunk.chunk_id,
            hits=[
                patrol_pb2.PatrolHit(
                    term=h.term, category=h.category, grade=proto_grade(h.grade), start=h.start, end=h.end,
                    kind=patrol_pb2.PatrolHitKind.Value(f"PATROL_HIT_KIND_{h.kind.name}"),
                )
                for h in result.hits
            ],
            verdict=proto_grade(result.verdict),
            clean=result.clean,
            lexicon_version=result.lexicon_version,
        )
    )
    decoded = patrol_pb2.CheckChunkResponse.FromString(message.SerializeToString())
    (hit,) = decoded.result.hits
    assert hit.grade == patrol_pb2.PATROL_GRADE_B_CORRECT_IMMEDIATELY
    assert chunk.text[hit.start : hit.end] == "國家級"
    assert decoded.result.verdict == patrol_pb2.PATROL_GRADE_B_CORRECT_IMMEDIATELY


def proto_grade(grade: Grade | None) -> int:
    names = {
        Grade.A: "PATROL_GRADE_A_STOP_STREAM",
        Grade.B: "PATROL_GRADE_B_CORRECT_IMMEDIATELY",
        Grade.C: "PATROL_GRADE_C_GUIDE_BEFORE_END",
        Grade.D: "PATROL_GRADE_D_NOTE_FOR_REVIEW",
        Grade.HIDE: "PATROL_GRADE_HIDE_MESSAGE",
    }
    return patrol_pb2.PatrolGrade.Value(names[grade]) if grade else patrol_pb2.PATROL_GRADE_UNSPECIFIED


def test_SES_04_enums_line_up_with_the_engine():
    sources = set(patrol_pb2.ChunkSource.keys()) - {"CHUNK_SOURCE_UNSPECIFIED"}
    assert sources == {f"CHUNK_SOURCE_{s.name}" for s in Source}
    kinds = set(patrol_pb2.PatrolHitKind.keys()) - {"PATROL_HIT_KIND_UNSPECIFIED"}
    assert kinds == {f"PATROL_HIT_KIND_{k.name}" for k in HitKind}
    assert {proto_grade(g) for g in Grade} == set(patrol_pb2.PatrolGrade.values()) - {0}
    assert set(DETECTORS) == set(HitKind) - {HitKind.TERM}


def test_SES_04_a_lexicon_version_can_be_proposed_over_the_wire():
    request = patrol_pb2.ProposeLexiconVersionRequest(
        lexicon=patrol_pb2.Lexicon(
            version="2026.12.1",
            categories=[patrol_pb2.LexiconCategory(id="absolute_terms", label="绝对化用语",
                                                   grade=patrol_pb2.PATROL_GRADE_B_CORRECT_IMMEDIATELY)],
            entries=[
                patrol_pb2.LexiconEntry(
                    term="国家级", category="absolute_terms",
                    overrides=[patrol_pb2.SourceOverride(source=patrol_pb2.CHUNK_SOURCE_DANMAKU, ignore=True)],
                )
            ],
            allow=["国家级非物质文化遗产"],
        )
    )
    assert patrol_pb2.ProposeLexiconVersionRequest.FromString(request.SerializeToString()) == request
