import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Agency(_message.Message):
    __slots__ = ("agency_id", "legal_name", "credit_code", "contact_email", "signed_anchors", "registered_at")
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    LEGAL_NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ANCHORS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    legal_name: str
    credit_code: str
    contact_email: str
    signed_anchors: int
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, agency_id: _Optional[str] = ..., legal_name: _Optional[str] = ..., credit_code: _Optional[str] = ..., contact_email: _Optional[str] = ..., signed_anchors: _Optional[int] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterAgencyRequest(_message.Message):
    __slots__ = ("agency_id", "legal_name", "credit_code", "contact_email", "request_id")
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    LEGAL_NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    legal_name: str
    credit_code: str
    contact_email: str
    request_id: str
    def __init__(self, agency_id: _Optional[str] = ..., legal_name: _Optional[str] = ..., credit_code: _Optional[str] = ..., contact_email: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RegisterAgencyResponse(_message.Message):
    __slots__ = ("agency",)
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...

class GetAgencyRequest(_message.Message):
    __slots__ = ("agency_id",)
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    def __init__(self, agency_id: _Optional[str] = ...) -> None: ...

class GetAgencyResponse(_message.Message):
    __slots__ = ("agency",)
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...

class ListAgenciesRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAgenciesResponse(_message.Message):
    __slots__ = ("agencies", "page")
    AGENCIES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    agencies: _containers.RepeatedCompositeFieldContainer[Agency]
    page: _paging_pb2.PageResponse
    def __init__(self, agencies: _Optional[_Iterable[_Union[Agency, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...
