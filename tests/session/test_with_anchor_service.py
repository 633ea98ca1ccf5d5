"""The session and anchor services together on the same datastores and subject root (ANC-07,
ANC-09, SES-01, SES-05): the session service learns an anchor from the anchor service's real
events, two violating sessions (a grade-a patrol hit each) reach the anchor's ladder through
SessionEnded, the suspension comes back as SanctionImposed, and the anchor may not go live."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from livecommerce.anchor.v1 import discipline_pb2 as dpb
from livecommerce.session.v1 import session_pb2 as pb
from services.session.patrol import ChunkResult, Grade, Hit, HitKind, Source
from services.session.verdicts import Verdict
from tests.anchor.conftest import anchor_service_beside, anchor_settings
from tests.anchor.discipline_builders import eligible_anchor
from tests.session.messages import live_session, schedule
from tests.session.test_verdicts import sink
from tests.support import rich_error


@pytest.fixture
async def anchor_stubs(database_url, datastores, subject_root, pki, clock, session_service):
    async with anchor_service_beside(anchor_settings(database_url, datastores.nats_url, subject_root, pki), clock, pki) as stubs_for:
        yield stubs_for


async def test_ANC_07_two_violating_sessions_suspend_the_anchor_and_the_room_refuses_them(
    merchant, session_service, anchor_stubs, upstream, clock
):
    officer = anchor_stubs("compliance_officer")
    anchor_id = await eligible_anchor(anchor_stubs("agency", "ag-1").anchors, officer.anchors)
    await upstream.settled("SELECT approved AND onboarded FROM anchor_projection WHERE anchor_id = $1", anchor_id)
    await upstream.listed_product("p-1")
    acting = sink(session_service)
    for n in range(2):
        live = await live_session(merchant, clock, anchor_id=anchor_id, room_id=f"room-{n}")
        clock.advance(timedelta(minutes=30))
        hit = Hit("国家级", "absolute_terms", Grade.A, 0, 3, HitKind.TERM, "v1")
        await acting.act([Verdict(live.session_id, f"c-{n}", Source.ANCHOR_SPEECH, ChunkResult((hit,), Grade.A, "v1"))])
        stopped = (await merchant.GetSession(pb.GetSessionRequest(session_id=live.session_id))).session
        assert stopped.status == pb.SESSION_STATUS_STOPPED and stopped.stop.rule_id == "SES-05"
        clock.advance(timedelta(minutes=5))
    await upstream.settled("SELECT sanction_rule IS NOT NULL FROM anchor_projection WHERE anchor_id = $1", anchor_id, within=15)
    standing = (await officer.discipline.GetStanding(dpb.GetStandingRequest(anchor_id=anchor_id))).standing
    assert standing.standing == dpb.STANDING_SUSPENDED
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await merchant.ScheduleSession(schedule(clock, anchor_id=anchor_id, room_id="room-9"))
    assert rich_error(refused.value)["rules"] == ["ANC-09"]
