import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OrderCompleted(_message.Message):
    __slots__ = ("order_id", "platform", "external_order_id", "session_id", "anchor_id", "merchant_id", "product_id", "amount_fen", "completed_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    platform: str
    external_order_id: str
    session_id: str
    anchor_id: str
    merchant_id: str
    product_id: str
    amount_fen: int
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., platform: _Optional[str] = ..., external_order_id: _Optional[str] = ..., session_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., product_id: _Optional[str] = ..., amount_fen: _Optional[int] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OrdersCompleted(_message.Message):
    __slots__ = ("platform", "order_ids", "external_order_ids", "session_ids", "anchor_ids", "merchant_ids", "product_ids", "amount_fen", "completed_at")
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    ORDER_IDS_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ORDER_IDS_FIELD_NUMBER: _ClassVar[int]
    SESSION_IDS_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_IDS_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_IDS_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    platform: str
    order_ids: _containers.RepeatedScalarFieldContainer[str]
    external_order_ids: _containers.RepeatedScalarFieldContainer[str]
    session_ids: _containers.RepeatedScalarFieldContainer[str]
    anchor_ids: _containers.RepeatedScalarFieldContainer[str]
    merchant_ids: _containers.RepeatedScalarFieldContainer[str]
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    amount_fen: _containers.RepeatedScalarFieldContainer[int]
    completed_at: _containers.RepeatedCompositeFieldContainer[_timestamp_pb2.Timestamp]
    def __init__(self, platform: _Optional[str] = ..., order_ids: _Optional[_Iterable[str]] = ..., external_order_ids: _Optional[_Iterable[str]] = ..., session_ids: _Optional[_Iterable[str]] = ..., anchor_ids: _Optional[_Iterable[str]] = ..., merchant_ids: _Optional[_Iterable[str]] = ..., product_ids: _Optional[_Iterable[str]] = ..., amount_fen: _Optional[_Iterable[int]] = ..., completed_at: _Optional[_Iterable[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]]] = ...) -> None: ...

class ReturnCompleted(_message.Message):
    __slots__ = ("order_id", "anchor_id", "merchant_id", "session_id", "returned_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    RETURNED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    anchor_id: str
    merchant_id: str
    session_id: str
    returned_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., session_id: _Optional[str] = ..., returned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReconciliationCompleted(_message.Message):
    __slots__ = ("day", "platform", "exact", "platform_reported", "docked_order_count", "docked_amount_fen", "platform_order_count", "platform_amount_fen", "differing_sessions")
    DAY_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    EXACT_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_REPORTED_FIELD_NUMBER: _ClassVar[int]
    DOCKED_ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    DOCKED_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    DIFFERING_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    day: str
    platform: str
    exact: bool
    platform_reported: bool
    docked_order_count: int
    docked_amount_fen: int
    platform_order_count: int
    platform_amount_fen: int
    differing_sessions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, day: _Optional[str] = ..., platform: _Optional[str] = ..., exact: _Optional[bool] = ..., platform_reported: _Optional[bool] = ..., docked_order_count: _Optional[int] = ..., docked_amount_fen: _Optional[int] = ..., platform_order_count: _Optional[int] = ..., platform_amount_fen: _Optional[int] = ..., differing_sessions: _Optional[_Iterable[str]] = ...) -> None: ...

class ShipmentOverdue(_message.Message):
    __slots__ = ("order_id", "platform", "external_order_id", "session_id", "anchor_id", "merchant_id", "product_id", "ship_by", "promised")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SHIP_BY_FIELD_NUMBER: _ClassVar[int]
    PROMISED_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    platform: str
    external_order_id: str
    session_id: str
    anchor_id: str
    merchant_id: str
    product_id: str
    ship_by: _timestamp_pb2.Timestamp
    promised: bool
    def __init__(self, order_id: _Optional[str] = ..., platform: _Optional[str] = ..., external_order_id: _Optional[str] = ..., session_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., product_id: _Optional[str] = ..., ship_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., promised: _Optional[bool] = ...) -> None: ...

class AfterSalesEscalated(_message.Message):
    __slots__ = ("after_sales_id", "order_id", "merchant_id", "anchor_id", "stage", "deadline")
    AFTER_SALES_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    after_sales_id: str
    order_id: str
    merchant_id: str
    anchor_id: str
    stage: str
    deadline: _timestamp_pb2.Timestamp
    def __init__(self, after_sales_id: _Optional[str] = ..., order_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., stage: _Optional[str] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReturnRateExceeded(_message.Message):
    __slots__ = ("warning_id", "subject_kind", "subject_id", "returns", "orders", "rate", "threshold", "window_days", "at")
    WARNING_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    RETURNS_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    warning_id: str
    subject_kind: str
    subject_id: str
    returns: int
    orders: int
    rate: float
    threshold: float
    window_days: int
    at: _timestamp_pb2.Timestamp
    def __init__(self, warning_id: _Optional[str] = ..., subject_kind: _Optional[str] = ..., subject_id: _Optional[str] = ..., returns: _Optional[int] = ..., orders: _Optional[int] = ..., rate: _Optional[float] = ..., threshold: _Optional[float] = ..., window_days: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PromiseBroken(_message.Message):
    __slots__ = ("promise_id", "session_id", "order_id", "kind", "responsible", "responsible_id", "anchor_id", "detail", "at")
    PROMISE_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    promise_id: str
    session_id: str
    order_id: str
    kind: str
    responsible: str
    responsible_id: str
    anchor_id: str
    detail: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, promise_id: _Optional[str] = ..., session_id: _Optional[str] = ..., order_id: _Optional[str] = ..., kind: _Optional[str] = ..., responsible: _Optional[str] = ..., responsible_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., detail: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
