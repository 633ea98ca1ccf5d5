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

class ProductState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRODUCT_STATE_UNSPECIFIED: _ClassVar[ProductState]
    PRODUCT_STATE_PENDING_REVIEW: _ClassVar[ProductState]
    PRODUCT_STATE_REJECTED: _ClassVar[ProductState]
    PRODUCT_STATE_APPROVED: _ClassVar[ProductState]
    PRODUCT_STATE_LISTED: _ClassVar[ProductState]
    PRODUCT_STATE_DELISTED: _ClassVar[ProductState]

class VersionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VERSION_STATUS_UNSPECIFIED: _ClassVar[VersionStatus]
    VERSION_STATUS_PENDING_REVIEW: _ClassVar[VersionStatus]
    VERSION_STATUS_APPROVED: _ClassVar[VersionStatus]
    VERSION_STATUS_REJECTED: _ClassVar[VersionStatus]
    VERSION_STATUS_SUPERSEDED: _ClassVar[VersionStatus]

class ReviewDecision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVIEW_DECISION_UNSPECIFIED: _ClassVar[ReviewDecision]
    REVIEW_DECISION_APPROVE: _ClassVar[ReviewDecision]
    REVIEW_DECISION_REJECT: _ClassVar[ReviewDecision]

class IpRightKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IP_RIGHT_KIND_UNSPECIFIED: _ClassVar[IpRightKind]
    IP_RIGHT_KIND_TRADEMARK: _ClassVar[IpRightKind]
    IP_RIGHT_KIND_PATENT: _ClassVar[IpRightKind]
    IP_RIGHT_KIND_COPYRIGHT: _ClassVar[IpRightKind]
    IP_RIGHT_KIND_GEOGRAPHICAL_INDICATION: _ClassVar[IpRightKind]

class PatentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PATENT_STATUS_UNSPECIFIED: _ClassVar[PatentStatus]
    PATENT_STATUS_APPLICATION: _ClassVar[PatentStatus]
    PATENT_STATUS_GRANTED: _ClassVar[PatentStatus]
    PATENT_STATUS_LAPSED: _ClassVar[PatentStatus]

class InspectionResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INSPECTION_RESULT_UNSPECIFIED: _ClassVar[InspectionResult]
    INSPECTION_RESULT_PASS: _ClassVar[InspectionResult]
    INSPECTION_RESULT_FAIL: _ClassVar[InspectionResult]

class DelistCause(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIST_CAUSE_UNSPECIFIED: _ClassVar[DelistCause]
    DELIST_CAUSE_COMPLIANCE: _ClassVar[DelistCause]
    DELIST_CAUSE_SESSION_EMERGENCY: _ClassVar[DelistCause]
    DELIST_CAUSE_LICENCE_EXPIRED: _ClassVar[DelistCause]
    DELIST_CAUSE_IP_EXPIRED: _ClassVar[DelistCause]
    DELIST_CAUSE_PROHIBITED: _ClassVar[DelistCause]
    DELIST_CAUSE_INSPECTION_FAILED: _ClassVar[DelistCause]
    DELIST_CAUSE_EXPIRED_GOODS: _ClassVar[DelistCause]
PRODUCT_STATE_UNSPECIFIED: ProductState
PRODUCT_STATE_PENDING_REVIEW: ProductState
PRODUCT_STATE_REJECTED: ProductState
PRODUCT_STATE_APPROVED: ProductState
PRODUCT_STATE_LISTED: ProductState
PRODUCT_STATE_DELISTED: ProductState
VERSION_STATUS_UNSPECIFIED: VersionStatus
VERSION_STATUS_PENDING_REVIEW: VersionStatus
VERSION_STATUS_APPROVED: VersionStatus
VERSION_STATUS_REJECTED: VersionStatus
VERSION_STATUS_SUPERSEDED: VersionStatus
REVIEW_DECISION_UNSPECIFIED: ReviewDecision
REVIEW_DECISION_APPROVE: ReviewDecision
REVIEW_DECISION_REJECT: ReviewDecision
IP_RIGHT_KIND_UNSPECIFIED: IpRightKind
IP_RIGHT_KIND_TRADEMARK: IpRightKind
IP_RIGHT_KIND_PATENT: IpRightKind
IP_RIGHT_KIND_COPYRIGHT: IpRightKind
IP_RIGHT_KIND_GEOGRAPHICAL_INDICATION: IpRightKind
PATENT_STATUS_UNSPECIFIED: PatentStatus
PATENT_STATUS_APPLICATION: PatentStatus
PATENT_STATUS_GRANTED: PatentStatus
PATENT_STATUS_LAPSED: PatentStatus
INSPECTION_RESULT_UNSPECIFIED: InspectionResult
INSPECTION_RESULT_PASS: InspectionResult
INSPECTION_RESULT_FAIL: InspectionResult
DELIST_CAUSE_UNSPECIFIED: DelistCause
DELIST_CAUSE_COMPLIANCE: DelistCause
DELIST_CAUSE_SESSION_EMERGENCY: DelistCause
DELIST_CAUSE_LICENCE_EXPIRED: DelistCause
DELIST_CAUSE_IP_EXPIRED: DelistCause
DELIST_CAUSE_PROHIBITED: DelistCause
DELIST_CAUSE_INSPECTION_FAILED: DelistCause
DELIST_CAUSE_EXPIRED_GOODS: DelistCause

class DocumentRef(_message.Message):
    __slots__ = ("uri", "sha256")
    URI_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    uri: str
    sha256: str
    def __init__(self, uri: _Optional[str] = ..., sha256: _Optional[str] = ...) -> None: ...

class IpRight(_message.Message):
    __slots__ = ("kind", "number", "holder", "owned_by_merchant", "authorization_id", "patent_status", "valid_until")
    KIND_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    HOLDER_FIELD_NUMBER: _ClassVar[int]
    OWNED_BY_MERCHANT_FIELD_NUMBER: _ClassVar[int]
    AUTHORIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    PATENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    kind: IpRightKind
    number: str
    holder: str
    owned_by_merchant: bool
    authorization_id: str
    patent_status: PatentStatus
    valid_until: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[_Union[IpRightKind, str]] = ..., number: _Optional[str] = ..., holder: _Optional[str] = ..., owned_by_merchant: _Optional[bool] = ..., authorization_id: _Optional[str] = ..., patent_status: _Optional[_Union[PatentStatus, str]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PriceEvidence(_message.Message):
    __slots__ = ("amount_fen", "sold_from", "sold_until", "source", "document")
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    SOLD_FROM_FIELD_NUMBER: _ClassVar[int]
    SOLD_UNTIL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    amount_fen: int
    sold_from: _timestamp_pb2.Timestamp
    sold_until: _timestamp_pb2.Timestamp
    source: str
    document: DocumentRef
    def __init__(self, amount_fen: _Optional[int] = ..., sold_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sold_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., source: _Optional[str] = ..., document: _Optional[_Union[DocumentRef, _Mapping]] = ...) -> None: ...

class ProductDetails(_message.Message):
    __slots__ = ("title", "category", "origin", "producer", "performance_and_use", "specification", "ingredients", "price_fen", "expiry_date", "images", "ip_rights", "licence_ids", "crossed_out_price_fen", "crossed_out_price_evidence", "link_url", "description")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    PRODUCER_FIELD_NUMBER: _ClassVar[int]
    PERFORMANCE_AND_USE_FIELD_NUMBER: _ClassVar[int]
    SPECIFICATION_FIELD_NUMBER: _ClassVar[int]
    INGREDIENTS_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRY_DATE_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    IP_RIGHTS_FIELD_NUMBER: _ClassVar[int]
    LICENCE_IDS_FIELD_NUMBER: _ClassVar[int]
    CROSSED_OUT_PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    CROSSED_OUT_PRICE_EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    LINK_URL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    title: str
    category: str
    origin: str
    producer: str
    performance_and_use: str
    specification: str
    ingredients: str
    price_fen: int
    expiry_date: str
    images: _containers.RepeatedCompositeFieldContainer[DocumentRef]
    ip_rights: _containers.RepeatedCompositeFieldContainer[IpRight]
    licence_ids: _containers.RepeatedScalarFieldContainer[str]
    crossed_out_price_fen: int
    crossed_out_price_evidence: PriceEvidence
    link_url: str
    description: str
    def __init__(self, title: _Optional[str] = ..., category: _Optional[str] = ..., origin: _Optional[str] = ..., producer: _Optional[str] = ..., performance_and_use: _Optional[str] = ..., specification: _Optional[str] = ..., ingredients: _Optional[str] = ..., price_fen: _Optional[int] = ..., expiry_date: _Optional[str] = ..., images: _Optional[_Iterable[_Union[DocumentRef, _Mapping]]] = ..., ip_rights: _Optional[_Iterable[_Union[IpRight, _Mapping]]] = ..., licence_ids: _Optional[_Iterable[str]] = ..., crossed_out_price_fen: _Optional[int] = ..., crossed_out_price_evidence: _Optional[_Union[PriceEvidence, _Mapping]] = ..., link_url: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class ProductLink(_message.Message):
    __slots__ = ("url", "platform", "external", "notice")
    URL_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_FIELD_NUMBER: _ClassVar[int]
    NOTICE_FIELD_NUMBER: _ClassVar[int]
    url: str
    platform: str
    external: bool
    notice: str
    def __init__(self, url: _Optional[str] = ..., platform: _Optional[str] = ..., external: _Optional[bool] = ..., notice: _Optional[str] = ...) -> None: ...

class PerishableTreatment(_message.Message):
    __slots__ = ("perishable", "notice", "strict_after_sales", "claim_window_hours")
    PERISHABLE_FIELD_NUMBER: _ClassVar[int]
    NOTICE_FIELD_NUMBER: _ClassVar[int]
    STRICT_AFTER_SALES_FIELD_NUMBER: _ClassVar[int]
    CLAIM_WINDOW_HOURS_FIELD_NUMBER: _ClassVar[int]
    perishable: bool
    notice: str
    strict_after_sales: bool
    claim_window_hours: int
    def __init__(self, perishable: _Optional[bool] = ..., notice: _Optional[str] = ..., strict_after_sales: _Optional[bool] = ..., claim_window_hours: _Optional[int] = ...) -> None: ...

class ListingBlock(_message.Message):
    __slots__ = ("rule_id", "reason")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    reason: str
    def __init__(self, rule_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class Delisting(_message.Message):
    __slots__ = ("cause", "rule_id", "reason", "operator", "delisted_at", "session_id", "list_version", "list_entry_id")
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    DELISTED_AT_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    LIST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LIST_ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    cause: DelistCause
    rule_id: str
    reason: str
    operator: _identity_pb2.Actor
    delisted_at: _timestamp_pb2.Timestamp
    session_id: str
    list_version: str
    list_entry_id: str
    def __init__(self, cause: _Optional[_Union[DelistCause, str]] = ..., rule_id: _Optional[str] = ..., reason: _Optional[str] = ..., operator: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., delisted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., session_id: _Optional[str] = ..., list_version: _Optional[str] = ..., list_entry_id: _Optional[str] = ...) -> None: ...

class Product(_message.Message):
    __slots__ = ("product_id", "merchant_id", "details", "latest_version", "latest_version_status", "approved_version", "state", "delisting", "perishable", "link", "submitted_at", "updated_at")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_STATUS_FIELD_NUMBER: _ClassVar[int]
    APPROVED_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DELISTING_FIELD_NUMBER: _ClassVar[int]
    PERISHABLE_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    merchant_id: str
    details: ProductDetails
    latest_version: int
    latest_version_status: VersionStatus
    approved_version: int
    state: ProductState
    delisting: Delisting
    perishable: PerishableTreatment
    link: ProductLink
    submitted_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, product_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., details: _Optional[_Union[ProductDetails, _Mapping]] = ..., latest_version: _Optional[int] = ..., latest_version_status: _Optional[_Union[VersionStatus, str]] = ..., approved_version: _Optional[int] = ..., state: _Optional[_Union[ProductState, str]] = ..., delisting: _Optional[_Union[Delisting, _Mapping]] = ..., perishable: _Optional[_Union[PerishableTreatment, _Mapping]] = ..., link: _Optional[_Union[ProductLink, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProductVersion(_message.Message):
    __slots__ = ("product_id", "version", "status", "details", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "review_reason")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEW_REASON_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    version: int
    status: VersionStatus
    details: ProductDetails
    submitted_at: _timestamp_pb2.Timestamp
    submitted_by: _identity_pb2.Actor
    reviewed_at: _timestamp_pb2.Timestamp
    reviewed_by: _identity_pb2.Actor
    review_reason: str
    def __init__(self, product_id: _Optional[str] = ..., version: _Optional[int] = ..., status: _Optional[_Union[VersionStatus, str]] = ..., details: _Optional[_Union[ProductDetails, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., submitted_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., reviewed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reviewed_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ..., review_reason: _Optional[str] = ...) -> None: ...

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

class Licence(_message.Message):
    __slots__ = ("licence_id", "merchant_id", "kind", "number", "issuer", "holder", "valid_from", "valid_until", "document")
    LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    HOLDER_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    licence_id: str
    merchant_id: str
    kind: str
    number: str
    issuer: str
    holder: str
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    document: DocumentRef
    def __init__(self, licence_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., kind: _Optional[str] = ..., number: _Optional[str] = ..., issuer: _Optional[str] = ..., holder: _Optional[str] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., document: _Optional[_Union[DocumentRef, _Mapping]] = ...) -> None: ...

class IpAuthorization(_message.Message):
    __slots__ = ("authorization_id", "merchant_id", "holder", "right_numbers", "valid_from", "valid_until", "document")
    AUTHORIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_FIELD_NUMBER: _ClassVar[int]
    RIGHT_NUMBERS_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    authorization_id: str
    merchant_id: str
    holder: str
    right_numbers: _containers.RepeatedScalarFieldContainer[str]
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    document: DocumentRef
    def __init__(self, authorization_id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., holder: _Optional[str] = ..., right_numbers: _Optional[_Iterable[str]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., document: _Optional[_Union[DocumentRef, _Mapping]] = ...) -> None: ...

class Inspection(_message.Message):
    __slots__ = ("inspection_id", "product_id", "lab", "sampled_at", "result", "report", "findings", "recorded_by")
    INSPECTION_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    LAB_FIELD_NUMBER: _ClassVar[int]
    SAMPLED_AT_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    inspection_id: str
    product_id: str
    lab: str
    sampled_at: _timestamp_pb2.Timestamp
    result: InspectionResult
    report: DocumentRef
    findings: str
    recorded_by: _identity_pb2.Actor
    def __init__(self, inspection_id: _Optional[str] = ..., product_id: _Optional[str] = ..., lab: _Optional[str] = ..., sampled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., result: _Optional[_Union[InspectionResult, str]] = ..., report: _Optional[_Union[DocumentRef, _Mapping]] = ..., findings: _Optional[str] = ..., recorded_by: _Optional[_Union[_identity_pb2.Actor, _Mapping]] = ...) -> None: ...

class SubmitProductRequest(_message.Message):
    __slots__ = ("request_id", "details")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    details: ProductDetails
    def __init__(self, request_id: _Optional[str] = ..., details: _Optional[_Union[ProductDetails, _Mapping]] = ...) -> None: ...

class SubmitProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class ReviseProductRequest(_message.Message):
    __slots__ = ("request_id", "product_id", "expected_latest_version", "details")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_LATEST_VERSION_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    product_id: str
    expected_latest_version: int
    details: ProductDetails
    def __init__(self, request_id: _Optional[str] = ..., product_id: _Optional[str] = ..., expected_latest_version: _Optional[int] = ..., details: _Optional[_Union[ProductDetails, _Mapping]] = ...) -> None: ...

class ReviseProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class ReviewProductRequest(_message.Message):
    __slots__ = ("request_id", "product_id", "version", "decision", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    product_id: str
    version: int
    decision: ReviewDecision
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., product_id: _Optional[str] = ..., version: _Optional[int] = ..., decision: _Optional[_Union[ReviewDecision, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class ReviewProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class GetProductRequest(_message.Message):
    __slots__ = ("product_id",)
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    def __init__(self, product_id: _Optional[str] = ...) -> None: ...

class GetProductResponse(_message.Message):
    __slots__ = ("product", "blocks")
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    product: Product
    blocks: _containers.RepeatedCompositeFieldContainer[ListingBlock]
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ..., blocks: _Optional[_Iterable[_Union[ListingBlock, _Mapping]]] = ...) -> None: ...

class ListProductsRequest(_message.Message):
    __slots__ = ("page", "state", "merchant_id")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    state: ProductState
    merchant_id: str
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ..., state: _Optional[_Union[ProductState, str]] = ..., merchant_id: _Optional[str] = ...) -> None: ...

class ListProductsResponse(_message.Message):
    __slots__ = ("products", "page")
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[Product]
    page: _paging_pb2.PageResponse
    def __init__(self, products: _Optional[_Iterable[_Union[Product, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ListProductVersionsRequest(_message.Message):
    __slots__ = ("product_id",)
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    def __init__(self, product_id: _Optional[str] = ...) -> None: ...

class ListProductVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[ProductVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[ProductVersion, _Mapping]]] = ...) -> None: ...

class GetProductHistoryRequest(_message.Message):
    __slots__ = ("product_id", "page")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, product_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class GetProductHistoryResponse(_message.Message):
    __slots__ = ("records", "page")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[ChangeRecord]
    page: _paging_pb2.PageResponse
    def __init__(self, records: _Optional[_Iterable[_Union[ChangeRecord, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class RecordLicenceRequest(_message.Message):
    __slots__ = ("request_id", "licence")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    LICENCE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    licence: Licence
    def __init__(self, request_id: _Optional[str] = ..., licence: _Optional[_Union[Licence, _Mapping]] = ...) -> None: ...

class RecordLicenceResponse(_message.Message):
    __slots__ = ("licence",)
    LICENCE_FIELD_NUMBER: _ClassVar[int]
    licence: Licence
    def __init__(self, licence: _Optional[_Union[Licence, _Mapping]] = ...) -> None: ...

class ListLicencesRequest(_message.Message):
    __slots__ = ("page", "merchant_id")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    merchant_id: str
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ..., merchant_id: _Optional[str] = ...) -> None: ...

class ListLicencesResponse(_message.Message):
    __slots__ = ("licences", "page")
    LICENCES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    licences: _containers.RepeatedCompositeFieldContainer[Licence]
    page: _paging_pb2.PageResponse
    def __init__(self, licences: _Optional[_Iterable[_Union[Licence, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class RecordIpAuthorizationRequest(_message.Message):
    __slots__ = ("request_id", "authorization")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHORIZATION_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    authorization: IpAuthorization
    def __init__(self, request_id: _Optional[str] = ..., authorization: _Optional[_Union[IpAuthorization, _Mapping]] = ...) -> None: ...

class RecordIpAuthorizationResponse(_message.Message):
    __slots__ = ("authorization",)
    AUTHORIZATION_FIELD_NUMBER: _ClassVar[int]
    authorization: IpAuthorization
    def __init__(self, authorization: _Optional[_Union[IpAuthorization, _Mapping]] = ...) -> None: ...

class ListIpAuthorizationsRequest(_message.Message):
    __slots__ = ("page", "merchant_id")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    merchant_id: str
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ..., merchant_id: _Optional[str] = ...) -> None: ...

class ListIpAuthorizationsResponse(_message.Message):
    __slots__ = ("authorizations", "page")
    AUTHORIZATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    authorizations: _containers.RepeatedCompositeFieldContainer[IpAuthorization]
    page: _paging_pb2.PageResponse
    def __init__(self, authorizations: _Optional[_Iterable[_Union[IpAuthorization, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class RecordInspectionRequest(_message.Message):
    __slots__ = ("request_id", "inspection")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    INSPECTION_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    inspection: Inspection
    def __init__(self, request_id: _Optional[str] = ..., inspection: _Optional[_Union[Inspection, _Mapping]] = ...) -> None: ...

class RecordInspectionResponse(_message.Message):
    __slots__ = ("inspection", "product")
    INSPECTION_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    inspection: Inspection
    product: Product
    def __init__(self, inspection: _Optional[_Union[Inspection, _Mapping]] = ..., product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class ListInspectionsRequest(_message.Message):
    __slots__ = ("product_id", "page")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, product_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListInspectionsResponse(_message.Message):
    __slots__ = ("inspections", "page")
    INSPECTIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    inspections: _containers.RepeatedCompositeFieldContainer[Inspection]
    page: _paging_pb2.PageResponse
    def __init__(self, inspections: _Optional[_Iterable[_Union[Inspection, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class DelistProductRequest(_message.Message):
    __slots__ = ("request_id", "product_id", "cause", "reason", "session_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    product_id: str
    cause: DelistCause
    reason: str
    session_id: str
    def __init__(self, request_id: _Optional[str] = ..., product_id: _Optional[str] = ..., cause: _Optional[_Union[DelistCause, str]] = ..., reason: _Optional[str] = ..., session_id: _Optional[str] = ...) -> None: ...

class DelistProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class RelistProductRequest(_message.Message):
    __slots__ = ("request_id", "product_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    product_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., product_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RelistProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class CheckProductListingRequest(_message.Message):
    __slots__ = ("product_id",)
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    def __init__(self, product_id: _Optional[str] = ...) -> None: ...

class CheckProductListingResponse(_message.Message):
    __slots__ = ("listable", "blocks", "checked_at")
    LISTABLE_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    CHECKED_AT_FIELD_NUMBER: _ClassVar[int]
    listable: bool
    blocks: _containers.RepeatedCompositeFieldContainer[ListingBlock]
    checked_at: _timestamp_pb2.Timestamp
    def __init__(self, listable: _Optional[bool] = ..., blocks: _Optional[_Iterable[_Union[ListingBlock, _Mapping]]] = ..., checked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ResolveProductLinkRequest(_message.Message):
    __slots__ = ("product_id", "shown_version", "session_id")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SHOWN_VERSION_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    shown_version: int
    session_id: str
    def __init__(self, product_id: _Optional[str] = ..., shown_version: _Optional[int] = ..., session_id: _Optional[str] = ...) -> None: ...

class ResolveProductLinkResponse(_message.Message):
    __slots__ = ("product_id", "approved_version", "matches_shown_version", "listed", "link", "perishable", "title", "price_fen", "crossed_out_price_fen", "blocks")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_VERSION_FIELD_NUMBER: _ClassVar[int]
    MATCHES_SHOWN_VERSION_FIELD_NUMBER: _ClassVar[int]
    LISTED_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    PERISHABLE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    CROSSED_OUT_PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    approved_version: int
    matches_shown_version: bool
    listed: bool
    link: ProductLink
    perishable: PerishableTreatment
    title: str
    price_fen: int
    crossed_out_price_fen: int
    blocks: _containers.RepeatedCompositeFieldContainer[ListingBlock]
    def __init__(self, product_id: _Optional[str] = ..., approved_version: _Optional[int] = ..., matches_shown_version: _Optional[bool] = ..., listed: _Optional[bool] = ..., link: _Optional[_Union[ProductLink, _Mapping]] = ..., perishable: _Optional[_Union[PerishableTreatment, _Mapping]] = ..., title: _Optional[str] = ..., price_fen: _Optional[int] = ..., crossed_out_price_fen: _Optional[int] = ..., blocks: _Optional[_Iterable[_Union[ListingBlock, _Mapping]]] = ...) -> None: ...
