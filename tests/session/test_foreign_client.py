"""A live session and its patrol stream through the real gateway with a gRPC client that is not
grpcio (grpclib, its own HTTP/2 stack), as an integrator on another stack reads docs/sessions.md
("Try it") and session.proto / patrol.proto: the merchant schedules, completes the checklist and
opens the room; the live platform (integration) keeps one CheckChunks stream open, a batch per
message, each answered before the next; banned words are hit, the room hides the danmaku and the
hits are kept; WatchRoom shows it. Roles the policy does not admit, input that breaks SES-01 /
SES-04 and bytes that are not a request are refused with a status and its details, change nothing,
and the next call is served."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

import pytest
from grpclib.client import Channel
from grpclib.const import Cardinality, Status

from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import patrol_pb2 as patrol
from livecommerce.session.v1 import session_pb2 as pb
from tests.foreign_client import TIMEOUT, UNDECODABLE, Raw, refused, refused_undecodable, row_counts, unary
from tests.replicas import GatewayUnderTest, gateway_to
from tests.session.messages import ALL_ITEMS, rid, schedule

SESSIONS = "/livecommerce.session.v1.SessionService"
SCHEDULE = f"{SESSIONS}/ScheduleSession"
CHECK_CHUNKS = "/livecommerce.session.v1.PatrolService/CheckChunks"
DANMAKU, SPEECH = patrol.CHUNK_SOURCE_DANMAKU, patrol.CHUNK_SOURCE_ANCHOR_SPEECH


@pytest.fixture
async def gateway(session_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("session", [f"127.0.0.1:{session_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


@pytest.fixture
async def line_up(upstream):
    """An eligible anchor an-1 and a listed product p-1 of m-demo (the merchant certificate's
    tenant), known to the session service from the anchor and product services' events."""
    await upstream.eligible_anchor("an-1")
    await upstream.listed_product("p-1", "m-demo")


async def live(merchant: Channel, clock) -> pb.Session:
    session = (await unary(merchant, SCHEDULE, schedule(clock), pb.ScheduleSessionResponse)).session
    checklist = pb.CompleteChecklistRequest(request_id=rid(), session_id=session.session_id, items=ALL_ITEMS)
    assert (await unary(merchant, f"{SESSIONS}/CompleteChecklist", checklist, pb.CompleteChecklistResponse)).session.status == pb.SESSION_STATUS_READY
    opened = pb.OpenRoomRequest(request_id=rid(), session_id=session.session_id)
    return (await unary(merchant, f"{SESSIONS}/OpenRoom", opened, pb.OpenRoomResponse)).session


def chunk(chunk_id: str, session_id: str, source: int, text: str, **fields) -> patrol.TextChunk:
    return patrol.TextChunk(chunk_id=chunk_id, session_id=session_id, source=source, text=text, **fields)


async def check_batches(channel: Channel, batches: Sequence[object]) -> list[patrol.CheckChunksResponse]:
    """One CheckChunks stream: each batch sent, its answer read before the next is sent."""
    answers = []
    async with channel.request(CHECK_CHUNKS, Cardinality.STREAM_STREAM, object, patrol.CheckChunksResponse, timeout=TIMEOUT) as stream:
        for batch in batches:
            await stream.send_message(batch)
            answers.append(await stream.recv_message())
        await stream.end()
        async for extra in stream:
            answers.append(extra)
    return answers


async def test_SES_01_02_03_05_PLT_05_a_room_opened_and_patrolled_over_one_stream_on_another_grpc_stack(channel_as, line_up, clock):
    merchant, platform, officer = channel_as("merchant"), channel_as("integration"), channel_as("compliance_officer")
    session = await live(merchant, clock)
    assert (session.merchant_id, session.status) == ("m-demo", pb.SESSION_STATUS_LIVE)
    assert "未成年人需监护人陪同观看" in session.labels  # SES-09
    s = session.session_id

    danmaku = patrol.CheckChunksRequest(chunks=[
        chunk("dm-1001", s, DANMAKU, "主播好厉害"), chunk("dm-1002", s, DANMAKU, "想要便宜的加我微信 abc12345"),
        chunk("dm-1003", s, DANMAKU, "全网最低价，国家级品质"),
    ])  # fmt: skip
    speech = patrol.CheckChunksRequest(chunks=[chunk("seg-0042", s, SPEECH, "这款大米全网最低价，国家级品质")])
    first, second = await check_batches(platform, [danmaku, speech])
    assert [(r.chunk_id, r.clean, r.verdict) for r in first.results] == [
        ("dm-1001", True, patrol.PATROL_GRADE_UNSPECIFIED),
        ("dm-1002", False, patrol.PATROL_GRADE_HIDE_MESSAGE),
        ("dm-1003", True, patrol.PATROL_GRADE_UNSPECIFIED),  # advertising-law words are the anchor's matter, not a viewer's
    ]
    assert "加我微信" in [h.term for h in first.results[1].hits]
    [said] = second.results
    assert said.verdict == patrol.PATROL_GRADE_B_CORRECT_IMMEDIATELY
    assert {(h.term, h.grade) for h in said.hits} == {("全网最低", patrol.PATROL_GRADE_B_CORRECT_IMMEDIATELY), ("国家级", patrol.PATROL_GRADE_B_CORRECT_IMMEDIATELY)}
    assert said.lexicon_version == first.results[0].lexicon_version != ""

    hits = await unary(officer, f"{SESSIONS}/ListSessionHits", pb.ListSessionHitsRequest(session_id=s), pb.ListSessionHitsResponse)
    assert {(h.chunk_id, h.term) for h in hits.hits} >= {("dm-1002", "加我微信"), ("seg-0042", "全网最低"), ("seg-0042", "国家级")}

    async with platform.request(f"{SESSIONS}/WatchRoom", Cardinality.UNARY_STREAM, pb.WatchRoomRequest, pb.WatchRoomResponse, timeout=TIMEOUT) as watch:
        await watch.send_message(pb.WatchRoomRequest(session_id=s), end=True)
        now = await watch.recv_message()  # the state as it stands, first; the stream stays open for changes
        await watch.cancel()  # grpclib waits for the end of a stream it leaves; an endless one is cancelled (RST_STREAM)
    assert now is not None and now.update.state.status == pb.SESSION_STATUS_LIVE
    assert list(now.update.state.hidden_message_ids) == ["dm-1002"]

    got = await unary(merchant, f"{SESSIONS}/GetSession", pb.GetSessionRequest(session_id=s), pb.GetSessionResponse)
    assert got.session.status == pb.SESSION_STATUS_LIVE  # a grade-b hit asks for a correction; the stream goes on


async def test_PLT_04_roles_the_policy_does_not_admit_are_refused_on_another_grpc_stack_and_change_nothing(channel_as, line_up, clock, database_url):
    session = await live(channel_as("merchant"), clock)
    before = await row_counts(database_url, "session")

    banned = patrol.CheckChunksRequest(chunks=[chunk("seg-1", session.session_id, SPEECH, "想便宜的话咱们私下交易")])
    denied = await refused(check_batches(channel_as("merchant"), [banned]))
    assert denied.status is Status.PERMISSION_DENIED and "PLT-04" in denied.message, denied
    denied = await refused(unary(channel_as("integration"), SCHEDULE, schedule(clock), pb.ScheduleSessionResponse))
    assert denied.status is Status.PERMISSION_DENIED and "PLT-04" in denied.message, denied
    stop = pb.StopStreamRequest(request_id=rid(), session_id=session.session_id, reason="x")
    denied = await refused(unary(channel_as("merchant"), f"{SESSIONS}/StopStream", stop, pb.StopStreamResponse))
    assert denied.status is Status.PERMISSION_DENIED and "PLT-04" in denied.message, denied

    assert await row_counts(database_url, "session") == before
    got = await unary(channel_as("merchant"), f"{SESSIONS}/GetSession", pb.GetSessionRequest(session_id=session.session_id), pb.GetSessionResponse)
    assert got.session.status == pb.SESSION_STATUS_LIVE  # the grade-a words never reached the patrol


async def test_SES_01_a_schedule_without_products_in_the_past_is_refused_naming_fields_and_rule_on_another_grpc_stack(channel_as, line_up, clock, database_url):
    before = await row_counts(database_url, "session")
    bad = schedule(clock)
    bad.planned_start.CopyFrom(stamp(clock.now() - timedelta(hours=1)))
    del bad.product_ids[:]
    error = await refused(unary(channel_as("merchant"), SCHEDULE, bad, pb.ScheduleSessionResponse))
    assert error.status is Status.INVALID_ARGUMENT, error
    assert error.names("planned_start", "SES-01") and error.names("product_ids", "SES-01"), error
    assert await row_counts(database_url, "session") == before


async def test_SES_04_a_malformed_speaker_refuses_the_whole_batch_naming_field_and_rule_on_another_grpc_stack(channel_as, line_up, clock, database_url):
    session = await live(channel_as("merchant"), clock)
    before = await row_counts(database_url, "session")
    batch = patrol.CheckChunksRequest(chunks=[
        chunk("dm-1", session.session_id, DANMAKU, "加我微信 abc12345", speaker_id="v-1"),
        chunk("dm-2", session.session_id, DANMAKU, "主播好", speaker_id="not a viewer id"),
    ])  # fmt: skip
    error = await refused(check_batches(channel_as("integration"), [batch]))
    assert error.status is Status.INVALID_ARGUMENT, error
    assert error.names("chunks[1].speaker_id", "SES-04"), error
    assert await row_counts(database_url, "session") == before  # nothing of the batch acted on: dm-1 not hidden


async def test_SES_03_an_oversized_chunk_ends_the_stream_naming_its_chunk_after_the_batches_before_it_on_another_grpc_stack(channel_as):
    platform = channel_as("integration")
    limit = (await unary(channel_as("compliance_officer"), "/livecommerce.session.v1.PatrolService/GetLexiconVersion", patrol.GetLexiconVersionRequest(), patrol.GetLexiconVersionResponse)).max_chunk_chars
    answered: list[patrol.CheckChunksResponse] = []

    async def stream() -> None:
        async with platform.request(CHECK_CHUNKS, Cardinality.STREAM_STREAM, patrol.CheckChunksRequest, patrol.CheckChunksResponse, timeout=TIMEOUT) as call:
            await call.send_message(patrol.CheckChunksRequest(chunks=[patrol.TextChunk(chunk_id="ok-1", source=DANMAKU, text="主播好")]))
            answered.append(await call.recv_message())
            await call.send_message(patrol.CheckChunksRequest(chunks=[patrol.TextChunk(chunk_id="huge-7", source=DANMAKU, text="好" * (limit + 1))]), end=True)
            async for answer in call:
                answered.append(answer)

    error = await refused(stream())
    assert [[r.chunk_id for r in a.results] for a in answered] == [["ok-1"]]
    assert error.status is Status.INVALID_ARGUMENT and "chunks[0].text" in error.fields and "huge-7" in error.message, error


async def test_PLT_05_bytes_that_are_not_a_request_are_refused_in_a_patrol_stream_and_the_next_stream_is_served(channel_as, line_up, clock, database_url):
    platform = channel_as("integration")
    session = await live(channel_as("merchant"), clock)
    before = await row_counts(database_url, "session")
    # The stream stays open as an integration keeps it: the service reads on for up to a second
    # (livecommerce/runtime/grpc_server.py, DRAIN_SECONDS) before the refusal, so one payload here;
    # the unary test below tries them all.
    error = await refused(check_batches(platform, [Raw(UNDECODABLE["garbage"])]))
    assert error.status is Status.INVALID_ARGUMENT, error
    assert await row_counts(database_url, "session") == before
    again = patrol.CheckChunksRequest(chunks=[chunk("dm-2", session.session_id, DANMAKU, "加我微信 abc12345")])
    [answer] = await check_batches(platform, [again])  # the same channel, the next stream
    assert [(r.chunk_id, r.verdict) for r in answer.results] == [("dm-2", patrol.PATROL_GRADE_HIDE_MESSAGE)]


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
async def test_PLT_05_bytes_that_are_not_a_request_are_refused_through_the_gateway_and_the_next_call_is_served(channel_as, line_up, clock, database_url, payload):
    merchant = channel_as("merchant")
    await refused_undecodable(merchant, SCHEDULE, payload, pb.ScheduleSessionResponse, database_url, "session")
    session = (await unary(merchant, SCHEDULE, schedule(clock), pb.ScheduleSessionResponse)).session  # the same channel, the next call
    assert session.status == pb.SESSION_STATUS_SCHEDULED
