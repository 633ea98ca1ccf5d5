"""gRPC API of anchor discipline and agencies: proto <-> domain translation only (style.md, habit 1)."""

from __future__ import annotations

from datetime import UTC

from livecommerce.anchor.v1 import agency_pb2, agency_pb2_grpc, discipline_pb2_grpc
from livecommerce.anchor.v1 import discipline_pb2 as pb
from livecommerce.common.v1 import conduct_pb2, identity_pb2, paging_pb2
from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.runtime.identity import caller
from services.anchor import events
from services.anchor.agencies import Agencies, AgencyRow
from services.anchor.commands import parse_anchor_id
from services.anchor.conduct import Evidence, SessionOutcome, ViolationReport
from services.anchor.discipline import Discipline, LadderResult
from services.anchor.discipline_store import ChangeRow, ViolationRow
from services.anchor.facts import Severity, ViolationCategory
from services.anchor.ladder import EscalationChoice, TransitionKind

_CATEGORIES = {number: ViolationCategory(name) for name, number in events.CATEGORIES_PB.items()}
_SEVERITIES = {number: Severity(name) for name, number in events.SEVERITIES_PB.items()}
_CHOICES = {
    pb.ESCALATION_CHOICE_UNSPECIFIED: None,
    pb.ESCALATION_CHOICE_BAN_SIX_MONTHS: EscalationChoice.BAN,
    pb.ESCALATION_CHOICE_TERMINATE_CONTRACT: EscalationChoice.TERMINATE,
}
_KINDS_PB = {kind: getattr(pb, f"STANDING_CHANGE_KIND_{kind.name}") for kind in TransitionKind}


def _when(message, name: str):
    return getattr(message, name).ToDatetime(tzinfo=UTC) if message.HasField(name) else None


def violation_report(message: conduct_pb2.ViolationReport) -> ViolationReport:
    return ViolationReport(
        category=_CATEGORIES.get(message.category),
        severity=_SEVERITIES.get(message.severity),
        description=message.description,
        evidence=tuple(Evidence(e.uri, e.sha256, e.description) for e in message.evidence),
        occurred_at=_when(message, "occurred_at"),
    )


def escalation(value: int) -> EscalationChoice | None:
    """ANC-08's operator's choice; a value the contract does not define is refused, not defaulted."""
    if value not in _CHOICES:
        raise InvalidArgument([FieldViolation("escalation", "must be BAN_SIX_MONTHS, TERMINATE_CONTRACT or unset", "ANC-08")])
    return _CHOICES[value]


def violation_pb(row: ViolationRow) -> pb.Violation:
    return pb.Violation(
        violation_id=str(row.violation_id), anchor_id=str(row.anchor_id), session_id=row.session_id,
        category=events.CATEGORIES_PB[row.category.value], severity=events.SEVERITIES_PB[row.severity.value],
        description=row.description,
        evidence=[conduct_pb2.EvidenceRef(uri=e.uri, sha256=e.sha256, description=e.description) for e in row.evidence],
        occurred_at=events.timestamp(row.occurred_at), recorded_at=events.timestamp(row.recorded_at),
        recorded_by=identity_pb2.Actor(**row.recorded_by),
    )


def change_pb(row: ChangeRow) -> pb.StandingChange:
    return pb.StandingChange(
        change_id=str(row.change_id), anchor_id=str(row.anchor_id), kind=_KINDS_PB[row.kind], rule_id=row.rule_id,
        at=events.timestamp(row.at), before=events.STANDINGS_PB[row.before.value], after=events.STANDINGS_PB[row.after.value],
        until=events.timestamp(row.until) if row.until else None,
        choice=events.CHOICES_PB[row.choice.value if row.choice else None], choice_was_default=row.choice_was_default,
        reason=row.reason, session_id=row.session_id or "", actor=identity_pb2.Actor(**row.actor),
    )


def standing_pb(result: LadderResult) -> pb.AnchorStanding:
    state = result.state
    return pb.AnchorStanding(
        anchor_id=str(result.anchor_id), standing=events.STANDINGS_PB[state.standing.value],
        until=events.timestamp(state.until) if state.until else None,
        consecutive_violating_sessions=state.streak, suspended_before=state.suspended_before,
    )


class DisciplineApi(discipline_pb2_grpc.DisciplineServiceServicer):
    def __init__(self, discipline: Discipline) -> None:
        self._discipline = discipline

    async def RecordSessionOutcome(self, request: pb.RecordSessionOutcomeRequest, context) -> pb.RecordSessionOutcomeResponse:
        outcome = SessionOutcome(
            session_id=request.session_id, started_at=_when(request, "started_at"), ended_at=_when(request, "ended_at"),
            violations=tuple(violation_report(v) for v in request.violations),
        )
        violations, result = await self._discipline.record_session(
            caller(context), parse_anchor_id(request.anchor_id), outcome, choice=escalation(request.escalation),
            request_id=request.request_id,
        )
        return pb.RecordSessionOutcomeResponse(
            violating=bool(violations), violations=[violation_pb(v) for v in violations], standing=standing_pb(result),
            changes=[change_pb(c) for c in result.changes],
        )

    async def RecordViolation(self, request: pb.RecordViolationRequest, context) -> pb.RecordViolationResponse:
        violation, result = await self._discipline.record_violation(
            caller(context), parse_anchor_id(request.anchor_id), request.session_id, violation_report(request.violation),
            choice=escalation(request.escalation), request_id=request.request_id,
        )
        return pb.RecordViolationResponse(
            violation=violation_pb(violation), standing=standing_pb(result), changes=[change_pb(c) for c in result.changes]
        )

    async def ListViolations(self, request: pb.ListViolationsRequest, context) -> pb.ListViolationsResponse:
        rows, token = await self._discipline.violations(
            caller(context), parse_anchor_id(request.anchor_id), token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListViolationsResponse(violations=[violation_pb(r) for r in rows], page=paging_pb2.PageResponse(next_page_token=token))

    async def GetStanding(self, request: pb.GetStandingRequest, context) -> pb.GetStandingResponse:
        result = await self._discipline.standing(caller(context), parse_anchor_id(request.anchor_id))
        return pb.GetStandingResponse(standing=standing_pb(result))

    async def ListStandingChanges(self, request: pb.ListStandingChangesRequest, context) -> pb.ListStandingChangesResponse:
        rows = await self._discipline.changes(caller(context), parse_anchor_id(request.anchor_id))
        return pb.ListStandingChangesResponse(changes=[change_pb(r) for r in rows])

    async def BlacklistAnchor(self, request: pb.BlacklistAnchorRequest, context) -> pb.BlacklistAnchorResponse:
        result = await self._discipline.blacklist(caller(context), parse_anchor_id(request.anchor_id), reason=request.reason)
        return pb.BlacklistAnchorResponse(standing=standing_pb(result), changes=[change_pb(c) for c in result.changes])

    async def ListRegulatorNotifications(self, request: pb.ListRegulatorNotificationsRequest, context) -> pb.ListRegulatorNotificationsResponse:
        anchor_id = parse_anchor_id(request.anchor_id) if request.anchor_id else None
        found, token = await self._discipline.notifications(
            caller(context), anchor_id=anchor_id, token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListRegulatorNotificationsResponse(
            notifications=[
                pb.RegulatorNotification(
                    notification_id=str(row["notification_id"]), anchor_id=str(row["anchor_id"]), agency_id=row["agency_id"],
                    display_name=row["display_name"], change=change_pb(change), violations=[violation_pb(v) for v in violations],
                    created_at=events.timestamp(row["created_at"]),
                )
                for row, change, violations in found
            ],
            page=paging_pb2.PageResponse(next_page_token=token),
        )


def agency_pb(row: AgencyRow) -> agency_pb2.Agency:
    return agency_pb2.Agency(
        agency_id=row.agency_id, legal_name=row.legal_name, credit_code=row.credit_code, contact_email=row.contact_email,
        signed_anchors=row.signed_anchors, registered_at=events.timestamp(row.registered_at),
    )


class AgencyApi(agency_pb2_grpc.AgencyServiceServicer):
    def __init__(self, agencies: Agencies) -> None:
        self._agencies = agencies

    async def RegisterAgency(self, request: agency_pb2.RegisterAgencyRequest, context) -> agency_pb2.RegisterAgencyResponse:
        row = await self._agencies.register(
            caller(context), agency_id=request.agency_id, legal_name=request.legal_name, credit_code=request.credit_code,
            contact_email=request.contact_email,
        )
        return agency_pb2.RegisterAgencyResponse(agency=agency_pb(row))

    async def GetAgency(self, request: agency_pb2.GetAgencyRequest, context) -> agency_pb2.GetAgencyResponse:
        return agency_pb2.GetAgencyResponse(agency=agency_pb(await self._agencies.get(caller(context), request.agency_id)))

    async def ListAgencies(self, request: agency_pb2.ListAgenciesRequest, context) -> agency_pb2.ListAgenciesResponse:
        rows, token = await self._agencies.list(caller(context), token=request.page.page_token, size=request.page.page_size)
        return agency_pb2.ListAgenciesResponse(agencies=[agency_pb(r) for r in rows], page=paging_pb2.PageResponse(next_page_token=token))
