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

class OrderStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORDER_STATUS_UNSPECIFIED: _ClassVar[OrderStatus]
    ORDER_STATUS_PLACED: _ClassVar[OrderStatus]
    ORDER_STATUS_PAID: _ClassVar[OrderStatus]
    ORDER_STATUS_COMPLETED: _ClassVar[OrderStatus]
    ORDER_STATUS_CANCELLED: _ClassVar[OrderStatus]
    ORDER_STATUS_SHIPPED: _ClassVar[OrderStatus]
    ORDER_STATUS_REFUNDED: _ClassVar[OrderStatus]

class DifferenceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIFFERENCE_KIND_UNSPECIFIED: _ClassVar[DifferenceKind]
    DIFFERENCE_KIND_MISSING_HERE: _ClassVar[DifferenceKind]
    DIFFERENCE_KIND_MISSING_ON_PLATFORM: _ClassVar[DifferenceKind]
    DIFFERENCE_KIND_AMOUNT_DIFFERS: _ClassVar[DifferenceKind]
ORDER_STATUS_UNSPECIFIED: OrderStatus
ORDER_STATUS_PLACED: OrderStatus
ORDER_STATUS_PAID: OrderStatus
ORDER_STATUS_COMPLETED: OrderStatus
ORDER_STATUS_CANCELLED: OrderStatus
ORDER_STATUS_SHIPPED: OrderStatus
ORDER_STATUS_REFUNDED: OrderStatus
DIFFERENCE_KIND_UNSPECIFIED: DifferenceKind
DIFFERENCE_KIND_MISSING_HERE: DifferenceKind
DIFFERENCE_KIND_MISSING_ON_PLATFORM: DifferenceKind
DIFFERENCE_KIND_AMOUNT_DIFFERS: DifferenceKind

class DockedOrder(_message.Message):
    __slots__ = ("external_order_id", "session_id", "product_id", "merchant_id", "amount_fen", "currency", "quantity", "status", "placed_at", "paid_at", "completed_at", "shipped_at", "refunded_fen", "refunded_at")
    EXTERNAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PLACED_AT_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    SHIPPED_AT_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_FEN_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_AT_FIELD_NUMBER: _ClassVar[int]
    external_order_id: str
    session_id: str
    product_id: str
    merchant_id: str
    amount_fen: int
    currency: str
    quantity: int
    status: OrderStatus
    placed_at: _timestamp_pb2.Timestamp
    paid_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    shipped_at: _timestamp_pb2.Timestamp
    refunded_fen: int
    refunded_at: _timestamp_pb2.Timestamp
    def __init__(self, external_order_id: _Optional[str] = ..., session_id: _Optional[str] = ..., product_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., amount_fen: _Optional[int] = ..., currency: _Optional[str] = ..., quantity: _Optional[int] = ..., status: _Optional[_Union[OrderStatus, str]] = ..., placed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., paid_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., shipped_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., refunded_fen: _Optional[int] = ..., refunded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Order(_message.Message):
    __slots__ = ("order_id", "platform", "order", "linked", "anchor_id", "docked_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    LINKED_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    DOCKED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    platform: str
    order: DockedOrder
    linked: bool
    anchor_id: str
    docked_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., platform: _Optional[str] = ..., order: _Optional[_Union[DockedOrder, _Mapping]] = ..., linked: _Optional[bool] = ..., anchor_id: _Optional[str] = ..., docked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DockOrdersRequest(_message.Message):
    __slots__ = ("request_id", "orders")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    orders: _containers.RepeatedCompositeFieldContainer[DockedOrder]
    def __init__(self, request_id: _Optional[str] = ..., orders: _Optional[_Iterable[_Union[DockedOrder, _Mapping]]] = ...) -> None: ...

class OrderRefusal(_message.Message):
    __slots__ = ("index", "external_order_id", "field", "rule", "description")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    index: int
    external_order_id: str
    field: str
    rule: str
    description: str
    def __init__(self, index: _Optional[int] = ..., external_order_id: _Optional[str] = ..., field: _Optional[str] = ..., rule: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class DockOrdersResponse(_message.Message):
    __slots__ = ("request_id", "accepted", "duplicate", "conflict", "unlinked", "refused", "refusals", "conflicts", "unlinked_orders", "updated", "updated_orders")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    CONFLICT_FIELD_NUMBER: _ClassVar[int]
    UNLINKED_FIELD_NUMBER: _ClassVar[int]
    REFUSED_FIELD_NUMBER: _ClassVar[int]
    REFUSALS_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    UNLINKED_ORDERS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_ORDERS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    accepted: int
    duplicate: int
    conflict: int
    unlinked: int
    refused: int
    refusals: _containers.RepeatedCompositeFieldContainer[OrderRefusal]
    conflicts: _containers.RepeatedScalarFieldContainer[str]
    unlinked_orders: _containers.RepeatedScalarFieldContainer[str]
    updated: int
    updated_orders: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., accepted: _Optional[int] = ..., duplicate: _Optional[int] = ..., conflict: _Optional[int] = ..., unlinked: _Optional[int] = ..., refused: _Optional[int] = ..., refusals: _Optional[_Iterable[_Union[OrderRefusal, _Mapping]]] = ..., conflicts: _Optional[_Iterable[str]] = ..., unlinked_orders: _Optional[_Iterable[str]] = ..., updated: _Optional[int] = ..., updated_orders: _Optional[_Iterable[str]] = ...) -> None: ...

class GetOrderRequest(_message.Message):
    __slots__ = ("order_id",)
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    def __init__(self, order_id: _Optional[str] = ...) -> None: ...

class GetOrderResponse(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: Order
    def __init__(self, order: _Optional[_Union[Order, _Mapping]] = ...) -> None: ...

class ListOrdersRequest(_message.Message):
    __slots__ = ("page", "session_id", "merchant_id")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    session_id: str
    merchant_id: str
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ..., session_id: _Optional[str] = ..., merchant_id: _Optional[str] = ...) -> None: ...

class ListOrdersResponse(_message.Message):
    __slots__ = ("orders", "page")
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    orders: _containers.RepeatedCompositeFieldContainer[Order]
    page: _paging_pb2.PageResponse
    def __init__(self, orders: _Optional[_Iterable[_Union[Order, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class PlatformOrder(_message.Message):
    __slots__ = ("external_order_id", "amount_fen")
    EXTERNAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    external_order_id: str
    amount_fen: int
    def __init__(self, external_order_id: _Optional[str] = ..., amount_fen: _Optional[int] = ...) -> None: ...

class ReconcileSessionRequest(_message.Message):
    __slots__ = ("request_id", "session_id", "order_count", "amount_fen", "orders")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    order_count: int
    amount_fen: int
    orders: _containers.RepeatedCompositeFieldContainer[PlatformOrder]
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., order_count: _Optional[int] = ..., amount_fen: _Optional[int] = ..., orders: _Optional[_Iterable[_Union[PlatformOrder, _Mapping]]] = ...) -> None: ...

class OrderDifference(_message.Message):
    __slots__ = ("external_order_id", "kind", "docked_amount_fen", "platform_amount_fen")
    EXTERNAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DOCKED_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    external_order_id: str
    kind: DifferenceKind
    docked_amount_fen: int
    platform_amount_fen: int
    def __init__(self, external_order_id: _Optional[str] = ..., kind: _Optional[_Union[DifferenceKind, str]] = ..., docked_amount_fen: _Optional[int] = ..., platform_amount_fen: _Optional[int] = ...) -> None: ...

class ReconcileSessionResponse(_message.Message):
    __slots__ = ("exact", "docked_order_count", "docked_amount_fen", "platform_order_count", "platform_amount_fen", "differences", "platform_totals_inconsistent", "reconciled_at")
    EXACT_FIELD_NUMBER: _ClassVar[int]
    DOCKED_ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    DOCKED_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_TOTALS_INCONSISTENT_FIELD_NUMBER: _ClassVar[int]
    RECONCILED_AT_FIELD_NUMBER: _ClassVar[int]
    exact: bool
    docked_order_count: int
    docked_amount_fen: int
    platform_order_count: int
    platform_amount_fen: int
    differences: _containers.RepeatedCompositeFieldContainer[OrderDifference]
    platform_totals_inconsistent: bool
    reconciled_at: _timestamp_pb2.Timestamp
    def __init__(self, exact: _Optional[bool] = ..., docked_order_count: _Optional[int] = ..., docked_amount_fen: _Optional[int] = ..., platform_order_count: _Optional[int] = ..., platform_amount_fen: _Optional[int] = ..., differences: _Optional[_Iterable[_Union[OrderDifference, _Mapping]]] = ..., platform_totals_inconsistent: _Optional[bool] = ..., reconciled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SessionFigures(_message.Message):
    __slots__ = ("session_id", "order_count", "amount_fen")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    order_count: int
    amount_fen: int
    def __init__(self, session_id: _Optional[str] = ..., order_count: _Optional[int] = ..., amount_fen: _Optional[int] = ...) -> None: ...

class ReconcilePlatformRequest(_message.Message):
    __slots__ = ("request_id", "period_start", "period_end", "order_count", "amount_fen", "sessions")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    period_start: _timestamp_pb2.Timestamp
    period_end: _timestamp_pb2.Timestamp
    order_count: int
    amount_fen: int
    sessions: _containers.RepeatedCompositeFieldContainer[SessionFigures]
    def __init__(self, request_id: _Optional[str] = ..., period_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., order_count: _Optional[int] = ..., amount_fen: _Optional[int] = ..., sessions: _Optional[_Iterable[_Union[SessionFigures, _Mapping]]] = ...) -> None: ...

class SessionDifference(_message.Message):
    __slots__ = ("session_id", "docked", "platform")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DOCKED_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    docked: SessionFigures
    platform: SessionFigures
    def __init__(self, session_id: _Optional[str] = ..., docked: _Optional[_Union[SessionFigures, _Mapping]] = ..., platform: _Optional[_Union[SessionFigures, _Mapping]] = ...) -> None: ...

class ReconcilePlatformResponse(_message.Message):
    __slots__ = ("exact", "docked_order_count", "docked_amount_fen", "platform_order_count", "platform_amount_fen", "differences", "platform_totals_inconsistent", "reconciled_at")
    EXACT_FIELD_NUMBER: _ClassVar[int]
    DOCKED_ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    DOCKED_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_TOTALS_INCONSISTENT_FIELD_NUMBER: _ClassVar[int]
    RECONCILED_AT_FIELD_NUMBER: _ClassVar[int]
    exact: bool
    docked_order_count: int
    docked_amount_fen: int
    platform_order_count: int
    platform_amount_fen: int
    differences: _containers.RepeatedCompositeFieldContainer[SessionDifference]
    platform_totals_inconsistent: bool
    reconciled_at: _timestamp_pb2.Timestamp
    def __init__(self, exact: _Optional[bool] = ..., docked_order_count: _Optional[int] = ..., docked_amount_fen: _Optional[int] = ..., platform_order_count: _Optional[int] = ..., platform_amount_fen: _Optional[int] = ..., differences: _Optional[_Iterable[_Union[SessionDifference, _Mapping]]] = ..., platform_totals_inconsistent: _Optional[bool] = ..., reconciled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListReconciliationsRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class NightlyReconciliation(_message.Message):
    __slots__ = ("day", "platform", "platform_reported", "report")
    DAY_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_REPORTED_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    day: str
    platform: str
    platform_reported: bool
    report: ReconcilePlatformResponse
    def __init__(self, day: _Optional[str] = ..., platform: _Optional[str] = ..., platform_reported: _Optional[bool] = ..., report: _Optional[_Union[ReconcilePlatformResponse, _Mapping]] = ...) -> None: ...

class ListReconciliationsResponse(_message.Message):
    __slots__ = ("reconciliations", "page")
    RECONCILIATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    reconciliations: _containers.RepeatedCompositeFieldContainer[NightlyReconciliation]
    page: _paging_pb2.PageResponse
    def __init__(self, reconciliations: _Optional[_Iterable[_Union[NightlyReconciliation, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...
