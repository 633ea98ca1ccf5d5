import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import identity_pb2 as _identity_pb2
from livecommerce.product.v1 import product_pb2 as _product_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProductListing(_message.Message):
    __slots__ = ("product_id", "merchant_id", "approved_version", "category", "category_path", "title", "price_fen", "crossed_out_price_fen", "perishable", "link", "listed")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_VERSION_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_PATH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    CROSSED_OUT_PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    PERISHABLE_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    LISTED_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    merchant_id: str
    approved_version: int
    category: str
    category_path: _containers.RepeatedScalarFieldContainer[str]
    title: str
    price_fen: int
    crossed_out_price_fen: int
    perishable: _product_pb2.PerishableTreatment
    link: _product_pb2.ProductLink
    listed: bool
    def __init__(self, product_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., approved_version: _Optional[int] = ..., category: _Optional[str] = ..., category_path: _Optional[_Iterable[str]] = ..., title: _Optional[str] = ..., price_fen: _Optional[int] = ..., crossed_out_price_fen: _Optional[int] = ..., perishable: _Optional[_Union[_product_pb2.PerishableTreatment, _Mapping]] = ..., link: _Optional[_Union[_product_pb2.ProductLink, _Mapping]] = ..., listed: _Optional[bool] = ...) -> None: ...

class ProductApproved(_message.Message):
    __slots__ = ("listing", "reviewer")
    LISTING_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    listing: ProductListing
    reviewer: str
    def __init__(self, listing: _Optional[_Union[ProductListing, _Mapping]] = ..., reviewer: _Optional[str] = ...) -> None: ...

class ProductChanged(_message.Message):
    __slots__ = ("listing", "previous_version", "reviewer")
    LISTING_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    listing: ProductListing
    previous_version: int
    reviewer: str
    def __init__(self, listing: _Optional[_Union[ProductListing, _Mapping]] = ..., previous_version: _Optional[int] = ..., reviewer: _Optional[str] = ...) -> None: ...

class ProductDelisted(_message.Message):
    __slots__ = ("product_id", "merchant_id", "approved_version", "cause", "rule_id", "reason", "operator", "delisted_at", "session_id", "list_version", "list_entry_id")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_VERSION_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    DELISTED_AT_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    LIST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LIST_ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    merchant_id: str
    approved_version: int
    cause: _product_pb2.DelistCause
    rule_id: str
    reason: str
    operator: _identity_pb2.Actor
    delisted_at: _timestamp_pb2.Timestamp
    session_id: str
    list_version: str
    list_entry_id: str
    def __init__(self, product_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., approved_version: _Optional[int] = ..., cause: _Optional[_Union[_product_pb2.DelistCause, str]] = ..., rule_id: _Optional[str] = ..., reason: _Optional[str] = ..., operator: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., delisted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., session_id: _Optional[str] = ..., list_version: _Optional[str] = ..., list_entry_id: _Optional[str] = ...) -> None: ...

class ProductRelisted(_message.Message):
    __slots__ = ("listing", "operator", "reason", "relisted_at")
    LISTING_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RELISTED_AT_FIELD_NUMBER: _ClassVar[int]
    listing: ProductListing
    operator: _identity_pb2.Actor
    reason: str
    relisted_at: _timestamp_pb2.Timestamp
    def __init__(self, listing: _Optional[_Union[ProductListing, _Mapping]] = ..., operator: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., reason: _Optional[str] = ..., relisted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
