"""The one RetentionService implementation every service serves under its own package
(livecommerce.<service>.v1.RetentionService, messages in livecommerce/common/v1/retention.proto):
proto <-> mechanism only. The gateway's policy admits the roles; the servicer checks them again,
since a caller with its own certificate may reach a replica without the gateway (PLT-04)."""

from __future__ import annotations

from livecommerce.common.v1 import paging_pb2
from livecommerce.common.v1 import retention_pb2 as pb
from livecommerce.runtime.actors import actor_pb
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PermissionDenied
from livecommerce.runtime.formats import parse_uuid
from livecommerce.runtime.identity import Caller, caller
from livecommerce.runtime.retention.mechanism import Retention
from livecommerce.runtime.retention.store import Hold
from livecommerce.runtime.timestamps import read, stamp

HOLDERS = ("compliance_officer", "regulator")
"""Who places and releases legal holds."""
READERS = (*HOLDERS, "sre", "platform_admin")
PURGERS = ("sre", "platform_admin")

_SCOPES: dict[int, str] = {pb.HOLD_SCOPE_SESSION: "session", pb.HOLD_SCOPE_ANCHOR: "anchor", pb.HOLD_SCOPE_MERCHANT: "merchant"}
_SCOPE_PB = {"session": pb.HOLD_SCOPE_SESSION, "anchor": pb.HOLD_SCOPE_ANCHOR, "merchant": pb.HOLD_SCOPE_MERCHANT}


def _admitted(context, roles: tuple[str, ...], what: str) -> Caller:
    who = caller(context)
    if who.role not in roles:
        raise PermissionDenied(f"{who.role} may not {what}; only {', '.join(roles)}")
    return who


def hold_pb(hold: Hold) -> pb.LegalHold:
    return pb.LegalHold(
        hold_id=str(hold.hold_id), scope=_SCOPE_PB[hold.scope_kind], scope_id=hold.scope_id, reason=hold.reason,
        placed_by=actor_pb(hold.placed_by), placed_at=stamp(hold.placed_at), released_by=actor_pb(hold.released_by),
        released_at=stamp(hold.released_at), release_reason=hold.release_reason,
    )


def _scope(value: int, rule: str, *, required: bool) -> str | None:
    if value == pb.HOLD_SCOPE_UNSPECIFIED and not required:
        return None
    if value not in _SCOPES:
        raise InvalidArgument([FieldViolation("scope", "must be HOLD_SCOPE_SESSION, HOLD_SCOPE_ANCHOR or HOLD_SCOPE_MERCHANT", rule)])
    return _SCOPES[value]


class RetentionApi:
    """Bound to each package's generated servicer by its `add_RetentionServiceServicer_to_server`."""

    def __init__(self, retention: Retention) -> None:
        self._retention = retention
        self._rule = retention.declaration.hold_rule

    async def PlaceLegalHold(self, request: pb.PlaceLegalHoldRequest, context) -> pb.PlaceLegalHoldResponse:
        who = _admitted(context, HOLDERS, "place legal holds")
        hold = await self._retention.place_hold(
            who, scope=_SCOPES.get(request.scope, ""), scope_id=request.scope_id, reason=request.reason,
            request_id=request.request_id,
        )
        return pb.PlaceLegalHoldResponse(hold=hold_pb(hold))

    async def ReleaseLegalHold(self, request: pb.ReleaseLegalHoldRequest, context) -> pb.ReleaseLegalHoldResponse:
        who = _admitted(context, HOLDERS, "release legal holds")
        hold_id = parse_uuid(request.hold_id, "hold_id", "must be the hold_id PlaceLegalHold answered", self._rule)
        hold = await self._retention.release_hold(who, hold_id=hold_id, reason=request.reason, request_id=request.request_id)
        return pb.ReleaseLegalHoldResponse(hold=hold_pb(hold))

    async def ListLegalHolds(self, request: pb.ListLegalHoldsRequest, context) -> pb.ListLegalHoldsResponse:
        _admitted(context, READERS, "read legal holds")
        holds, token = await self._retention.list_holds(
            scope=_scope(request.scope, self._rule, required=False), scope_id=request.scope_id,
            include_released=request.include_released, token=request.page.page_token, size=request.page.page_size,
        )
        return pb.ListLegalHoldsResponse(holds=[hold_pb(h) for h in holds], page=paging_pb2.PageResponse(next_page_token=token))

    async def GetRetentionStatus(self, request: pb.GetRetentionStatusRequest, context) -> pb.GetRetentionStatusResponse:
        _admitted(context, READERS, "read the retention status")
        as_of, kinds = await self._retention.status()
        return pb.GetRetentionStatusResponse(
            as_of=stamp(as_of),
            kinds=[
                pb.RecordKindStatus(
                    kind=s.kind.name, rule=s.kind.rule, kept=s.kind.kept, minimum=s.minimum, counted_from=s.kind.counted_from,
                    cutoff=stamp(s.cutoff), oldest=stamp(s.oldest), rows_past_minimum=s.past, rows_held=s.held,
                )
                for s in kinds
            ],
        )

    async def PurgeRecords(self, request: pb.PurgeRecordsRequest, context) -> pb.PurgeRecordsResponse:
        who = _admitted(context, PURGERS, "purge records")
        outcome = await self._retention.purge(
            who, kind_name=request.kind, older_than=read(request, "older_than"), request_id=request.request_id
        )
        return pb.PurgeRecordsResponse(purged=outcome.purged, held=outcome.held)
