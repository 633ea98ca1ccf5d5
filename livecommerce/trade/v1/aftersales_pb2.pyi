import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AfterSalesKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AFTER_SALES_KIND_UNSPECIFIED: _ClassVar[AfterSalesKind]
    AFTER_SALES_KIND_RETURN: _ClassVar[AfterSalesKind]
    AFTER_SALES_KIND_EXCHANGE: _ClassVar[AfterSalesKind]
    AFTER_SALES_KIND_REFUND: _ClassVar[AfterSalesKind]

class AfterSalesReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AFTER_SALES_REASON_UNSPECIFIED: _ClassVar[AfterSalesReason]
    AFTER_SALES_REASON_NO_REASON: _ClassVar[AfterSalesReason]
    AFTER_SALES_REASON_QUALITY: _ClassVar[AfterSalesReason]
    AFTER_SALES_REASON_WRONG_ITEM: _ClassVar[AfterSalesReason]
    AFTER_SALES_REASON_NOT_RECEIVED: _ClassVar[AfterSalesReason]
    AFTER_SALES_REASON_OTHER: _ClassVar[AfterSalesReason]

class AfterSalesState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AFTER_SALES_STATE_UNSPECIFIED: _ClassVar[AfterSalesState]
    AFTER_SALES_STATE_OPEN: _ClassVar[AfterSalesState]
    AFTER_SALES_STATE_RESPONDED: _ClassVar[AfterSalesState]
    AFTER_SALES_STATE_COMPLETED: _ClassVar[AfterSalesState]
    AFTER_SALES_STATE_REJECTED: _ClassVar[AfterSalesState]
AFTER_SALES_KIND_UNSPECIFIED: AfterSalesKind
AFTER_SALES_KIND_RETURN: AfterSalesKind
AFTER_SALES_KIND_EXCHANGE: AfterSalesKind
AFTER_SALES_KIND_REFUND: AfterSalesKind
AFTER_SALES_REASON_UNSPECIFIED: AfterSalesReason
AFTER_SALES_REASON_NO_REASON: AfterSalesReason
AFTER_SALES_REASON_QUALITY: AfterSalesReason
AFTER_SALES_REASON_WRONG_ITEM: AfterSalesReason
AFTER_SALES_REASON_NOT_RECEIVED: AfterSalesReason
AFTER_SALES_REASON_OTHER: AfterSalesReason
AFTER_SALES_STATE_UNSPECIFIED: AfterSalesState
AFTER_SALES_STATE_OPEN: AfterSalesState
AFTER_SALES_STATE_RESPONDED: AfterSalesState
AFTER_SALES_STATE_COMPLETED: AfterSalesState
AFTER_SALES_STATE_REJECTED: AfterSalesState

class AfterSales(_message.Message):
    __slots__ = ("after_sales_id", "order_id", "merchant_id", "kind", "reason", "description", "refund_fen", "state", "honoured", "opened_at", "respond_by", "resolve_by", "responded_at", "response", "resolved_at", "resolution", "response_escalated_at", "resolution_escalated_at")
    AFTER_SALES_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REFUND_FEN_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    HONOURED_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    RESPOND_BY_FIELD_NUMBER: _ClassVar[int]
    RESOLVE_BY_FIELD_NUMBER: _ClassVar[int]
    RESPONDED_AT_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    after_sales_id: str
    order_id: str
    merchant_id: str
    kind: AfterSalesKind
    reason: AfterSalesReason
    description: str
    refund_fen: int
    state: AfterSalesState
    honoured: bool
    opened_at: _timestamp_pb2.Timestamp
    respond_by: _timestamp_pb2.Timestamp
    resolve_by: _timestamp_pb2.Timestamp
    responded_at: _timestamp_pb2.Timestamp
    response: str
    resolved_at: _timestamp_pb2.Timestamp
    resolution: str
    response_escalated_at: _timestamp_pb2.Timestamp
    resolution_escalated_at: _timestamp_pb2.Timestamp
    def __init__(self, after_sales_id: _Optional[str] = ..., order_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., kind: _Optional[_Union[AfterSalesKind, str]] = ..., reason: _Optional[_Union[AfterSalesReason, str]] = ..., description: _Optional[str] = ..., refund_fen: _Optional[int] = ..., state: _Optional[_Union[AfterSalesState, str]] = ..., honoured: _Optional[bool] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., respond_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolve_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., responded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., response: _Optional[str] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolution: _Optional[str] = ..., response_escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolution_escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpenAfterSalesRequest(_message.Message):
    __slots__ = ("request_id", "order_id", "kind", "reason", "description", "refund_fen")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REFUND_FEN_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    order_id: str
    kind: AfterSalesKind
    reason: AfterSalesReason
    description: str
    refund_fen: int
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., kind: _Optional[_Union[AfterSalesKind, str]] = ..., reason: _Optional[_Union[AfterSalesReason, str]] = ..., description: _Optional[str] = ..., refund_fen: _Optional[int] = ...) -> None: ...

class RespondAfterSalesRequest(_message.Message):
    __slots__ = ("request_id", "after_sales_id", "accept", "response")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SALES_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPT_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    after_sales_id: str
    accept: bool
    response: str
    def __init__(self, request_id: _Optional[str] = ..., after_sales_id: _Optional[str] = ..., accept: _Optional[bool] = ..., response: _Optional[str] = ...) -> None: ...

class SettleAfterSalesRequest(_message.Message):
    __slots__ = ("request_id", "after_sales_id", "completed", "resolution")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SALES_ID_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    after_sales_id: str
    completed: bool
    resolution: str
    def __init__(self, request_id: _Optional[str] = ..., after_sales_id: _Optional[str] = ..., completed: _Optional[bool] = ..., resolution: _Optional[str] = ...) -> None: ...

class GetAfterSalesRequest(_message.Message):
    __slots__ = ("after_sales_id",)
    AFTER_SALES_ID_FIELD_NUMBER: _ClassVar[int]
    after_sales_id: str
    def __init__(self, after_sales_id: _Optional[str] = ...) -> None: ...

class OpenAfterSalesResponse(_message.Message):
    __slots__ = ("after_sales",)
    AFTER_SALES_FIELD_NUMBER: _ClassVar[int]
    after_sales: AfterSales
    def __init__(self, after_sales: _Optional[_Union[AfterSales, _Mapping]] = ...) -> None: ...

class RespondAfterSalesResponse(_message.Message):
    __slots__ = ("after_sales",)
    AFTER_SALES_FIELD_NUMBER: _ClassVar[int]
    after_sales: AfterSales
    def __init__(self, after_sales: _Optional[_Union[AfterSales, _Mapping]] = ...) -> None: ...

class SettleAfterSalesResponse(_message.Message):
    __slots__ = ("after_sales",)
    AFTER_SALES_FIELD_NUMBER: _ClassVar[int]
    after_sales: AfterSales
    def __init__(self, after_sales: _Optional[_Union[AfterSales, _Mapping]] = ...) -> None: ...

class GetAfterSalesResponse(_message.Message):
    __slots__ = ("after_sales",)
    AFTER_SALES_FIELD_NUMBER: _ClassVar[int]
    after_sales: AfterSales
    def __init__(self, after_sales: _Optional[_Union[AfterSales, _Mapping]] = ...) -> None: ...

class ListAfterSalesRequest(_message.Message):
    __slots__ = ("page", "merchant_id", "order_id")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    merchant_id: str
    order_id: str
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ..., merchant_id: _Optional[str] = ..., order_id: _Optional[str] = ...) -> None: ...

class ListAfterSalesResponse(_message.Message):
    __slots__ = ("after_sales", "page")
    AFTER_SALES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    after_sales: _containers.RepeatedCompositeFieldContainer[AfterSales]
    page: _paging_pb2.PageResponse
    def __init__(self, after_sales: _Optional[_Iterable[_Union[AfterSales, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...
