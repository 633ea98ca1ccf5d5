"""ANC-03 and ANC-04 count age on the platform's calendar, Beijing time, at registration, approval
and go-live: in the eight hours after 16:00 UTC the date in Beijing is already the next day, so a
16th (or 18th) birthday in Beijing is not yet one in UTC. The service clock runs in UTC; these tests
sit in that window, where a UTC calendar would answer differently."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import grpc
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.runtime.clock import PLATFORM_TZ, platform_date
from tests.anchor.builders import profile, rid, with_guardian
from tests.anchor.discipline_builders import stamp
from tests.support import rich_error

# 2025-03-01T16:00Z is midnight starting 2025-03-02 in Beijing; until 2025-03-02T00:00Z the two calendars differ.
BEIJING_MIDNIGHT = datetime(2025, 3, 1, 16, 0, tzinfo=UTC)
SIXTEENTH_BIRTHDAY = date(2009, 3, 2)
EIGHTEENTH_BIRTHDAY = date(2007, 3, 2)


def test_the_window_is_where_the_calendars_differ():
    inside = BEIJING_MIDNIGHT + timedelta(hours=1)
    assert platform_date(inside) == date(2025, 3, 2) != inside.date()
    assert platform_date(BEIJING_MIDNIGHT - timedelta(microseconds=1)) == date(2025, 3, 1)
    assert PLATFORM_TZ.utcoffset(None) == timedelta(hours=8)


async def register(stub, message):
    return (await stub.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=message))).anchor


async def test_ANC_03_a_16th_birthday_in_beijing_registers_approves_and_goes_live_before_it_is_one_in_utc(stub_for, clock):
    agency, officer = stub_for("agency", "ag-1"), stub_for("compliance_officer")
    clock.set(BEIJING_MIDNIGHT - timedelta(microseconds=1))  # 23:59:59.999999 on 03-01 in Beijing: still 15
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(agency, with_guardian(profile(SIXTEENTH_BIRTHDAY)))
    assert rich_error(refused.value)["rules"] == ["ANC-03"]

    clock.set(BEIJING_MIDNIGHT + timedelta(hours=1))  # 01:00 on 03-02 in Beijing, 17:00 on 03-01 in UTC
    anchor = await register(agency, with_guardian(profile(SIXTEENTH_BIRTHDAY)))
    approved = (await officer.ReviewAnchorFile(pb.ReviewAnchorFileRequest(
        request_id=rid(), anchor_id=anchor.anchor_id, version=1, decision=pb.REVIEW_DECISION_APPROVE, reason="ok"))).anchor
    assert approved.approved_version == 1
    await officer.RecordTraining(pb.RecordTrainingRequest(
        request_id=rid(), anchor_id=anchor.anchor_id, kind=pb.TRAINING_KIND_ONBOARDING, course_id="law-2025",
        completed_at=stamp(clock.now() - timedelta(minutes=30)), passed=True))
    check = await officer.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor.anchor_id))
    assert check.eligible and list(check.blocks) == []


async def test_ANC_04_an_18th_birthday_in_beijing_needs_no_guardian_before_it_is_one_in_utc(stub_for, clock):
    agency = stub_for("agency", "ag-1")
    clock.set(BEIJING_MIDNIGHT - timedelta(microseconds=1))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(agency, profile(EIGHTEENTH_BIRTHDAY))
    assert "ANC-04" in rich_error(refused.value)["fields"]["profile.guardian"]
    clock.set(BEIJING_MIDNIGHT + timedelta(hours=7, minutes=59))  # 07:59 on 03-02 in Beijing, 23:59 on 03-01 in UTC
    anchor = await register(agency, profile(EIGHTEENTH_BIRTHDAY))
    assert anchor.latest_version == 1
