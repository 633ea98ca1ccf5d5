"""Retention of session content and patrol records through a real gateway over mutual TLS (SES-07,
PLT-02, PLT-04): 60 days from the session's end, legal holds on a session, an anchor or a
merchant, kept kinds refused by name, and refused requests that change nothing. Sessions and
their content are written straight into the schema so their end can lie months back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import grpc
import pytest

from livecommerce.common.v1 import retention_pb2 as pb
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import retention_pb2_grpc
from tests import retention_rows as rows
from tests.replicas import GatewayUnderTest, gateway_to
from tests.support import refused

# The service's clock (tests/conftest.py: 2026-11-23 04:00 UTC) puts the cutoff 60 days back.
CUTOFF = datetime(2026, 9, 24, 4, 0, tzinfo=UTC)
ENDED_LONG_AGO = datetime(2026, 9, 1, 21, 0, tzinfo=UTC)
ENDED_RECENTLY = datetime(2026, 10, 15, 21, 0, tzinfo=UTC)
EVERYTHING = {t: 1 for t in (*rows.CONTENT, "promises", "sessions")}
PURGED = {"room_updates": 0, "session_hits": 0, "session_chunks": 0, "promises": 1, "sessions": 1}


@pytest.fixture
async def gateway(session_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("session", [f"127.0.0.1:{session_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


def stub(gateway: GatewayUnderTest, role: str) -> retention_pb2_grpc.RetentionServiceStub:
    return retention_pb2_grpc.RetentionServiceStub(gateway.channel(role))


async def ended(db, at: datetime, **scope) -> object:
    return await rows.session(db, ended_at=at, start=at - timedelta(hours=2), **scope)


async def test_SES_07_content_60_days_past_the_end_is_purged_unless_held_through_the_gateway(gateway, db):
    free = await ended(db, ENDED_LONG_AGO)
    held = await ended(db, ENDED_LONG_AGO, anchor_id="an-held")
    recent = await ended(db, ENDED_RECENTLY)
    officer, sre = stub(gateway, "compliance_officer"), stub(gateway, "platform_admin")
    hold = (
        await officer.PlaceLegalHold(
            pb.PlaceLegalHoldRequest(request_id="hold-1", scope=pb.HOLD_SCOPE_ANCHOR, scope_id="an-held", reason="complaint 4471")
        )
    ).hold
    status = {k.kind: k for k in (await sre.GetRetentionStatus(pb.GetRetentionStatusRequest())).kinds}
    for kind in rows.CONTENT:
        assert (status[kind].rule, status[kind].minimum, status[kind].counted_from) == ("SES-07", "60 days", "the session's end")
        assert (status[kind].rows_past_minimum, status[kind].rows_held) == (1, 1)
        assert status[kind].cutoff.ToDatetime(tzinfo=UTC) == CUTOFF
    assert all(status[k].kept for k in ("sessions", "session_history", "promises"))

    for kind in rows.CONTENT:
        answer = await sre.PurgeRecords(pb.PurgeRecordsRequest(request_id=f"purge-{kind}", kind=kind, older_than=stamp(CUTOFF)))
        assert (answer.purged, answer.held) == (1, 1)
    assert (await rows.content_of(db, free), await rows.content_of(db, held), await rows.content_of(db, recent)) == (
        PURGED, EVERYTHING, EVERYTHING,
    )
    await officer.ReleaseLegalHold(pb.ReleaseLegalHoldRequest(request_id="release-1", hold_id=hold.hold_id, reason="closed"))
    answer = await sre.PurgeRecords(pb.PurgeRecordsRequest(request_id="purge-again", kind="session_hits", older_than=stamp(CUTOFF)))
    assert (answer.purged, answer.held) == (1, 0)
    assert (await rows.content_of(db, held))["session_hits"] == 0


@pytest.mark.parametrize(
    ("kind", "older_than", "rule"),
    [
        ("room_updates", CUTOFF + timedelta(minutes=1), "SES-07"),
        ("session_hits", ENDED_RECENTLY, "SES-07"),
        ("sessions", ENDED_LONG_AGO, "PLT-02"),
        ("session_history", ENDED_LONG_AGO, "PLT-02"),
        ("promises", ENDED_LONG_AGO, "SES-10"),
    ],
)
async def test_SES_07_PLT_02_a_purge_inside_60_days_or_of_a_kept_kind_is_refused_and_changes_nothing(gateway, db, kind, older_than, rule):
    await ended(db, ENDED_LONG_AGO)
    await ended(db, ENDED_RECENTLY)
    tables = (*rows.CONTENT, "sessions", "promises", "legal_holds", "request_outcomes")
    before = await rows.snapshot(db, *tables)
    error = await refused(
        stub(gateway, "sre").PurgeRecords(pb.PurgeRecordsRequest(request_id="early", kind=kind, older_than=stamp(older_than)))
    )
    assert error["code"] == grpc.StatusCode.FAILED_PRECONDITION and error["rules"] == [rule] and "older_than" in error["fields"]
    assert await rows.snapshot(db, *tables) == before
    assert [tuple(r) for r in await db.fetch("SELECT action, kind FROM retention_audit")] == [("purge_refused", kind)]


async def test_SES_07_a_hold_on_a_session_id_in_capitals_still_covers_it(gateway, db):
    held = await ended(db, ENDED_LONG_AGO)
    await stub(gateway, "regulator").PlaceLegalHold(
        pb.PlaceLegalHoldRequest(request_id="hold-caps", scope=pb.HOLD_SCOPE_SESSION, scope_id=str(held).upper(), reason="inquiry")
    )
    answer = await stub(gateway, "sre").PurgeRecords(pb.PurgeRecordsRequest(request_id="p", kind="room_updates", older_than=stamp(CUTOFF)))
    assert (answer.purged, answer.held) == (0, 1)
    assert await rows.content_of(db, held) == EVERYTHING
    listed = await stub(gateway, "compliance_officer").ListLegalHolds(
        pb.ListLegalHoldsRequest(scope=pb.HOLD_SCOPE_SESSION, scope_id=str(held))
    )
    assert [h.scope_id for h in listed.holds] == [str(held)]
