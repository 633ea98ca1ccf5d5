"""The issue's acceptance path through the gateway, with the development certificates: two
violating sessions suspend (ANC-07), a violation after the suspension bans and notifies the
regulator (ANC-08), and every event of it is emitted once."""

from __future__ import annotations

import collections
from datetime import timedelta

import grpc
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc, discipline_pb2_grpc
from livecommerce.anchor.v1 import discipline_pb2 as dpb
from tests.anchor.discipline_builders import eligible_anchor, outcome, report
from tests.anchor.test_events import running_probe, wait_for_effects
from tests.conftest import client_tls

DISCIPLINE_EVENTS = {
    "livecommerce.anchor.v1.ViolationRecorded": 3,
    "livecommerce.anchor.v1.SanctionImposed": 2,  # suspended, then banned
    "livecommerce.anchor.v1.SanctionExpired": 1,
    "livecommerce.anchor.v1.RegulatorNotified": 1,
    "livecommerce.anchor.v1.CreditWarningRaised": 2,  # ANC-11 for the anchor and for its agency
}


async def test_ANC_07_ANC_08_through_the_gateway_suspension_then_ban_with_events_once_each(
    gateway, pki, clock, database_url, datastores, settings
):
    port, _ = gateway
    target = f"127.0.0.1:{port}"
    async with (
        grpc.aio.secure_channel(target, client_tls(pki, "agency").channel_credentials()) as agency,
        grpc.aio.secure_channel(target, client_tls(pki, "compliance_officer").channel_credentials()) as officer,
        grpc.aio.secure_channel(target, client_tls(pki, "regulator").channel_credentials()) as regulator,
    ):
        anchors, discipline = anchor_pb2_grpc.AnchorServiceStub(officer), discipline_pb2_grpc.DisciplineServiceStub(officer)
        anchor_id = await eligible_anchor(anchor_pb2_grpc.AnchorServiceStub(agency), anchors, agency_id="")

        async def eligibility() -> list[str]:
            answer = await anchors.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor_id))
            return [b.rule_id for b in answer.blocks]

        for _ in range(2):
            await discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
        assert await eligibility() == ["ANC-07"]
        clock.advance(timedelta(days=31))
        assert await eligibility() == []
        third = await discipline.RecordSessionOutcome(outcome(anchor_id, clock.now(), violations=[report(clock.now())]))
        assert third.standing.standing == dpb.STANDING_BANNED
        assert await eligibility() == ["ANC-08"]
        notices = await discipline_pb2_grpc.DisciplineServiceStub(regulator).ListRegulatorNotifications(
            dpb.ListRegulatorNotificationsRequest(anchor_id=anchor_id)
        )
        [notice] = notices.notifications
        assert notice.change.rule_id == "ANC-08" and notice.change.choice_was_default
        assert notice.change.choice == dpb.ESCALATION_CHOICE_BAN_SIX_MONTHS
        with pytest.raises(grpc.aio.AioRpcError) as denied:  # PLT-04: only compliance officers record
            await discipline_pb2_grpc.DisciplineServiceStub(agency).RecordSessionOutcome(
                outcome(anchor_id, clock.now(), violations=[report(clock.now())])
            )
        assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED

    async with running_probe(database_url, datastores.nats_url, settings) as (pool, drained):
        minimum = sum(DISCIPLINE_EVENTS.values())
        rows = await wait_for_effects(pool, minimum)
        await drained()  # any duplicate that would arrive has arrived
        async with pool.acquire() as conn:
            rows = await conn.fetch("SELECT event_id, type FROM effects")
    seen = collections.Counter(r["type"] for r in rows)
    assert {kind: seen[kind] for kind in DISCIPLINE_EVENTS} == DISCIPLINE_EVENTS
    assert len({r["event_id"] for r in rows}) == len(rows)  # no event handled twice

