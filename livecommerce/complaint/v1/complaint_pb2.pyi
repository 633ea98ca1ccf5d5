import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from livecommerce.common.v1 import identity_pb2 as _identity_pb2
from livecommerce.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_PHONE: _ClassVar[Channel]
    CHANNEL_ONLINE: _ClassVar[Channel]
    CHANNEL_EMAIL: _ClassVar[Channel]
    CHANNEL_REGULATOR: _ClassVar[Channel]

class ComplaintStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMPLAINT_STATUS_UNSPECIFIED: _ClassVar[ComplaintStatus]
    COMPLAINT_STATUS_RECEIVED: _ClassVar[ComplaintStatus]
    COMPLAINT_STATUS_ACKNOWLEDGED: _ClassVar[ComplaintStatus]
    COMPLAINT_STATUS_INVESTIGATING: _ClassVar[ComplaintStatus]
    COMPLAINT_STATUS_RESOLVED: _ClassVar[ComplaintStatus]
    COMPLAINT_STATUS_REJECTED: _ClassVar[ComplaintStatus]
    COMPLAINT_STATUS_FEEDBACK_SENT: _ClassVar[ComplaintStatus]

class IncidentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INCIDENT_STATUS_UNSPECIFIED: _ClassVar[IncidentStatus]
    INCIDENT_STATUS_OPEN: _ClassVar[IncidentStatus]
    INCIDENT_STATUS_CLOSED: _ClassVar[IncidentStatus]
CHANNEL_UNSPECIFIED: Channel
CHANNEL_PHONE: Channel
CHANNEL_ONLINE: Channel
CHANNEL_EMAIL: Channel
CHANNEL_REGULATOR: Channel
COMPLAINT_STATUS_UNSPECIFIED: ComplaintStatus
COMPLAINT_STATUS_RECEIVED: ComplaintStatus
COMPLAINT_STATUS_ACKNOWLEDGED: ComplaintStatus
COMPLAINT_STATUS_INVESTIGATING: ComplaintStatus
COMPLAINT_STATUS_RESOLVED: ComplaintStatus
COMPLAINT_STATUS_REJECTED: ComplaintStatus
COMPLAINT_STATUS_FEEDBACK_SENT: ComplaintStatus
INCIDENT_STATUS_UNSPECIFIED: IncidentStatus
INCIDENT_STATUS_OPEN: IncidentStatus
INCIDENT_STATUS_CLOSED: IncidentStatus

class Contact(_message.Message):
    __slots__ = ("name", "phone", "email", "consumer_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    phone: str
    email: str
    consumer_id: str
    def __init__(self, name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., consumer_id: _Optional[str] = ...) -> None: ...

class Concern(_message.Message):
    __slots__ = ("anchor_id", "product_id", "order_id", "session_id")
    ANCHOR_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    anchor_id: str
    product_id: str
    order_id: str
    session_id: str
    def __init__(self, anchor_id: _Optional[str] = ..., product_id: _Optional[str] = ..., order_id: _Optional[str] = ..., session_id: _Optional[str] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("name", "sha256", "size_bytes")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    name: str
    sha256: str
    size_bytes: int
    def __init__(self, name: _Optional[str] = ..., sha256: _Optional[str] = ..., size_bytes: _Optional[int] = ...) -> None: ...

class Complaint(_message.Message):
    __slots__ = ("complaint_id", "channel", "category", "status", "concern", "agency_id", "merchant_id", "unresolved", "description", "attachments", "contact", "whistle_blower", "contact_withheld", "received_at", "promised_feedback_by", "escalated_at", "version", "referral_reference", "feedback")
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONCERN_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    UNRESOLVED_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    WHISTLE_BLOWER_FIELD_NUMBER: _ClassVar[int]
    CONTACT_WITHHELD_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    PROMISED_FEEDBACK_BY_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REFERRAL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    channel: Channel
    category: str
    status: ComplaintStatus
    concern: Concern
    agency_id: str
    merchant_id: str
    unresolved: _containers.RepeatedScalarFieldContainer[str]
    description: str
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    contact: Contact
    whistle_blower: bool
    contact_withheld: bool
    received_at: _timestamp_pb2.Timestamp
    promised_feedback_by: _timestamp_pb2.Timestamp
    escalated_at: _timestamp_pb2.Timestamp
    version: int
    referral_reference: str
    feedback: str
    def __init__(self, complaint_id: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., category: _Optional[str] = ..., status: _Optional[_Union[ComplaintStatus, str]] = ..., concern: _Optional[_Union[Concern, _Mapping]] = ..., agency_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., unresolved: _Optional[_Iterable[str]] = ..., description: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ..., contact: _Optional[_Union[Contact, _Mapping]] = ..., whistle_blower: _Optional[bool] = ..., contact_withheld: _Optional[bool] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., promised_feedback_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., referral_reference: _Optional[str] = ..., feedback: _Optional[str] = ...) -> None: ...

class FileComplaintRequest(_message.Message):
    __slots__ = ("request_id", "channel", "category", "concern", "description", "contact", "attachments", "whistle_blower", "referral_reference")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CONCERN_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    WHISTLE_BLOWER_FIELD_NUMBER: _ClassVar[int]
    REFERRAL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    channel: Channel
    category: str
    concern: Concern
    description: str
    contact: Contact
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    whistle_blower: bool
    referral_reference: str
    def __init__(self, request_id: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., category: _Optional[str] = ..., concern: _Optional[_Union[Concern, _Mapping]] = ..., description: _Optional[str] = ..., contact: _Optional[_Union[Contact, _Mapping]] = ..., attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ..., whistle_blower: _Optional[bool] = ..., referral_reference: _Optional[str] = ...) -> None: ...

class FileComplaintResponse(_message.Message):
    __slots__ = ("complaint",)
    COMPLAINT_FIELD_NUMBER: _ClassVar[int]
    complaint: Complaint
    def __init__(self, complaint: _Optional[_Union[Complaint, _Mapping]] = ...) -> None: ...

class ReceiveEmailComplaintRequest(_message.Message):
    __slots__ = ("request_id", "from_address", "from_name", "subject", "body", "category", "concern", "attachments", "whistle_blower")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    FROM_NAME_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CONCERN_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    WHISTLE_BLOWER_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    from_address: str
    from_name: str
    subject: str
    body: str
    category: str
    concern: Concern
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    whistle_blower: bool
    def __init__(self, request_id: _Optional[str] = ..., from_address: _Optional[str] = ..., from_name: _Optional[str] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., category: _Optional[str] = ..., concern: _Optional[_Union[Concern, _Mapping]] = ..., attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ..., whistle_blower: _Optional[bool] = ...) -> None: ...

class ReceiveEmailComplaintResponse(_message.Message):
    __slots__ = ("complaint",)
    COMPLAINT_FIELD_NUMBER: _ClassVar[int]
    complaint: Complaint
    def __init__(self, complaint: _Optional[_Union[Complaint, _Mapping]] = ...) -> None: ...

class GetComplaintRequest(_message.Message):
    __slots__ = ("complaint_id",)
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    def __init__(self, complaint_id: _Optional[str] = ...) -> None: ...

class GetComplaintResponse(_message.Message):
    __slots__ = ("complaint",)
    COMPLAINT_FIELD_NUMBER: _ClassVar[int]
    complaint: Complaint
    def __init__(self, complaint: _Optional[_Union[Complaint, _Mapping]] = ...) -> None: ...

class ListComplaintsRequest(_message.Message):
    __slots__ = ("status", "overdue_only", "page")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    status: ComplaintStatus
    overdue_only: bool
    page: _paging_pb2.PageRequest
    def __init__(self, status: _Optional[_Union[ComplaintStatus, str]] = ..., overdue_only: _Optional[bool] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListComplaintsResponse(_message.Message):
    __slots__ = ("complaints", "page")
    COMPLAINTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    complaints: _containers.RepeatedCompositeFieldContainer[Complaint]
    page: _paging_pb2.PageResponse
    def __init__(self, complaints: _Optional[_Iterable[_Union[Complaint, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class AdvanceComplaintRequest(_message.Message):
    __slots__ = ("request_id", "complaint_id", "to", "note")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    complaint_id: str
    to: ComplaintStatus
    note: str
    def __init__(self, request_id: _Optional[str] = ..., complaint_id: _Optional[str] = ..., to: _Optional[_Union[ComplaintStatus, str]] = ..., note: _Optional[str] = ...) -> None: ...

class AdvanceComplaintResponse(_message.Message):
    __slots__ = ("complaint",)
    COMPLAINT_FIELD_NUMBER: _ClassVar[int]
    complaint: Complaint
    def __init__(self, complaint: _Optional[_Union[Complaint, _Mapping]] = ...) -> None: ...

class FieldChange(_message.Message):
    __slots__ = ("field", "old_value", "new_value")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    field: str
    old_value: str
    new_value: str
    def __init__(self, field: _Optional[str] = ..., old_value: _Optional[str] = ..., new_value: _Optional[str] = ...) -> None: ...

class ChangeRecord(_message.Message):
    __slots__ = ("sequence", "at", "actor", "action", "version", "changes", "reason")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    at: _timestamp_pb2.Timestamp
    actor: _identity_pb2.Actor
    action: str
    version: int
    changes: _containers.RepeatedCompositeFieldContainer[FieldChange]
    reason: str
    def __init__(self, sequence: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., action: _Optional[str] = ..., version: _Optional[int] = ..., changes: _Optional[_Iterable[_Union[FieldChange, _Mapping]]] = ..., reason: _Optional[str] = ...) -> None: ...

class GetComplaintHistoryRequest(_message.Message):
    __slots__ = ("complaint_id", "page")
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, complaint_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class GetComplaintHistoryResponse(_message.Message):
    __slots__ = ("records", "page")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[ChangeRecord]
    page: _paging_pb2.PageResponse
    def __init__(self, records: _Optional[_Iterable[_Union[ChangeRecord, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class PlanStep(_message.Message):
    __slots__ = ("title", "instructions")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTIONS_FIELD_NUMBER: _ClassVar[int]
    title: str
    instructions: str
    def __init__(self, title: _Optional[str] = ..., instructions: _Optional[str] = ...) -> None: ...

class EmergencyPlan(_message.Message):
    __slots__ = ("incident_type", "version", "steps", "published_by", "published_at", "note")
    INCIDENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    incident_type: str
    version: int
    steps: _containers.RepeatedCompositeFieldContainer[PlanStep]
    published_by: _identity_pb2.Actor
    published_at: _timestamp_pb2.Timestamp
    note: str
    def __init__(self, incident_type: _Optional[str] = ..., version: _Optional[int] = ..., steps: _Optional[_Iterable[_Union[PlanStep, _Mapping]]] = ..., published_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class GetEmergencyPlanRequest(_message.Message):
    __slots__ = ("incident_type", "version")
    INCIDENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    incident_type: str
    version: int
    def __init__(self, incident_type: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetEmergencyPlanResponse(_message.Message):
    __slots__ = ("plan",)
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: EmergencyPlan
    def __init__(self, plan: _Optional[_Union[EmergencyPlan, _Mapping]] = ...) -> None: ...

class PublishEmergencyPlanRequest(_message.Message):
    __slots__ = ("request_id", "incident_type", "steps", "note")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    INCIDENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    incident_type: str
    steps: _containers.RepeatedCompositeFieldContainer[PlanStep]
    note: str
    def __init__(self, request_id: _Optional[str] = ..., incident_type: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[PlanStep, _Mapping]]] = ..., note: _Optional[str] = ...) -> None: ...

class PublishEmergencyPlanResponse(_message.Message):
    __slots__ = ("plan",)
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: EmergencyPlan
    def __init__(self, plan: _Optional[_Union[EmergencyPlan, _Mapping]] = ...) -> None: ...

class IncidentStep(_message.Message):
    __slots__ = ("index", "title", "done_at", "done_by", "note")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DONE_AT_FIELD_NUMBER: _ClassVar[int]
    DONE_BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    index: int
    title: str
    done_at: _timestamp_pb2.Timestamp
    done_by: _identity_pb2.Actor
    note: str
    def __init__(self, index: _Optional[int] = ..., title: _Optional[str] = ..., done_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., done_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class Incident(_message.Message):
    __slots__ = ("incident_id", "incident_type", "plan_version", "status", "complaint_id", "session_id", "summary", "steps", "opened_at", "opened_by", "archived_at")
    INCIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    INCIDENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    OPENED_BY_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_AT_FIELD_NUMBER: _ClassVar[int]
    incident_id: str
    incident_type: str
    plan_version: int
    status: IncidentStatus
    complaint_id: str
    session_id: str
    summary: str
    steps: _containers.RepeatedCompositeFieldContainer[IncidentStep]
    opened_at: _timestamp_pb2.Timestamp
    opened_by: _identity_pb2.Actor
    archived_at: _timestamp_pb2.Timestamp
    def __init__(self, incident_id: _Optional[str] = ..., incident_type: _Optional[str] = ..., plan_version: _Optional[int] = ..., status: _Optional[_Union[IncidentStatus, str]] = ..., complaint_id: _Optional[str] = ..., session_id: _Optional[str] = ..., summary: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[IncidentStep, _Mapping]]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., opened_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., archived_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpenIncidentRequest(_message.Message):
    __slots__ = ("request_id", "incident_type", "complaint_id", "session_id", "summary")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    INCIDENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    incident_type: str
    complaint_id: str
    session_id: str
    summary: str
    def __init__(self, request_id: _Optional[str] = ..., incident_type: _Optional[str] = ..., complaint_id: _Optional[str] = ..., session_id: _Optional[str] = ..., summary: _Optional[str] = ...) -> None: ...

class OpenIncidentResponse(_message.Message):
    __slots__ = ("incident",)
    INCIDENT_FIELD_NUMBER: _ClassVar[int]
    incident: Incident
    def __init__(self, incident: _Optional[_Union[Incident, _Mapping]] = ...) -> None: ...

class CompleteIncidentStepRequest(_message.Message):
    __slots__ = ("request_id", "incident_id", "step_index", "note")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    INCIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_INDEX_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    incident_id: str
    step_index: int
    note: str
    def __init__(self, request_id: _Optional[str] = ..., incident_id: _Optional[str] = ..., step_index: _Optional[int] = ..., note: _Optional[str] = ...) -> None: ...

class CompleteIncidentStepResponse(_message.Message):
    __slots__ = ("incident",)
    INCIDENT_FIELD_NUMBER: _ClassVar[int]
    incident: Incident
    def __init__(self, incident: _Optional[_Union[Incident, _Mapping]] = ...) -> None: ...

class GetIncidentRequest(_message.Message):
    __slots__ = ("incident_id",)
    INCIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    incident_id: str
    def __init__(self, incident_id: _Optional[str] = ...) -> None: ...

class GetIncidentResponse(_message.Message):
    __slots__ = ("incident",)
    INCIDENT_FIELD_NUMBER: _ClassVar[int]
    incident: Incident
    def __init__(self, incident: _Optional[_Union[Incident, _Mapping]] = ...) -> None: ...

class ListIncidentsRequest(_message.Message):
    __slots__ = ("session_id", "page")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, session_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListIncidentsResponse(_message.Message):
    __slots__ = ("incidents", "page")
    INCIDENTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    incidents: _containers.RepeatedCompositeFieldContainer[Incident]
    page: _paging_pb2.PageResponse
    def __init__(self, incidents: _Optional[_Iterable[_Union[Incident, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...
