"""Retries are safe: every write of the anchor service's four APIs that carries a `request_id`
requires one (the gateway retries a call once on UNAVAILABLE, and a first attempt may have
committed before its answer was lost), and a retry with the same id has one effect."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import asyncpg
import grpc
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import credit_pb2 as cpb
from livecommerce.anchor.v1 import discipline_pb2 as dpb
from tests.anchor.builders import profile, rid
from tests.anchor.discipline_builders import eligible_anchor, outcome, report, stamp
from tests.support import rich_error

# Every table a write can touch, the outbox included; leases and read logs change on their own.
TABLES = (
    "anchors", "anchor_file_versions", "anchor_trainings", "anchor_history", "agencies", "anchor_sessions", "violations",
    "anchor_standing", "standing_changes", "regulator_notifications", "credit_items", "credit_archives", "credit_history",
    "credit_warnings", "credit_repairs", "risk_attestations", "outbox",
)


async def snapshot(database_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "anchor"})
    try:
        return {table: await conn.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES}
    finally:
        await conn.close()


def training(anchor_id: str, request_id: str) -> pb.RecordTrainingRequest:
    return pb.RecordTrainingRequest(
        request_id=request_id, anchor_id=anchor_id, kind=pb.TRAINING_KIND_PERIODIC, course_id="law-refresher",
        completed_at=stamp(datetime(2026, 1, 6)), passed=True,
    )


# Each write: how to call it for an anchor (with a given request id) and what identifies its effect.
WRITES = {
    "RegisterAnchor": (
        lambda s, a, r, clock, session: s.anchors.RegisterAnchor(pb.RegisterAnchorRequest(request_id=r, profile=FRESH[r])),
        lambda reply: reply.anchor.anchor_id,
    ),
    "ReviseAnchorFile": (
        lambda s, a, r, clock, session: s.anchors.ReviseAnchorFile(
            pb.ReviseAnchorFileRequest(request_id=r, anchor_id=a, expected_latest_version=1, profile=REVISION[a])
        ),
        lambda reply: reply.anchor.latest_version,
    ),
    "RecordTraining": (
        lambda s, a, r, clock, session: s.anchors.RecordTraining(training(a, r)),
        lambda reply: reply.training.training_id,
    ),
    "RecordSessionOutcome": (
        lambda s, a, r, clock, session: s.discipline.RecordSessionOutcome(
            outcome(a, clock.now(), violations=[report(clock.now())], session_id=f"s-{r}", request_id=r)
        ),
        lambda reply: [v.violation_id for v in reply.violations],
    ),
    "RecordViolation": (
        lambda s, a, r, clock, session: s.discipline.RecordViolation(
            dpb.RecordViolationRequest(request_id=r, anchor_id=a, session_id=session, violation=report(clock.now()))
        ),
        lambda reply: reply.violation.violation_id,
    ),
    "ApplyForCreditRepair": (
        lambda s, a, r, clock, session: s.credit.ApplyForCreditRepair(
            cpb.ApplyForCreditRepairRequest(
                request_id=r, subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_ANCHOR, id=a), statement="整改完成"
            )
        ),
        lambda reply: reply.repair.repair_id,
    ),
}
FRESH: dict[str, pb.AnchorProfile] = {}  # a registration's profile by request id, so a retry resends the same
REVISION: dict[str, pb.AnchorProfile] = {}  # a revision's profile by anchor id


async def prepared(stubs_for, clock) -> tuple:
    """An approved, trained anchor with one recorded violating session, past the repair observation period."""
    agency, officer = stubs_for("agency", "ag-1"), stubs_for("compliance_officer")
    number = profile().identity.document_number
    anchor_id = await eligible_anchor(agency.anchors, officer.anchors, number=number)
    REVISION[anchor_id] = profile(number=number, display_name="小张改名")
    session = outcome(anchor_id, clock.now(), violations=[report(clock.now())])
    await officer.discipline.RecordSessionOutcome(session)
    clock.advance(timedelta(days=91))
    return officer, anchor_id, session.session_id


@pytest.mark.parametrize("method", sorted(WRITES))
async def test_a_write_without_request_id_is_refused_and_changes_nothing(stubs_for, clock, database_url, method):
    officer, anchor_id, session = await prepared(stubs_for, clock)
    FRESH[""] = profile()
    call, _ = WRITES[method]
    before = await snapshot(database_url)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call(officer, anchor_id, "", clock, session)
    error = rich_error(refused.value)
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT and error["fields"].keys() == {"request_id"}
    assert "required" in error["fields"]["request_id"]
    assert await snapshot(database_url) == before


@pytest.mark.parametrize("method", sorted(WRITES))
async def test_a_retry_after_a_lost_answer_has_one_effect(stubs_for, clock, database_url, method):
    """The first attempt commits (its answer could have been lost on the way back); the retry with
    the same request id answers with the same result and writes nothing more, events included."""
    officer, anchor_id, session = await prepared(stubs_for, clock)
    request_id = f"retry-{uuid.uuid4().hex[:8]}"
    FRESH[request_id] = profile()
    call, effect = WRITES[method]
    first = await call(officer, anchor_id, request_id, clock, session)
    after_first = await snapshot(database_url)
    again = await call(officer, anchor_id, request_id, clock, session)
    assert effect(again) == effect(first)
    assert await snapshot(database_url) == after_first
    different = rid()
    if method in ("RecordTraining", "RecordViolation"):  # a new request id is a new write
        FRESH[different] = profile()
        assert effect(await call(officer, anchor_id, different, clock, session)) != effect(first)
