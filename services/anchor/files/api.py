"""gRPC API of anchors' registration files (AnchorService): proto <-> domain translation only
(style.md, habit 1).

Business rules live in `domain`, transactions in `commands`; errors raised there become gRPC
status codes in the shared interceptor, never here.
"""

from __future__ import annotations

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.common.v1 import paging_pb2
from livecommerce.runtime import history
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import read, stamp
from services.anchor.convert import actor_pb, parse_anchor_id
from services.anchor.files import domain
from services.anchor.files.commands import Anchors, AnchorView, VersionView
from services.anchor.files.store import TrainingRow

_DOCUMENT_TYPES = {
    pb.IDENTITY_DOCUMENT_TYPE_RESIDENT_ID_CARD: domain.DocumentType.RESIDENT_ID_CARD,
    pb.IDENTITY_DOCUMENT_TYPE_PASSPORT: domain.DocumentType.PASSPORT,
}
_DOCUMENT_KINDS = {
    pb.DOCUMENT_KIND_IDENTITY_FRONT: domain.DocumentKind.IDENTITY_FRONT,
    pb.DOCUMENT_KIND_IDENTITY_BACK: domain.DocumentKind.IDENTITY_BACK,
    pb.DOCUMENT_KIND_PASSPORT_DATA_PAGE: domain.DocumentKind.PASSPORT_DATA_PAGE,
    pb.DOCUMENT_KIND_GUARDIAN_CONSENT: domain.DocumentKind.GUARDIAN_CONSENT,
    pb.DOCUMENT_KIND_GUARDIAN_IDENTITY: domain.DocumentKind.GUARDIAN_IDENTITY,
    pb.DOCUMENT_KIND_TRAINING_CERTIFICATE: domain.DocumentKind.TRAINING_CERTIFICATE,
    pb.DOCUMENT_KIND_OTHER: domain.DocumentKind.OTHER,
}
_STATUSES = {
    domain.VersionStatus.PENDING_REVIEW: pb.FILE_VERSION_STATUS_PENDING_REVIEW,
    domain.VersionStatus.APPROVED: pb.FILE_VERSION_STATUS_APPROVED,
    domain.VersionStatus.REJECTED: pb.FILE_VERSION_STATUS_REJECTED,
    domain.VersionStatus.SUPERSEDED: pb.FILE_VERSION_STATUS_SUPERSEDED,
}
_TRAINING_KINDS = {
    pb.TRAINING_KIND_ONBOARDING: domain.TrainingKind.ONBOARDING,
    pb.TRAINING_KIND_PERIODIC: domain.TrainingKind.PERIODIC,
}
_DECISIONS = {
    pb.REVIEW_DECISION_APPROVE: True,
    pb.REVIEW_DECISION_REJECT: False,
}


def _reverse(mapping: dict) -> dict:
    return {v: k for k, v in mapping.items()}


_DOCUMENT_TYPES_PB, _DOCUMENT_KINDS_PB, _TRAINING_KINDS_PB = _reverse(_DOCUMENT_TYPES), _reverse(_DOCUMENT_KINDS), _reverse(_TRAINING_KINDS)


# proto -> domain

def _document(message: pb.DocumentRef) -> domain.Document:
    return domain.Document(_DOCUMENT_KINDS.get(message.kind), message.uri, message.sha256)


def _identity(message: pb.PersonIdentity) -> domain.Identity:
    return domain.Identity(
        legal_name=message.legal_name,
        document_type=_DOCUMENT_TYPES.get(message.document_type),
        document_number=message.document_number,
        date_of_birth=message.date_of_birth,
        nationality=message.nationality,
    )


def profile_from_proto(message: pb.AnchorProfile) -> domain.Profile:
    guardian = None
    if message.HasField("guardian"):
        g = message.guardian
        guardian = domain.Guardian(_identity(g.identity), g.relationship, g.phone)
    return domain.Profile(
        identity=_identity(message.identity),
        display_name=message.display_name,
        address=message.address,
        phone=message.phone,
        email=message.email,
        agency_id=message.agency_id,
        digital_human=message.digital_human,
        documents=tuple(_document(d) for d in message.documents),
        guardian=guardian,
    )


# domain -> proto

def _document_pb(document: domain.Document) -> pb.DocumentRef:
    return pb.DocumentRef(kind=_DOCUMENT_KINDS_PB[document.kind], uri=document.uri, sha256=document.sha256)


def _identity_pb(identity: domain.Identity) -> pb.PersonIdentity:
    return pb.PersonIdentity(
        legal_name=identity.legal_name,
        document_type=_DOCUMENT_TYPES_PB[identity.document_type],
        document_number=identity.document_number,
        date_of_birth=identity.date_of_birth,
        nationality=identity.nationality,
    )


def profile_to_proto(profile: domain.Profile) -> pb.AnchorProfile:
    message = pb.AnchorProfile(
        identity=_identity_pb(profile.identity),
        display_name=profile.display_name,
        address=profile.address,
        phone=profile.phone,
        email=profile.email,
        agency_id=profile.agency_id,
        digital_human=profile.digital_human,
        documents=[_document_pb(d) for d in profile.documents],
    )
    if profile.guardian:
        g = profile.guardian
        message.guardian.CopyFrom(pb.Guardian(identity=_identity_pb(g.identity), relationship=g.relationship, phone=g.phone))
    return message


def anchor_to_proto(view: AnchorView) -> pb.Anchor:
    row = view.row
    return pb.Anchor(
        anchor_id=str(row.anchor_id),
        profile=profile_to_proto(view.profile),
        latest_version=row.latest_version,
        latest_version_status=_STATUSES[view.latest_status],
        approved_version=row.approved_version or 0,
        date_of_birth=row.date_of_birth.isoformat() if view.pii_visible else "",
        registered_at=stamp(row.registered_at),
        updated_at=stamp(row.updated_at),
        pii_visible=view.pii_visible,
    )


def _version_to_proto(view: VersionView) -> pb.AnchorFileVersion:
    row = view.row
    return pb.AnchorFileVersion(
        anchor_id=str(row.anchor_id),
        version=row.version,
        status=_STATUSES[row.status],
        profile=profile_to_proto(view.profile),
        submitted_at=stamp(row.submitted_at),
        submitted_by=actor_pb(row.submitted_by),
        reviewed_at=stamp(row.reviewed_at),
        reviewed_by=actor_pb(row.reviewed_by),
        review_reason=row.review_reason,
    )


def _training_to_proto(view: TrainingRow) -> pb.TrainingRecord:
    return pb.TrainingRecord(
        training_id=str(view.training_id),
        anchor_id=str(view.anchor_id),
        kind=_TRAINING_KINDS_PB[view.kind],
        course_id=view.course_id,
        completed_at=stamp(view.completed_at),
        passed=view.passed,
        certificate=_document_pb(view.certificate) if view.certificate else None,
    )


class AnchorApi(anchor_pb2_grpc.AnchorServiceServicer):
    def __init__(self, anchors: Anchors) -> None:
        self._anchors = anchors

    async def RegisterAnchor(self, request: pb.RegisterAnchorRequest, context) -> pb.RegisterAnchorResponse:
        view = await self._anchors.register(caller(context), profile_from_proto(request.profile), request_id=request.request_id)
        return pb.RegisterAnchorResponse(anchor=anchor_to_proto(view))

    async def GetAnchor(self, request: pb.GetAnchorRequest, context) -> pb.GetAnchorResponse:
        view = await self._anchors.get(caller(context), parse_anchor_id(request.anchor_id))
        return pb.GetAnchorResponse(anchor=anchor_to_proto(view))

    async def ListAnchors(self, request: pb.ListAnchorsRequest, context) -> pb.ListAnchorsResponse:
        views, next_token = await self._anchors.list_anchors(
            caller(context), agency_id=request.agency_id, token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListAnchorsResponse(
            anchors=[anchor_to_proto(v) for v in views], page=paging_pb2.PageResponse(next_page_token=next_token)
        )

    async def ReviseAnchorFile(self, request: pb.ReviseAnchorFileRequest, context) -> pb.ReviseAnchorFileResponse:
        view = await self._anchors.revise(
            caller(context),
            parse_anchor_id(request.anchor_id),
            profile_from_proto(request.profile),
            expected_latest_version=request.expected_latest_version,
            request_id=request.request_id,
        )
        return pb.ReviseAnchorFileResponse(anchor=anchor_to_proto(view))

    async def ReviewAnchorFile(self, request: pb.ReviewAnchorFileRequest, context) -> pb.ReviewAnchorFileResponse:
        approve = _DECISIONS.get(request.decision)
        decision = None if approve is None else domain.ReviewDecision(approve=approve, reason=request.reason)
        view = await self._anchors.review(
            caller(context), parse_anchor_id(request.anchor_id), request.version, decision, request_id=request.request_id
        )
        return pb.ReviewAnchorFileResponse(anchor=anchor_to_proto(view))

    async def ListAnchorFileVersions(self, request: pb.ListAnchorFileVersionsRequest, context) -> pb.ListAnchorFileVersionsResponse:
        views = await self._anchors.versions(caller(context), parse_anchor_id(request.anchor_id))
        return pb.ListAnchorFileVersionsResponse(versions=[_version_to_proto(v) for v in views])

    async def GetAnchorHistory(self, request: pb.GetAnchorHistoryRequest, context) -> pb.GetAnchorHistoryResponse:
        rows, next_token = await self._anchors.history(
            caller(context), parse_anchor_id(request.anchor_id), token=request.page.page_token, size=request.page.page_size
        )
        return pb.GetAnchorHistoryResponse(
            records=history.to_messages(rows, pb.ChangeRecord, pb.FieldChange), page=paging_pb2.PageResponse(next_page_token=next_token)
        )

    async def RecordTraining(self, request: pb.RecordTrainingRequest, context) -> pb.RecordTrainingResponse:
        view = await self._anchors.record_training(
            caller(context),
            parse_anchor_id(request.anchor_id),
            kind=_TRAINING_KINDS.get(request.kind),
            course_id=request.course_id,
            completed_at=read(request, "completed_at"),
            passed=request.passed,
            certificate=_document(request.certificate) if request.HasField("certificate") else None,
            request_id=request.request_id,
        )
        return pb.RecordTrainingResponse(training=_training_to_proto(view))

    async def CheckGoLiveEligibility(self, request: pb.CheckGoLiveEligibilityRequest, context) -> pb.CheckGoLiveEligibilityResponse:
        found = await self._anchors.eligibility(caller(context), parse_anchor_id(request.anchor_id))
        return pb.CheckGoLiveEligibilityResponse(
            eligible=not found.blocks,
            blocks=[pb.EligibilityBlock(rule_id=b.rule_id, reason=b.reason) for b in found.blocks],
            checked_at=stamp(found.checked_at),
            room_labels=found.room_labels,
            digital_human=found.digital_human,
        )

