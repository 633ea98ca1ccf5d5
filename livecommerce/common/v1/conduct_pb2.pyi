import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ViolationCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VIOLATION_CATEGORY_UNSPECIFIED: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_BANNED_CONTENT: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_ABSOLUTE_TERMS: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_FALSE_ADVERTISING: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_PRICE_FRAUD: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_PRODUCT_QUALITY: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_OFF_PLATFORM_LURE: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_PRIVACY_LEAK: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_MINORS: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_IP_INFRINGEMENT: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_DIGITAL_HUMAN_UNLABELLED: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_CONSUMER_DECEPTION: _ClassVar[ViolationCategory]
    VIOLATION_CATEGORY_OTHER: _ClassVar[ViolationCategory]

class ViolationSeverity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VIOLATION_SEVERITY_UNSPECIFIED: _ClassVar[ViolationSeverity]
    VIOLATION_SEVERITY_MINOR: _ClassVar[ViolationSeverity]
    VIOLATION_SEVERITY_MAJOR: _ClassVar[ViolationSeverity]
    VIOLATION_SEVERITY_SEVERE: _ClassVar[ViolationSeverity]
VIOLATION_CATEGORY_UNSPECIFIED: ViolationCategory
VIOLATION_CATEGORY_BANNED_CONTENT: ViolationCategory
VIOLATION_CATEGORY_ABSOLUTE_TERMS: ViolationCategory
VIOLATION_CATEGORY_FALSE_ADVERTISING: ViolationCategory
VIOLATION_CATEGORY_PRICE_FRAUD: ViolationCategory
VIOLATION_CATEGORY_PRODUCT_QUALITY: ViolationCategory
VIOLATION_CATEGORY_OFF_PLATFORM_LURE: ViolationCategory
VIOLATION_CATEGORY_PRIVACY_LEAK: ViolationCategory
VIOLATION_CATEGORY_MINORS: ViolationCategory
VIOLATION_CATEGORY_IP_INFRINGEMENT: ViolationCategory
VIOLATION_CATEGORY_DIGITAL_HUMAN_UNLABELLED: ViolationCategory
VIOLATION_CATEGORY_CONSUMER_DECEPTION: ViolationCategory
VIOLATION_CATEGORY_OTHER: ViolationCategory
VIOLATION_SEVERITY_UNSPECIFIED: ViolationSeverity
VIOLATION_SEVERITY_MINOR: ViolationSeverity
VIOLATION_SEVERITY_MAJOR: ViolationSeverity
VIOLATION_SEVERITY_SEVERE: ViolationSeverity

class EvidenceRef(_message.Message):
    __slots__ = ("uri", "sha256", "description")
    URI_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    uri: str
    sha256: str
    description: str
    def __init__(self, uri: _Optional[str] = ..., sha256: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class ViolationReport(_message.Message):
    __slots__ = ("category", "severity", "description", "evidence", "occurred_at")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    category: ViolationCategory
    severity: ViolationSeverity
    description: str
    evidence: _containers.RepeatedCompositeFieldContainer[EvidenceRef]
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, category: _Optional[_Union[ViolationCategory, str]] = ..., severity: _Optional[_Union[ViolationSeverity, str]] = ..., description: _Optional[str] = ..., evidence: _Optional[_Iterable[_Union[EvidenceRef, _Mapping]]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
