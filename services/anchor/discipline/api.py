"""gRPC API of anchor discipline (DisciplineService): proto <-> domain translation only
(style.md, habit 1)."""

from __future__ import annotations

from livecommerce.anchor.v1 import discipline_pb2 as pb
from livecommerce.anchor.v1 import discipline_pb2_grpc
from livecommerce.common.v1 import paging_pb2
from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import read, stamp
from services.anchor.convert import (
    CATEGORIES_PB,
    CHOICES_PB,
    SEVERITIES_PB,
    STANDINGS_PB,
    actor_pb,
    evidence_pb,
    parse_anchor_id,
    violation_report,
)
from services.anchor.discipline.commands import Discipline, LadderResult
from services.anchor.discipline.domain import SessionOutcome
from services.anchor.discipline.ladder import EscalationChoice, TransitionKind
from services.anchor.discipline.store import ChangeRow, NotificationRow, ViolationRow

_CHOICES: dict[int, EscalationChoice | None] = {
    pb.ESCALATION_CHOICE_UNSPECIFIED: None,
    pb.ESCALATION_CHOICE_BAN_SIX_MONTHS: EscalationChoice.BAN,
    pb.ESCALATION_CHOICE_TERMINATE_CONTRACT: EscalationChoice.TERMINATE,
}
_KINDS_PB = {kind: getattr(pb, f"STANDING_CHANGE_KIND_{kind.name}") for kind in TransitionKind}


def escalation(value: int) -> EscalationChoice | None:
    """ANC-08's operator's choice; a value the contract does not define is refused, not defaulted."""
    if value not in _CHOICES:
        raise InvalidArgument([FieldViolation("escalation", "must be BAN_SIX_MONTHS, TERMINATE_CONTRACT or unset", "ANC-08")])
    return _CHOICES[value]


def violation_pb(row: ViolationRow) -> pb.Violation:
    return pb.Violation(
        violation_id=str(row.violation_id), anchor_id=str(row.anchor_id), session_id=row.session_id,
        category=CATEGORIES_PB[row.category.value], severity=SEVERITIES_PB[row.severity.value],
        description=row.description,
        evidence=evidence_pb(row.evidence),
        occurred_at=stamp(row.occurred_at), recorded_at=stamp(row.recorded_at),
        recorded_by=actor_pb(row.recorded_by),
    )


def change_pb(row: ChangeRow) -> pb.StandingChange:
    return pb.StandingChange(
        change_id=str(row.change_id), anchor_id=str(row.anchor_id), kind=_KINDS_PB[row.kind], rule_id=row.rule_id,
        at=stamp(row.at), before=STANDINGS_PB[row.before.value], after=STANDINGS_PB[row.after.value],
        until=stamp(row.until),
        choice=CHOICES_PB[row.choice.value if row.choice else None], choice_was_default=row.choice_was_default,
        reason=row.reason, session_id=row.session_id or "", actor=actor_pb(row.actor),
    )


def standing_pb(result: LadderResult) -> pb.AnchorStanding:
    state = result.state
    return pb.AnchorStanding(
        anchor_id=str(result.anchor_id), standing=STANDINGS_PB[state.standing.value],
        until=stamp(state.until),
        consecutive_violating_sessions=state.streak, suspended_before=state.suspended_before,
    )


def notification_pb(row: NotificationRow, change: ChangeRow, violations: list[ViolationRow]) -> pb.RegulatorNotification:
    return pb.RegulatorNotification(
        notification_id=str(row.notification_id), anchor_id=str(row.anchor_id), agency_id=row.agency_id,
        display_name=row.display_name, change=change_pb(change), violations=[violation_pb(v) for v in violations],
        created_at=stamp(row.created_at),
    )


class DisciplineApi(discipline_pb2_grpc.DisciplineServiceServicer):
    def __init__(self, discipline: Discipline) -> None:
        self._discipline = discipline

    async def RecordSessionOutcome(self, request: pb.RecordSessionOutcomeRequest, context) -> pb.RecordSessionOutcomeResponse:
        outcome = SessionOutcome(
            session_id=request.session_id, started_at=read(request, "started_at"), ended_at=read(request, "ended_at"),
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
        result = await self._discipline.blacklist(
            caller(context), parse_anchor_id(request.anchor_id), reason=request.reason, request_id=request.request_id
        )
        return pb.BlacklistAnchorResponse(standing=standing_pb(result), changes=[change_pb(c) for c in result.changes])

    async def ListRegulatorNotifications(self, request: pb.ListRegulatorNotificationsRequest, context) -> pb.ListRegulatorNotificationsResponse:
        anchor_id = parse_anchor_id(request.anchor_id) if request.anchor_id else None
        found, token = await self._discipline.notifications(
            caller(context), anchor_id=anchor_id, token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListRegulatorNotificationsResponse(
            notifications=[notification_pb(row, change, violations) for row, change, violations in found],
            page=paging_pb2.PageResponse(next_page_token=token),
        )
