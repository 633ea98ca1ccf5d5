import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ComplaintUpheld(_message.Message):
    __slots__ = ("complaint_id", "anchor_id", "agency_id", "merchant_id", "session_id", "order_id", "category", "upheld_at")
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    UPHELD_AT_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    anchor_id: str
    agency_id: str
    merchant_id: str
    session_id: str
    order_id: str
    category: str
    upheld_at: _timestamp_pb2.Timestamp
    def __init__(self, complaint_id: _Optional[str] = ..., anchor_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., session_id: _Optional[str] = ..., order_id: _Optional[str] = ..., category: _Optional[str] = ..., upheld_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
