import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReportViewersRequest(_message.Message):
    __slots__ = ("session_id", "joins", "heartbeats", "leaves", "request_id")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    JOINS_FIELD_NUMBER: _ClassVar[int]
    HEARTBEATS_FIELD_NUMBER: _ClassVar[int]
    LEAVES_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    joins: _containers.RepeatedScalarFieldContainer[str]
    heartbeats: _containers.RepeatedScalarFieldContainer[str]
    leaves: _containers.RepeatedScalarFieldContainer[str]
    request_id: str
    def __init__(self, session_id: _Optional[str] = ..., joins: _Optional[_Iterable[str]] = ..., heartbeats: _Optional[_Iterable[str]] = ..., leaves: _Optional[_Iterable[str]] = ..., request_id: _Optional[str] = ...) -> None: ...

class ReportViewersResponse(_message.Message):
    __slots__ = ("messages", "joined", "duplicate_joins", "heartbeats", "heartbeat_joins", "left", "unknown_leaves", "timed_out")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    JOINED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_JOINS_FIELD_NUMBER: _ClassVar[int]
    HEARTBEATS_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_JOINS_FIELD_NUMBER: _ClassVar[int]
    LEFT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_LEAVES_FIELD_NUMBER: _ClassVar[int]
    TIMED_OUT_FIELD_NUMBER: _ClassVar[int]
    messages: int
    joined: int
    duplicate_joins: int
    heartbeats: int
    heartbeat_joins: int
    left: int
    unknown_leaves: int
    timed_out: int
    def __init__(self, messages: _Optional[int] = ..., joined: _Optional[int] = ..., duplicate_joins: _Optional[int] = ..., heartbeats: _Optional[int] = ..., heartbeat_joins: _Optional[int] = ..., left: _Optional[int] = ..., unknown_leaves: _Optional[int] = ..., timed_out: _Optional[int] = ...) -> None: ...

class GetViewerCountsRequest(_message.Message):
    __slots__ = ("session_ids",)
    SESSION_IDS_FIELD_NUMBER: _ClassVar[int]
    session_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, session_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SessionViewers(_message.Message):
    __slots__ = ("session_id", "current", "peak", "peak_at", "live", "unknown_leaves", "timed_out")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    PEAK_FIELD_NUMBER: _ClassVar[int]
    PEAK_AT_FIELD_NUMBER: _ClassVar[int]
    LIVE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_LEAVES_FIELD_NUMBER: _ClassVar[int]
    TIMED_OUT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    current: int
    peak: int
    peak_at: _timestamp_pb2.Timestamp
    live: bool
    unknown_leaves: int
    timed_out: int
    def __init__(self, session_id: _Optional[str] = ..., current: _Optional[int] = ..., peak: _Optional[int] = ..., peak_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., live: _Optional[bool] = ..., unknown_leaves: _Optional[int] = ..., timed_out: _Optional[int] = ...) -> None: ...

class PlatformViewers(_message.Message):
    __slots__ = ("current", "peak", "peak_at")
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    PEAK_FIELD_NUMBER: _ClassVar[int]
    PEAK_AT_FIELD_NUMBER: _ClassVar[int]
    current: int
    peak: int
    peak_at: _timestamp_pb2.Timestamp
    def __init__(self, current: _Optional[int] = ..., peak: _Optional[int] = ..., peak_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetViewerCountsResponse(_message.Message):
    __slots__ = ("sessions", "platform", "exact_from", "heartbeat_seconds", "timeout_seconds")
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    EXACT_FROM_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    sessions: _containers.RepeatedCompositeFieldContainer[SessionViewers]
    platform: PlatformViewers
    exact_from: _timestamp_pb2.Timestamp
    heartbeat_seconds: int
    timeout_seconds: int
    def __init__(self, sessions: _Optional[_Iterable[_Union[SessionViewers, _Mapping]]] = ..., platform: _Optional[_Union[PlatformViewers, _Mapping]] = ..., exact_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., heartbeat_seconds: _Optional[int] = ..., timeout_seconds: _Optional[int] = ...) -> None: ...

class WatchViewerCountsRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class WatchViewerCountsResponse(_message.Message):
    __slots__ = ("session", "platform")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    session: SessionViewers
    platform: PlatformViewers
    def __init__(self, session: _Optional[_Union[SessionViewers, _Mapping]] = ..., platform: _Optional[_Union[PlatformViewers, _Mapping]] = ...) -> None: ...
