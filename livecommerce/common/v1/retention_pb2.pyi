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

class HoldScope(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HOLD_SCOPE_UNSPECIFIED: _ClassVar[HoldScope]
    HOLD_SCOPE_SESSION: _ClassVar[HoldScope]
    HOLD_SCOPE_ANCHOR: _ClassVar[HoldScope]
    HOLD_SCOPE_MERCHANT: _ClassVar[HoldScope]
HOLD_SCOPE_UNSPECIFIED: HoldScope
HOLD_SCOPE_SESSION: HoldScope
HOLD_SCOPE_ANCHOR: HoldScope
HOLD_SCOPE_MERCHANT: HoldScope

class LegalHold(_message.Message):
    __slots__ = ("hold_id", "scope", "scope_id", "reason", "placed_by", "placed_at", "released_by", "released_at", "release_reason")
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PLACED_BY_FIELD_NUMBER: _ClassVar[int]
    PLACED_AT_FIELD_NUMBER: _ClassVar[int]
    RELEASED_BY_FIELD_NUMBER: _ClassVar[int]
    RELEASED_AT_FIELD_NUMBER: _ClassVar[int]
    RELEASE_REASON_FIELD_NUMBER: _ClassVar[int]
    hold_id: str
    scope: HoldScope
    scope_id: str
    reason: str
    placed_by: _identity_pb2.Actor
    placed_at: _timestamp_pb2.Timestamp
    released_by: _identity_pb2.Actor
    released_at: _timestamp_pb2.Timestamp
    release_reason: str
    def __init__(self, hold_id: _Optional[str] = ..., scope: _Optional[_Union[HoldScope, str]] = ..., scope_id: _Optional[str] = ..., reason: _Optional[str] = ..., placed_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., placed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., released_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., released_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., release_reason: _Optional[str] = ...) -> None: ...

class PlaceLegalHoldRequest(_message.Message):
    __slots__ = ("request_id", "scope", "scope_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    scope: HoldScope
    scope_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., scope: _Optional[_Union[HoldScope, str]] = ..., scope_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class PlaceLegalHoldResponse(_message.Message):
    __slots__ = ("hold",)
    HOLD_FIELD_NUMBER: _ClassVar[int]
    hold: LegalHold
    def __init__(self, hold: _Optional[_Union[LegalHold, _Mapping]] = ...) -> None: ...

class ReleaseLegalHoldRequest(_message.Message):
    __slots__ = ("request_id", "hold_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    hold_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., hold_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReleaseLegalHoldResponse(_message.Message):
    __slots__ = ("hold",)
    HOLD_FIELD_NUMBER: _ClassVar[int]
    hold: LegalHold
    def __init__(self, hold: _Optional[_Union[LegalHold, _Mapping]] = ...) -> None: ...

class ListLegalHoldsRequest(_message.Message):
    __slots__ = ("scope", "scope_id", "include_released", "page")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RELEASED_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    scope: HoldScope
    scope_id: str
    include_released: bool
    page: _paging_pb2.PageRequest
    def __init__(self, scope: _Optional[_Union[HoldScope, str]] = ..., scope_id: _Optional[str] = ..., include_released: _Optional[bool] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListLegalHoldsResponse(_message.Message):
    __slots__ = ("holds", "page")
    HOLDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    holds: _containers.RepeatedCompositeFieldContainer[LegalHold]
    page: _paging_pb2.PageResponse
    def __init__(self, holds: _Optional[_Iterable[_Union[LegalHold, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetRetentionStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RecordKindStatus(_message.Message):
    __slots__ = ("kind", "rule", "kept", "minimum", "counted_from", "cutoff", "oldest", "rows_past_minimum", "rows_held")
    KIND_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    KEPT_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FROM_FIELD_NUMBER: _ClassVar[int]
    CUTOFF_FIELD_NUMBER: _ClassVar[int]
    OLDEST_FIELD_NUMBER: _ClassVar[int]
    ROWS_PAST_MINIMUM_FIELD_NUMBER: _ClassVar[int]
    ROWS_HELD_FIELD_NUMBER: _ClassVar[int]
    kind: str
    rule: str
    kept: bool
    minimum: str
    counted_from: str
    cutoff: _timestamp_pb2.Timestamp
    oldest: _timestamp_pb2.Timestamp
    rows_past_minimum: int
    rows_held: int
    def __init__(self, kind: _Optional[str] = ..., rule: _Optional[str] = ..., kept: _Optional[bool] = ..., minimum: _Optional[str] = ..., counted_from: _Optional[str] = ..., cutoff: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., oldest: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rows_past_minimum: _Optional[int] = ..., rows_held: _Optional[int] = ...) -> None: ...

class GetRetentionStatusResponse(_message.Message):
    __slots__ = ("kinds", "as_of")
    KINDS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    kinds: _containers.RepeatedCompositeFieldContainer[RecordKindStatus]
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, kinds: _Optional[_Iterable[_Union[RecordKindStatus, _Mapping]]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PurgeRecordsRequest(_message.Message):
    __slots__ = ("request_id", "kind", "older_than")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OLDER_THAN_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    kind: str
    older_than: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., kind: _Optional[str] = ..., older_than: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PurgeRecordsResponse(_message.Message):
    __slots__ = ("purged", "held")
    PURGED_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    purged: int
    held: int
    def __init__(self, purged: _Optional[int] = ..., held: _Optional[int] = ...) -> None: ...
