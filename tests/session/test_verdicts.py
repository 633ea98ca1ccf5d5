"""The session core acting on the patrol's verdicts (SES-05, verdicts.VerdictSink): every hit kept
for the review, viewers' messages hidden, corrections asked, a grade-a hit in the anchor's speech
stopping the stream (or waiting for an officer, as rules.toml says), each chunk acted on once; the
review then confirms a kept hit as a violation."""

from __future__ import annotations

import grpc
import pytest

from livecommerce.runtime.errors import NotFound, PreconditionFailed
from livecommerce.session.v1 import session_pb2 as pb
from services.session import rules_config
from services.session.lifecycle import Lifecycle
from services.session.patrol import ChunkResult, Grade, Hit, HitKind, Source
from services.session.rooms import RoomFeed, RoomLog
from services.session.sink import SessionVerdicts
from services.session.verdicts import Verdict
from tests.session.messages import live_session, rid


@pytest.fixture
async def world(merchant, upstream):
    await upstream.eligible_anchor("an-1")
    await upstream.listed_product("p-1")


def sink(session_service, *, automatic: bool = True) -> SessionVerdicts:
    runtime = session_service.runtime
    lifecycle = Lifecycle(events_writer=runtime.events, rooms=RoomLog(RoomFeed(runtime.pool)))
    rules = rules_config.PatrolRules(grade_a_stop="automatic" if automatic else "officer")
    return SessionVerdicts(runtime, lifecycle, rules)


def verdict(session_id: str, chunk_id: str, source: Source, *grades: Grade) -> Verdict:
    hits = tuple(Hit(f"term-{g}", "absolute_terms", g, 0, 2, HitKind.TERM, "v1") for g in grades)
    worst = max(grades, key=lambda g: g.severity) if grades else None
    return Verdict(session_id, chunk_id, source, ChunkResult(hits, worst, "v1"))


async def test_SES_05_hits_kept_messages_hidden_corrections_asked_and_grade_a_stops(merchant, officer, session_service, world, clock):
    live = await live_session(merchant, clock)
    acting = sink(session_service)
    batch = [
        verdict(live.session_id, "c-1", Source.DANMAKU, Grade.HIDE),
        verdict(live.session_id, "c-2", Source.ANCHOR_SPEECH, Grade.B),
        verdict(live.session_id, "c-3", Source.ANCHOR_SPEECH, Grade.D),
    ]
    await acting.act(batch)
    await acting.act(batch)  # a retried batch changes nothing more
    state = (await merchant.GetSession(pb.GetSessionRequest(session_id=live.session_id))).session
    assert state.status == pb.SESSION_STATUS_LIVE
    hits = (await officer.ListSessionHits(pb.ListSessionHitsRequest(session_id=live.session_id))).hits
    assert [h.chunk_id for h in hits] == ["c-1", "c-2", "c-3"] and not any(h.violation_id for h in hits)
    first = await merchant.WatchRoom(pb.WatchRoomRequest(session_id=live.session_id, after_sequence=2)).read()  # 1 ready, 2 opened
    assert first.update.change.kind == pb.ROOM_CHANGE_KIND_MESSAGE_HIDDEN and list(first.update.state.hidden_message_ids) == ["c-1"]
    await acting.act([verdict(live.session_id, "c-4", Source.ANCHOR_SPEECH, Grade.A)])
    stopped = (await merchant.GetSession(pb.GetSessionRequest(session_id=live.session_id))).session
    assert stopped.status == pb.SESSION_STATUS_STOPPED and stopped.stop.rule_id == "SES-05"
    with pytest.raises(PreconditionFailed):
        await acting.act([verdict(live.session_id, "c-5", Source.ANCHOR_SPEECH, Grade.B)])
    with pytest.raises(NotFound) as unknown:
        await acting.act([verdict("no-such-session", "c-6", Source.DANMAKU, Grade.HIDE)])
    assert "no-such-session" in str(unknown.value)
    # SES-05 d: the review confirms a kept hit after the session.
    noted = next(h for h in (await officer.ListSessionHits(pb.ListSessionHitsRequest(session_id=live.session_id))).hits if h.chunk_id == "c-3")
    confirmed = (await officer.ConfirmViolation(pb.ConfirmViolationRequest(
        request_id=rid(), session_id=live.session_id, hit_id=noted.hit_id, reason="复核确认使用绝对化用语",
    ))).hit  # fmt: skip
    assert confirmed.violation_id
    with pytest.raises(grpc.aio.AioRpcError) as by_merchant:
        await merchant.ConfirmViolation(pb.ConfirmViolationRequest(request_id=rid(), session_id=live.session_id, hit_id=noted.hit_id, reason="x"))
    assert by_merchant.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_SES_05_grade_a_waits_for_an_officer_when_configured(merchant, session_service, world, clock):
    live = await live_session(merchant, clock)
    await sink(session_service, automatic=False).act([verdict(live.session_id, "c-1", Source.ANCHOR_SPEECH, Grade.A)])
    assert (await merchant.GetSession(pb.GetSessionRequest(session_id=live.session_id))).session.status == pb.SESSION_STATUS_LIVE


def test_rules_toml_holds_the_codes_defaults():
    assert rules_config.load(rules_config.DEFAULTS_FILE) == rules_config.SessionRules()
    with pytest.raises(ValueError):
        rules_config.parse('[patrol]\ngrade_a_stop = "sometimes"\n')
