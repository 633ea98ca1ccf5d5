import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import conduct_pb2 as _conduct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SessionViolation(_message.Message):
    __slots__ = ("violation_id", "report")
    VIOLATION_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    violation_id: str
    report: _conduct_pb2.ViolationReport
    def __init__(self, violation_id: _Optional[str] = ..., report: _Optional[_Union[_conduct_pb2.ViolationReport, _Mapping]] = ...) -> None: ...

class SessionEnded(_message.Message):
    __slots__ = ("session_id", "anchor_id", "room_id", "started_at", "ended_at", "violations")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    ROOM_ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    anchor_id: str
    room_id: str
    started_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    violations: _containers.RepeatedCompositeFieldContainer[SessionViolation]
    def __init__(self, session_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., room_id: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., violations: _Optional[_Iterable[_Union[SessionViolation, _Mapping]]] = ...) -> None: ...

class SessionViolationConfirmed(_message.Message):
    __slots__ = ("session_id", "anchor_id", "violation")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    VIOLATION_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    anchor_id: str
    violation: SessionViolation
    def __init__(self, session_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., violation: _Optional[_Union[SessionViolation, _Mapping]] = ...) -> None: ...
