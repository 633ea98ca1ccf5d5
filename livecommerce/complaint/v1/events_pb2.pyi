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

class ComplaintEscalated(_message.Message):
    __slots__ = ("complaint_id", "channel", "category", "status", "promised_feedback_by", "escalated_at")
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PROMISED_FEEDBACK_BY_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    channel: str
    category: str
    status: str
    promised_feedback_by: _timestamp_pb2.Timestamp
    escalated_at: _timestamp_pb2.Timestamp
    def __init__(self, complaint_id: _Optional[str] = ..., channel: _Optional[str] = ..., category: _Optional[str] = ..., status: _Optional[str] = ..., promised_feedback_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class IncidentOpened(_message.Message):
    __slots__ = ("incident_id", "incident_type", "plan_version", "complaint_id", "session_id", "opened_at")
    INCIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    INCIDENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    incident_id: str
    incident_type: str
    plan_version: int
    complaint_id: str
    session_id: str
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, incident_id: _Optional[str] = ..., incident_type: _Optional[str] = ..., plan_version: _Optional[int] = ..., complaint_id: _Optional[str] = ..., session_id: _Optional[str] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
