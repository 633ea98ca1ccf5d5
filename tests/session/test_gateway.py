"""The session service behind a real gateway with the development certificates (PLT-04, PLT-05):
the merchant's tenant comes from its certificate (m-demo), and the policy admits officers' actions
only to officers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest

from livecommerce.session.v1 import session_pb2 as pb
from livecommerce.session.v1 import session_pb2_grpc
from tests.replicas import GatewayUnderTest, gateway_to
from tests.session.messages import ALL_ITEMS, rid, schedule


@pytest.fixture
async def gateway(session_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("session", [f"127.0.0.1:{session_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


async def test_SES_01_02_schedule_checklist_open_end_through_the_gateway(gateway, upstream, clock):
    await upstream.eligible_anchor("an-1")
    await upstream.listed_product("p-1", "m-demo")
    merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
    session = (await merchant.ScheduleSession(schedule(clock))).session
    assert session.merchant_id == "m-demo"
    await merchant.CompleteChecklist(pb.CompleteChecklistRequest(request_id=rid(), session_id=session.session_id, items=ALL_ITEMS))
    assert (await merchant.OpenRoom(pb.OpenRoomRequest(request_id=rid(), session_id=session.session_id))).session.status == pb.SESSION_STATUS_LIVE
    with pytest.raises(grpc.aio.AioRpcError) as denied:
        await merchant.StopStream(pb.StopStreamRequest(request_id=rid(), session_id=session.session_id, reason="x"))
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    ended = (await merchant.EndSession(pb.EndSessionRequest(request_id=rid(), session_id=session.session_id))).session
    assert ended.status == pb.SESSION_STATUS_ENDED
