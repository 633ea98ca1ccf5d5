import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import conduct_pb2 as _conduct_pb2
from livecommerce.common.v1 import identity_pb2 as _identity_pb2
from livecommerce.session.v1 import session_pb2 as _session_pb2
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

class SessionOpened(_message.Message):
    __slots__ = ("session_id", "merchant_id", "anchor_id", "room_id", "product_ids", "opened_at")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    ROOM_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    merchant_id: str
    anchor_id: str
    room_id: str
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, session_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., room_id: _Optional[str] = ..., product_ids: _Optional[_Iterable[str]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SessionStopped(_message.Message):
    __slots__ = ("session_id", "anchor_id", "stop")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    STOP_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    anchor_id: str
    stop: _session_pb2.Stop
    def __init__(self, session_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., stop: _Optional[_Union[_session_pb2.Stop, _Mapping]] = ...) -> None: ...

class ProductTakeDownRequested(_message.Message):
    __slots__ = ("request_id", "session_id", "product_id", "merchant_id", "reason", "operator", "requested_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    product_id: str
    merchant_id: str
    reason: str
    operator: _identity_pb2.Actor
    requested_at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., product_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., reason: _Optional[str] = ..., operator: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PromiseRecorded(_message.Message):
    __slots__ = ("promise", "merchant_id", "anchor_id")
    PROMISE_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    promise: _session_pb2.Promise
    merchant_id: str
    anchor_id: str
    def __init__(self, promise: _Optional[_Union[_session_pb2.Promise, _Mapping]] = ..., merchant_id: _Optional[str] = ..., anchor_id: _Optional[str] = ...) -> None: ...

class LexiconPublished(_message.Message):
    __slots__ = ("version", "previous_version", "published_by", "published_at")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    version: str
    previous_version: str
    published_by: str
    published_at: _timestamp_pb2.Timestamp
    def __init__(self, version: _Optional[str] = ..., previous_version: _Optional[str] = ..., published_by: _Optional[str] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
