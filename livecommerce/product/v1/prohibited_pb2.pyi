import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import identity_pb2 as _identity_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EntryKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENTRY_KIND_UNSPECIFIED: _ClassVar[EntryKind]
    ENTRY_KIND_PROHIBITED: _ClassVar[EntryKind]
    ENTRY_KIND_RESTRICTED: _ClassVar[EntryKind]
ENTRY_KIND_UNSPECIFIED: EntryKind
ENTRY_KIND_PROHIBITED: EntryKind
ENTRY_KIND_RESTRICTED: EntryKind

class ProhibitedEntry(_message.Message):
    __slots__ = ("entry_id", "kind", "categories", "keywords", "allow", "licence_kind", "basis")
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    KEYWORDS_FIELD_NUMBER: _ClassVar[int]
    ALLOW_FIELD_NUMBER: _ClassVar[int]
    LICENCE_KIND_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    entry_id: str
    kind: EntryKind
    categories: _containers.RepeatedScalarFieldContainer[str]
    keywords: _containers.RepeatedScalarFieldContainer[str]
    allow: _containers.RepeatedScalarFieldContainer[str]
    licence_kind: str
    basis: str
    def __init__(self, entry_id: _Optional[str] = ..., kind: _Optional[_Union[EntryKind, str]] = ..., categories: _Optional[_Iterable[str]] = ..., keywords: _Optional[_Iterable[str]] = ..., allow: _Optional[_Iterable[str]] = ..., licence_kind: _Optional[str] = ..., basis: _Optional[str] = ...) -> None: ...

class ProhibitedList(_message.Message):
    __slots__ = ("version", "description", "entries")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    version: str
    description: str
    entries: _containers.RepeatedCompositeFieldContainer[ProhibitedEntry]
    def __init__(self, version: _Optional[str] = ..., description: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[ProhibitedEntry, _Mapping]]] = ...) -> None: ...

class ProhibitedListInfo(_message.Message):
    __slots__ = ("version", "live", "entry_count", "proposed_at", "proposed_by", "published_at", "published_by", "publish_reason")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LIVE_FIELD_NUMBER: _ClassVar[int]
    ENTRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_AT_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_REASON_FIELD_NUMBER: _ClassVar[int]
    version: str
    live: bool
    entry_count: int
    proposed_at: _timestamp_pb2.Timestamp
    proposed_by: _identity_pb2.Actor
    published_at: _timestamp_pb2.Timestamp
    published_by: _identity_pb2.Actor
    publish_reason: str
    def __init__(self, version: _Optional[str] = ..., live: _Optional[bool] = ..., entry_count: _Optional[int] = ..., proposed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., proposed_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., published_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., publish_reason: _Optional[str] = ...) -> None: ...

class DelistedByList(_message.Message):
    __slots__ = ("product_id", "merchant_id", "entry_id", "matched")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    MATCHED_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    merchant_id: str
    entry_id: str
    matched: str
    def __init__(self, product_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., entry_id: _Optional[str] = ..., matched: _Optional[str] = ...) -> None: ...

class GetProhibitedListRequest(_message.Message):
    __slots__ = ("version", "include_entries")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    version: str
    include_entries: bool
    def __init__(self, version: _Optional[str] = ..., include_entries: _Optional[bool] = ...) -> None: ...

class GetProhibitedListResponse(_message.Message):
    __slots__ = ("info", "list")
    INFO_FIELD_NUMBER: _ClassVar[int]
    LIST_FIELD_NUMBER: _ClassVar[int]
    info: ProhibitedListInfo
    list: ProhibitedList
    def __init__(self, info: _Optional[_Union[ProhibitedListInfo, _Mapping]] = ..., list: _Optional[_Union[ProhibitedList, _Mapping]] = ...) -> None: ...

class ProposeProhibitedListRequest(_message.Message):
    __slots__ = ("request_id", "list")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    LIST_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    list: ProhibitedList
    def __init__(self, request_id: _Optional[str] = ..., list: _Optional[_Union[ProhibitedList, _Mapping]] = ...) -> None: ...

class ProposeProhibitedListResponse(_message.Message):
    __slots__ = ("info",)
    INFO_FIELD_NUMBER: _ClassVar[int]
    info: ProhibitedListInfo
    def __init__(self, info: _Optional[_Union[ProhibitedListInfo, _Mapping]] = ...) -> None: ...

class PublishProhibitedListRequest(_message.Message):
    __slots__ = ("request_id", "version", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    version: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., version: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class PublishProhibitedListResponse(_message.Message):
    __slots__ = ("info", "previous_version", "delisted")
    INFO_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    DELISTED_FIELD_NUMBER: _ClassVar[int]
    info: ProhibitedListInfo
    previous_version: str
    delisted: _containers.RepeatedCompositeFieldContainer[DelistedByList]
    def __init__(self, info: _Optional[_Union[ProhibitedListInfo, _Mapping]] = ..., previous_version: _Optional[str] = ..., delisted: _Optional[_Iterable[_Union[DelistedByList, _Mapping]]] = ...) -> None: ...
