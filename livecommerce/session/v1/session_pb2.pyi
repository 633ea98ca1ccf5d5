import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import identity_pb2 as _identity_pb2
from livecommerce.common.v1 import paging_pb2 as _paging_pb2
from livecommerce.product.v1 import product_pb2 as _product_pb2
from livecommerce.session.v1 import patrol_pb2 as _patrol_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SessionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SESSION_STATUS_UNSPECIFIED: _ClassVar[SessionStatus]
    SESSION_STATUS_SCHEDULED: _ClassVar[SessionStatus]
    SESSION_STATUS_READY: _ClassVar[SessionStatus]
    SESSION_STATUS_LIVE: _ClassVar[SessionStatus]
    SESSION_STATUS_ENDED: _ClassVar[SessionStatus]
    SESSION_STATUS_STOPPED: _ClassVar[SessionStatus]

class ChecklistItem(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHECKLIST_ITEM_UNSPECIFIED: _ClassVar[ChecklistItem]
    CHECKLIST_ITEM_EQUIPMENT: _ClassVar[ChecklistItem]
    CHECKLIST_ITEM_NETWORK: _ClassVar[ChecklistItem]
    CHECKLIST_ITEM_SYSTEM_TEST: _ClassVar[ChecklistItem]

class PromiseKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROMISE_KIND_UNSPECIFIED: _ClassVar[PromiseKind]
    PROMISE_KIND_FREE_GIFT: _ClassVar[PromiseKind]
    PROMISE_KIND_SHIPPING_TIME: _ClassVar[PromiseKind]
    PROMISE_KIND_PRICE_GUARANTEE: _ClassVar[PromiseKind]
    PROMISE_KIND_AFTER_SALES: _ClassVar[PromiseKind]
    PROMISE_KIND_OTHER: _ClassVar[PromiseKind]

class ResponsibleParty(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESPONSIBLE_PARTY_UNSPECIFIED: _ClassVar[ResponsibleParty]
    RESPONSIBLE_PARTY_MERCHANT: _ClassVar[ResponsibleParty]
    RESPONSIBLE_PARTY_AGENCY: _ClassVar[ResponsibleParty]

class RoomChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROOM_CHANGE_KIND_UNSPECIFIED: _ClassVar[RoomChangeKind]
    ROOM_CHANGE_KIND_OPENED: _ClassVar[RoomChangeKind]
    ROOM_CHANGE_KIND_ENDED: _ClassVar[RoomChangeKind]
    ROOM_CHANGE_KIND_STOPPED: _ClassVar[RoomChangeKind]
    ROOM_CHANGE_KIND_PRODUCT_REMOVED: _ClassVar[RoomChangeKind]
    ROOM_CHANGE_KIND_PRODUCT_CHANGED: _ClassVar[RoomChangeKind]
    ROOM_CHANGE_KIND_MESSAGE_HIDDEN: _ClassVar[RoomChangeKind]
    ROOM_CHANGE_KIND_VIEWER_MUTED: _ClassVar[RoomChangeKind]
    ROOM_CHANGE_KIND_CORRECTION_ASKED: _ClassVar[RoomChangeKind]
    ROOM_CHANGE_KIND_READY: _ClassVar[RoomChangeKind]
SESSION_STATUS_UNSPECIFIED: SessionStatus
SESSION_STATUS_SCHEDULED: SessionStatus
SESSION_STATUS_READY: SessionStatus
SESSION_STATUS_LIVE: SessionStatus
SESSION_STATUS_ENDED: SessionStatus
SESSION_STATUS_STOPPED: SessionStatus
CHECKLIST_ITEM_UNSPECIFIED: ChecklistItem
CHECKLIST_ITEM_EQUIPMENT: ChecklistItem
CHECKLIST_ITEM_NETWORK: ChecklistItem
CHECKLIST_ITEM_SYSTEM_TEST: ChecklistItem
PROMISE_KIND_UNSPECIFIED: PromiseKind
PROMISE_KIND_FREE_GIFT: PromiseKind
PROMISE_KIND_SHIPPING_TIME: PromiseKind
PROMISE_KIND_PRICE_GUARANTEE: PromiseKind
PROMISE_KIND_AFTER_SALES: PromiseKind
PROMISE_KIND_OTHER: PromiseKind
RESPONSIBLE_PARTY_UNSPECIFIED: ResponsibleParty
RESPONSIBLE_PARTY_MERCHANT: ResponsibleParty
RESPONSIBLE_PARTY_AGENCY: ResponsibleParty
ROOM_CHANGE_KIND_UNSPECIFIED: RoomChangeKind
ROOM_CHANGE_KIND_OPENED: RoomChangeKind
ROOM_CHANGE_KIND_ENDED: RoomChangeKind
ROOM_CHANGE_KIND_STOPPED: RoomChangeKind
ROOM_CHANGE_KIND_PRODUCT_REMOVED: RoomChangeKind
ROOM_CHANGE_KIND_PRODUCT_CHANGED: RoomChangeKind
ROOM_CHANGE_KIND_MESSAGE_HIDDEN: RoomChangeKind
ROOM_CHANGE_KIND_VIEWER_MUTED: RoomChangeKind
ROOM_CHANGE_KIND_CORRECTION_ASKED: RoomChangeKind
ROOM_CHANGE_KIND_READY: RoomChangeKind

class LineupItem(_message.Message):
    __slots__ = ("product_id", "approved_version", "title", "price_fen", "crossed_out_price_fen", "link", "perishable")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_VERSION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    CROSSED_OUT_PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    PERISHABLE_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    approved_version: int
    title: str
    price_fen: int
    crossed_out_price_fen: int
    link: _product_pb2.ProductLink
    perishable: _product_pb2.PerishableTreatment
    def __init__(self, product_id: _Optional[str] = ..., approved_version: _Optional[int] = ..., title: _Optional[str] = ..., price_fen: _Optional[int] = ..., crossed_out_price_fen: _Optional[int] = ..., link: _Optional[_Union[_product_pb2.ProductLink, _Mapping]] = ..., perishable: _Optional[_Union[_product_pb2.PerishableTreatment, _Mapping]] = ...) -> None: ...

class ChecklistEntry(_message.Message):
    __slots__ = ("item", "done_at", "done_by")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    DONE_AT_FIELD_NUMBER: _ClassVar[int]
    DONE_BY_FIELD_NUMBER: _ClassVar[int]
    item: ChecklistItem
    done_at: _timestamp_pb2.Timestamp
    done_by: _identity_pb2.Actor
    def __init__(self, item: _Optional[_Union[ChecklistItem, str]] = ..., done_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., done_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ...) -> None: ...

class Stop(_message.Message):
    __slots__ = ("rule_id", "reason", "operator", "at")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    reason: str
    operator: _identity_pb2.Actor
    at: _timestamp_pb2.Timestamp
    def __init__(self, rule_id: _Optional[str] = ..., reason: _Optional[str] = ..., operator: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Session(_message.Message):
    __slots__ = ("session_id", "merchant_id", "anchor_id", "agency_id", "room_id", "title", "planned_start", "status", "lineup", "labels", "checklist", "opened_at", "ended_at", "stop", "scheduled_at")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    ROOM_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PLANNED_START_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LINEUP_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    CHECKLIST_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    STOP_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_AT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    merchant_id: str
    anchor_id: str
    agency_id: str
    room_id: str
    title: str
    planned_start: _timestamp_pb2.Timestamp
    status: SessionStatus
    lineup: _containers.RepeatedCompositeFieldContainer[LineupItem]
    labels: _containers.RepeatedScalarFieldContainer[str]
    checklist: _containers.RepeatedCompositeFieldContainer[ChecklistEntry]
    opened_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    stop: Stop
    scheduled_at: _timestamp_pb2.Timestamp
    def __init__(self, session_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., room_id: _Optional[str] = ..., title: _Optional[str] = ..., planned_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[SessionStatus, str]] = ..., lineup: _Optional[_Iterable[_Union[LineupItem, _Mapping]]] = ..., labels: _Optional[_Iterable[str]] = ..., checklist: _Optional[_Iterable[_Union[ChecklistEntry, _Mapping]]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., stop: _Optional[_Union[Stop, _Mapping]] = ..., scheduled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RoomState(_message.Message):
    __slots__ = ("session_id", "room_id", "status", "lineup", "labels", "hidden_message_ids", "muted_viewer_ids", "stop")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ROOM_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LINEUP_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    HIDDEN_MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    MUTED_VIEWER_IDS_FIELD_NUMBER: _ClassVar[int]
    STOP_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    room_id: str
    status: SessionStatus
    lineup: _containers.RepeatedCompositeFieldContainer[LineupItem]
    labels: _containers.RepeatedScalarFieldContainer[str]
    hidden_message_ids: _containers.RepeatedScalarFieldContainer[str]
    muted_viewer_ids: _containers.RepeatedScalarFieldContainer[str]
    stop: Stop
    def __init__(self, session_id: _Optional[str] = ..., room_id: _Optional[str] = ..., status: _Optional[_Union[SessionStatus, str]] = ..., lineup: _Optional[_Iterable[_Union[LineupItem, _Mapping]]] = ..., labels: _Optional[_Iterable[str]] = ..., hidden_message_ids: _Optional[_Iterable[str]] = ..., muted_viewer_ids: _Optional[_Iterable[str]] = ..., stop: _Optional[_Union[Stop, _Mapping]] = ...) -> None: ...

class RoomChange(_message.Message):
    __slots__ = ("kind", "product_id", "message_id", "viewer_id", "rule_id", "reason", "at")
    KIND_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    VIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    kind: RoomChangeKind
    product_id: str
    message_id: str
    viewer_id: str
    rule_id: str
    reason: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[_Union[RoomChangeKind, str]] = ..., product_id: _Optional[str] = ..., message_id: _Optional[str] = ..., viewer_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., reason: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RoomUpdate(_message.Message):
    __slots__ = ("sequence", "state", "change")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    state: RoomState
    change: RoomChange
    def __init__(self, sequence: _Optional[int] = ..., state: _Optional[_Union[RoomState, _Mapping]] = ..., change: _Optional[_Union[RoomChange, _Mapping]] = ...) -> None: ...

class Promise(_message.Message):
    __slots__ = ("promise_id", "session_id", "kind", "text", "product_id", "responsible", "responsible_id", "made_at", "recorded_by")
    PROMISE_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ID_FIELD_NUMBER: _ClassVar[int]
    MADE_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    promise_id: str
    session_id: str
    kind: PromiseKind
    text: str
    product_id: str
    responsible: ResponsibleParty
    responsible_id: str
    made_at: _timestamp_pb2.Timestamp
    recorded_by: _identity_pb2.Actor
    def __init__(self, promise_id: _Optional[str] = ..., session_id: _Optional[str] = ..., kind: _Optional[_Union[PromiseKind, str]] = ..., text: _Optional[str] = ..., product_id: _Optional[str] = ..., responsible: _Optional[_Union[ResponsibleParty, str]] = ..., responsible_id: _Optional[str] = ..., made_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ...) -> None: ...

class SessionHit(_message.Message):
    __slots__ = ("hit_id", "session_id", "chunk_id", "source", "term", "category", "grade", "lexicon_version", "at", "violation_id")
    HIT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    LEXICON_VERSION_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    VIOLATION_ID_FIELD_NUMBER: _ClassVar[int]
    hit_id: str
    session_id: str
    chunk_id: str
    source: _patrol_pb2.ChunkSource
    term: str
    category: str
    grade: _patrol_pb2.PatrolGrade
    lexicon_version: str
    at: _timestamp_pb2.Timestamp
    violation_id: str
    def __init__(self, hit_id: _Optional[str] = ..., session_id: _Optional[str] = ..., chunk_id: _Optional[str] = ..., source: _Optional[_Union[_patrol_pb2.ChunkSource, str]] = ..., term: _Optional[str] = ..., category: _Optional[str] = ..., grade: _Optional[_Union[_patrol_pb2.PatrolGrade, str]] = ..., lexicon_version: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., violation_id: _Optional[str] = ...) -> None: ...

class ScheduleSessionRequest(_message.Message):
    __slots__ = ("request_id", "anchor_id", "room_id", "title", "planned_start", "product_ids")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    ROOM_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PLANNED_START_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    anchor_id: str
    room_id: str
    title: str
    planned_start: _timestamp_pb2.Timestamp
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., room_id: _Optional[str] = ..., title: _Optional[str] = ..., planned_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., product_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ScheduleSessionResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class CompleteChecklistRequest(_message.Message):
    __slots__ = ("request_id", "session_id", "items")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    items: _containers.RepeatedScalarFieldContainer[ChecklistItem]
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., items: _Optional[_Iterable[_Union[ChecklistItem, str]]] = ...) -> None: ...

class CompleteChecklistResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class OpenRoomRequest(_message.Message):
    __slots__ = ("request_id", "session_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ...) -> None: ...

class OpenRoomResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class EndSessionRequest(_message.Message):
    __slots__ = ("request_id", "session_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ...) -> None: ...

class EndSessionResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class StopStreamRequest(_message.Message):
    __slots__ = ("request_id", "session_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class StopStreamResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class TakeDownProductRequest(_message.Message):
    __slots__ = ("request_id", "session_id", "product_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    product_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., product_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class TakeDownProductResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class BanAnchorRequest(_message.Message):
    __slots__ = ("request_id", "session_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class BanAnchorResponse(_message.Message):
    __slots__ = ("session", "violation_id")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    VIOLATION_ID_FIELD_NUMBER: _ClassVar[int]
    session: Session
    violation_id: str
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ..., violation_id: _Optional[str] = ...) -> None: ...

class MuteViewerRequest(_message.Message):
    __slots__ = ("request_id", "session_id", "viewer_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    VIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    viewer_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., viewer_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class MuteViewerResponse(_message.Message):
    __slots__ = ("state",)
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: RoomState
    def __init__(self, state: _Optional[_Union[RoomState, _Mapping]] = ...) -> None: ...

class RecordPromiseRequest(_message.Message):
    __slots__ = ("request_id", "session_id", "kind", "text", "product_id", "responsible", "made_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    MADE_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    kind: PromiseKind
    text: str
    product_id: str
    responsible: ResponsibleParty
    made_at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., kind: _Optional[_Union[PromiseKind, str]] = ..., text: _Optional[str] = ..., product_id: _Optional[str] = ..., responsible: _Optional[_Union[ResponsibleParty, str]] = ..., made_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordPromiseResponse(_message.Message):
    __slots__ = ("promise",)
    PROMISE_FIELD_NUMBER: _ClassVar[int]
    promise: Promise
    def __init__(self, promise: _Optional[_Union[Promise, _Mapping]] = ...) -> None: ...

class ListPromisesRequest(_message.Message):
    __slots__ = ("session_id", "page")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, session_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListPromisesResponse(_message.Message):
    __slots__ = ("promises", "page")
    PROMISES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    promises: _containers.RepeatedCompositeFieldContainer[Promise]
    page: _paging_pb2.PageResponse
    def __init__(self, promises: _Optional[_Iterable[_Union[Promise, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ConfirmViolationRequest(_message.Message):
    __slots__ = ("request_id", "session_id", "hit_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    HIT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    hit_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., hit_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ConfirmViolationResponse(_message.Message):
    __slots__ = ("hit",)
    HIT_FIELD_NUMBER: _ClassVar[int]
    hit: SessionHit
    def __init__(self, hit: _Optional[_Union[SessionHit, _Mapping]] = ...) -> None: ...

class GetSessionRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class GetSessionResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class ListSessionsRequest(_message.Message):
    __slots__ = ("page", "status", "merchant_id", "anchor_id")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    status: SessionStatus
    merchant_id: str
    anchor_id: str
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ..., status: _Optional[_Union[SessionStatus, str]] = ..., merchant_id: _Optional[str] = ..., anchor_id: _Optional[str] = ...) -> None: ...

class ListSessionsResponse(_message.Message):
    __slots__ = ("sessions", "page")
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    sessions: _containers.RepeatedCompositeFieldContainer[Session]
    page: _paging_pb2.PageResponse
    def __init__(self, sessions: _Optional[_Iterable[_Union[Session, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ListSessionHitsRequest(_message.Message):
    __slots__ = ("session_id", "page")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, session_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListSessionHitsResponse(_message.Message):
    __slots__ = ("hits", "page")
    HITS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    hits: _containers.RepeatedCompositeFieldContainer[SessionHit]
    page: _paging_pb2.PageResponse
    def __init__(self, hits: _Optional[_Iterable[_Union[SessionHit, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class WatchRoomResponse(_message.Message):
    __slots__ = ("update",)
    UPDATE_FIELD_NUMBER: _ClassVar[int]
    update: RoomUpdate
    def __init__(self, update: _Optional[_Union[RoomUpdate, _Mapping]] = ...) -> None: ...

class WatchRoomRequest(_message.Message):
    __slots__ = ("session_id", "after_sequence")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    after_sequence: int
    def __init__(self, session_id: _Optional[str] = ..., after_sequence: _Optional[int] = ...) -> None: ...
