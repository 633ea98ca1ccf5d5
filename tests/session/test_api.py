"""The session core's course through its API (SES-01, SES-02, SES-06, SES-09, SES-10, PLT-02),
with anchors and products known only from their services' events (tests/session/upstream.py)."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from livecommerce.session.v1 import session_pb2 as pb
from tests.session.messages import ALL_ITEMS, live_session, rid, schedule
from tests.support import rich_error


@pytest.fixture
async def ready_world(merchant, upstream):
    await upstream.eligible_anchor("an-1")
    await upstream.eligible_anchor("an-ai", digital_human=True)
    for product_id in ("p-1", "p-2"):
        await upstream.listed_product(product_id)
    await upstream.listed_product("p-other", "m-2")


async def test_SES_01_schedule_open_end_with_a_lineup_from_the_product_events(merchant, ready_world, clock):
    scheduled = (await merchant.ScheduleSession(schedule(clock, products=("p-1", "p-2")))).session
    assert scheduled.status == pb.SESSION_STATUS_SCHEDULED and scheduled.merchant_id == "m-1" and scheduled.agency_id == "ag-1"
    assert [item.product_id for item in scheduled.lineup] == ["p-1", "p-2"] and scheduled.lineup[0].price_fen == 5990
    live = await live_session(merchant, clock, room_id="room-2")
    assert live.status == pb.SESSION_STATUS_LIVE and live.opened_at.seconds
    ended = (await merchant.EndSession(pb.EndSessionRequest(request_id=rid(), session_id=live.session_id))).session
    assert ended.status == pb.SESSION_STATUS_ENDED
    again = pb.EndSessionRequest(request_id=rid(), session_id=live.session_id)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await merchant.EndSession(again)
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_SES_01_a_retried_schedule_takes_effect_once(merchant, ready_world, clock):
    request = schedule(clock)
    first = (await merchant.ScheduleSession(request)).session
    assert (await merchant.ScheduleSession(request)).session.session_id == first.session_id
    listed = await merchant.ListSessions(pb.ListSessionsRequest())
    assert [s.session_id for s in listed.sessions] == [first.session_id]


async def test_SES_01_refuses_an_ineligible_anchor_and_another_merchants_product(merchant, ready_world, clock, upstream):
    with pytest.raises(grpc.aio.AioRpcError) as unknown_anchor:
        await merchant.ScheduleSession(schedule(clock, anchor_id="an-never-approved"))
    error = rich_error(unknown_anchor.value)
    assert error["code"] == grpc.StatusCode.FAILED_PRECONDITION and error["rules"] == ["ANC-09"] and "anchor_id" in error["fields"]
    with pytest.raises(grpc.aio.AioRpcError) as foreign:
        await merchant.ScheduleSession(schedule(clock, products=("p-1", "p-other")))
    error = rich_error(foreign.value)
    assert error["rules"] == ["PRD-10"] and list(error["fields"]) == ["product_ids[1]"]
    await upstream.sanction("an-1")
    await upstream.settled("SELECT sanction_rule IS NOT NULL FROM anchor_projection WHERE anchor_id = $1", "an-1")
    with pytest.raises(grpc.aio.AioRpcError) as sanctioned:
        await merchant.ScheduleSession(schedule(clock))
    assert rich_error(sanctioned.value)["rules"] == ["ANC-09"] and "ANC-07" in sanctioned.value.details()
    assert not (await merchant.ListSessions(pb.ListSessionsRequest())).sessions


async def test_SES_02_checklist_opens_30_minutes_before_the_start_and_the_room_only_when_ready(merchant, ready_world, clock):
    session = (await merchant.ScheduleSession(schedule(clock, minutes=45))).session
    with pytest.raises(grpc.aio.AioRpcError) as early:
        await merchant.CompleteChecklist(pb.CompleteChecklistRequest(request_id=rid(), session_id=session.session_id, items=ALL_ITEMS))
    assert rich_error(early.value)["rules"] == ["SES-02"]
    with pytest.raises(grpc.aio.AioRpcError) as not_ready:
        await merchant.OpenRoom(pb.OpenRoomRequest(request_id=rid(), session_id=session.session_id))
    assert rich_error(not_ready.value)["rules"] == ["SES-02"]
    clock.advance(timedelta(minutes=15))
    partial = pb.CompleteChecklistRequest(request_id=rid(), session_id=session.session_id, items=ALL_ITEMS[:2])
    assert (await merchant.CompleteChecklist(partial)).session.status == pb.SESSION_STATUS_SCHEDULED
    rest = pb.CompleteChecklistRequest(request_id=rid(), session_id=session.session_id, items=ALL_ITEMS[2:])
    ready = (await merchant.CompleteChecklist(rest)).session
    assert ready.status == pb.SESSION_STATUS_READY and len(ready.checklist) == 3
    assert (await merchant.OpenRoom(pb.OpenRoomRequest(request_id=rid(), session_id=session.session_id))).session.status == pb.SESSION_STATUS_LIVE


async def test_SES_02_one_live_session_per_room(merchant, ready_world, clock):
    await live_session(merchant, clock)
    second = (await merchant.ScheduleSession(schedule(clock))).session
    await merchant.CompleteChecklist(pb.CompleteChecklistRequest(request_id=rid(), session_id=second.session_id, items=ALL_ITEMS))
    with pytest.raises(grpc.aio.AioRpcError) as taken:
        await merchant.OpenRoom(pb.OpenRoomRequest(request_id=rid(), session_id=second.session_id))
    assert rich_error(taken.value)["rules"] == ["SES-02"]
    assert (await merchant.GetSession(pb.GetSessionRequest(session_id=second.session_id))).session.status == pb.SESSION_STATUS_READY


async def test_SES_09_labels_on_every_room_and_the_AI_label_for_a_digital_human(merchant, ready_world, clock):
    human = (await merchant.ScheduleSession(schedule(clock))).session
    ai = (await merchant.ScheduleSession(schedule(clock, anchor_id="an-ai", room_id="room-ai"))).session
    assert list(human.labels) == ["未成年人需监护人陪同观看"]
    assert list(ai.labels) == ["数字 AI 直播", "未成年人需监护人陪同观看"]


async def test_SES_06_an_officer_stops_the_stream_with_operator_and_reason(merchant, officer, ready_world, clock):
    live = await live_session(merchant, clock)
    with pytest.raises(grpc.aio.AioRpcError) as no_reason:
        await officer.StopStream(pb.StopStreamRequest(request_id=rid(), session_id=live.session_id))
    assert "reason" in rich_error(no_reason.value)["fields"]
    stopped = (await officer.StopStream(pb.StopStreamRequest(request_id=rid(), session_id=live.session_id, reason="违规导流"))).session
    assert stopped.status == pb.SESSION_STATUS_STOPPED
    assert (stopped.stop.rule_id, stopped.stop.reason, stopped.stop.operator.principal) == ("SES-06", "违规导流", "officer-wang")
    with pytest.raises(grpc.aio.AioRpcError) as merchant_tries:
        await merchant.StopStream(pb.StopStreamRequest(request_id=rid(), session_id=live.session_id, reason="x"))
    assert merchant_tries.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_SES_06_take_down_waits_for_the_product_service_and_ban_stops_the_stream(merchant, officer, ready_world, clock, upstream):
    live = await live_session(merchant, clock, products=("p-1", "p-2"))
    taken = await officer.TakeDownProduct(pb.TakeDownProductRequest(request_id=rid(), session_id=live.session_id, product_id="p-1", reason="虚假宣传"))
    assert [i.product_id for i in taken.session.lineup] == ["p-1", "p-2"]  # until the product service delists it
    await upstream.delist("p-1")
    await upstream.settled("SELECT NOT listed FROM product_projection WHERE product_id = $1", "p-1")
    shown = (await merchant.GetSession(pb.GetSessionRequest(session_id=live.session_id))).session
    assert [i.product_id for i in shown.lineup] == ["p-2"]
    banned = await officer.BanAnchor(pb.BanAnchorRequest(request_id=rid(), session_id=live.session_id, reason="严重违规"))
    assert banned.violation_id and banned.session.status == pb.SESSION_STATUS_STOPPED and banned.session.stop.rule_id == "SES-06"


async def test_SES_10_promises_bound_to_the_merchant_or_the_anchors_agency(merchant, ready_world, clock, upstream):
    live = await live_session(merchant, clock)
    to_merchant = (await merchant.RecordPromise(pb.RecordPromiseRequest(
        request_id=rid(), session_id=live.session_id, kind=pb.PROMISE_KIND_FREE_GIFT, text="拍下即送同款小样一份", product_id="p-1",
    ))).promise  # fmt: skip
    assert (to_merchant.responsible, to_merchant.responsible_id) == (pb.RESPONSIBLE_PARTY_MERCHANT, "m-1")
    to_agency = (await merchant.RecordPromise(pb.RecordPromiseRequest(
        request_id=rid(), session_id=live.session_id, kind=pb.PROMISE_KIND_SHIPPING_TIME, text="48小时内发货",
        responsible=pb.RESPONSIBLE_PARTY_AGENCY,
    ))).promise  # fmt: skip
    assert (to_agency.responsible, to_agency.responsible_id) == (pb.RESPONSIBLE_PARTY_AGENCY, "ag-1")
    await upstream.eligible_anchor("an-solo", agency_id="")
    solo = await live_session(merchant, clock, anchor_id="an-solo", room_id="room-solo")
    with pytest.raises(grpc.aio.AioRpcError) as no_agency:
        await merchant.RecordPromise(pb.RecordPromiseRequest(
            request_id=rid(), session_id=solo.session_id, kind=pb.PROMISE_KIND_OTHER, text="保价30天", responsible=pb.RESPONSIBLE_PARTY_AGENCY,
        ))  # fmt: skip
    error = rich_error(no_agency.value)
    assert error["rules"] == ["SES-10"] and "responsible" in error["fields"]
    listed = await merchant.ListPromises(pb.ListPromisesRequest(session_id=live.session_id))
    assert {p.promise_id for p in listed.promises} == {to_merchant.promise_id, to_agency.promise_id}


async def test_PLT_04_another_merchants_session_reads_as_missing(merchant, stub_for, ready_world, clock):
    session = (await merchant.ScheduleSession(schedule(clock))).session
    other = stub_for("merchant", "m-2")
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await other.GetSession(pb.GetSessionRequest(session_id=session.session_id))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as no_end:
        await other.CompleteChecklist(pb.CompleteChecklistRequest(request_id=rid(), session_id=session.session_id, items=ALL_ITEMS))
    assert no_end.value.code() == grpc.StatusCode.NOT_FOUND
