"""Acceptance of the session service end to end, through a real gateway with the development client
certificates (PLT-04, PLT-05), on real PostgreSQL, JetStream and mutual TLS: the integration
checks viewers' danmaku and the anchor's speech with PatrolService, apps watch the room with
WatchRoom, a compliance officer changes the lexicon, and the anchor service (run in-process)
records what a stopped stream cost the anchor.

The seed lexicon grades an absolute term ("全网最低价", "国家级") b in anchor speech and ignores it
in viewers' messages (a viewer does not advertise); off-platform luring ("加我微信") and illegal
goods ("冰毒") hide a viewer's message; "私下交易" (off_platform, grade a) in anchor speech stops
the stream.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import grpc
import pytest

from livecommerce.anchor.v1 import discipline_pb2 as dpb
from livecommerce.anchor.v1 import discipline_pb2_grpc
from livecommerce.runtime.service import RunningService, start_service
from livecommerce.session.v1 import patrol_pb2 as ppb
from livecommerce.session.v1 import patrol_pb2_grpc, session_pb2_grpc
from livecommerce.session.v1 import session_pb2 as pb
from services.anchor.service import DEFINITION as ANCHOR
from services.session.lexicons import convert
from services.session.patrol import load_seed
from services.session.patrol.lexicon import TermEntry
from services.session.service import DEFINITION
from tests.anchor.builders import seed_agencies
from tests.anchor.conftest import Stubs, anchor_settings
from tests.anchor.discipline_builders import eligible_anchor
from tests.conftest import bounded, forwarded_identities
from tests.replicas import GatewayUnderTest, gateway_to, in_process_replicas, wait_until
from tests.session.messages import live_session
from tests.support import rich_error

SEED = load_seed()
NEW_TERM = "果酱丙号"


def rid() -> str:
    return uuid.uuid4().hex


def danmaku(chunk_id: str, session_id: str, text: str) -> ppb.TextChunk:
    return ppb.TextChunk(chunk_id=chunk_id, session_id=session_id, source=ppb.CHUNK_SOURCE_DANMAKU, text=text)


def speech(chunk_id: str, session_id: str, text: str) -> ppb.TextChunk:
    return ppb.TextChunk(chunk_id=chunk_id, session_id=session_id, source=ppb.CHUNK_SOURCE_ANCHOR_SPEECH, text=text)


async def next_update(stream, within: float = 5) -> pb.RoomUpdate:
    async with asyncio.timeout(within):
        return (await stream.read()).update


async def check_batch(gateway: GatewayUnderTest, chunks: list[ppb.TextChunk]) -> list[ppb.PatrolResult]:
    """One CheckChunks stream from the integration's certificate, one batch, its answer."""
    stream = patrol_pb2_grpc.PatrolServiceStub(gateway.channel("integration")).CheckChunks()
    await stream.write(ppb.CheckChunksRequest(chunks=chunks))
    answer = await stream.read()
    await stream.done_writing()
    return list(answer.results)


@pytest.fixture
async def gateway(session_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("session", [f"127.0.0.1:{session_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


@pytest.fixture
async def live(gateway, upstream, clock) -> pb.Session:
    """A live session of the demo merchant (m-demo, from its certificate), opened through the gateway."""
    await upstream.eligible_anchor("an-1")
    await upstream.listed_product("p-1", "m-demo")
    return await live_session(session_pb2_grpc.SessionServiceStub(gateway.channel("merchant")), clock)


async def test_SES_03_SES_05_hidden_danmaku_reach_the_room_and_clean_ones_do_not(gateway, live):
    watcher = session_pb2_grpc.SessionServiceStub(gateway.channel("integration")).WatchRoom(pb.WatchRoomRequest(session_id=live.session_id))
    first = await next_update(watcher)
    assert first.state.status == pb.SESSION_STATUS_LIVE and not first.state.hidden_message_ids
    results = await check_batch(gateway, [
        danmaku("d-1", live.session_id, "主播好厉害"),
        danmaku("d-2", live.session_id, "想要便宜的加我微信 abc12345"),
        danmaku("d-3", live.session_id, "全网最低价，国家级品质"),  # absolute terms: the anchor's matter, not a viewer's
        danmaku("d-4", live.session_id, "有人要冰毒吗"),  # grade a in speech; in danmaku it is hidden, the stream goes on
    ])  # fmt: skip
    assert [(r.chunk_id, r.verdict) for r in results] == [
        ("d-1", ppb.PATROL_GRADE_UNSPECIFIED), ("d-2", ppb.PATROL_GRADE_HIDE_MESSAGE),
        ("d-3", ppb.PATROL_GRADE_UNSPECIFIED), ("d-4", ppb.PATROL_GRADE_HIDE_MESSAGE),
    ]  # fmt: skip
    hidden = [await next_update(watcher) for _ in range(2)]
    assert [(u.sequence, u.change.kind, u.change.message_id, u.change.rule_id) for u in hidden] == [
        (first.sequence + 1, pb.ROOM_CHANGE_KIND_MESSAGE_HIDDEN, "d-2", "SES-03"),
        (first.sequence + 2, pb.ROOM_CHANGE_KIND_MESSAGE_HIDDEN, "d-4", "SES-03"),
    ]
    assert list(hidden[-1].state.hidden_message_ids) == ["d-2", "d-4"] and hidden[-1].state.status == pb.SESSION_STATUS_LIVE
    with pytest.raises(TimeoutError):  # the clean ones changed nothing
        await next_update(watcher, within=1)
    watcher.cancel()
    merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
    assert (await merchant.GetSession(pb.GetSessionRequest(session_id=live.session_id))).session.status == pb.SESSION_STATUS_LIVE


@pytest.fixture
async def anchor_service(database_url, datastores, subject_root, pki, clock, session_service) -> AsyncIterator[RunningService]:
    running = await start_service(ANCHOR, anchor_settings(database_url, datastores.nats_url, subject_root, pki), clock=clock)
    await seed_agencies(database_url)
    try:
        yield running
    finally:
        await bounded(running.stop(grace_seconds=0.5), "stop the anchor service")


async def an_eligible_anchor(anchor_service: RunningService, pki, upstream) -> str:
    """An anchor the anchor service approved and trained, as its agency and an officer make it,
    once the session service's projection knows it."""
    from livecommerce.anchor.v1 import agency_pb2_grpc, anchor_pb2_grpc, credit_pb2_grpc

    async with forwarded_identities(anchor_service.port, pki) as open_channel:

        def stubs(role: str, tenant: str = "") -> Stubs:
            channel = open_channel(role, tenant)
            return Stubs(
                anchor_pb2_grpc.AnchorServiceStub(channel), agency_pb2_grpc.AgencyServiceStub(channel),
                discipline_pb2_grpc.DisciplineServiceStub(channel), credit_pb2_grpc.CreditServiceStub(channel),
            )  # fmt: skip

        anchor_id = await eligible_anchor(stubs("agency", "ag-1").anchors, stubs("compliance_officer").anchors)
    await upstream.settled("SELECT approved AND onboarded FROM anchor_projection WHERE anchor_id = $1", anchor_id)
    return anchor_id


async def test_SES_05_ANC_06_grade_a_speech_stops_the_stream_and_the_anchor_service_records_the_violation(
    session_service, anchor_service, upstream, pki, clock, tmp_path
):
    anchor_id = await an_eligible_anchor(anchor_service, pki, upstream)
    await upstream.listed_product("p-1", "m-demo")
    addresses = {"anchor": [f"127.0.0.1:{anchor_service.port}"]}
    async with gateway_to("session", [f"127.0.0.1:{session_service.port}"], pki, tmp_path / "audit.log", more=addresses) as gateway:
        merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
        live = await live_session(merchant, clock, anchor_id=anchor_id)
        clock.advance(timedelta(minutes=30))
        watcher = session_pb2_grpc.SessionServiceStub(gateway.channel("integration")).WatchRoom(pb.WatchRoomRequest(session_id=live.session_id))
        first = await next_update(watcher)
        (result,) = await check_batch(gateway, [speech("seg-1", live.session_id, "想便宜的话咱们私下交易")])
        assert result.verdict == ppb.PATROL_GRADE_A_STOP_STREAM
        stopped = await next_update(watcher)
        assert (stopped.sequence, stopped.change.kind, stopped.change.rule_id) == (first.sequence + 1, pb.ROOM_CHANGE_KIND_STOPPED, "SES-05")
        assert stopped.state.status == pb.SESSION_STATUS_STOPPED and "私下交易" in stopped.change.reason
        watcher.cancel()
        session = (await merchant.GetSession(pb.GetSessionRequest(session_id=live.session_id))).session
        assert (session.status, session.stop.rule_id, session.stop.operator.principal) == (pb.SESSION_STATUS_STOPPED, "SES-05", "patrol")

        # ANC-06: SessionEnded carried the grade-a hit to the anchor service, which keeps it on file.
        officer = discipline_pb2_grpc.DisciplineServiceStub(gateway.channel("compliance_officer"))
        recorded: list[dpb.Violation] = []

        async def violation_recorded() -> bool:
            recorded[:] = (await officer.ListViolations(dpb.ListViolationsRequest(anchor_id=anchor_id))).violations
            return bool(recorded)

        await wait_until(violation_recorded, within=15)
        (violation,) = recorded
        assert (violation.anchor_id, violation.session_id) == (anchor_id, live.session_id)
        assert "私下交易" in violation.description


async def test_ANC_07_SES_05_two_sessions_the_patrol_stops_through_the_gateway_suspend_the_anchor(
    session_service, anchor_service, upstream, pki, clock, tmp_path
):
    """Session end: SessionEnded carries each stopped session's violation to the anchor's ladder;
    two violating sessions in a row suspend the anchor (ANC-07), and the room refuses them (ANC-09)."""
    anchor_id = await an_eligible_anchor(anchor_service, pki, upstream)
    await upstream.listed_product("p-1", "m-demo")
    addresses = {"anchor": [f"127.0.0.1:{anchor_service.port}"]}
    async with gateway_to("session", [f"127.0.0.1:{session_service.port}"], pki, tmp_path / "audit.log", more=addresses) as gateway:
        merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
        for n in range(2):
            live = await live_session(merchant, clock, anchor_id=anchor_id, room_id=f"room-{n}")
            clock.advance(timedelta(minutes=30))
            (result,) = await check_batch(gateway, [speech(f"seg-{n}", live.session_id, "想便宜的话咱们私下交易")])
            assert result.verdict == ppb.PATROL_GRADE_A_STOP_STREAM
            clock.advance(timedelta(minutes=5))
        await upstream.settled("SELECT sanction_rule IS NOT NULL FROM anchor_projection WHERE anchor_id = $1", anchor_id, within=15)
        officer = discipline_pb2_grpc.DisciplineServiceStub(gateway.channel("compliance_officer"))
        standing = (await officer.GetStanding(dpb.GetStandingRequest(anchor_id=anchor_id))).standing
        assert standing.standing == dpb.STANDING_SUSPENDED
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await live_session(merchant, clock, anchor_id=anchor_id, room_id="room-9")
        assert rich_error(refused.value)["rules"] == ["ANC-09"]


async def test_SES_04_an_officer_publishes_a_term_through_the_gateway_and_both_replicas_swap_without_restart(
    settings, pki, clock, tmp_path, refreshing_every
):
    refreshing_every(60)  # within the test only LexiconPublished can wake a replica that did not publish
    async with in_process_replicas(DEFINITION, settings, clock=clock) as replicas, gateway_to(
        "session", [f"127.0.0.1:{r.port}" for r in replicas], pki, tmp_path / "audit.log"
    ) as gateway:
        officer = patrol_pb2_grpc.PatrolServiceStub(gateway.channel("compliance_officer"))
        checker = patrol_pb2_grpc.PatrolServiceStub(gateway.channel("integration"))
        chunk = speech("seg-1", "", f"今天上架的是蓝莓{NEW_TERM}")
        assert (await checker.CheckChunk(ppb.CheckChunkRequest(chunk=chunk))).result.clean

        lexicon = convert.lexicon_pb(SEED.with_version("2026.12.1", entries=(*SEED.entries, TermEntry(NEW_TERM, "absolute_terms", grade="a"))))
        proposed = (await officer.ProposeLexiconVersion(ppb.ProposeLexiconVersionRequest(lexicon=lexicon, request_id=rid()))).info
        assert (proposed.state, proposed.proposed_by) == (ppb.LEXICON_VERSION_STATE_PROPOSED, "dev-compliance-officer")
        published = await officer.PublishLexiconVersion(ppb.PublishLexiconVersionRequest(version="2026.12.1", reason="新增果酱类极限词", request_id=rid()))
        assert (published.previous_version, published.info.state) == (SEED.version, ppb.LEXICON_VERSION_STATE_LIVE)

        after = (await checker.CheckChunk(ppb.CheckChunkRequest(chunk=chunk))).result
        assert (after.lexicon_version, after.verdict, [h.term for h in after.hits]) == ("2026.12.1", ppb.PATROL_GRADE_A_STOP_STREAM, [NEW_TERM])

        async def every_replica_swapped() -> bool:
            versions = []
            for replica in replicas:  # each replica asked directly, the standby too
                async with forwarded_identities(replica.port, pki) as open_channel:
                    stub = patrol_pb2_grpc.PatrolServiceStub(open_channel("integration"))
                    versions.append((await stub.CheckChunk(ppb.CheckChunkRequest(chunk=chunk))).result.lexicon_version)
            return versions == ["2026.12.1", "2026.12.1"]

        await wait_until(every_replica_swapped, within=10)
        assert [r.lease.active for r in replicas].count(True) == 1  # the same replicas, none restarted or taken over
        live = (await officer.GetLexiconVersion(ppb.GetLexiconVersionRequest())).info
        assert (live.version, live.published_by) == ("2026.12.1", "dev-compliance-officer")


async def test_SES_03_SES_04_bad_input_is_refused_naming_the_chunk_or_the_entry_and_nothing_is_stored(gateway, db):
    checker = patrol_pb2_grpc.PatrolServiceStub(gateway.channel("integration"))
    officer = patrol_pb2_grpc.PatrolServiceStub(gateway.channel("compliance_officer"))
    limit = (await officer.GetLexiconVersion(ppb.GetLexiconVersionRequest())).max_chunk_chars
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await checker.CheckChunk(ppb.CheckChunkRequest(chunk=speech("seg-huge", "", "好" * (limit + 1))))
    found = rich_error(error.value)
    assert found["code"] == grpc.StatusCode.INVALID_ARGUMENT and set(found["fields"]) == {"chunk.text"}
    assert "seg-huge" in found["message"]
    stream = checker.CheckChunks()
    await stream.write(ppb.CheckChunksRequest(chunks=[speech("seg-ok", "", "欢迎"), speech("seg-huge", "", "好" * (limit + 1))]))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stream.read()
    found = rich_error(error.value)
    assert found["code"] == grpc.StatusCode.INVALID_ARGUMENT and set(found["fields"]) == {"chunks[1].text"}
    assert "seg-huge" in found["message"]

    bad = convert.lexicon_pb(SEED.with_version("2026.12.9"))
    n = len(bad.entries)
    bad.entries.extend([
        ppb.LexiconEntry(term=NEW_TERM, category="absolute_terms"),
        ppb.LexiconEntry(term=" ", category="absolute_terms"),  # empty
        ppb.LexiconEntry(term="国家级", category="absolute_terms"),  # a duplicate of the seed's
        ppb.LexiconEntry(term="果酱丁号", category="jam"),  # a category the version does not have
    ])  # fmt: skip
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await officer.ProposeLexiconVersion(ppb.ProposeLexiconVersionRequest(lexicon=bad, request_id=rid()))
    found = rich_error(error.value)
    assert found["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert set(found["fields"]) == {f"lexicon.entries[{n + i}]" for i in (1, 2, 3)}
    assert "duplicates" in found["fields"][f"lexicon.entries[{n + 2}]"] and "jam" in found["fields"][f"lexicon.entries[{n + 3}]"]
    assert await db.fetchval("SELECT count(*) FROM lexicon_versions") == 0
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await officer.GetLexiconVersion(ppb.GetLexiconVersionRequest(version="2026.12.9"))
    assert error.value.code() == grpc.StatusCode.NOT_FOUND


async def test_SES_05_a_retried_batch_hides_nothing_twice_and_stops_nothing_twice(gateway, live, db):
    batch = [
        danmaku("d-1", live.session_id, "加我微信 abc12345"),
        speech("seg-1", live.session_id, "这是全网最低价"),  # grade b: the room is asked to correct it
        speech("seg-2", live.session_id, "咱们私下交易"),  # grade a: the stream stops
    ]
    watcher = session_pb2_grpc.SessionServiceStub(gateway.channel("integration")).WatchRoom(pb.WatchRoomRequest(session_id=live.session_id))
    first = await next_update(watcher)
    answered = await check_batch(gateway, batch)
    changes = [await next_update(watcher) for _ in range(3)]
    assert [(u.sequence, u.change.kind, u.change.message_id) for u in changes] == [
        (first.sequence + 1, pb.ROOM_CHANGE_KIND_MESSAGE_HIDDEN, "d-1"),
        (first.sequence + 2, pb.ROOM_CHANGE_KIND_CORRECTION_ASKED, "seg-1"),
        (first.sequence + 3, pb.ROOM_CHANGE_KIND_STOPPED, ""),
    ]
    hits = await db.fetchval("SELECT count(*) FROM session_hits")

    assert await check_batch(gateway, batch) == answered  # the same answer, the room already acted on every chunk
    assert await check_batch(gateway, batch[1:]) == answered[1:]
    with pytest.raises(TimeoutError):
        await next_update(watcher, within=1)
    watcher.cancel()
    merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
    state = await merchant.WatchRoom(pb.WatchRoomRequest(session_id=live.session_id)).read()
    assert state.update.sequence == first.sequence + 3 and list(state.update.state.hidden_message_ids) == ["d-1"]
    assert await db.fetchval("SELECT count(*) FROM session_hits") == hits
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE subject LIKE '%.session.session.stopped'") == 1
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE subject LIKE '%.session.session.ended'") == 1
