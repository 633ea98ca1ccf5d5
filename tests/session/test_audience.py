"""Viewer counts end to end (SES-08): edge servers' batches over the client stream through a real
gateway (mutual TLS, the repository's policy), a session service on real PostgreSQL and NATS with
the clock injected. Exact counts, duplicate joins, unknown leaves, timeouts by the clock, ended
sessions, refused messages that change nothing (and say how many before them were applied),
tenancy, the pushed counts."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from livecommerce.session.v1 import audience_pb2 as pb
from livecommerce.session.v1 import audience_pb2_grpc, session_pb2_grpc
from livecommerce.session.v1 import session_pb2 as session_pb
from tests.conftest import forwarded_identities
from tests.metrics_support import scrape
from tests.replicas import GatewayUnderTest, gateway_to, wait_until
from tests.session.conftest import session_settings
from tests.session.messages import live_session, rid

MAX_BATCH = 50


@pytest.fixture
def settings(database_url, datastores, subject_root, pki, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(f"[audience]\nheartbeat_seconds = 10\ntimeout_seconds = 30\nmax_batch = {MAX_BATCH}\ntick_seconds = 0.02\n")
    return session_settings(database_url, datastores.nats_url, subject_root, pki, rules_file=rules)


@pytest.fixture
async def gateway(session_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("session", [f"127.0.0.1:{session_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


@pytest.fixture
async def rooms(gateway, upstream, clock) -> list[str]:
    """Two live sessions of merchant m-demo (the gateway's merchant certificate)."""
    await upstream.eligible_anchor("an-1")
    await upstream.listed_product("p-1", "m-demo")
    merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
    return [(await live_session(merchant, clock, room_id=f"room-{n}")).session_id for n in range(2)]


@pytest.fixture
async def edge(gateway) -> audience_pb2_grpc.AudienceServiceStub:
    return audience_pb2_grpc.AudienceServiceStub(gateway.channel("integration"))


@pytest.fixture
async def officer(gateway) -> audience_pb2_grpc.AudienceServiceStub:
    return audience_pb2_grpc.AudienceServiceStub(gateway.channel("compliance_officer"))


def batch(session_id: str, joins=(), heartbeats=(), leaves=()) -> pb.ReportViewersRequest:
    return pb.ReportViewersRequest(session_id=session_id, joins=list(joins), heartbeats=list(heartbeats), leaves=list(leaves))


async def report(edge, *messages: pb.ReportViewersRequest) -> pb.ReportViewersResponse:
    return await edge.ReportViewers(iter(messages), timeout=10)


async def counts(stub, *session_ids: str) -> pb.GetViewerCountsResponse:
    return await stub.GetViewerCounts(pb.GetViewerCountsRequest(session_ids=list(session_ids)), timeout=10)


async def figures(stub, *session_ids: str) -> list[tuple[int, int]]:
    return [(s.current, s.peak) for s in (await counts(stub, *session_ids)).sessions]


def refusal(error: grpc.aio.AioRpcError) -> dict:
    """The code, {field: reason (the rule)}, the PreconditionFailure rules and applied_messages."""
    out: dict = {"code": error.code(), "fields": {}, "rules": [], "applied": None, "request_id": None}
    status = rpc_status.from_call(error)
    for detail in status.details if status else ():
        for kind in (error_details_pb2.BadRequest, error_details_pb2.PreconditionFailure, error_details_pb2.ErrorInfo):
            if detail.Is(kind.DESCRIPTOR):
                message = kind()
                detail.Unpack(message)
                if isinstance(message, error_details_pb2.BadRequest):
                    out["fields"].update({v.field: v.reason for v in message.field_violations})
                elif isinstance(message, error_details_pb2.PreconditionFailure):
                    out["rules"] += [v.type for v in message.violations]
                else:
                    out["applied"] = int(message.metadata["applied_messages"])
                    out["request_id"] = message.metadata.get("request_id")
    return out


async def refused(call) -> dict:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    return refusal(caught.value)


async def test_SES_08_exact_counts_duplicate_joins_and_unknown_leaves_through_the_gateway(edge, officer, gateway, rooms):
    one, two = rooms
    done = await report(
        edge,
        batch(one, joins=["v1", "v2", "v3", "v1"]),
        batch(two, joins=["v1", "w1"]),
        batch(one, joins=["v2"], heartbeats=["v3", "v4"], leaves=["v1", "ghost"]),
    )
    assert (done.messages, done.joined, done.duplicate_joins, done.heartbeats, done.heartbeat_joins, done.left, done.unknown_leaves) == (
        3, 5, 2, 2, 1, 1, 1,
    )
    read = await counts(officer, one, two)
    assert [(s.current, s.peak, s.live, s.unknown_leaves) for s in read.sessions] == [(3, 3, True, 1), (2, 2, True, 0)]  # peaks after each message
    assert (read.platform.current, read.platform.peak) == (5, 5)
    assert (read.heartbeat_seconds, read.timeout_seconds) == (10, 30)
    merchant = audience_pb2_grpc.AudienceServiceStub(gateway.channel("merchant"))
    own = await counts(merchant, one)
    assert [(s.current, s.peak) for s in own.sessions] == [(3, 3)] and not own.HasField("platform")


async def test_SES_08_the_platform_counts_are_exported_for_the_sre(edge, officer, rooms, session_service):
    one, two = rooms
    await report(edge, batch(one, joins=["v1", "v2", "v3"]), batch(two, joins=["w1"]), batch(one, leaves=["v3"]))
    exported = await scrape(session_service.ops.port)
    assert (exported.value("livecommerce_viewers_current"), exported.value("livecommerce_viewers_peak")) == (3, 4)


async def test_SES_08_peaks_are_durable_before_they_are_shown(edge, officer, rooms, db):
    one, _ = rooms
    await report(edge, batch(one, joins=[f"v{n}" for n in range(7)]), batch(one, leaves=["v0", "v1"]))
    assert await figures(officer, one) == [(5, 7)]
    assert await db.fetchval("SELECT peak FROM viewer_peaks WHERE session_id = $1", uuid.UUID(one)) == 7
    assert await db.fetchval("SELECT peak FROM platform_viewer_peak") == 7


async def test_SES_08_a_silent_viewer_times_out_by_the_clock(edge, officer, rooms, clock):
    one, _ = rooms
    await report(edge, batch(one, joins=["early"]))
    clock.advance(timedelta(seconds=1))
    await report(edge, batch(one, joins=["late", "gone"]))
    clock.advance(timedelta(seconds=1))
    await report(edge, batch(one, leaves=["gone"]))
    clock.advance(timedelta(seconds=29))  # early: silent 31 s; late: 30 s

    async def early_gone() -> bool:
        return (await counts(officer, one)).sessions[0].current == 1

    await wait_until(early_gone, within=5)
    session = (await counts(officer, one)).sessions[0]
    assert (session.current, session.peak, session.timed_out) == (1, 3, 1)  # late stays: not silent for longer than 30 s
    done = await report(edge, batch(one, heartbeats=["late", "early"]))
    assert (done.heartbeat_joins, done.timed_out) == (1, 0)
    assert await figures(officer, one) == [(2, 3)]


async def test_SES_08_an_ended_session_counts_nobody_its_peak_frozen_and_takes_no_more_viewers(edge, officer, gateway, rooms):
    one, two = rooms
    await report(edge, batch(one, joins=["a", "b", "c"]), batch(two, joins=["d"]))
    merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
    await merchant.EndSession(session_pb.EndSessionRequest(request_id=rid(), session_id=one))

    async def ended() -> bool:
        return (await counts(officer, one)).sessions[0].live is False

    await wait_until(ended, within=5)
    read = await counts(officer, one, two)
    assert [(s.current, s.peak) for s in read.sessions] == [(0, 3), (1, 1)]
    assert (read.platform.current, read.platform.peak) == (1, 4)
    late = batch(one, heartbeats=["a"], joins=["x"])
    late.request_id = "edge-7-msg-42"
    error = await refused(report(edge, batch(two, joins=["e"]), late))
    assert error["code"] == grpc.StatusCode.FAILED_PRECONDITION and error["request_id"] == "edge-7-msg-42"
    assert error["rules"] == ["SES-08"] and error["fields"] == {"session_id": "SES-08"} and error["applied"] == 1
    assert await figures(officer, one, two) == [(0, 3), (2, 2)]  # the message before was applied, the refused one not


BAD_MESSAGES = {
    "unknown session": (lambda live: batch(str(uuid.uuid4()), joins=["a"]), grpc.StatusCode.FAILED_PRECONDITION, "session_id"),
    "malformed session id": (lambda live: batch("room-1", joins=["a"]), grpc.StatusCode.INVALID_ARGUMENT, "session_id"),
    "batch above the limit": (lambda live: batch(live, joins=[f"v{n}" for n in range(MAX_BATCH)], leaves=["x"]), grpc.StatusCode.INVALID_ARGUMENT, "joins"),
    "malformed join": (lambda live: batch(live, joins=["ok", "has space"]), grpc.StatusCode.INVALID_ARGUMENT, "joins[1]"),
    "malformed heartbeat": (lambda live: batch(live, heartbeats=["a\nb"]), grpc.StatusCode.INVALID_ARGUMENT, "heartbeats[0]"),
    "malformed leave": (lambda live: batch(live, leaves=["x" * 65]), grpc.StatusCode.INVALID_ARGUMENT, "leaves[0]"),
    "empty viewer id": (lambda live: batch(live, joins=[""]), grpc.StatusCode.INVALID_ARGUMENT, "joins[0]"),
}


@pytest.mark.parametrize("case", BAD_MESSAGES.values(), ids=BAD_MESSAGES.keys())
async def test_SES_08_a_refused_message_changes_no_count_and_names_field_and_rule(edge, officer, rooms, case):
    make, code, field = case
    one, two = rooms
    await report(edge, batch(one, joins=["a", "b"]))
    before = await counts(officer, one, two)
    error = await refused(report(edge, batch(two, joins=["c"]), batch(two, leaves=["c"]), make(one), batch(one, joins=["late"])))
    assert error["code"] == code and error["applied"] == 2
    if field == "session_id" and code == grpc.StatusCode.INVALID_ARGUMENT:
        assert field in error["fields"]  # not a UUID: no session could be named by it
    else:
        assert error["fields"] == {field: "SES-08"}
    after = await counts(officer, one, two)
    assert [(s.current, s.peak) for s in after.sessions] == [(2, 2), (0, 1)]
    assert (after.platform.current, after.platform.peak) == (before.platform.current, 3)


UNDECODABLE = {
    "garbage": b"\xff\xff\xff\xff",
    "truncated varint": b"\x0a\x80",
    "invalid UTF-8 in a join": b"\x12\x02\xff\xfe",  # ReportViewersRequest.joins = [b"\xff\xfe"]
}


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
async def test_SES_08_bytes_that_are_not_a_message_are_refused_and_change_nothing(gateway, officer, rooms, payload):
    one, _ = rooms
    good = batch(one, joins=["a", "b"]).SerializeToString()
    method = gateway.channel("integration").stream_unary("/livecommerce.session.v1.AudienceService/ReportViewers")
    error = await refused(method(iter([good, payload, good]), timeout=10))
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT and error["applied"] == 1
    assert await figures(officer, one) == [(2, 2)]


async def test_PLT_04_viewer_counts_keep_to_the_merchants_tenancy(session_service, pki, rooms, edge):
    one, _ = rooms
    await report(edge, batch(one, joins=["a"]))
    async with forwarded_identities(session_service.port, pki) as open_channel:
        other = audience_pb2_grpc.AudienceServiceStub(open_channel("merchant", "m-other"))
        error = await refused(counts(other, one))
        assert error["code"] == grpc.StatusCode.NOT_FOUND
        watch = other.WatchViewerCounts(pb.WatchViewerCountsRequest(session_id=one))
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await watch.read()
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        own = audience_pb2_grpc.AudienceServiceStub(open_channel("merchant", "m-demo"))
        assert await figures(own, one) == [(1, 1)]


async def test_PLT_04_only_the_edge_reports_viewers(gateway, rooms):
    merchant = audience_pb2_grpc.AudienceServiceStub(gateway.channel("merchant"))
    error = await refused(report(merchant, batch(rooms[0], joins=["a"])))
    assert error["code"] == grpc.StatusCode.PERMISSION_DENIED


async def test_SES_08_counts_are_pushed_when_they_change(edge, gateway, rooms):
    one, _ = rooms
    watcher = audience_pb2_grpc.AudienceServiceStub(gateway.channel("integration"))
    stream = watcher.WatchViewerCounts(pb.WatchViewerCountsRequest(session_id=one))
    first = await asyncio.wait_for(stream.read(), 5)
    assert (first.session.current, first.session.live, first.platform.current) == (0, True, 0)
    await report(edge, batch(one, joins=["a", "b", "c"]))
    pushed = await asyncio.wait_for(stream.read(), 5)
    assert (pushed.session.current, pushed.session.peak, pushed.platform.peak) == (3, 3, 3)
    await report(edge, batch(one, leaves=["a"]))
    pushed = await asyncio.wait_for(stream.read(), 5)
    assert (pushed.session.current, pushed.session.peak) == (2, 3)
    stream.cancel()
