import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
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
