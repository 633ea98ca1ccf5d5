"""ANC-13: whether an anchor is a digital human is part of its file, so a revision that changes it
takes effect when that revision is approved: on the anchor's record (the room label at go-live)
and in the `AnchorFileApproved` event, from which the session service labels the room."""

from __future__ import annotations

from datetime import date

import asyncpg

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import events_pb2
from livecommerce.common.v1 import envelope_pb2
from tests.anchor.builders import profile, rid
from tests.anchor.discipline_builders import eligible_anchor
from tests.support import resident_id


async def approved_events(database_url: str, anchor_id: str) -> dict[int, events_pb2.AnchorFileApproved]:
    """The AnchorFileApproved events of one anchor in the outbox, by version."""
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "anchor"})
    try:
        rows = await conn.fetch("SELECT envelope FROM outbox WHERE subject LIKE '%.anchor.file.approved' ORDER BY seq")
    finally:
        await conn.close()
    found = {}
    for row in rows:
        approved = events_pb2.AnchorFileApproved()
        envelope_pb2.EventEnvelope.FromString(row["envelope"]).payload.Unpack(approved)
        if approved.anchor_id == anchor_id:
            found[approved.version] = approved
    return found


async def revise_and_approve(agency, officer, anchor_id: str, message: pb.AnchorProfile, expected_latest_version: int) -> None:
    revised = (await agency.ReviseAnchorFile(pb.ReviseAnchorFileRequest(
        request_id=rid(), anchor_id=anchor_id, expected_latest_version=expected_latest_version, profile=message))).anchor
    await officer.ReviewAnchorFile(pb.ReviewAnchorFileRequest(
        request_id=rid(), anchor_id=anchor_id, version=revised.latest_version, decision=pb.REVIEW_DECISION_APPROVE, reason="ok"))


async def test_ANC_13_a_revision_to_a_digital_human_labels_the_room_once_approved(stubs_for, database_url):
    agency, officer = stubs_for("agency", "ag-1").anchors, stubs_for("compliance_officer").anchors
    number = resident_id(date(1995, 5, 17))  # a revision never changes whose file it is (ANC-02)
    anchor_id = await eligible_anchor(agency, officer, number=number)
    check = lambda: officer.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor_id))  # noqa: E731
    assert not (await check()).digital_human

    await revise_and_approve(agency, officer, anchor_id, profile(number=number, digital_human=True), 1)
    answer = await check()
    assert answer.digital_human and list(answer.room_labels) == ["数字 AI 直播"]

    await revise_and_approve(agency, officer, anchor_id, profile(number=number, digital_human=False), 2)
    answer = await check()
    assert not answer.digital_human and list(answer.room_labels) == []

    events = await approved_events(database_url, anchor_id)
    assert {version: event.digital_human for version, event in events.items()} == {1: False, 2: True, 3: False}

