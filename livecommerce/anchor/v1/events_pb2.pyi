import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.anchor.v1 import credit_pb2 as _credit_pb2
from livecommerce.anchor.v1 import discipline_pb2 as _discipline_pb2
from livecommerce.common.v1 import conduct_pb2 as _conduct_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AnchorRegistered(_message.Message):
    __slots__ = ("anchor_id", "agency_id", "version", "digital_human", "adult_on")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DIGITAL_HUMAN_FIELD_NUMBER: _ClassVar[int]
    ADULT_ON_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    agency_id: str
    version: int
    digital_human: bool
    adult_on: str
    def __init__(self, anchor_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., version: _Optional[int] = ..., digital_human: _Optional[bool] = ..., adult_on: _Optional[str] = ...) -> None: ...

class AnchorFileRevised(_message.Message):
    __slots__ = ("anchor_id", "version")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    version: int
    def __init__(self, anchor_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class AnchorFileApproved(_message.Message):
    __slots__ = ("anchor_id", "version", "agency_id", "digital_human", "adult_on", "reviewer")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    DIGITAL_HUMAN_FIELD_NUMBER: _ClassVar[int]
    ADULT_ON_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    version: int
    agency_id: str
    digital_human: bool
    adult_on: str
    reviewer: str
    def __init__(self, anchor_id: _Optional[str] = ..., version: _Optional[int] = ..., agency_id: _Optional[str] = ..., digital_human: _Optional[bool] = ..., adult_on: _Optional[str] = ..., reviewer: _Optional[str] = ...) -> None: ...

class AnchorFileRejected(_message.Message):
    __slots__ = ("anchor_id", "version", "reason", "reviewer")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    version: int
    reason: str
    reviewer: str
    def __init__(self, anchor_id: _Optional[str] = ..., version: _Optional[int] = ..., reason: _Optional[str] = ..., reviewer: _Optional[str] = ...) -> None: ...

class TrainingRecorded(_message.Message):
    __slots__ = ("anchor_id", "training_id", "course_id", "onboarding", "passed", "completed_at")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    TRAINING_ID_FIELD_NUMBER: _ClassVar[int]
    COURSE_ID_FIELD_NUMBER: _ClassVar[int]
    ONBOARDING_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    training_id: str
    course_id: str
    onboarding: bool
    passed: bool
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, anchor_id: _Optional[str] = ..., training_id: _Optional[str] = ..., course_id: _Optional[str] = ..., onboarding: _Optional[bool] = ..., passed: _Optional[bool] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AgencyRegistered(_message.Message):
    __slots__ = ("agency_id", "legal_name")
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    LEGAL_NAME_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    legal_name: str
    def __init__(self, agency_id: _Optional[str] = ..., legal_name: _Optional[str] = ...) -> None: ...

class ViolationRecorded(_message.Message):
    __slots__ = ("violation_id", "anchor_id", "agency_id", "session_id", "category", "severity", "occurred_at")
    VIOLATION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    violation_id: str
    anchor_id: str
    agency_id: str
    session_id: str
    category: _conduct_pb2.ViolationCategory
    severity: _conduct_pb2.ViolationSeverity
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, violation_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., session_id: _Optional[str] = ..., category: _Optional[_Union[_conduct_pb2.ViolationCategory, str]] = ..., severity: _Optional[_Union[_conduct_pb2.ViolationSeverity, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SanctionImposed(_message.Message):
    __slots__ = ("change_id", "anchor_id", "agency_id", "standing", "rule_id", "starts_at", "until", "choice", "choice_was_default", "session_id", "reason")
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    STANDING_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    CHOICE_FIELD_NUMBER: _ClassVar[int]
    CHOICE_WAS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    change_id: str
    anchor_id: str
    agency_id: str
    standing: _discipline_pb2.Standing
    rule_id: str
    starts_at: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    choice: _discipline_pb2.EscalationChoice
    choice_was_default: bool
    session_id: str
    reason: str
    def __init__(self, change_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., standing: _Optional[_Union[_discipline_pb2.Standing, str]] = ..., rule_id: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., choice: _Optional[_Union[_discipline_pb2.EscalationChoice, str]] = ..., choice_was_default: _Optional[bool] = ..., session_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class SanctionExpired(_message.Message):
    __slots__ = ("change_id", "anchor_id", "standing_before", "expired_at")
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    STANDING_BEFORE_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_AT_FIELD_NUMBER: _ClassVar[int]
    change_id: str
    anchor_id: str
    standing_before: _discipline_pb2.Standing
    expired_at: _timestamp_pb2.Timestamp
    def __init__(self, change_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., standing_before: _Optional[_Union[_discipline_pb2.Standing, str]] = ..., expired_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegulatorNotified(_message.Message):
    __slots__ = ("notification_id", "anchor_id", "change_id", "rule_id")
    NOTIFICATION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    notification_id: str
    anchor_id: str
    change_id: str
    rule_id: str
    def __init__(self, notification_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., change_id: _Optional[str] = ..., rule_id: _Optional[str] = ...) -> None: ...

class CreditScoreChanged(_message.Message):
    __slots__ = ("subject", "old_score", "new_score", "old_level", "new_level", "cause")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    OLD_SCORE_FIELD_NUMBER: _ClassVar[int]
    NEW_SCORE_FIELD_NUMBER: _ClassVar[int]
    OLD_LEVEL_FIELD_NUMBER: _ClassVar[int]
    NEW_LEVEL_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    subject: _credit_pb2.CreditSubject
    old_score: float
    new_score: float
    old_level: _credit_pb2.RiskLevel
    new_level: _credit_pb2.RiskLevel
    cause: str
    def __init__(self, subject: _Optional[_Union[_credit_pb2.CreditSubject, _Mapping]] = ..., old_score: _Optional[float] = ..., new_score: _Optional[float] = ..., old_level: _Optional[_Union[_credit_pb2.RiskLevel, str]] = ..., new_level: _Optional[_Union[_credit_pb2.RiskLevel, str]] = ..., cause: _Optional[str] = ...) -> None: ...

class CreditWarningRaised(_message.Message):
    __slots__ = ("warning",)
    WARNING_FIELD_NUMBER: _ClassVar[int]
    warning: _credit_pb2.CreditWarning
    def __init__(self, warning: _Optional[_Union[_credit_pb2.CreditWarning, _Mapping]] = ...) -> None: ...

class CreditRepairApplied(_message.Message):
    __slots__ = ("repair",)
    REPAIR_FIELD_NUMBER: _ClassVar[int]
    repair: _credit_pb2.CreditRepair
    def __init__(self, repair: _Optional[_Union[_credit_pb2.CreditRepair, _Mapping]] = ...) -> None: ...

class CreditRepairDecided(_message.Message):
    __slots__ = ("repair",)
    REPAIR_FIELD_NUMBER: _ClassVar[int]
    repair: _credit_pb2.CreditRepair
    def __init__(self, repair: _Optional[_Union[_credit_pb2.CreditRepair, _Mapping]] = ...) -> None: ...
