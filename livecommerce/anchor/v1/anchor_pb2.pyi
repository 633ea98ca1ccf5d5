import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import identity_pb2 as _identity_pb2
from livecommerce.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class IdentityDocumentType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IDENTITY_DOCUMENT_TYPE_UNSPECIFIED: _ClassVar[IdentityDocumentType]
    IDENTITY_DOCUMENT_TYPE_RESIDENT_ID_CARD: _ClassVar[IdentityDocumentType]
    IDENTITY_DOCUMENT_TYPE_PASSPORT: _ClassVar[IdentityDocumentType]

class DocumentKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOCUMENT_KIND_UNSPECIFIED: _ClassVar[DocumentKind]
    DOCUMENT_KIND_IDENTITY_FRONT: _ClassVar[DocumentKind]
    DOCUMENT_KIND_IDENTITY_BACK: _ClassVar[DocumentKind]
    DOCUMENT_KIND_PASSPORT_DATA_PAGE: _ClassVar[DocumentKind]
    DOCUMENT_KIND_GUARDIAN_CONSENT: _ClassVar[DocumentKind]
    DOCUMENT_KIND_GUARDIAN_IDENTITY: _ClassVar[DocumentKind]
    DOCUMENT_KIND_TRAINING_CERTIFICATE: _ClassVar[DocumentKind]
    DOCUMENT_KIND_OTHER: _ClassVar[DocumentKind]

class FileVersionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FILE_VERSION_STATUS_UNSPECIFIED: _ClassVar[FileVersionStatus]
    FILE_VERSION_STATUS_PENDING_REVIEW: _ClassVar[FileVersionStatus]
    FILE_VERSION_STATUS_APPROVED: _ClassVar[FileVersionStatus]
    FILE_VERSION_STATUS_REJECTED: _ClassVar[FileVersionStatus]
    FILE_VERSION_STATUS_SUPERSEDED: _ClassVar[FileVersionStatus]

class ReviewDecision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVIEW_DECISION_UNSPECIFIED: _ClassVar[ReviewDecision]
    REVIEW_DECISION_APPROVE: _ClassVar[ReviewDecision]
    REVIEW_DECISION_REJECT: _ClassVar[ReviewDecision]

class TrainingKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRAINING_KIND_UNSPECIFIED: _ClassVar[TrainingKind]
    TRAINING_KIND_ONBOARDING: _ClassVar[TrainingKind]
    TRAINING_KIND_PERIODIC: _ClassVar[TrainingKind]
IDENTITY_DOCUMENT_TYPE_UNSPECIFIED: IdentityDocumentType
IDENTITY_DOCUMENT_TYPE_RESIDENT_ID_CARD: IdentityDocumentType
IDENTITY_DOCUMENT_TYPE_PASSPORT: IdentityDocumentType
DOCUMENT_KIND_UNSPECIFIED: DocumentKind
DOCUMENT_KIND_IDENTITY_FRONT: DocumentKind
DOCUMENT_KIND_IDENTITY_BACK: DocumentKind
DOCUMENT_KIND_PASSPORT_DATA_PAGE: DocumentKind
DOCUMENT_KIND_GUARDIAN_CONSENT: DocumentKind
DOCUMENT_KIND_GUARDIAN_IDENTITY: DocumentKind
DOCUMENT_KIND_TRAINING_CERTIFICATE: DocumentKind
DOCUMENT_KIND_OTHER: DocumentKind
FILE_VERSION_STATUS_UNSPECIFIED: FileVersionStatus
FILE_VERSION_STATUS_PENDING_REVIEW: FileVersionStatus
FILE_VERSION_STATUS_APPROVED: FileVersionStatus
FILE_VERSION_STATUS_REJECTED: FileVersionStatus
FILE_VERSION_STATUS_SUPERSEDED: FileVersionStatus
REVIEW_DECISION_UNSPECIFIED: ReviewDecision
REVIEW_DECISION_APPROVE: ReviewDecision
REVIEW_DECISION_REJECT: ReviewDecision
TRAINING_KIND_UNSPECIFIED: TrainingKind
TRAINING_KIND_ONBOARDING: TrainingKind
TRAINING_KIND_PERIODIC: TrainingKind

class DocumentRef(_message.Message):
    __slots__ = ("kind", "uri", "sha256")
    KIND_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    kind: DocumentKind
    uri: str
    sha256: str
    def __init__(self, kind: _Optional[_Union[DocumentKind, str]] = ..., uri: _Optional[str] = ..., sha256: _Optional[str] = ...) -> None: ...

class PersonIdentity(_message.Message):
    __slots__ = ("legal_name", "document_type", "document_number", "date_of_birth", "nationality")
    LEGAL_NAME_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    NATIONALITY_FIELD_NUMBER: _ClassVar[int]
    legal_name: str
    document_type: IdentityDocumentType
    document_number: str
    date_of_birth: str
    nationality: str
    def __init__(self, legal_name: _Optional[str] = ..., document_type: _Optional[_Union[IdentityDocumentType, str]] = ..., document_number: _Optional[str] = ..., date_of_birth: _Optional[str] = ..., nationality: _Optional[str] = ...) -> None: ...

class Guardian(_message.Message):
    __slots__ = ("identity", "relationship", "phone")
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    RELATIONSHIP_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    identity: PersonIdentity
    relationship: str
    phone: str
    def __init__(self, identity: _Optional[_Union[PersonIdentity, _Mapping]] = ..., relationship: _Optional[str] = ..., phone: _Optional[str] = ...) -> None: ...

class AnchorProfile(_message.Message):
    __slots__ = ("identity", "display_name", "address", "phone", "email", "agency_id", "digital_human", "documents", "guardian")
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    DIGITAL_HUMAN_FIELD_NUMBER: _ClassVar[int]
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    GUARDIAN_FIELD_NUMBER: _ClassVar[int]
    identity: PersonIdentity
    display_name: str
    address: str
    phone: str
    email: str
    agency_id: str
    digital_human: bool
    documents: _containers.RepeatedCompositeFieldContainer[DocumentRef]
    guardian: Guardian
    def __init__(self, identity: _Optional[_Union[PersonIdentity, _Mapping]] = ..., display_name: _Optional[str] = ..., address: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., agency_id: _Optional[str] = ..., digital_human: _Optional[bool] = ..., documents: _Optional[_Iterable[_Union[DocumentRef, _Mapping]]] = ..., guardian: _Optional[_Union[Guardian, _Mapping]] = ...) -> None: ...

class Anchor(_message.Message):
    __slots__ = ("anchor_id", "profile", "latest_version", "latest_version_status", "approved_version", "date_of_birth", "registered_at", "updated_at", "pii_visible")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_STATUS_FIELD_NUMBER: _ClassVar[int]
    APPROVED_VERSION_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    PII_VISIBLE_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    profile: AnchorProfile
    latest_version: int
    latest_version_status: FileVersionStatus
    approved_version: int
    date_of_birth: str
    registered_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    pii_visible: bool
    def __init__(self, anchor_id: _Optional[str] = ..., profile: _Optional[_Union[AnchorProfile, _Mapping]] = ..., latest_version: _Optional[int] = ..., latest_version_status: _Optional[_Union[FileVersionStatus, str]] = ..., approved_version: _Optional[int] = ..., date_of_birth: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pii_visible: _Optional[bool] = ...) -> None: ...

class AnchorFileVersion(_message.Message):
    __slots__ = ("anchor_id", "version", "status", "profile", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "review_reason")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEW_REASON_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    version: int
    status: FileVersionStatus
    profile: AnchorProfile
    submitted_at: _timestamp_pb2.Timestamp
    submitted_by: _identity_pb2.Actor
    reviewed_at: _timestamp_pb2.Timestamp
    reviewed_by: _identity_pb2.Actor
    review_reason: str
    def __init__(self, anchor_id: _Optional[str] = ..., version: _Optional[int] = ..., status: _Optional[_Union[FileVersionStatus, str]] = ..., profile: _Optional[_Union[AnchorProfile, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., submitted_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., reviewed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reviewed_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., review_reason: _Optional[str] = ...) -> None: ...

class TrainingRecord(_message.Message):
    __slots__ = ("training_id", "anchor_id", "kind", "course_id", "completed_at", "passed", "certificate")
    TRAINING_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    COURSE_ID_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    training_id: str
    anchor_id: str
    kind: TrainingKind
    course_id: str
    completed_at: _timestamp_pb2.Timestamp
    passed: bool
    certificate: DocumentRef
    def __init__(self, training_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., kind: _Optional[_Union[TrainingKind, str]] = ..., course_id: _Optional[str] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., passed: _Optional[bool] = ..., certificate: _Optional[_Union[DocumentRef, _Mapping]] = ...) -> None: ...

class FieldChange(_message.Message):
    __slots__ = ("field", "old_value", "new_value")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    field: str
    old_value: str
    new_value: str
    def __init__(self, field: _Optional[str] = ..., old_value: _Optional[str] = ..., new_value: _Optional[str] = ...) -> None: ...

class ChangeRecord(_message.Message):
    __slots__ = ("sequence", "at", "actor", "action", "version", "changes", "reason")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    at: _timestamp_pb2.Timestamp
    actor: _identity_pb2.Actor
    action: str
    version: int
    changes: _containers.RepeatedCompositeFieldContainer[FieldChange]
    reason: str
    def __init__(self, sequence: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., action: _Optional[str] = ..., version: _Optional[int] = ..., changes: _Optional[_Iterable[_Union[FieldChange, _Mapping]]] = ..., reason: _Optional[str] = ...) -> None: ...

class EligibilityBlock(_message.Message):
    __slots__ = ("rule_id", "reason")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    reason: str
    def __init__(self, rule_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RegisterAnchorRequest(_message.Message):
    __slots__ = ("request_id", "profile")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    profile: AnchorProfile
    def __init__(self, request_id: _Optional[str] = ..., profile: _Optional[_Union[AnchorProfile, _Mapping]] = ...) -> None: ...

class RegisterAnchorResponse(_message.Message):
    __slots__ = ("anchor",)
    ANCHOR_FIELD_NUMBER: _ClassVar[int]
    anchor: Anchor
    def __init__(self, anchor: _Optional[_Union[Anchor, _Mapping]] = ...) -> None: ...

class GetAnchorRequest(_message.Message):
    __slots__ = ("anchor_id",)
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    def __init__(self, anchor_id: _Optional[str] = ...) -> None: ...

class GetAnchorResponse(_message.Message):
    __slots__ = ("anchor",)
    ANCHOR_FIELD_NUMBER: _ClassVar[int]
    anchor: Anchor
    def __init__(self, anchor: _Optional[_Union[Anchor, _Mapping]] = ...) -> None: ...

class ListAnchorsRequest(_message.Message):
    __slots__ = ("page", "agency_id")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    agency_id: str
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ..., agency_id: _Optional[str] = ...) -> None: ...

class ListAnchorsResponse(_message.Message):
    __slots__ = ("anchors", "page")
    ANCHORS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    anchors: _containers.RepeatedCompositeFieldContainer[Anchor]
    page: _paging_pb2.PageResponse
    def __init__(self, anchors: _Optional[_Iterable[_Union[Anchor, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ReviseAnchorFileRequest(_message.Message):
    __slots__ = ("request_id", "anchor_id", "expected_latest_version", "profile")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_LATEST_VERSION_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    anchor_id: str
    expected_latest_version: int
    profile: AnchorProfile
    def __init__(self, request_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., expected_latest_version: _Optional[int] = ..., profile: _Optional[_Union[AnchorProfile, _Mapping]] = ...) -> None: ...

class ReviseAnchorFileResponse(_message.Message):
    __slots__ = ("anchor",)
    ANCHOR_FIELD_NUMBER: _ClassVar[int]
    anchor: Anchor
    def __init__(self, anchor: _Optional[_Union[Anchor, _Mapping]] = ...) -> None: ...

class ReviewAnchorFileRequest(_message.Message):
    __slots__ = ("anchor_id", "version", "decision", "reason", "request_id")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    version: int
    decision: ReviewDecision
    reason: str
    request_id: str
    def __init__(self, anchor_id: _Optional[str] = ..., version: _Optional[int] = ..., decision: _Optional[_Union[ReviewDecision, str]] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class ReviewAnchorFileResponse(_message.Message):
    __slots__ = ("anchor",)
    ANCHOR_FIELD_NUMBER: _ClassVar[int]
    anchor: Anchor
    def __init__(self, anchor: _Optional[_Union[Anchor, _Mapping]] = ...) -> None: ...

class ListAnchorFileVersionsRequest(_message.Message):
    __slots__ = ("anchor_id",)
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    def __init__(self, anchor_id: _Optional[str] = ...) -> None: ...

class ListAnchorFileVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[AnchorFileVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[AnchorFileVersion, _Mapping]]] = ...) -> None: ...

class GetAnchorHistoryRequest(_message.Message):
    __slots__ = ("anchor_id", "page")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, anchor_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class GetAnchorHistoryResponse(_message.Message):
    __slots__ = ("records", "page")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[ChangeRecord]
    page: _paging_pb2.PageResponse
    def __init__(self, records: _Optional[_Iterable[_Union[ChangeRecord, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class RecordTrainingRequest(_message.Message):
    __slots__ = ("request_id", "anchor_id", "kind", "course_id", "completed_at", "passed", "certificate")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    COURSE_ID_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    anchor_id: str
    kind: TrainingKind
    course_id: str
    completed_at: _timestamp_pb2.Timestamp
    passed: bool
    certificate: DocumentRef
    def __init__(self, request_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., kind: _Optional[_Union[TrainingKind, str]] = ..., course_id: _Optional[str] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., passed: _Optional[bool] = ..., certificate: _Optional[_Union[DocumentRef, _Mapping]] = ...) -> None: ...

class RecordTrainingResponse(_message.Message):
    __slots__ = ("training",)
    TRAINING_FIELD_NUMBER: _ClassVar[int]
    training: TrainingRecord
    def __init__(self, training: _Optional[_Union[TrainingRecord, _Mapping]] = ...) -> None: ...

class CheckGoLiveEligibilityRequest(_message.Message):
    __slots__ = ("anchor_id",)
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    def __init__(self, anchor_id: _Optional[str] = ...) -> None: ...

class CheckGoLiveEligibilityResponse(_message.Message):
    __slots__ = ("eligible", "blocks", "checked_at", "room_labels", "digital_human")
    ELIGIBLE_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    CHECKED_AT_FIELD_NUMBER: _ClassVar[int]
    ROOM_LABELS_FIELD_NUMBER: _ClassVar[int]
    DIGITAL_HUMAN_FIELD_NUMBER: _ClassVar[int]
    eligible: bool
    blocks: _containers.RepeatedCompositeFieldContainer[EligibilityBlock]
    checked_at: _timestamp_pb2.Timestamp
    room_labels: _containers.RepeatedScalarFieldContainer[str]
    digital_human: bool
    def __init__(self, eligible: _Optional[bool] = ..., blocks: _Optional[_Iterable[_Union[EligibilityBlock, _Mapping]]] = ..., checked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., room_labels: _Optional[_Iterable[str]] = ..., digital_human: _Optional[bool] = ...) -> None: ...
