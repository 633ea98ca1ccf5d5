"""CreditService over real mutual TLS, PostgreSQL and JetStream: ANC-10, ANC-11, ANC-12, RSK-01,
RSK-02, TRD-06 and CMP-04. Facts arrive the way production feeds them: violations through the
DisciplineService, complaints and trades as other services' events on JetStream."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import grpc
import pytest
from google.protobuf import timestamp_pb2

from livecommerce.anchor.v1 import anchor_pb2 as apb
from livecommerce.anchor.v1 import anchor_pb2_grpc, credit_pb2_grpc, discipline_pb2_grpc
from livecommerce.anchor.v1 import credit_pb2 as pb
from livecommerce.anchor.v1 import discipline_pb2 as dpb
from livecommerce.common.v1 import conduct_pb2
from livecommerce.complaint.v1 import events_pb2 as complaint_events
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.identity import Caller
from livecommerce.trade.v1 import events_pb2 as trade_events
from tests.anchor.builders import profile, rid
from tests.conftest import bounded, server_tls
from tests.support import digest, publish_event, refused, wait_until_acknowledged

MAJOR = conduct_pb2.VIOLATION_SEVERITY_MAJOR
BANNED, PRIVACY = conduct_pb2.VIOLATION_CATEGORY_BANNED_CONTENT, conduct_pb2.VIOLATION_CATEGORY_PRIVACY_LEAK


@dataclass(frozen=True)
class Client:
    anchors: anchor_pb2_grpc.AnchorServiceStub
    discipline: discipline_pb2_grpc.DisciplineServiceStub
    credit: credit_pb2_grpc.CreditServiceStub


@pytest.fixture
async def client(anchor_service, pki) -> AsyncIterator[Callable[..., Client]]:
    """client(role, tenant="") -> stubs over one channel presenting the gateway's certificate."""
    channels = []

    def make(role: str, tenant: str = "", principal: str | None = None) -> Client:
        caller = Caller(principal=principal or f"{role}-tester", role=role, tenant=tenant)
        channel = secure_channel(f"127.0.0.1:{anchor_service.port}", server_tls(pki, "gateway"), caller=caller)
        channels.append(channel)
        return Client(anchor_pb2_grpc.AnchorServiceStub(channel), discipline_pb2_grpc.DisciplineServiceStub(channel),
                      credit_pb2_grpc.CreditServiceStub(channel))

    yield make
    for channel in channels:
        await bounded(channel.close(), "close a client channel")


@pytest.fixture
async def js(anchor_service, datastores):
    nc = await datastores.nats_client("credit-test")
    yield nc.jetstream()
    await nc.close()


def stamp(moment: datetime) -> timestamp_pb2.Timestamp:
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


def anchor_subject(anchor_id: str) -> pb.CreditSubject:
    return pb.CreditSubject(kind=pb.SUBJECT_KIND_ANCHOR, id=anchor_id)


AG1 = pb.CreditSubject(kind=pb.SUBJECT_KIND_AGENCY, id="ag-1")


async def new_anchor(c: Client, officer: Client | None = None, *, trained_at: datetime | None = None) -> str:
    """Registered by agency ag-1; approved by `officer` and onboarding-trained when trained_at is given."""
    anchor_id = (await c.anchors.RegisterAnchor(apb.RegisterAnchorRequest(request_id=rid(), profile=profile()))).anchor.anchor_id
    if officer is not None:
        await officer.anchors.ReviewAnchorFile(
            apb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=anchor_id, version=1, decision=apb.REVIEW_DECISION_APPROVE, reason="ok"))
    if trained_at is not None:
        await train((officer or c), anchor_id, trained_at)
    return anchor_id


async def train(c: Client, anchor_id: str, at: datetime) -> None:
    await c.anchors.RecordTraining(apb.RecordTrainingRequest(
        request_id=rid(), anchor_id=anchor_id, kind=apb.TRAINING_KIND_ONBOARDING, course_id="law-2026", completed_at=stamp(at), passed=True))


def report(clock, category=BANNED, severity=MAJOR) -> conduct_pb2.ViolationReport:
    return conduct_pb2.ViolationReport(
        category=category, severity=severity, description="说了“国家级”",
        evidence=[conduct_pb2.EvidenceRef(uri="s3://e/1.mp4", sha256=digest("clip"))],
        occurred_at=stamp(clock.now() - timedelta(minutes=5)),
    )


async def session(officer: Client, clock, anchor_id: str, *violations) -> dpb.RecordSessionOutcomeResponse:
    """One ended live session with these violations (none: a clean session)."""
    now = clock.now()
    return await officer.discipline.RecordSessionOutcome(dpb.RecordSessionOutcomeRequest(
        request_id=uuid.uuid4().hex, session_id=f"s-{uuid.uuid4().hex[:12]}", anchor_id=anchor_id,
        started_at=stamp(now - timedelta(hours=2)), ended_at=stamp(now), violations=list(violations)))


async def archive(c: Client, subject: pb.CreditSubject) -> pb.CreditArchive:
    return (await c.credit.GetCreditArchive(pb.GetCreditArchiveRequest(subject=subject))).archive


async def history(c: Client, subject: pb.CreditSubject) -> list[pb.CreditChange]:
    return list((await c.credit.GetCreditHistory(pb.GetCreditHistoryRequest(subject=subject))).changes)


async def warnings(c: Client, subject: pb.CreditSubject | None = None) -> list[pb.CreditWarning]:
    return list((await c.credit.ListCreditWarnings(pb.ListCreditWarningsRequest(subject=subject))).warnings)


async def publish(js, settings, source: str, verb_path: str, payload, event_id: str | None = None) -> tuple[str, int]:
    return await publish_event(js, settings.subject_root, source, verb_path, payload, event_id=event_id)


async def settled(js, settings, source: str, seq: int) -> None:
    """Every message up to `seq` on the source's stream is handled and acknowledged by the anchor service."""
    await wait_until_acknowledged(js, settings.stream_for(source), f"anchor-from-{source}", seq=seq)


def points(report_: pb.RiskReport) -> dict[int, pb.RiskPointAssessment]:
    return {p.number: p for p in report_.points}


def order(anchor_id: str, n: int) -> trade_events.OrderCompleted:
    return trade_events.OrderCompleted(order_id=f"o-{n}", platform="taobao", external_order_id=f"x-{n}", anchor_id=anchor_id)


# -- ANC-10: the archive


async def test_ANC_10_archive_scores_violations_and_training_for_anchor_and_agency(client, clock):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    anchor_id = await new_anchor(agency, officer)
    fresh = await archive(agency, anchor_subject(anchor_id))
    assert (fresh.score, fresh.risk_level, fresh.violations) == (100.0, pb.RISK_LEVEL_LOW, 0)

    await session(officer, clock, anchor_id, report(clock, severity=MAJOR))
    after = await archive(agency, anchor_subject(anchor_id))
    assert after.score == 95.0 and after.violations == 1 and after.violations_since_repair == 1
    assert any(p.name.startswith("violations (major x1") and p.points == -5.0 for p in after.score_parts)
    [change] = await history(officer, anchor_subject(anchor_id))
    assert (change.cause, change.old_score, change.new_score) == ("violation", 100.0, 95.0)
    assert change.new_level == pb.RISK_LEVEL_LOW
    assert (await archive(agency, AG1)).violations == 1

    await train(officer, anchor_id, clock.now() - timedelta(days=1))
    trained = await archive(agency, anchor_subject(anchor_id))
    assert (trained.score, trained.trainings_passed) == (97.0, 1)
    assert [c.cause for c in await history(officer, anchor_subject(anchor_id))] == ["violation", "training"]


async def test_ANC_10_CMP_04_TRD_06_complaint_and_trade_events_count_once(client, js, settings, clock):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    anchor_id = await new_anchor(agency)
    complaint = complaint_events.ComplaintUpheld(complaint_id="c-1", anchor_id=anchor_id, category="false_advertising",
                                                 upheld_at=stamp(clock.now()))
    complaint_id, _ = await publish(js, settings, "complaint", "complaint.upheld", complaint)
    order_id, _ = await publish(js, settings, "trade", "order.completed", order(anchor_id, 1))
    await publish(js, settings, "trade", "order.completed", order(anchor_id, 2))
    return_id, _ = await publish(js, settings, "trade", "return.completed",
                                 trade_events.ReturnCompleted(order_id="o-1", anchor_id=anchor_id))
    async with asyncio.timeout(20):
        while (a := await archive(agency, anchor_subject(anchor_id))).orders < 2 or a.returns < 1 or a.upheld_complaints < 1:
            await asyncio.sleep(0.05)
    assert (a.upheld_complaints, a.orders, a.returns, a.return_rate) == (1, 2, 1, 0.5)
    assert a.score == 97.0  # complaint -3; too few orders for the return rate to count (20)
    causes = [c.cause for c in await history(officer, anchor_subject(anchor_id))]
    assert sorted(causes) == ["order", "order", "return", "upheld_complaint"]

    # Redelivery: the same envelopes again under new broker message ids, then a distinct order.
    _, complaint_seq = await publish(js, settings, "complaint", "complaint.upheld", complaint, complaint_id)
    await publish(js, settings, "trade", "order.completed", order(anchor_id, 1), order_id)
    await publish(js, settings, "trade", "return.completed", trade_events.ReturnCompleted(order_id="o-1", anchor_id=anchor_id), return_id)
    _, trade_seq = await publish(js, settings, "trade", "order.completed", order(anchor_id, 3))
    await settled(js, settings, "complaint", complaint_seq)
    await settled(js, settings, "trade", trade_seq)
    again = await archive(agency, anchor_subject(anchor_id))
    assert (again.upheld_complaints, again.orders, again.returns) == (1, 3, 1)
    agency_archive = await archive(agency, AG1)
    assert (agency_archive.upheld_complaints, agency_archive.orders, agency_archive.returns) == (1, 3, 1)


async def test_ANC_10_TRD_06_a_batchs_OrdersCompleted_counts_each_of_the_anchors_orders_once(client, js, settings):
    agency = client("agency", "ag-1")
    anchor_id = await new_anchor(agency)
    batch = trade_events.OrdersCompleted(
        platform="taobao", order_ids=["o-1", "o-2", "o-3", "o-4"], external_order_ids=["x-1", "x-2", "x-3", "x-4"],
        anchor_ids=[anchor_id, "", anchor_id, "an-not-ours"],  # one unlinked, one of an anchor we keep no archive of
    )
    event_id, _ = await publish(js, settings, "trade", "orders.completed", batch)
    async with asyncio.timeout(20):
        while (await archive(agency, anchor_subject(anchor_id))).orders < 2:
            await asyncio.sleep(0.05)
    _, seq = await publish(js, settings, "trade", "orders.completed", batch, event_id)  # redelivered
    await settled(js, settings, "trade", seq)
    assert (await archive(agency, anchor_subject(anchor_id))).orders == 2
    assert (await archive(agency, AG1)).orders == 2


# -- ANC-11, RSK-02, TRD-06: warnings


async def test_ANC_11_RSK_02_third_violation_warns_once_and_reaches_the_agency(client, clock):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    anchor_id = await new_anchor(agency)
    await session(officer, clock, anchor_id, report(clock), report(clock))
    assert await warnings(officer, anchor_subject(anchor_id)) == []
    await session(officer, clock, anchor_id, report(clock))  # the third violation (and ANC-07's suspension)
    [warning] = await warnings(officer, anchor_subject(anchor_id))
    assert (warning.threshold_id, warning.rule_id, warning.value, warning.limit) == ("violations", "ANC-11", 3.0, 3.0)
    assert {"agency", "anchor", "compliance_officer"} <= set(warning.responsible_roles)

    clock.advance(timedelta(days=40))  # the suspension is over
    await session(officer, clock, anchor_id, report(clock))  # the fourth violation
    assert [w.warning_id for w in await warnings(officer, anchor_subject(anchor_id))] == [warning.warning_id]
    seen_by_agency = await warnings(agency)
    assert warning.warning_id in [w.warning_id for w in seen_by_agency]
    assert await warnings(client("anchor", anchor_id)) == [warning]
    assert await warnings(client("agency", "ag-2")) == []


async def test_TRD_06_return_rate_above_five_percent_warns_once(client, js, settings):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    anchor_id = await new_anchor(agency)
    for n in range(20):
        await publish(js, settings, "trade", "order.completed", order(anchor_id, n))
    for n in range(2):
        _, seq = await publish(js, settings, "trade", "return.completed", trade_events.ReturnCompleted(order_id=f"o-{n}", anchor_id=anchor_id))
    await settled(js, settings, "trade", seq)
    [warning] = [w for w in await warnings(officer, anchor_subject(anchor_id)) if w.threshold_id == "return_rate"]
    assert (warning.rule_id, warning.value, warning.limit) == ("TRD-06", pytest.approx(0.1), 0.05)
    _, seq = await publish(js, settings, "trade", "return.completed", trade_events.ReturnCompleted(order_id="o-9", anchor_id=anchor_id))
    await settled(js, settings, "trade", seq)
    assert [w.warning_id for w in await warnings(officer, anchor_subject(anchor_id))] == [warning.warning_id]
    a = await archive(officer, anchor_subject(anchor_id))
    assert (a.orders, a.returns) == (20, 3) and a.score == 80.0  # 15% is 10 points above 5%: -2 per point
    # Returns can outrun orders (events out of order, orders older than the docking): still a report.
    for n in range(18):
        _, seq = await publish(js, settings, "trade", "return.completed", trade_events.ReturnCompleted(order_id=f"r-{n}", anchor_id=anchor_id))
    await settled(js, settings, "trade", seq)
    risk = (await officer.credit.GetRiskReport(pb.GetRiskReportRequest(subject=anchor_subject(anchor_id)))).report
    assert points(risk)[18].level == pb.RISK_LEVEL_HIGH and "return rate: 100.0%" in points(risk)[18].evidence


# -- ANC-12: credit repair


async def test_ANC_12_repair_needs_a_clean_observation_period_and_a_statement(client, clock):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    anchor_id = await new_anchor(agency)
    me = client("anchor", anchor_id)
    await session(officer, clock, anchor_id, report(clock))
    apply = lambda statement="整改完成": me.credit.ApplyForCreditRepair(  # noqa: E731
        pb.ApplyForCreditRepairRequest(request_id=rid(), subject=anchor_subject(anchor_id), statement=statement))
    too_early = await refused(apply())
    assert too_early["code"] == grpc.StatusCode.FAILED_PRECONDITION and too_early["rules"] == ["ANC-12"]
    assert "observation" in too_early["message"]
    blank = await refused(apply("   "))
    assert blank["code"] == grpc.StatusCode.INVALID_ARGUMENT and "ANC-12" in blank["fields"]["statement"]
    never = await refused(officer.credit.DecideCreditRepair(
        pb.DecideCreditRepairRequest(request_id=rid(), repair_id=str(uuid.uuid4()), decision=pb.REPAIR_DECISION_APPROVE)))
    assert never["code"] == grpc.StatusCode.FAILED_PRECONDITION and never["rules"] == ["ANC-12"] and "repair_id" in never["fields"]
    malformed = await refused(officer.credit.DecideCreditRepair(
        pb.DecideCreditRepairRequest(request_id=rid(), repair_id="r-1", decision=pb.REPAIR_DECISION_APPROVE)))
    assert malformed["code"] == grpc.StatusCode.INVALID_ARGUMENT and "repair_id" in malformed["fields"]


async def test_ANC_12_approved_repair_restores_the_score_and_keeps_history(client, clock):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    anchor_id = await new_anchor(agency)
    me, subject = client("anchor", anchor_id), anchor_subject(anchor_id)
    await session(officer, clock, anchor_id, report(clock))
    suspended = await session(officer, clock, anchor_id, report(clock))  # ANC-07: two violating sessions
    assert suspended.standing.standing == dpb.STANDING_SUSPENDED
    before = await archive(me, subject)
    assert (before.score, before.suspensions) == (80.0, 1)
    changes_before = await history(officer, subject)
    request = pb.ApplyForCreditRepairRequest(request_id=rid(), subject=subject, statement="已完成整改培训")
    in_force = await refused(me.credit.ApplyForCreditRepair(request))
    assert in_force["rules"] == ["ANC-12"] and "in force" in in_force["message"]

    clock.advance(timedelta(days=91))  # past the suspension and the 90-day observation period
    first = (await me.credit.ApplyForCreditRepair(request)).repair
    assert first.status == pb.REPAIR_STATUS_PENDING and first.applied_by.role == "anchor"
    decide = lambda repair_id, decision, reason="": officer.credit.DecideCreditRepair(  # noqa: E731
        pb.DecideCreditRepairRequest(request_id=rid(), repair_id=repair_id, decision=decision, reason=reason))
    no_reason = await refused(decide(first.repair_id, pb.REPAIR_DECISION_REJECT))
    assert no_reason["code"] == grpc.StatusCode.INVALID_ARGUMENT and "ANC-12" in no_reason["fields"]["reason"]
    rejected = await decide(first.repair_id, pb.REPAIR_DECISION_REJECT, "整改证明缺失")
    assert rejected.repair.status == pb.REPAIR_STATUS_REJECTED and rejected.archive.score == 80.0

    clock.advance(timedelta(days=1))
    request.request_id = rid()  # a new application, not a retry of the rejected one
    second = (await me.credit.ApplyForCreditRepair(request)).repair
    approved = await decide(second.repair_id, pb.REPAIR_DECISION_APPROVE)
    assert approved.repair.status == pb.REPAIR_STATUS_APPROVED and approved.repair.decided_by.role == "compliance_officer"
    after = approved.archive
    assert (after.score, after.risk_level, after.violations, after.violations_since_repair, after.suspensions) == (
        100.0, pb.RISK_LEVEL_LOW, 2, 0, 1)
    assert after.HasField("repaired_at")
    assert any("before repair x0" in p.name and p.points == 0.0 for p in after.score_parts)
    changes_after = await history(officer, subject)
    assert changes_after[: len(changes_before)] == changes_before  # never erased
    assert (changes_after[-1].cause, changes_after[-1].old_score, changes_after[-1].new_score) == ("repair", 80.0, 100.0)
    listed = await officer.discipline.ListViolations(dpb.ListViolationsRequest(anchor_id=anchor_id))
    assert len(listed.violations) == 2
    standing = (await officer.discipline.GetStanding(dpb.GetStandingRequest(anchor_id=anchor_id))).standing
    assert (standing.standing, standing.suspended_before, standing.consecutive_violating_sessions) == (dpb.STANDING_GOOD, False, 0)
    again = await refused(decide(second.repair_id, pb.REPAIR_DECISION_REJECT, "changed my mind"))
    assert again["code"] == grpc.StatusCode.FAILED_PRECONDITION and again["rules"] == ["ANC-12"]
    repairs = (await me.credit.ListCreditRepairs(pb.ListCreditRepairsRequest(subject=subject))).repairs
    assert [r.status for r in repairs] == [pb.REPAIR_STATUS_REJECTED, pb.REPAIR_STATUS_APPROVED]


async def test_ANC_12_a_violation_while_the_application_is_pending_is_not_repaired(client, clock):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    anchor_id = await new_anchor(agency)
    me, subject = client("anchor", anchor_id), anchor_subject(anchor_id)
    await session(officer, clock, anchor_id, report(clock))
    clock.advance(timedelta(days=91))
    await session(officer, clock, anchor_id)  # clean: the streak breaks, so the next violation suspends no one
    repair = (await me.credit.ApplyForCreditRepair(pb.ApplyForCreditRepairRequest(request_id=rid(), subject=subject, statement="整改完成"))).repair
    clock.advance(timedelta(days=1))
    await session(officer, clock, anchor_id, report(clock))  # the observation period is broken again
    clock.advance(timedelta(days=1))
    error = await refused(officer.credit.DecideCreditRepair(
        pb.DecideCreditRepairRequest(request_id=rid(), repair_id=repair.repair_id, decision=pb.REPAIR_DECISION_APPROVE)))
    assert error["code"] == grpc.StatusCode.FAILED_PRECONDITION and error["rules"] == ["ANC-12"]
    a = await archive(officer, subject)
    assert (a.score, a.violations_since_repair) == (90.0, 2)
    rejected = await officer.credit.DecideCreditRepair(pb.DecideCreditRepairRequest(
        request_id=rid(), repair_id=repair.repair_id, decision=pb.REPAIR_DECISION_REJECT, reason="new violation during observation"))
    assert rejected.repair.status == pb.REPAIR_STATUS_REJECTED


# -- RSK-01: the Annex A risk report


async def test_RSK_01_agency_risk_report_follows_the_facts(client, clock):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    trained_id = await new_anchor(agency, officer, trained_at=clock.now() - timedelta(days=3))
    untrained_id = await new_anchor(agency)
    get = lambda: officer.credit.GetRiskReport(pb.GetRiskReportRequest(subject=AG1))  # noqa: E731
    first = (await get()).report
    assert [p.number for p in first.points] == list(range(1, 22))
    assert all(p.level != pb.RISK_LEVEL_UNSPECIFIED and p.action_zh and p.name_zh for p in first.points)
    by_number = points(first)
    assert (by_number[7].level, by_number[8].level, by_number[9].level) == (pb.RISK_LEVEL_MEDIUM,) * 3  # 1 of 2 anchors
    assert (by_number[11].level, by_number[12].level) == (pb.RISK_LEVEL_LOW, pb.RISK_LEVEL_LOW)
    assert by_number[12].basis == pb.ASSESSMENT_BASIS_FACTS
    assert by_number[21].basis == pb.ASSESSMENT_BASIS_NOT_ASSESSED

    await session(officer, clock, trained_id, report(clock, BANNED), report(clock, PRIVACY))
    await train(officer, untrained_id, clock.now() - timedelta(hours=1))
    changed = points((await get()).report)
    assert (changed[11].level, changed[12].level) == (pb.RISK_LEVEL_MEDIUM, pb.RISK_LEVEL_HIGH)
    assert "需要立即采取纠正措施" in changed[12].action_zh
    assert (changed[7].level, changed[9].level) == (pb.RISK_LEVEL_LOW, pb.RISK_LEVEL_LOW)
    await session(officer, clock, untrained_id, report(clock, PRIVACY))
    assert points((await get()).report)[11].level == pb.RISK_LEVEL_HIGH  # repeat exposure across the agency


async def test_RSK_01_attestation_and_exports(client):
    officer = client("compliance_officer", principal="officer-li")
    attest = lambda **fields: officer.credit.AttestRiskPoint(pb.AttestRiskPointRequest(request_id=rid(), subject=AG1, **fields))  # noqa: E731
    point = (await attest(point_number=21, level=pb.RISK_LEVEL_HIGH, note="2026 年增值税申报逾期")).point
    assert (point.number, point.key, point.level, point.basis) == (21, "tax", pb.RISK_LEVEL_HIGH, pb.ASSESSMENT_BASIS_ATTESTATION)
    assert "officer-li" in point.evidence and "增值税" in point.evidence
    report_ = (await officer.credit.GetRiskReport(pb.GetRiskReportRequest(subject=AG1))).report
    assert points(report_)[21].level == pb.RISK_LEVEL_HIGH and report_.overall == pb.RISK_LEVEL_HIGH
    bad = await refused(attest(point_number=99, note=" "))
    assert bad["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert set(bad["fields"]) == {"point_number", "level", "note"}
    assert all("RSK-01" in description for description in bad["fields"].values())

    export = lambda fmt: officer.credit.ExportRiskReport(pb.ExportRiskReportRequest(subject=AG1, format=fmt))  # noqa: E731
    as_json = await export(pb.EXPORT_FORMAT_JSON)
    document = json.loads(as_json.content)
    assert as_json.content_type == "application/json" and as_json.filename.endswith(".json")
    assert len(document["points"]) == 21 and document["points"][20]["level"] == "high"
    as_csv = await export(pb.EXPORT_FORMAT_CSV)
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8"))))
    assert rows[0][:2] == ["number", "key"] and len(rows) == 22 and [r[0] for r in rows[1:]] == [str(n) for n in range(1, 22)]
    unset = await refused(export(pb.EXPORT_FORMAT_UNSPECIFIED))
    assert unset["code"] == grpc.StatusCode.INVALID_ARGUMENT and "format" in unset["fields"]


# -- tenancy and bad input


async def test_PLT_04_credit_reads_respect_tenancy_and_refuse_bad_subjects(client, clock):
    agency = client("agency", "ag-1")
    anchor_id = await new_anchor(agency)
    other = client("agency", "ag-2")
    for call in (other.credit.GetCreditArchive(pb.GetCreditArchiveRequest(subject=anchor_subject(anchor_id))),
                 other.credit.GetCreditArchive(pb.GetCreditArchiveRequest(subject=AG1)),
                 other.credit.ListCreditWarnings(pb.ListCreditWarningsRequest(subject=anchor_subject(anchor_id))),
                 other.credit.GetRiskReport(pb.GetRiskReportRequest(subject=anchor_subject(anchor_id)))):
        assert (await refused(call))["code"] == grpc.StatusCode.NOT_FOUND  # PLT-04: as for a missing one
    unknown = await refused(agency.credit.GetCreditArchive(pb.GetCreditArchiveRequest(subject=anchor_subject(str(uuid.uuid4())))))
    assert unknown["code"] == grpc.StatusCode.NOT_FOUND
    no_kind = await refused(agency.credit.GetCreditArchive(pb.GetCreditArchiveRequest(subject=pb.CreditSubject(id=anchor_id))))
    assert no_kind["code"] == grpc.StatusCode.INVALID_ARGUMENT and "subject" in no_kind["fields"]
    missing = await refused(agency.credit.GetCreditHistory(pb.GetCreditHistoryRequest()))
    assert missing["code"] == grpc.StatusCode.INVALID_ARGUMENT and "subject" in missing["fields"]
    # An anchor signed with no agency: an agency identity without a tenant must not see its warnings.
    officer = client("compliance_officer")
    free_id = (await officer.anchors.RegisterAnchor(apb.RegisterAnchorRequest(request_id=rid(), profile=profile(agency_id="")))).anchor.anchor_id
    await session(officer, clock, free_id, report(clock), report(clock), report(clock))
    assert len(await warnings(officer, anchor_subject(free_id))) == 1
    assert (await refused(client("agency").credit.ListCreditWarnings(pb.ListCreditWarningsRequest())))["code"] == (
        grpc.StatusCode.PERMISSION_DENIED)
    not_uuid = await refused(agency.credit.GetCreditArchive(pb.GetCreditArchiveRequest(subject=anchor_subject("nope"))))
    assert not_uuid["code"] == grpc.StatusCode.INVALID_ARGUMENT and "subject.id" in not_uuid["fields"]


# -- TRD-06: the trade service's windowed return-rate warning, recorded in the anchor's archive once;
# a merchant's warning is not the anchor archive's business.


def return_rate_warning(anchor_id: str, clock, warning_id: str = "w-1", kind: str = "anchor") -> trade_events.ReturnRateExceeded:
    return trade_events.ReturnRateExceeded(
        warning_id=warning_id, subject_kind=kind, subject_id=anchor_id, returns=2, orders=20, rate=0.1, threshold=0.05,
        window_days=30, at=stamp(clock.now() - timedelta(minutes=1)),
    )


async def test_TRD_06_the_trade_services_return_rate_warning_is_recorded_in_the_anchors_credit_archive_once(client, js, settings, clock):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    anchor_id = await new_anchor(agency)
    event = return_rate_warning(anchor_id, clock)
    event_id, _ = await publish(js, settings, "trade", "returnrate.exceeded", event)
    await publish(js, settings, "trade", "returnrate.exceeded", event, event_id)  # redelivered
    await publish(js, settings, "trade", "returnrate.exceeded", return_rate_warning(anchor_id, clock, "w-m", kind="merchant"))
    _, seq = await publish(js, settings, "trade", "returnrate.exceeded", return_rate_warning(anchor_id, clock, "w-1"))  # the same warning, a new envelope
    await settled(js, settings, "trade", seq)
    recorded = [c for c in await history(officer, anchor_subject(anchor_id)) if c.cause == "return_rate_warning"]
    assert len(recorded) == 1
    assert "TRD-06" in recorded[0].detail and "10.0%" in recorded[0].detail and "2 of 20" in recorded[0].detail
