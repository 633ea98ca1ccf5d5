"""The window per speaker and the session's counts through PatrolService (SES-04, SES-05), end to end
on real PostgreSQL, JetStream and mutual TLS: chunks naming a session, a speaker and their own
time are matched with that speaker's last chunks; the room acts on a split hit naming every chunk
it spans; the anchor's repeated grade-c word comes back as b; an ended session's state goes;
malformed speakers and times are refused naming the field and the rule, and feed nothing."""

from __future__ import annotations

import uuid

import grpc
import pytest
from google.protobuf import timestamp_pb2

from livecommerce.session.v1 import patrol_pb2 as pb
from livecommerce.session.v1 import session_pb2 as spb
from tests.metrics_support import scrape
from tests.session.messages import live_session
from tests.session.test_patrol_api import INTEGRATION, patrol_for, world  # noqa: F401  (fixtures)
from tests.support import rich_error

T0 = 1_796_000_000  # the chunks' own times, seconds: nothing here reads a clock


def at(seconds: float) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=T0 + int(seconds), nanos=int((seconds % 1) * 1e9))


def danmaku(session_id: str, chunk_id: str, speaker: str, text: str, seconds: float | None) -> pb.TextChunk:
    return pb.TextChunk(
        chunk_id=chunk_id, session_id=session_id, source=pb.CHUNK_SOURCE_DANMAKU, text=text, speaker_id=speaker,
        spoken_at=at(seconds) if seconds is not None else None,
    )


def segment(session_id: str, chunk_id: str, text: str, seconds: float | None) -> pb.TextChunk:
    return pb.TextChunk(
        chunk_id=chunk_id, session_id=session_id, source=pb.CHUNK_SOURCE_ANCHOR_SPEECH, text=text,
        spoken_at=at(seconds) if seconds is not None else None,
    )


@pytest.fixture
async def checker(patrol_for):  # noqa: F811
    return patrol_for("integration")


async def check(checker, chunk: pb.TextChunk) -> pb.PatrolResult:
    return (await checker.CheckChunk(pb.CheckChunkRequest(chunk=chunk))).result


async def hit_chunks(merchant, session_id: str) -> list[str]:
    return [h.chunk_id for h in (await merchant.ListSessionHits(spb.ListSessionHitsRequest(session_id=session_id))).hits]


async def room(merchant, session_id: str) -> spb.RoomState:
    return (await merchant.WatchRoom(spb.WatchRoomRequest(session_id=session_id)).read()).update.state


async def test_SES_04_a_phone_number_split_over_two_danmaku_of_one_viewer_is_caught_naming_both_chunks(checker, merchant, world, clock):  # noqa: F811
    session_id = (await live_session(merchant, clock)).session_id
    first = await check(checker, danmaku(session_id, "d-1", "viewer-7", "主播电话 138 1234", 0))
    assert first.clean  # alone, eight digits are no number
    second = await check(checker, danmaku(session_id, "d-2", "viewer-7", "5678 速加", 2.5))
    [hit] = second.hits
    assert (hit.kind, hit.grade, second.verdict) == (pb.PATROL_HIT_KIND_MOBILE_NUMBER, pb.PATROL_GRADE_HIDE_MESSAGE, pb.PATROL_GRADE_HIDE_MESSAGE)
    assert [(s.chunk_id, s.start, s.end) for s in hit.spans] == [("d-1", 5, 13), ("d-2", 0, 4)]
    assert (hit.start, hit.end) == (0, 4)  # its part of this chunk
    assert await hit_chunks(merchant, session_id) == ["d-2"]
    assert list((await room(merchant, session_id)).hidden_message_ids) == ["d-1", "d-2"]  # both halves hidden


async def test_SES_04_the_same_split_across_two_viewers_is_not_joined(checker, merchant, world, clock):  # noqa: F811
    session_id = (await live_session(merchant, clock)).session_id
    assert (await check(checker, danmaku(session_id, "d-1", "viewer-1", "主播电话 138 1234", 0))).clean
    assert (await check(checker, danmaku(session_id, "d-2", "viewer-2", "5678 速加", 1))).clean
    assert (await check(checker, danmaku(session_id, "d-3", "viewer-1", "好的", 2))).clean  # viewer-1's window: no number
    assert await hit_chunks(merchant, session_id) == []


async def test_SES_04_a_term_split_over_two_anchor_transcript_segments_is_caught_on_the_stream(checker, merchant, world, clock):  # noqa: F811
    session_id = (await live_session(merchant, clock)).session_id
    stream = checker.CheckChunks(metadata=INTEGRATION)
    await stream.write(pb.CheckChunksRequest(chunks=[segment(session_id, "seg-1", "这个价格是全网", 0.0)]))
    assert (await stream.read()).results[0].clean
    await stream.write(pb.CheckChunksRequest(chunks=[segment(session_id, "seg-2", "最低的，大家抓紧", 1.5)]))
    [result] = (await stream.read()).results
    [hit] = result.hits
    assert (hit.term, result.verdict) == ("全网最低", pb.PATROL_GRADE_B_CORRECT_IMMEDIATELY)
    assert [s.chunk_id for s in hit.spans] == ["seg-1", "seg-2"]
    await stream.done_writing()
    assert await hit_chunks(merchant, session_id) == ["seg-2"]
    watched = merchant.WatchRoom(spb.WatchRoomRequest(session_id=session_id, after_sequence=1))
    changes = []
    while not any(c.kind == spb.ROOM_CHANGE_KIND_CORRECTION_ASKED for c in changes):
        changes.append((await watched.read()).update.change)
    asked = next(c for c in changes if c.kind == spb.ROOM_CHANGE_KIND_CORRECTION_ASKED)
    assert asked.message_id == "seg-2" and "across chunks seg-1 + seg-2" in asked.reason
    watched.cancel()


async def test_SES_04_chunks_30_seconds_apart_or_without_a_time_are_not_joined(checker, merchant, world, clock):  # noqa: F811
    session_id = (await live_session(merchant, clock)).session_id
    assert (await check(checker, segment(session_id, "seg-1", "这个价格是全网", 0))).clean
    assert (await check(checker, segment(session_id, "seg-2", "最低的，大家抓紧", 30))).clean  # 30 s later: a new window
    assert (await check(checker, danmaku(session_id, "d-1", "viewer-3", "想要的加微", None))).clean
    assert (await check(checker, danmaku(session_id, "d-2", "viewer-3", "信详聊", None))).clean  # no spoken_at: alone
    assert (await check(checker, pb.TextChunk(chunk_id="d-3", session_id=session_id, source=pb.CHUNK_SOURCE_DANMAKU, text="想要的加微", spoken_at=at(40)))).clean
    assert (await check(checker, danmaku(session_id, "d-4", "", "信详聊", 41))).clean  # no speaker: alone
    assert await hit_chunks(merchant, session_id) == []


async def test_SES_05_the_third_use_of_a_grade_c_term_by_the_anchor_in_a_session_comes_back_as_b(checker, merchant, world, clock):  # noqa: F811
    session_id = (await live_session(merchant, clock)).session_id
    grades = [(await check(checker, segment(session_id, f"seg-{n}", "这款是顶级的面料", None))).verdict for n in range(1, 4)]
    C, B = pb.PATROL_GRADE_C_GUIDE_BEFORE_END, pb.PATROL_GRADE_B_CORRECT_IMMEDIATELY
    assert grades == [C, C, B]
    assert (await check(checker, segment(session_id, "seg-2", "这款是顶级的面料", None))).verdict == C  # a retry: not counted again
    hits = (await merchant.ListSessionHits(spb.ListSessionHitsRequest(session_id=session_id))).hits
    assert [(h.chunk_id, h.grade) for h in hits] == [("seg-1", C), ("seg-2", C), ("seg-3", B)]
    other = (await live_session(merchant, clock, room_id="room-m-1-second")).session_id
    assert (await check(checker, segment(other, "seg-1", "这款是顶级的面料", None))).verdict == C  # counted per session
    viewer = await check(checker, danmaku(session_id, "d-1", "viewer-1", "顶级", None))
    assert viewer.clean  # absolute terms concern the anchor, not viewers


async def test_SES_04_SES_05_a_session_that_ends_drops_its_windows_and_counts(checker, merchant, world, clock, session_service):  # noqa: F811
    port = session_service.ops.port

    async def held() -> tuple[float | None, float | None]:
        scraped = await scrape(port)
        return (scraped.value("livecommerce_patrol_speaker_windows", service="session"),
                scraped.value("livecommerce_patrol_counted_sessions", service="session"))

    session_id = (await live_session(merchant, clock)).session_id
    await check(checker, danmaku(session_id, "d-1", "viewer-1", "想要的加微", 0))
    await check(checker, segment(session_id, "seg-1", "这款是顶级的面料", 0))
    assert await held() == (2, 1)
    await merchant.EndSession(spb.EndSessionRequest(request_id=uuid.uuid4().hex, session_id=session_id))
    assert await held() == (0, 0)  # dropped when the end committed, not left to expire
    assert (await check(checker, danmaku(session_id, "d-9", "viewer-1", "你好", 1))).clean
    assert await held() == (0, 0)  # a late clean chunk of the ended session starts nothing again

    following = (await live_session(merchant, clock)).session_id
    assert (await check(checker, danmaku(following, "d-2", "viewer-1", "信详聊", 1))).clean  # starts clean
    assert await held() == (1, 0)


async def test_SES_04_a_malformed_speaker_or_time_is_refused_naming_the_field_and_rule_and_nothing_is_fed(
    checker, merchant, world, clock  # noqa: F811
):
    session_id = (await live_session(merchant, clock)).session_id

    async def refused(*chunks: pb.TextChunk) -> dict:
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await checker.CheckChunks(iter([pb.CheckChunksRequest(chunks=list(chunks))]), metadata=INTEGRATION).read()
        found = rich_error(error.value)
        assert found["code"] == grpc.StatusCode.INVALID_ARGUMENT
        return found["fields"]

    bad_time = danmaku(session_id, "d-1", "viewer-1", "主播电话 138 1234", 0)
    bad_time.spoken_at.nanos = 1_000_000_000
    fields = await refused(bad_time)
    assert set(fields) == {"chunks[0].spoken_at"} and "SES-04" in fields["chunks[0].spoken_at"]
    far = danmaku(session_id, "d-1", "viewer-1", "主播电话 138 1234", 0)
    far.spoken_at.seconds = 253_402_300_800  # the year 10000
    assert set(await refused(far)) == {"chunks[0].spoken_at"}
    fields = await refused(
        danmaku(session_id, "d-1", "viewer-1", "主播电话 138 1234", 0),  # fine, but its batch is refused
        danmaku(session_id, "d-2", "v" * 65, "你好", 0),
        danmaku(session_id, "d-3", "viewer 1", "你好", 0),
        pb.TextChunk(chunk_id="seg-1", session_id=session_id, source=pb.CHUNK_SOURCE_ANCHOR_SPEECH, text="你好", speaker_id="an-1"),
    )
    assert set(fields) == {"chunks[1].speaker_id", "chunks[2].speaker_id", "chunks[3].speaker_id"}
    assert all("SES-04" in description for description in fields.values())
    assert "64" in fields["chunks[1].speaker_id"] and "anchor" in fields["chunks[3].speaker_id"]
    # Nothing of the refused batches reached the window: the second half alone is no number.
    assert (await check(checker, danmaku(session_id, "d-4", "viewer-1", "5678 速加", 1))).clean
    assert await hit_chunks(merchant, session_id) == []
