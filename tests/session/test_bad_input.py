"""Refusals name the code, the field and the rule, and write nothing (SES-01, SES-02, PLT-04)."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import session_pb2 as pb
from tests.session.messages import ALL_ITEMS, rid, schedule
from tests.support import rich_error


@pytest.fixture
async def world(merchant, upstream):
    await upstream.eligible_anchor("an-1")
    await upstream.listed_product("p-1")


async def refusal(call) -> dict:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call
    return rich_error(refused.value)


async def test_unknown_and_malformed_sessions(merchant, world):
    missing = await refusal(merchant.OpenRoom(pb.OpenRoomRequest(request_id=rid(), session_id="00000000-0000-0000-0000-000000000001")))
    assert missing["code"] == grpc.StatusCode.NOT_FOUND
    malformed = await refusal(merchant.GetSession(pb.GetSessionRequest(session_id="s-1")))
    assert malformed["code"] == grpc.StatusCode.INVALID_ARGUMENT and "session_id" in malformed["fields"]


async def test_SES_01_malformed_schedules_name_every_field(merchant, world, clock):
    request = schedule(clock, room_id="room with spaces", products=("p-1", "p-1"))
    request.planned_start.CopyFrom(stamp(clock.now() - timedelta(minutes=1)))
    error = await refusal(merchant.ScheduleSession(request))
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert {"room_id", "planned_start", "product_ids[1]"} <= error["fields"].keys()
    no_request_id = schedule(clock)
    no_request_id.request_id = ""
    assert "request_id" in (await refusal(merchant.ScheduleSession(no_request_id)))["fields"]
    too_many = schedule(clock, products=tuple(f"p-{n}" for n in range(101)))
    assert "product_ids" in (await refusal(merchant.ScheduleSession(too_many)))["fields"]
    assert not (await merchant.ListSessions(pb.ListSessionsRequest())).sessions


async def test_SES_02_a_checklist_too_early_writes_nothing(merchant, world, clock):
    session = (await merchant.ScheduleSession(schedule(clock, minutes=90))).session
    error = await refusal(merchant.CompleteChecklist(pb.CompleteChecklistRequest(request_id=rid(), session_id=session.session_id, items=ALL_ITEMS)))
    assert error["code"] == grpc.StatusCode.FAILED_PRECONDITION and error["rules"] == ["SES-02"]
    assert not (await merchant.GetSession(pb.GetSessionRequest(session_id=session.session_id))).session.checklist
