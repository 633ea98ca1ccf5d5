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

class SubjectKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUBJECT_KIND_UNSPECIFIED: _ClassVar[SubjectKind]
    SUBJECT_KIND_ANCHOR: _ClassVar[SubjectKind]
    SUBJECT_KIND_AGENCY: _ClassVar[SubjectKind]

class RiskLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RISK_LEVEL_UNSPECIFIED: _ClassVar[RiskLevel]
    RISK_LEVEL_LOW: _ClassVar[RiskLevel]
    RISK_LEVEL_MEDIUM: _ClassVar[RiskLevel]
    RISK_LEVEL_HIGH: _ClassVar[RiskLevel]

class RepairStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPAIR_STATUS_UNSPECIFIED: _ClassVar[RepairStatus]
    REPAIR_STATUS_PENDING: _ClassVar[RepairStatus]
    REPAIR_STATUS_APPROVED: _ClassVar[RepairStatus]
    REPAIR_STATUS_REJECTED: _ClassVar[RepairStatus]

class RepairDecision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPAIR_DECISION_UNSPECIFIED: _ClassVar[RepairDecision]
    REPAIR_DECISION_APPROVE: _ClassVar[RepairDecision]
    REPAIR_DECISION_REJECT: _ClassVar[RepairDecision]

class AssessmentBasis(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSESSMENT_BASIS_UNSPECIFIED: _ClassVar[AssessmentBasis]
    ASSESSMENT_BASIS_FACTS: _ClassVar[AssessmentBasis]
    ASSESSMENT_BASIS_ATTESTATION: _ClassVar[AssessmentBasis]
    ASSESSMENT_BASIS_NOT_ASSESSED: _ClassVar[AssessmentBasis]

class ExportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXPORT_FORMAT_UNSPECIFIED: _ClassVar[ExportFormat]
    EXPORT_FORMAT_JSON: _ClassVar[ExportFormat]
    EXPORT_FORMAT_CSV: _ClassVar[ExportFormat]
SUBJECT_KIND_UNSPECIFIED: SubjectKind
SUBJECT_KIND_ANCHOR: SubjectKind
SUBJECT_KIND_AGENCY: SubjectKind
RISK_LEVEL_UNSPECIFIED: RiskLevel
RISK_LEVEL_LOW: RiskLevel
RISK_LEVEL_MEDIUM: RiskLevel
RISK_LEVEL_HIGH: RiskLevel
REPAIR_STATUS_UNSPECIFIED: RepairStatus
REPAIR_STATUS_PENDING: RepairStatus
REPAIR_STATUS_APPROVED: RepairStatus
REPAIR_STATUS_REJECTED: RepairStatus
REPAIR_DECISION_UNSPECIFIED: RepairDecision
REPAIR_DECISION_APPROVE: RepairDecision
REPAIR_DECISION_REJECT: RepairDecision
ASSESSMENT_BASIS_UNSPECIFIED: AssessmentBasis
ASSESSMENT_BASIS_FACTS: AssessmentBasis
ASSESSMENT_BASIS_ATTESTATION: AssessmentBasis
ASSESSMENT_BASIS_NOT_ASSESSED: AssessmentBasis
EXPORT_FORMAT_UNSPECIFIED: ExportFormat
EXPORT_FORMAT_JSON: ExportFormat
EXPORT_FORMAT_CSV: ExportFormat

class CreditSubject(_message.Message):
    __slots__ = ("kind", "id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    kind: SubjectKind
    id: str
    def __init__(self, kind: _Optional[_Union[SubjectKind, str]] = ..., id: _Optional[str] = ...) -> None: ...

class ScorePart(_message.Message):
    __slots__ = ("name", "points")
    NAME_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    points: float
    def __init__(self, name: _Optional[str] = ..., points: _Optional[float] = ...) -> None: ...

class CreditArchive(_message.Message):
    __slots__ = ("subject", "score", "risk_level", "score_parts", "violations", "violations_since_repair", "suspensions", "bans", "terminations", "blacklistings", "trainings_passed", "upheld_complaints", "orders", "returns", "return_rate", "repaired_at", "updated_at")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    SCORE_PARTS_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_SINCE_REPAIR_FIELD_NUMBER: _ClassVar[int]
    SUSPENSIONS_FIELD_NUMBER: _ClassVar[int]
    BANS_FIELD_NUMBER: _ClassVar[int]
    TERMINATIONS_FIELD_NUMBER: _ClassVar[int]
    BLACKLISTINGS_FIELD_NUMBER: _ClassVar[int]
    TRAININGS_PASSED_FIELD_NUMBER: _ClassVar[int]
    UPHELD_COMPLAINTS_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    RETURNS_FIELD_NUMBER: _ClassVar[int]
    RETURN_RATE_FIELD_NUMBER: _ClassVar[int]
    REPAIRED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    subject: CreditSubject
    score: float
    risk_level: RiskLevel
    score_parts: _containers.RepeatedCompositeFieldContainer[ScorePart]
    violations: int
    violations_since_repair: int
    suspensions: int
    bans: int
    terminations: int
    blacklistings: int
    trainings_passed: int
    upheld_complaints: int
    orders: int
    returns: int
    return_rate: float
    repaired_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, subject: _Optional[_Union[CreditSubject, _Mapping]] = ..., score: _Optional[float] = ..., risk_level: _Optional[_Union[RiskLevel, str]] = ..., score_parts: _Optional[_Iterable[_Union[ScorePart, _Mapping]]] = ..., violations: _Optional[int] = ..., violations_since_repair: _Optional[int] = ..., suspensions: _Optional[int] = ..., bans: _Optional[int] = ..., terminations: _Optional[int] = ..., blacklistings: _Optional[int] = ..., trainings_passed: _Optional[int] = ..., upheld_complaints: _Optional[int] = ..., orders: _Optional[int] = ..., returns: _Optional[int] = ..., return_rate: _Optional[float] = ..., repaired_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreditChange(_message.Message):
    __slots__ = ("sequence", "at", "cause", "detail", "old_score", "new_score", "old_level", "new_level")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    OLD_SCORE_FIELD_NUMBER: _ClassVar[int]
    NEW_SCORE_FIELD_NUMBER: _ClassVar[int]
    OLD_LEVEL_FIELD_NUMBER: _ClassVar[int]
    NEW_LEVEL_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    at: _timestamp_pb2.Timestamp
    cause: str
    detail: str
    old_score: float
    new_score: float
    old_level: RiskLevel
    new_level: RiskLevel
    def __init__(self, sequence: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cause: _Optional[str] = ..., detail: _Optional[str] = ..., old_score: _Optional[float] = ..., new_score: _Optional[float] = ..., old_level: _Optional[_Union[RiskLevel, str]] = ..., new_level: _Optional[_Union[RiskLevel, str]] = ...) -> None: ...

class CreditWarning(_message.Message):
    __slots__ = ("warning_id", "subject", "threshold_id", "rule_id", "description", "value", "limit", "responsible_roles", "raised_at")
    WARNING_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ROLES_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    warning_id: str
    subject: CreditSubject
    threshold_id: str
    rule_id: str
    description: str
    value: float
    limit: float
    responsible_roles: _containers.RepeatedScalarFieldContainer[str]
    raised_at: _timestamp_pb2.Timestamp
    def __init__(self, warning_id: _Optional[str] = ..., subject: _Optional[_Union[CreditSubject, _Mapping]] = ..., threshold_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., description: _Optional[str] = ..., value: _Optional[float] = ..., limit: _Optional[float] = ..., responsible_roles: _Optional[_Iterable[str]] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreditRepair(_message.Message):
    __slots__ = ("repair_id", "subject", "status", "statement", "applied_at", "applied_by", "decided_at", "decided_by", "reason")
    REPAIR_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    APPLIED_AT_FIELD_NUMBER: _ClassVar[int]
    APPLIED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    repair_id: str
    subject: CreditSubject
    status: RepairStatus
    statement: str
    applied_at: _timestamp_pb2.Timestamp
    applied_by: _identity_pb2.Actor
    decided_at: _timestamp_pb2.Timestamp
    decided_by: _identity_pb2.Actor
    reason: str
    def __init__(self, repair_id: _Optional[str] = ..., subject: _Optional[_Union[CreditSubject, _Mapping]] = ..., status: _Optional[_Union[RepairStatus, str]] = ..., statement: _Optional[str] = ..., applied_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., applied_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class RiskPointAssessment(_message.Message):
    __slots__ = ("number", "key", "name_zh", "name_en", "default_level", "level", "basis", "evidence", "action_zh", "action_en", "countermeasures_zh")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_LEVEL_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    ACTION_ZH_FIELD_NUMBER: _ClassVar[int]
    ACTION_EN_FIELD_NUMBER: _ClassVar[int]
    COUNTERMEASURES_ZH_FIELD_NUMBER: _ClassVar[int]
    number: int
    key: str
    name_zh: str
    name_en: str
    default_level: RiskLevel
    level: RiskLevel
    basis: AssessmentBasis
    evidence: str
    action_zh: str
    action_en: str
    countermeasures_zh: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, number: _Optional[int] = ..., key: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., default_level: _Optional[_Union[RiskLevel, str]] = ..., level: _Optional[_Union[RiskLevel, str]] = ..., basis: _Optional[_Union[AssessmentBasis, str]] = ..., evidence: _Optional[str] = ..., action_zh: _Optional[str] = ..., action_en: _Optional[str] = ..., countermeasures_zh: _Optional[_Iterable[str]] = ...) -> None: ...

class RiskReport(_message.Message):
    __slots__ = ("subject", "generated_at", "overall", "points")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    GENERATED_AT_FIELD_NUMBER: _ClassVar[int]
    OVERALL_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    subject: CreditSubject
    generated_at: _timestamp_pb2.Timestamp
    overall: RiskLevel
    points: _containers.RepeatedCompositeFieldContainer[RiskPointAssessment]
    def __init__(self, subject: _Optional[_Union[CreditSubject, _Mapping]] = ..., generated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overall: _Optional[_Union[RiskLevel, str]] = ..., points: _Optional[_Iterable[_Union[RiskPointAssessment, _Mapping]]] = ...) -> None: ...

class GetCreditArchiveRequest(_message.Message):
    __slots__ = ("subject",)
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    subject: CreditSubject
    def __init__(self, subject: _Optional[_Union[CreditSubject, _Mapping]] = ...) -> None: ...

class GetCreditArchiveResponse(_message.Message):
    __slots__ = ("archive",)
    ARCHIVE_FIELD_NUMBER: _ClassVar[int]
    archive: CreditArchive
    def __init__(self, archive: _Optional[_Union[CreditArchive, _Mapping]] = ...) -> None: ...

class GetCreditHistoryRequest(_message.Message):
    __slots__ = ("subject", "page")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    subject: CreditSubject
    page: _paging_pb2.PageRequest
    def __init__(self, subject: _Optional[_Union[CreditSubject, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class GetCreditHistoryResponse(_message.Message):
    __slots__ = ("changes", "page")
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[CreditChange]
    page: _paging_pb2.PageResponse
    def __init__(self, changes: _Optional[_Iterable[_Union[CreditChange, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ListCreditWarningsRequest(_message.Message):
    __slots__ = ("subject", "page")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    subject: CreditSubject
    page: _paging_pb2.PageRequest
    def __init__(self, subject: _Optional[_Union[CreditSubject, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListCreditWarningsResponse(_message.Message):
    __slots__ = ("warnings", "page")
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    warnings: _containers.RepeatedCompositeFieldContainer[CreditWarning]
    page: _paging_pb2.PageResponse
    def __init__(self, warnings: _Optional[_Iterable[_Union[CreditWarning, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ApplyForCreditRepairRequest(_message.Message):
    __slots__ = ("request_id", "subject", "statement")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject: CreditSubject
    statement: str
    def __init__(self, request_id: _Optional[str] = ..., subject: _Optional[_Union[CreditSubject, _Mapping]] = ..., statement: _Optional[str] = ...) -> None: ...

class ApplyForCreditRepairResponse(_message.Message):
    __slots__ = ("repair",)
    REPAIR_FIELD_NUMBER: _ClassVar[int]
    repair: CreditRepair
    def __init__(self, repair: _Optional[_Union[CreditRepair, _Mapping]] = ...) -> None: ...

class DecideCreditRepairRequest(_message.Message):
    __slots__ = ("repair_id", "decision", "reason", "request_id")
    REPAIR_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    repair_id: str
    decision: RepairDecision
    reason: str
    request_id: str
    def __init__(self, repair_id: _Optional[str] = ..., decision: _Optional[_Union[RepairDecision, str]] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class DecideCreditRepairResponse(_message.Message):
    __slots__ = ("repair", "archive")
    REPAIR_FIELD_NUMBER: _ClassVar[int]
    ARCHIVE_FIELD_NUMBER: _ClassVar[int]
    repair: CreditRepair
    archive: CreditArchive
    def __init__(self, repair: _Optional[_Union[CreditRepair, _Mapping]] = ..., archive: _Optional[_Union[CreditArchive, _Mapping]] = ...) -> None: ...

class ListCreditRepairsRequest(_message.Message):
    __slots__ = ("subject",)
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    subject: CreditSubject
    def __init__(self, subject: _Optional[_Union[CreditSubject, _Mapping]] = ...) -> None: ...

class ListCreditRepairsResponse(_message.Message):
    __slots__ = ("repairs",)
    REPAIRS_FIELD_NUMBER: _ClassVar[int]
    repairs: _containers.RepeatedCompositeFieldContainer[CreditRepair]
    def __init__(self, repairs: _Optional[_Iterable[_Union[CreditRepair, _Mapping]]] = ...) -> None: ...

class AttestRiskPointRequest(_message.Message):
    __slots__ = ("subject", "point_number", "level", "note", "request_id")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    POINT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    subject: CreditSubject
    point_number: int
    level: RiskLevel
    note: str
    request_id: str
    def __init__(self, subject: _Optional[_Union[CreditSubject, _Mapping]] = ..., point_number: _Optional[int] = ..., level: _Optional[_Union[RiskLevel, str]] = ..., note: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class AttestRiskPointResponse(_message.Message):
    __slots__ = ("point",)
    POINT_FIELD_NUMBER: _ClassVar[int]
    point: RiskPointAssessment
    def __init__(self, point: _Optional[_Union[RiskPointAssessment, _Mapping]] = ...) -> None: ...

class GetRiskReportRequest(_message.Message):
    __slots__ = ("subject",)
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    subject: CreditSubject
    def __init__(self, subject: _Optional[_Union[CreditSubject, _Mapping]] = ...) -> None: ...

class GetRiskReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: RiskReport
    def __init__(self, report: _Optional[_Union[RiskReport, _Mapping]] = ...) -> None: ...

class ExportRiskReportRequest(_message.Message):
    __slots__ = ("subject", "format")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    subject: CreditSubject
    format: ExportFormat
    def __init__(self, subject: _Optional[_Union[CreditSubject, _Mapping]] = ..., format: _Optional[_Union[ExportFormat, str]] = ...) -> None: ...

class ExportRiskReportResponse(_message.Message):
    __slots__ = ("content", "content_type", "filename")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    content_type: str
    filename: str
    def __init__(self, content: _Optional[bytes] = ..., content_type: _Optional[str] = ..., filename: _Optional[str] = ...) -> None: ...
