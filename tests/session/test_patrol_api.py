"""PatrolService through the API (SES-03..05) on real PostgreSQL, JetStream and mutual TLS:
proposing refuses every offending entry and stores nothing; a published version is what the next
check uses and names; publishing is once per request_id; CheckChunks answers batch by batch in
order; GetLexiconVersion; refused input. The whole session service runs (conftest's
`session_service`): a chunk that names a session reaches a real live room, whose hits, hidden
messages and stop are read back through SessionService."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime.identity import Caller
from livecommerce.session.v1 import events_pb2, patrol_pb2_grpc
from livecommerce.session.v1 import patrol_pb2 as pb
from livecommerce.session.v1 import session_pb2 as spb
from services.session.lexicons import convert
from services.session.patrol import load_seed
from services.session.patrol.lexicon import TermEntry
from tests.conftest import forwarded_identities
from tests.session.messages import live_session
from tests.support import refused, rich_error

SEED = load_seed()
NEW_TERM = "果酱丙号"
# The channel's identity interceptor does not reach a bidi call's metadata (grpc.aio): stated here.
INTEGRATION = Caller(principal="integration-tester", role="integration").metadata()


def rid() -> str:
    return uuid.uuid4().hex


def lexicon(version: str, *entries: TermEntry, **changes) -> pb.Lexicon:
    return convert.lexicon_pb(SEED.with_version(version, entries=SEED.entries + entries, **changes))


def speech(text: str, chunk_id: str = "seg-1", session_id: str = "") -> pb.TextChunk:
    return pb.TextChunk(chunk_id=chunk_id, session_id=session_id, source=pb.CHUNK_SOURCE_ANCHOR_SPEECH, text=text)


@pytest.fixture
async def world(upstream) -> None:
    await upstream.eligible_anchor("an-1")
    await upstream.listed_product("p-1")


@pytest.fixture
async def patrol_for(session_service, pki):
    async with forwarded_identities(session_service.port, pki) as open_channel:
        yield lambda role, principal=None: patrol_pb2_grpc.PatrolServiceStub(open_channel(role, principal=principal))


@pytest.fixture
async def patrol_officer(patrol_for) -> patrol_pb2_grpc.PatrolServiceStub:
    """Async: opening a channel needs the running event loop (a sync fixture may have none)."""
    return patrol_for("compliance_officer", "officer-wang")


async def propose(stub, version: str, *entries: TermEntry) -> pb.LexiconVersionInfo:
    return (await stub.ProposeLexiconVersion(pb.ProposeLexiconVersionRequest(lexicon=lexicon(version, *entries), request_id=rid()))).info


async def publish(stub, version: str, reason: str = "新增果酱类极限词") -> pb.PublishLexiconVersionResponse:
    return await stub.PublishLexiconVersion(pb.PublishLexiconVersionRequest(version=version, reason=reason, request_id=rid()))


async def test_SES_04_propose_refuses_every_offending_entry_at_once_and_stores_nothing(patrol_officer, db):
    bad = lexicon("2026.12.1")
    bad.entries.extend([
        pb.LexiconEntry(term=NEW_TERM, category="absolute_terms"),
        pb.LexiconEntry(term="  ", category="absolute_terms"),  # empty
        pb.LexiconEntry(term="果 酱 丙 号", category="absolute_terms"),  # the same term once fillers are folded away
        pb.LexiconEntry(term="果酱丁号", category="no_such_category"),  # a malformed category reference
        pb.LexiconEntry(term="果酱戊号", category="absolute_terms", grade=99),  # a grade this version does not know
    ])
    n = len(SEED.entries)
    found = await refused(patrol_officer.ProposeLexiconVersion(pb.ProposeLexiconVersionRequest(lexicon=bad, request_id=rid())))
    assert found["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert set(found["fields"]) == {f"lexicon.entries[{n + i}]" for i in (1, 2, 3, 4)}
    assert "duplicates" in found["fields"][f"lexicon.entries[{n + 2}]"]
    assert "no_such_category" in found["fields"][f"lexicon.entries[{n + 3}]"]
    assert await db.fetchval("SELECT count(*) FROM lexicon_versions") == 0
    assert (await refused(patrol_officer.GetLexiconVersion(pb.GetLexiconVersionRequest(version="2026.12.1"))))["code"] == grpc.StatusCode.NOT_FOUND

    no_category_grade = lexicon("2026.12.2")
    no_category_grade.categories.append(pb.LexiconCategory(id="jam", label="果酱"))  # no grade
    found = await refused(patrol_officer.ProposeLexiconVersion(pb.ProposeLexiconVersionRequest(lexicon=no_category_grade, request_id=rid())))
    assert set(found["fields"]) == {f"lexicon.categories[{len(SEED.categories)}]"}
    found = await refused(patrol_officer.ProposeLexiconVersion(pb.ProposeLexiconVersionRequest(lexicon=lexicon(SEED.version), request_id=rid())))
    assert set(found["fields"]) == {"lexicon.version"}  # the seed's name is taken
    assert await db.fetchval("SELECT count(*) FROM lexicon_versions") == 0


async def test_SES_04_SES_05_a_published_term_matches_on_the_next_check_and_names_the_new_version(
    patrol_officer, patrol_for, merchant, world, clock, settings, datastores, db
):
    checker = patrol_for("integration")
    live = await live_session(merchant, clock)
    chunk = speech(f"今天上架的是蓝莓{NEW_TERM}", chunk_id="seg-7", session_id=live.session_id)
    before = (await checker.CheckChunk(pb.CheckChunkRequest(chunk=chunk))).result
    assert before.clean and before.lexicon_version == SEED.version
    assert not (await merchant.ListSessionHits(spb.ListSessionHitsRequest(session_id=live.session_id))).hits

    nc = await datastores.nats_client("lexicon-watcher")
    try:
        watcher = await nc.jetstream().subscribe(f"{settings.subject_root}.session.lexicon.published", ordered_consumer=True)
        info = await propose(patrol_officer, "2026.12.1", TermEntry(NEW_TERM, "absolute_terms", grade="a"))
        assert (info.state, info.term_count, info.proposed_by) == (pb.LEXICON_VERSION_STATE_PROPOSED, len(SEED.entries) + 1, "officer-wang")
        still = (await checker.CheckChunk(pb.CheckChunkRequest(chunk=chunk))).result
        assert still.clean and still.lexicon_version == SEED.version  # proposing changes nothing for live rooms

        done = await publish(patrol_officer, "2026.12.1")
        assert done.previous_version == SEED.version
        assert (done.info.state, done.info.published_by) == (pb.LEXICON_VERSION_STATE_LIVE, "officer-wang")
        after = (await checker.CheckChunk(pb.CheckChunkRequest(chunk=chunk))).result
        assert (after.lexicon_version, after.verdict, after.clean) == ("2026.12.1", pb.PATROL_GRADE_A_STOP_STREAM, False)
        (hit,) = after.hits
        assert (hit.term, hit.kind, chunk.text[hit.start : hit.end]) == (NEW_TERM, pb.PATROL_HIT_KIND_TERM, NEW_TERM)

        # SES-05: the chunk names a session, so the core acted on it: the hit is kept, the stream stopped.
        (kept,) = (await merchant.ListSessionHits(spb.ListSessionHitsRequest(session_id=live.session_id))).hits
        assert (kept.chunk_id, kept.source, kept.term) == ("seg-7", pb.CHUNK_SOURCE_ANCHOR_SPEECH, NEW_TERM)
        assert (kept.grade, kept.lexicon_version) == (pb.PATROL_GRADE_A_STOP_STREAM, "2026.12.1")
        stopped = (await merchant.GetSession(spb.GetSessionRequest(session_id=live.session_id))).session
        assert (stopped.status, stopped.stop.rule_id) == (spb.SESSION_STATUS_STOPPED, "SES-05")

        message = await watcher.next_msg(timeout=10)
        event = events_pb2.LexiconPublished()
        envelope_pb2.EventEnvelope.FromString(message.data).payload.Unpack(event)
        assert (event.version, event.previous_version, event.published_by) == ("2026.12.1", SEED.version, "officer-wang")
    finally:
        await nc.close()
    history = await db.fetch("SELECT version, previous_version, reason FROM lexicon_publications")
    assert [tuple(r) for r in history] == [("2026.12.1", SEED.version, "新增果酱类极限词")]


async def test_SES_04_a_retried_publish_changes_nothing_more_and_only_officers_write(patrol_officer, patrol_for, db):
    await propose(patrol_officer, "v1", TermEntry(NEW_TERM, "absolute_terms"))
    request = pb.PublishLexiconVersionRequest(version="v1", reason="果酱", request_id=rid())
    first = await patrol_officer.PublishLexiconVersion(request)
    again = await patrol_officer.PublishLexiconVersion(request)
    assert first == again and again.previous_version == SEED.version
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE subject LIKE '%.session.lexicon.published'") == 1
    assert await db.fetchval("SELECT count(*) FROM lexicon_publications") == 1
    found = await refused(patrol_officer.PublishLexiconVersion(pb.PublishLexiconVersionRequest(version="v1", reason="again", request_id=rid())))
    assert (found["code"], found["rules"]) == (grpc.StatusCode.FAILED_PRECONDITION, ["SES-04"])  # live already

    proposal = pb.ProposeLexiconVersionRequest(lexicon=lexicon("v2"), request_id=rid())
    assert await patrol_officer.ProposeLexiconVersion(proposal) == await patrol_officer.ProposeLexiconVersion(proposal)
    assert await db.fetchval("SELECT count(*) FROM lexicon_versions") == 2
    found = await refused(patrol_officer.ProposeLexiconVersion(pb.ProposeLexiconVersionRequest(lexicon=lexicon("v2"), request_id=rid())))
    assert set(found["fields"]) == {"lexicon.version"}  # versions never change

    for role in ("platform_admin", "integration"):
        found = await refused(patrol_for(role).PublishLexiconVersion(pb.PublishLexiconVersionRequest(version="v2", reason="x", request_id=rid())))
        assert found["code"] == grpc.StatusCode.PERMISSION_DENIED
    found = await refused(patrol_officer.PublishLexiconVersion(pb.PublishLexiconVersionRequest(version="v2", reason="x")))
    assert set(found["fields"]) == {"request_id"}
    found = await refused(patrol_officer.PublishLexiconVersion(pb.PublishLexiconVersionRequest(version="v2", reason=" ", request_id=rid())))
    assert set(found["fields"]) == {"reason"}
    found = await refused(patrol_officer.PublishLexiconVersion(pb.PublishLexiconVersionRequest(version="v9", reason="x", request_id=rid())))
    assert found["code"] == grpc.StatusCode.NOT_FOUND
    assert await db.fetchval("SELECT version FROM lexicon_versions WHERE live") == "v1"


async def test_SES_04_publishing_the_seed_again_rolls_back(patrol_officer, patrol_for):
    await propose(patrol_officer, "v1", TermEntry(NEW_TERM, "absolute_terms"))
    await publish(patrol_officer, "v1")
    back = await publish(patrol_officer, SEED.version, reason="回滚到内置词库")
    assert (back.previous_version, back.info.state, back.info.proposed_by) == ("v1", pb.LEXICON_VERSION_STATE_LIVE, "patrol-seed")
    result = (await patrol_for("integration").CheckChunk(pb.CheckChunkRequest(chunk=speech(NEW_TERM)))).result
    assert result.clean and result.lexicon_version == SEED.version
    v1 = (await patrol_officer.GetLexiconVersion(pb.GetLexiconVersionRequest(version="v1"))).info
    assert v1.state == pb.LEXICON_VERSION_STATE_RETIRED


async def test_SES_04_get_lexicon_version_reads_the_live_or_a_named_version(patrol_officer, patrol_for):
    reader = patrol_for("regulator")
    live = await reader.GetLexiconVersion(pb.GetLexiconVersionRequest(include_lexicon=True))
    assert (live.info.version, live.info.state, live.max_chunk_chars) == (SEED.version, pb.LEXICON_VERSION_STATE_LIVE, 32_768)
    assert convert.spec(live.lexicon) == SEED and live.info.term_count == len(SEED.entries)
    await propose(patrol_officer, "v1", TermEntry(NEW_TERM, "absolute_terms"))
    named = await reader.GetLexiconVersion(pb.GetLexiconVersionRequest(version="v1"))
    assert named.info.state == pb.LEXICON_VERSION_STATE_PROPOSED and not named.HasField("lexicon")
    await publish(patrol_officer, "v1")
    seed = (await reader.GetLexiconVersion(pb.GetLexiconVersionRequest(version=SEED.version))).info
    assert seed.state == pb.LEXICON_VERSION_STATE_RETIRED
    live = await reader.GetLexiconVersion(pb.GetLexiconVersionRequest(include_lexicon=True))
    assert live.info.version == "v1" and [e.term for e in live.lexicon.entries][-1] == NEW_TERM


async def test_SES_03_SES_05_check_chunks_answers_each_batch_in_order_and_the_room_acts_on_each_batch_whole(
    patrol_for, merchant, world, clock
):
    live = await live_session(merchant, clock)
    session_id = live.session_id

    def danmaku(n: int, text: str) -> pb.TextChunk:
        return pb.TextChunk(chunk_id=f"d-{n}", session_id=session_id, source=pb.CHUNK_SOURCE_DANMAKU, text=text)

    async def hits() -> list[str]:
        """The chunks with hits kept, in the order found."""
        return list(dict.fromkeys(h.chunk_id for h in (await merchant.ListSessionHits(spb.ListSessionHitsRequest(session_id=session_id))).hits))

    async def room() -> spb.Session:
        return (await merchant.GetSession(spb.GetSessionRequest(session_id=session_id))).session

    dirty = {17, 120, 299}
    first = [danmaku(n, "加我微信 abc12345" if n in dirty else f"主播好厉害，第{n}次来了") for n in range(300)]
    second = [speech("这是全网最低价", chunk_id="seg-1", session_id=session_id), speech("欢迎来到直播间" * 1000, chunk_id="seg-2")]
    oversized = [speech("加我微信", chunk_id="seg-3", session_id=session_id), speech("好" * 32_769, chunk_id="seg-too-long")]
    stream = patrol_for("integration").CheckChunks(metadata=INTEGRATION)
    await stream.write(pb.CheckChunksRequest(chunks=first))
    answer = await stream.read()
    assert [r.chunk_id for r in answer.results] == [c.chunk_id for c in first]
    assert {n for n, r in enumerate(answer.results) if not r.clean} == dirty
    assert {r.verdict for r in answer.results if not r.clean} == {pb.PATROL_GRADE_HIDE_MESSAGE}
    assert await hits() == ["d-17", "d-120", "d-299"]  # answered once the room acted on the batch
    await stream.write(pb.CheckChunksRequest(chunks=second))  # past INLINE_CHARS: checked in a thread
    answer = await stream.read()
    assert [(r.chunk_id, r.verdict) for r in answer.results] == [
        ("seg-1", pb.PATROL_GRADE_B_CORRECT_IMMEDIATELY), ("seg-2", pb.PATROL_GRADE_UNSPECIFIED)
    ]
    assert await hits() == ["d-17", "d-120", "d-299", "seg-1"]
    acted = await room()
    await stream.write(pb.CheckChunksRequest(chunks=oversized))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stream.read()
    found = rich_error(error.value)
    assert found["code"] == grpc.StatusCode.INVALID_ARGUMENT and set(found["fields"]) == {"chunks[1].text"}
    assert "seg-too-long" in found["message"]
    assert await hits() == ["d-17", "d-120", "d-299", "seg-1"]  # nothing of the refused batch was acted on
    assert await room() == acted
    watched = await merchant.WatchRoom(spb.WatchRoomRequest(session_id=session_id)).read()
    assert list(watched.update.state.hidden_message_ids) == ["d-17", "d-120", "d-299"]


async def test_SES_03_refuses_an_oversized_sourceless_or_undecodable_chunk(patrol_for, session_service, pki):
    checker = patrol_for("integration")
    found = await refused(checker.CheckChunk(pb.CheckChunkRequest(chunk=speech("好" * 32_769, chunk_id="seg-9"))))
    assert set(found["fields"]) == {"chunk.text"} and "seg-9" in found["message"] and "SES-03" in found["message"]
    assert (await checker.CheckChunk(pb.CheckChunkRequest(chunk=speech("好" * 32_768)))).result  # the limit itself passes
    # every fault of a batch is named at once, the size beside the others
    batch = [speech("好" * 40_000, chunk_id="z1"), pb.TextChunk(chunk_id="z2", text="你好"), speech("欢迎", chunk_id="z3")]
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await checker.CheckChunks(iter([pb.CheckChunksRequest(chunks=batch)])).read()
    assert set(rich_error(error.value)["fields"]) == {"chunks[0].text", "chunks[1].source"}
    found = await refused(checker.CheckChunk(pb.CheckChunkRequest(chunk=pb.TextChunk(chunk_id="c", text="你好"))))
    assert set(found["fields"]) == {"chunk.source"}
    found = await refused(checker.CheckChunk(pb.CheckChunkRequest(chunk=pb.TextChunk(session_id="s-1", source=pb.CHUNK_SOURCE_DANMAKU))))
    assert set(found["fields"]) == {"chunk.chunk_id"}
    async with forwarded_identities(session_service.port, pki) as open_channel:
        raw = open_channel("integration").unary_unary(
            "/livecommerce.session.v1.PatrolService/CheckChunk", request_serializer=None, response_deserializer=None
        )
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await raw(b"\x0a\x05\x22\x03\xff\xfe\xfd")  # chunk.text holding bytes that are not UTF-8
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (await checker.CheckChunk(pb.CheckChunkRequest(chunk=speech("欢迎")))).result.clean  # and the service goes on


async def test_SES_03_a_big_batch_keeps_the_event_loop_responsive(patrol_for):
    """A dirty batch of 150,000 characters (~300 ms of CPU here) is checked in a thread: a small
    check sent meanwhile is answered long before it."""
    checker = patrol_for("integration")
    heavy = [speech("最好的国家级产品，加我微信 abc12345 特供" * 20, chunk_id=f"h-{n}") for n in range(300)]
    big = asyncio.ensure_future(checker.CheckChunks(iter([pb.CheckChunksRequest(chunks=heavy)]), metadata=INTEGRATION).read())
    await asyncio.sleep(0.05)
    small = await asyncio.wait_for(checker.CheckChunk(pb.CheckChunkRequest(chunk=speech("欢迎"))), timeout=5)
    assert small.result.clean and not big.done()
    assert len((await big).results) == 300
