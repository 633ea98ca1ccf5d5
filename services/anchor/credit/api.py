"""gRPC API of credit archives, repair and Annex A risk reports (CreditService): proto <-> domain
translation only (style.md, habit 1)."""

from __future__ import annotations

from livecommerce.anchor.v1 import credit_pb2 as pb
from livecommerce.anchor.v1 import credit_pb2_grpc
from livecommerce.common.v1 import paging_pb2
from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import stamp
from services.anchor.convert import LEVELS, LEVELS_PB, SUBJECT_KINDS, subject_pb
from services.anchor.credit import risk
from services.anchor.credit.commands import Assessments
from services.anchor.credit.domain import Subject
from services.anchor.credit.events import repair_pb, warning_pb
from services.anchor.credit.store import CreditHistoryRow
from services.anchor.vocabulary import RiskLevel

_BASES = {
    risk.Basis.FACTS: pb.ASSESSMENT_BASIS_FACTS,
    risk.Basis.ATTESTATION: pb.ASSESSMENT_BASIS_ATTESTATION,
    risk.Basis.NOT_ASSESSED: pb.ASSESSMENT_BASIS_NOT_ASSESSED,
}
_DECISIONS = {pb.REPAIR_DECISION_APPROVE: True, pb.REPAIR_DECISION_REJECT: False}
_EXPORTS = {
    pb.EXPORT_FORMAT_JSON: (risk.to_json, "application/json", "json"),
    pb.EXPORT_FORMAT_CSV: (risk.to_csv, "text/csv; charset=utf-8", "csv"),
}


def subject(request, *, required: bool = True) -> Subject | None:
    if not request.HasField("subject"):
        if required:
            raise InvalidArgument([FieldViolation("subject", "is required: ANCHOR or AGENCY and its id", "ANC-10")])
        return None
    kind = SUBJECT_KINDS.get(request.subject.kind)
    if kind is None or not request.subject.id:
        raise InvalidArgument([FieldViolation("subject", "needs kind ANCHOR or AGENCY and an id", "ANC-10")])
    return Subject(kind, request.subject.id)


def _level(level: RiskLevel) -> pb.RiskLevel:
    return LEVELS_PB[level.value]


def point_pb(a: risk.PointAssessment) -> pb.RiskPointAssessment:
    p = a.point
    return pb.RiskPointAssessment(
        number=p.number, key=p.key, name_zh=p.name_zh, name_en=p.name_en, default_level=_level(p.default_level),
        level=_level(a.level), basis=_BASES[a.basis], evidence=a.evidence, action_zh=a.action_zh, action_en=a.action_en,
        countermeasures_zh=list(p.countermeasures_zh),
    )


def archive_pb(found: Subject, current) -> pb.CreditArchive:
    row, facts, score, level, parts = current
    count = lambda kind: sum(1 for i in facts.items if i.kind.value == kind)  # noqa: E731
    violations = [i for i in facts.items if i.kind.value == "violation"]
    return pb.CreditArchive(
        subject=subject_pb(found.kind.value, found.id), score=score, risk_level=_level(level),
        score_parts=[pb.ScorePart(name=p["name"], points=p["points"]) for p in parts],
        violations=len(violations), violations_since_repair=sum(not facts.repaired(i) for i in violations),
        suspensions=count("suspension"), bans=count("ban"), terminations=count("termination"), blacklistings=count("blacklisting"),
        trainings_passed=count("training"), upheld_complaints=count("upheld_complaint"), orders=facts.orders, returns=facts.returns,
        return_rate=facts.return_rate or 0.0,
        repaired_at=stamp(facts.repaired_at),
        updated_at=stamp(row.updated_at) if row else None,
    )


def change_pb(row: CreditHistoryRow) -> pb.CreditChange:
    return pb.CreditChange(
        sequence=row.seq, at=stamp(row.at), cause=row.cause, detail=row.detail, old_score=row.old_score,
        new_score=row.new_score, old_level=_level(row.old_level), new_level=_level(row.new_level),
    )


class CreditApi(credit_pb2_grpc.CreditServiceServicer):
    def __init__(self, assessments: Assessments) -> None:
        self._assessments = assessments

    async def GetCreditArchive(self, request: pb.GetCreditArchiveRequest, context) -> pb.GetCreditArchiveResponse:
        found, current = await self._assessments.archive(caller(context), subject(request))
        return pb.GetCreditArchiveResponse(archive=archive_pb(found, current))

    async def GetCreditHistory(self, request: pb.GetCreditHistoryRequest, context) -> pb.GetCreditHistoryResponse:
        rows, token = await self._assessments.history(
            caller(context), subject(request), token=request.page.page_token, size=request.page.page_size
        )
        return pb.GetCreditHistoryResponse(
            changes=[change_pb(r) for r in rows],
            page=paging_pb2.PageResponse(next_page_token=token),
        )

    async def ListCreditWarnings(self, request: pb.ListCreditWarningsRequest, context) -> pb.ListCreditWarningsResponse:
        rows, token = await self._assessments.warnings(
            caller(context), subject(request, required=False), token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListCreditWarningsResponse(
            warnings=[warning_pb(r) for r in rows], page=paging_pb2.PageResponse(next_page_token=token)
        )

    async def ApplyForCreditRepair(self, request: pb.ApplyForCreditRepairRequest, context) -> pb.ApplyForCreditRepairResponse:
        repair = await self._assessments.apply_for_repair(
            caller(context), subject(request), statement=request.statement, request_id=request.request_id
        )
        return pb.ApplyForCreditRepairResponse(repair=repair_pb(repair))

    async def DecideCreditRepair(self, request: pb.DecideCreditRepairRequest, context) -> pb.DecideCreditRepairResponse:
        who = caller(context)
        repair, found = await self._assessments.decide_repair(
            who, request.repair_id, approve=_DECISIONS.get(request.decision), reason=request.reason, request_id=request.request_id
        )
        _, current = await self._assessments.archive(who, found)
        return pb.DecideCreditRepairResponse(repair=repair_pb(repair), archive=archive_pb(found, current))

    async def ListCreditRepairs(self, request: pb.ListCreditRepairsRequest, context) -> pb.ListCreditRepairsResponse:
        rows = await self._assessments.repairs(caller(context), subject(request))
        return pb.ListCreditRepairsResponse(repairs=[repair_pb(r) for r in rows])

    async def AttestRiskPoint(self, request: pb.AttestRiskPointRequest, context) -> pb.AttestRiskPointResponse:
        assessed = await self._assessments.attest(
            caller(context), subject(request), number=request.point_number, level=LEVELS.get(request.level), note=request.note,
            request_id=request.request_id,
        )
        return pb.AttestRiskPointResponse(point=point_pb(assessed))

    async def GetRiskReport(self, request: pb.GetRiskReportRequest, context) -> pb.GetRiskReportResponse:
        report = await self._assessments.report(caller(context), subject(request))
        return pb.GetRiskReportResponse(report=report_pb(report))

    async def ExportRiskReport(self, request: pb.ExportRiskReportRequest, context) -> pb.ExportRiskReportResponse:
        if request.format not in _EXPORTS:
            raise InvalidArgument([FieldViolation("format", "must be JSON or CSV", "RSK-01")])
        render, content_type, extension = _EXPORTS[request.format]
        report = await self._assessments.report(caller(context), subject(request))
        return pb.ExportRiskReportResponse(
            content=render(report).encode("utf-8"), content_type=content_type,
            filename=f"risk-report-{report.subject_kind.value}-{report.subject_id}-{report.generated_at:%Y%m%d}.{extension}",
        )


def report_pb(report: risk.RiskReport) -> pb.RiskReport:
    return pb.RiskReport(
        subject=subject_pb(report.subject_kind.value, report.subject_id), generated_at=stamp(report.generated_at),
        overall=_level(report.overall), points=[point_pb(a) for a in report.points],
    )
