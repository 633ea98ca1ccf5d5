import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import conduct_pb2 as _conduct_pb2
from livecommerce.common.v1 import identity_pb2 as _identity_pb2
from livecommerce.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Standing(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STANDING_UNSPECIFIED: _ClassVar[Standing]
    STANDING_GOOD: _ClassVar[Standing]
    STANDING_SUSPENDED: _ClassVar[Standing]
    STANDING_BANNED: _ClassVar[Standing]
    STANDING_TERMINATED: _ClassVar[Standing]
    STANDING_BLACKLISTED: _ClassVar[Standing]

class EscalationChoice(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ESCALATION_CHOICE_UNSPECIFIED: _ClassVar[EscalationChoice]
    ESCALATION_CHOICE_BAN_SIX_MONTHS: _ClassVar[EscalationChoice]
    ESCALATION_CHOICE_TERMINATE_CONTRACT: _ClassVar[EscalationChoice]

class StandingChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STANDING_CHANGE_KIND_UNSPECIFIED: _ClassVar[StandingChangeKind]
    STANDING_CHANGE_KIND_SUSPENDED: _ClassVar[StandingChangeKind]
    STANDING_CHANGE_KIND_BANNED: _ClassVar[StandingChangeKind]
    STANDING_CHANGE_KIND_TERMINATED: _ClassVar[StandingChangeKind]
    STANDING_CHANGE_KIND_EXPIRED: _ClassVar[StandingChangeKind]
    STANDING_CHANGE_KIND_BLACKLISTED: _ClassVar[StandingChangeKind]
    STANDING_CHANGE_KIND_REPAIRED: _ClassVar[StandingChangeKind]
STANDING_UNSPECIFIED: Standing
STANDING_GOOD: Standing
STANDING_SUSPENDED: Standing
STANDING_BANNED: Standing
STANDING_TERMINATED: Standing
STANDING_BLACKLISTED: Standing
ESCALATION_CHOICE_UNSPECIFIED: EscalationChoice
ESCALATION_CHOICE_BAN_SIX_MONTHS: EscalationChoice
ESCALATION_CHOICE_TERMINATE_CONTRACT: EscalationChoice
STANDING_CHANGE_KIND_UNSPECIFIED: StandingChangeKind
STANDING_CHANGE_KIND_SUSPENDED: StandingChangeKind
STANDING_CHANGE_KIND_BANNED: StandingChangeKind
STANDING_CHANGE_KIND_TERMINATED: StandingChangeKind
STANDING_CHANGE_KIND_EXPIRED: StandingChangeKind
STANDING_CHANGE_KIND_BLACKLISTED: StandingChangeKind
STANDING_CHANGE_KIND_REPAIRED: StandingChangeKind

class Violation(_message.Message):
    __slots__ = ("violation_id", "anchor_id", "session_id", "category", "severity", "description", "evidence", "occurred_at", "recorded_at", "recorded_by")
    VIOLATION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    violation_id: str
    anchor_id: str
    session_id: str
    category: _conduct_pb2.ViolationCategory
    severity: _conduct_pb2.ViolationSeverity
    description: str
    evidence: _containers.RepeatedCompositeFieldContainer[_conduct_pb2.EvidenceRef]
    occurred_at: _timestamp_pb2.Timestamp
    recorded_at: _timestamp_pb2.Timestamp
    recorded_by: _identity_pb2.Actor
    def __init__(self, violation_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., session_id: _Optional[str] = ..., category: _Optional[_Union[_conduct_pb2.ViolationCategory, str]] = ..., severity: _Optional[_Union[_conduct_pb2.ViolationSeverity, str]] = ..., description: _Optional[str] = ..., evidence: _Optional[_Iterable[_Union[_conduct_pb2.EvidenceRef, _Mapping]]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ...) -> None: ...

class AnchorStanding(_message.Message):
    __slots__ = ("anchor_id", "standing", "until", "consecutive_violating_sessions", "suspended_before")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    STANDING_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    CONSECUTIVE_VIOLATING_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    standing: Standing
    until: _timestamp_pb2.Timestamp
    consecutive_violating_sessions: int
    suspended_before: bool
    def __init__(self, anchor_id: _Optional[str] = ..., standing: _Optional[_Union[Standing, str]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., consecutive_violating_sessions: _Optional[int] = ..., suspended_before: _Optional[bool] = ...) -> None: ...

class StandingChange(_message.Message):
    __slots__ = ("change_id", "anchor_id", "kind", "rule_id", "at", "before", "after", "until", "choice", "choice_was_default", "reason", "session_id", "actor")
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    CHOICE_FIELD_NUMBER: _ClassVar[int]
    CHOICE_WAS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    change_id: str
    anchor_id: str
    kind: StandingChangeKind
    rule_id: str
    at: _timestamp_pb2.Timestamp
    before: Standing
    after: Standing
    until: _timestamp_pb2.Timestamp
    choice: EscalationChoice
    choice_was_default: bool
    reason: str
    session_id: str
    actor: _identity_pb2.Actor
    def __init__(self, change_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., kind: _Optional[_Union[StandingChangeKind, str]] = ..., rule_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., before: _Optional[_Union[Standing, str]] = ..., after: _Optional[_Union[Standing, str]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., choice: _Optional[_Union[EscalationChoice, str]] = ..., choice_was_default: _Optional[bool] = ..., reason: _Optional[str] = ..., session_id: _Optional[str] = ..., actor: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ...) -> None: ...

class RegulatorNotification(_message.Message):
    __slots__ = ("notification_id", "anchor_id", "agency_id", "display_name", "change", "violations", "created_at")
    NOTIFICATION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    notification_id: str
    anchor_id: str
    agency_id: str
    display_name: str
    change: StandingChange
    violations: _containers.RepeatedCompositeFieldContainer[Violation]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, notification_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., display_name: _Optional[str] = ..., change: _Optional[_Union[StandingChange, _Mapping]] = ..., violations: _Optional[_Iterable[_Union[Violation, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordSessionOutcomeRequest(_message.Message):
    __slots__ = ("request_id", "session_id", "anchor_id", "started_at", "ended_at", "violations", "escalation")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    anchor_id: str
    started_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    violations: _containers.RepeatedCompositeFieldContainer[_conduct_pb2.ViolationReport]
    escalation: EscalationChoice
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., violations: _Optional[_Iterable[_Union[_conduct_pb2.ViolationReport, _Mapping]]] = ..., escalation: _Optional[_Union[EscalationChoice, str]] = ...) -> None: ...

class RecordSessionOutcomeResponse(_message.Message):
    __slots__ = ("violating", "violations", "standing", "changes")
    VIOLATING_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    STANDING_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    violating: bool
    violations: _containers.RepeatedCompositeFieldContainer[Violation]
    standing: AnchorStanding
    changes: _containers.RepeatedCompositeFieldContainer[StandingChange]
    def __init__(self, violating: _Optional[bool] = ..., violations: _Optional[_Iterable[_Union[Violation, _Mapping]]] = ..., standing: _Optional[_Union[AnchorStanding, _Mapping]] = ..., changes: _Optional[_Iterable[_Union[StandingChange, _Mapping]]] = ...) -> None: ...

class RecordViolationRequest(_message.Message):
    __slots__ = ("request_id", "anchor_id", "session_id", "violation", "escalation")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    VIOLATION_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    anchor_id: str
    session_id: str
    violation: _conduct_pb2.ViolationReport
    escalation: EscalationChoice
    def __init__(self, request_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., session_id: _Optional[str] = ..., violation: _Optional[_Union[_conduct_pb2.ViolationReport, _Mapping]] = ..., escalation: _Optional[_Union[EscalationChoice, str]] = ...) -> None: ...

class RecordViolationResponse(_message.Message):
    __slots__ = ("violation", "standing", "changes")
    VIOLATION_FIELD_NUMBER: _ClassVar[int]
    STANDING_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    violation: Violation
    standing: AnchorStanding
    changes: _containers.RepeatedCompositeFieldContainer[StandingChange]
    def __init__(self, violation: _Optional[_Union[Violation, _Mapping]] = ..., standing: _Optional[_Union[AnchorStanding, _Mapping]] = ..., changes: _Optional[_Iterable[_Union[StandingChange, _Mapping]]] = ...) -> None: ...

class ListViolationsRequest(_message.Message):
    __slots__ = ("anchor_id", "page")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, anchor_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListViolationsResponse(_message.Message):
    __slots__ = ("violations", "page")
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    violations: _containers.RepeatedCompositeFieldContainer[Violation]
    page: _paging_pb2.PageResponse
    def __init__(self, violations: _Optional[_Iterable[_Union[Violation, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetStandingRequest(_message.Message):
    __slots__ = ("anchor_id",)
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    def __init__(self, anchor_id: _Optional[str] = ...) -> None: ...

class GetStandingResponse(_message.Message):
    __slots__ = ("standing",)
    STANDING_FIELD_NUMBER: _ClassVar[int]
    standing: AnchorStanding
    def __init__(self, standing: _Optional[_Union[AnchorStanding, _Mapping]] = ...) -> None: ...

class ListStandingChangesRequest(_message.Message):
    __slots__ = ("anchor_id",)
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    def __init__(self, anchor_id: _Optional[str] = ...) -> None: ...

class ListStandingChangesResponse(_message.Message):
    __slots__ = ("changes",)
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[StandingChange]
    def __init__(self, changes: _Optional[_Iterable[_Union[StandingChange, _Mapping]]] = ...) -> None: ...

class BlacklistAnchorRequest(_message.Message):
    __slots__ = ("anchor_id", "reason", "request_id")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    reason: str
    request_id: str
    def __init__(self, anchor_id: _Optional[str] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class BlacklistAnchorResponse(_message.Message):
    __slots__ = ("standing", "changes")
    STANDING_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    standing: AnchorStanding
    changes: _containers.RepeatedCompositeFieldContainer[StandingChange]
    def __init__(self, standing: _Optional[_Union[AnchorStanding, _Mapping]] = ..., changes: _Optional[_Iterable[_Union[StandingChange, _Mapping]]] = ...) -> None: ...

class ListRegulatorNotificationsRequest(_message.Message):
    __slots__ = ("page", "anchor_id")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    anchor_id: str
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ..., anchor_id: _Optional[str] = ...) -> None: ...

class ListRegulatorNotificationsResponse(_message.Message):
    __slots__ = ("notifications", "page")
    NOTIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    notifications: _containers.RepeatedCompositeFieldContainer[RegulatorNotification]
    page: _paging_pb2.PageResponse
    def __init__(self, notifications: _Optional[_Iterable[_Union[RegulatorNotification, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...
