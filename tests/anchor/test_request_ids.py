"""Retries are safe: every write of the anchor service's four APIs requires a `request_id` (the
gateway retries a call once on UNAVAILABLE, and a first attempt may have committed before its
answer was lost), and a retry with the same id has one effect and the first call's answer."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import asyncpg
import grpc
import pytest

from livecommerce.anchor.v1 import agency_pb2 as gpb
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import credit_pb2 as cpb
from livecommerce.anchor.v1 import discipline_pb2 as dpb
from tests.anchor.builders import profile, rid
from tests.anchor.discipline_builders import eligible_anchor, outcome, report, stamp
from tests.support import credit_code, rich_error

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
    "ReviewAnchorFile": (
        lambda s, a, r, clock, session: s.anchors.ReviewAnchorFile(
            pb.ReviewAnchorFileRequest(request_id=r, anchor_id=PENDING_FILE[a], version=1, decision=pb.REVIEW_DECISION_APPROVE)
        ),
        lambda reply: reply.anchor,
    ),
    "BlacklistAnchor": (
        lambda s, a, r, clock, session: s.discipline.BlacklistAnchor(
            dpb.BlacklistAnchorRequest(request_id=r, anchor_id=a, reason="fraud ring")
        ),
        lambda reply: reply,
    ),
    "RegisterAgency": (
        lambda s, a, r, clock, session: ADMIN[a].agencies.RegisterAgency(new_agency(r)),
        lambda reply: reply.agency,
    ),
    "DecideCreditRepair": (
        lambda s, a, r, clock, session: s.credit.DecideCreditRepair(
            cpb.DecideCreditRepairRequest(request_id=r, repair_id=PENDING_REPAIR[a], decision=cpb.REPAIR_DECISION_APPROVE)
        ),
        lambda reply: reply,
    ),
    "AttestRiskPoint": (
        lambda s, a, r, clock, session: s.credit.AttestRiskPoint(
            cpb.AttestRiskPointRequest(
                request_id=r, subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_ANCHOR, id=a), point_number=21,
                level=cpb.RISK_LEVEL_HIGH, note="2026 年增值税申报逾期",
            )
        ),
        lambda reply: reply.point,
    ),
}
FRESH: dict[str, pb.AnchorProfile] = {}  # a registration's profile by request id, so a retry resends the same
REVISION: dict[str, pb.AnchorProfile] = {}  # a revision's profile by anchor id
PENDING_FILE: dict[str, str] = {}  # another anchor, registered and not yet reviewed, by anchor id
PENDING_REPAIR: dict[str, str] = {}  # another anchor's pending credit repair, by anchor id
ADMIN: dict[str, object] = {}  # the platform admin's stubs (agencies are the admin's to register), by anchor id
AGENCY_SEEDS: dict[str, int] = {}  # a registration's credit-code seed by request id, so a retry resends the same


def new_agency(request_id: str) -> gpb.RegisterAgencyRequest:
    seed = AGENCY_SEEDS.setdefault(request_id, 500 + len(AGENCY_SEEDS))
    return gpb.RegisterAgencyRequest(
        request_id=request_id, agency_id=f"ag-{seed}", legal_name="新机构有限公司", credit_code=credit_code(seed)
    )


async def prepared(stubs_for, clock) -> tuple:
    """An approved, trained anchor with one recorded violating session, past the repair observation
    period; beside it another anchor's file waiting for review and a third's pending credit repair."""
    agency, officer = stubs_for("agency", "ag-1"), stubs_for("compliance_officer")
    number = profile().identity.document_number
    anchor_id = await eligible_anchor(agency.anchors, officer.anchors, number=number)
    REVISION[anchor_id] = profile(number=number, display_name="小张改名")
    ADMIN[anchor_id] = stubs_for("platform_admin")
    pending = await agency.anchors.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()))
    PENDING_FILE[anchor_id] = pending.anchor.anchor_id
    repaired = await eligible_anchor(agency.anchors, officer.anchors)
    await officer.discipline.RecordSessionOutcome(outcome(repaired, clock.now(), violations=[report(clock.now())]))
    session = outcome(anchor_id, clock.now(), violations=[report(clock.now())])
    await officer.discipline.RecordSessionOutcome(session)
    clock.advance(timedelta(days=91))
    repair = await agency.credit.ApplyForCreditRepair(
        cpb.ApplyForCreditRepairRequest(request_id=rid(), subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_ANCHOR, id=repaired), statement="整改完成")
    )
    PENDING_REPAIR[anchor_id] = repair.repair.repair_id
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
    if method in ("RecordTraining", "RecordViolation", "RegisterAgency"):  # a new request id is a new write
        FRESH[different] = profile()
        assert effect(await call(officer, anchor_id, different, clock, session)) != effect(first)
    if method == "AttestRiskPoint":  # a new request id is a new attestation, however alike
        await call(officer, anchor_id, different, clock, session)
        assert (await snapshot(database_url))["risk_attestations"] == after_first["risk_attestations"] + 1


async def test_a_request_id_another_tenant_used_never_replays_their_result(stubs_for, database_url):
    """Request ids are the clients' choice, so two tenants can pick the same one: the second caller
    gets a refusal or its own result, never the first one's record (PLT-04)."""
    request = new_agency(f"shared-{uuid.uuid4().hex[:8]}")
    await stubs_for("platform_admin").agencies.RegisterAgency(request)
    with pytest.raises(grpc.aio.AioRpcError) as stranger:
        await stubs_for("agency", "ag-2").agencies.RegisterAgency(request)
    assert stranger.value.code() == grpc.StatusCode.ALREADY_EXISTS and "request_id" in stranger.value.details()
    assert request.agency_id not in stranger.value.details()
    officer, request_id = stubs_for("compliance_officer"), rid()
    attest = lambda agency_id: officer.credit.AttestRiskPoint(  # noqa: E731
        cpb.AttestRiskPointRequest(
            request_id=request_id, subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_AGENCY, id=agency_id), point_number=21,
            level=cpb.RISK_LEVEL_HIGH if agency_id == "ag-1" else cpb.RISK_LEVEL_LOW, note="申报情况",
        )
    )
    assert (await attest("ag-1")).point.level == cpb.RISK_LEVEL_HIGH
    assert (await attest("ag-2")).point.level == cpb.RISK_LEVEL_LOW  # another subject's own finding, not ag-1's
