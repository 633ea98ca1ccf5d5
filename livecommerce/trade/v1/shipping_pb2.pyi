import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LogisticsKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOGISTICS_KIND_UNSPECIFIED: _ClassVar[LogisticsKind]
    LOGISTICS_KIND_PICKED_UP: _ClassVar[LogisticsKind]
    LOGISTICS_KIND_IN_TRANSIT: _ClassVar[LogisticsKind]
    LOGISTICS_KIND_DELIVERED: _ClassVar[LogisticsKind]
    LOGISTICS_KIND_FAILED: _ClassVar[LogisticsKind]
LOGISTICS_KIND_UNSPECIFIED: LogisticsKind
LOGISTICS_KIND_PICKED_UP: LogisticsKind
LOGISTICS_KIND_IN_TRANSIT: LogisticsKind
LOGISTICS_KIND_DELIVERED: LogisticsKind
LOGISTICS_KIND_FAILED: LogisticsKind

class LogisticsEvent(_message.Message):
    __slots__ = ("kind", "carrier", "tracking_number", "at", "note")
    KIND_FIELD_NUMBER: _ClassVar[int]
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    kind: LogisticsKind
    carrier: str
    tracking_number: str
    at: _timestamp_pb2.Timestamp
    note: str
    def __init__(self, kind: _Optional[_Union[LogisticsKind, str]] = ..., carrier: _Optional[str] = ..., tracking_number: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class RecordLogisticsRequest(_message.Message):
    __slots__ = ("request_id", "external_order_id", "event")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    external_order_id: str
    event: LogisticsEvent
    def __init__(self, request_id: _Optional[str] = ..., external_order_id: _Optional[str] = ..., event: _Optional[_Union[LogisticsEvent, _Mapping]] = ...) -> None: ...

class RecordLogisticsResponse(_message.Message):
    __slots__ = ("order_id",)
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    def __init__(self, order_id: _Optional[str] = ...) -> None: ...

class GetShippingRequest(_message.Message):
    __slots__ = ("order_id",)
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    def __init__(self, order_id: _Optional[str] = ...) -> None: ...

class GetShippingResponse(_message.Message):
    __slots__ = ("order_id", "ship_by", "promised", "shipped_at", "delivered_at", "overdue", "logistics")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    SHIP_BY_FIELD_NUMBER: _ClassVar[int]
    PROMISED_FIELD_NUMBER: _ClassVar[int]
    SHIPPED_AT_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    LOGISTICS_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    ship_by: _timestamp_pb2.Timestamp
    promised: bool
    shipped_at: _timestamp_pb2.Timestamp
    delivered_at: _timestamp_pb2.Timestamp
    overdue: bool
    logistics: _containers.RepeatedCompositeFieldContainer[LogisticsEvent]
    def __init__(self, order_id: _Optional[str] = ..., ship_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., promised: _Optional[bool] = ..., shipped_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delivered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue: _Optional[bool] = ..., logistics: _Optional[_Iterable[_Union[LogisticsEvent, _Mapping]]] = ...) -> None: ...
