from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReportPromiseOutcomeRequest(_message.Message):
    __slots__ = ("request_id", "order_id", "promise_id", "kept", "detail")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PROMISE_ID_FIELD_NUMBER: _ClassVar[int]
    KEPT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    order_id: str
    promise_id: str
    kept: bool
    detail: str
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., promise_id: _Optional[str] = ..., kept: _Optional[bool] = ..., detail: _Optional[str] = ...) -> None: ...

class ReportPromiseOutcomeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSessionPromisesRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class SessionPromise(_message.Message):
    __slots__ = ("promise_id", "kind", "text", "product_id", "responsible", "responsible_id", "orders", "kept", "broken", "pending", "broken_orders")
    PROMISE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ID_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    KEPT_FIELD_NUMBER: _ClassVar[int]
    BROKEN_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    BROKEN_ORDERS_FIELD_NUMBER: _ClassVar[int]
    promise_id: str
    kind: str
    text: str
    product_id: str
    responsible: str
    responsible_id: str
    orders: int
    kept: int
    broken: int
    pending: int
    broken_orders: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, promise_id: _Optional[str] = ..., kind: _Optional[str] = ..., text: _Optional[str] = ..., product_id: _Optional[str] = ..., responsible: _Optional[str] = ..., responsible_id: _Optional[str] = ..., orders: _Optional[int] = ..., kept: _Optional[int] = ..., broken: _Optional[int] = ..., pending: _Optional[int] = ..., broken_orders: _Optional[_Iterable[str]] = ...) -> None: ...

class ListSessionPromisesResponse(_message.Message):
    __slots__ = ("promises",)
    PROMISES_FIELD_NUMBER: _ClassVar[int]
    promises: _containers.RepeatedCompositeFieldContainer[SessionPromise]
    def __init__(self, promises: _Optional[_Iterable[_Union[SessionPromise, _Mapping]]] = ...) -> None: ...
