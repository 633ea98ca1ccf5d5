import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChunkSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHUNK_SOURCE_UNSPECIFIED: _ClassVar[ChunkSource]
    CHUNK_SOURCE_ANCHOR_SPEECH: _ClassVar[ChunkSource]
    CHUNK_SOURCE_PRODUCT_INFO: _ClassVar[ChunkSource]
    CHUNK_SOURCE_USER_COMMENT: _ClassVar[ChunkSource]
    CHUNK_SOURCE_DANMAKU: _ClassVar[ChunkSource]

class PatrolGrade(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PATROL_GRADE_UNSPECIFIED: _ClassVar[PatrolGrade]
    PATROL_GRADE_A_STOP_STREAM: _ClassVar[PatrolGrade]
    PATROL_GRADE_B_CORRECT_IMMEDIATELY: _ClassVar[PatrolGrade]
    PATROL_GRADE_C_GUIDE_BEFORE_END: _ClassVar[PatrolGrade]
    PATROL_GRADE_D_NOTE_FOR_REVIEW: _ClassVar[PatrolGrade]
    PATROL_GRADE_HIDE_MESSAGE: _ClassVar[PatrolGrade]

class PatrolHitKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PATROL_HIT_KIND_UNSPECIFIED: _ClassVar[PatrolHitKind]
    PATROL_HIT_KIND_TERM: _ClassVar[PatrolHitKind]
    PATROL_HIT_KIND_RESIDENT_ID: _ClassVar[PatrolHitKind]
    PATROL_HIT_KIND_MOBILE_NUMBER: _ClassVar[PatrolHitKind]
    PATROL_HIT_KIND_IM_HANDLE: _ClassVar[PatrolHitKind]

class LexiconVersionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEXICON_VERSION_STATE_UNSPECIFIED: _ClassVar[LexiconVersionState]
    LEXICON_VERSION_STATE_PROPOSED: _ClassVar[LexiconVersionState]
    LEXICON_VERSION_STATE_LIVE: _ClassVar[LexiconVersionState]
    LEXICON_VERSION_STATE_RETIRED: _ClassVar[LexiconVersionState]
CHUNK_SOURCE_UNSPECIFIED: ChunkSource
CHUNK_SOURCE_ANCHOR_SPEECH: ChunkSource
CHUNK_SOURCE_PRODUCT_INFO: ChunkSource
CHUNK_SOURCE_USER_COMMENT: ChunkSource
CHUNK_SOURCE_DANMAKU: ChunkSource
PATROL_GRADE_UNSPECIFIED: PatrolGrade
PATROL_GRADE_A_STOP_STREAM: PatrolGrade
PATROL_GRADE_B_CORRECT_IMMEDIATELY: PatrolGrade
PATROL_GRADE_C_GUIDE_BEFORE_END: PatrolGrade
PATROL_GRADE_D_NOTE_FOR_REVIEW: PatrolGrade
PATROL_GRADE_HIDE_MESSAGE: PatrolGrade
PATROL_HIT_KIND_UNSPECIFIED: PatrolHitKind
PATROL_HIT_KIND_TERM: PatrolHitKind
PATROL_HIT_KIND_RESIDENT_ID: PatrolHitKind
PATROL_HIT_KIND_MOBILE_NUMBER: PatrolHitKind
PATROL_HIT_KIND_IM_HANDLE: PatrolHitKind
LEXICON_VERSION_STATE_UNSPECIFIED: LexiconVersionState
LEXICON_VERSION_STATE_PROPOSED: LexiconVersionState
LEXICON_VERSION_STATE_LIVE: LexiconVersionState
LEXICON_VERSION_STATE_RETIRED: LexiconVersionState

class TextChunk(_message.Message):
    __slots__ = ("chunk_id", "session_id", "source", "text", "speaker_id", "spoken_at")
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_ID_FIELD_NUMBER: _ClassVar[int]
    SPOKEN_AT_FIELD_NUMBER: _ClassVar[int]
    chunk_id: str
    session_id: str
    source: ChunkSource
    text: str
    speaker_id: str
    spoken_at: _timestamp_pb2.Timestamp
    def __init__(self, chunk_id: _Optional[str] = ..., session_id: _Optional[str] = ..., source: _Optional[_Union[ChunkSource, str]] = ..., text: _Optional[str] = ..., speaker_id: _Optional[str] = ..., spoken_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChunkSpan(_message.Message):
    __slots__ = ("chunk_id", "start", "end")
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    chunk_id: str
    start: int
    end: int
    def __init__(self, chunk_id: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ...) -> None: ...

class PatrolHit(_message.Message):
    __slots__ = ("term", "category", "grade", "start", "end", "kind", "spans")
    TERM_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SPANS_FIELD_NUMBER: _ClassVar[int]
    term: str
    category: str
    grade: PatrolGrade
    start: int
    end: int
    kind: PatrolHitKind
    spans: _containers.RepeatedCompositeFieldContainer[ChunkSpan]
    def __init__(self, term: _Optional[str] = ..., category: _Optional[str] = ..., grade: _Optional[_Union[PatrolGrade, str]] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., kind: _Optional[_Union[PatrolHitKind, str]] = ..., spans: _Optional[_Iterable[_Union[ChunkSpan, _Mapping]]] = ...) -> None: ...

class PatrolResult(_message.Message):
    __slots__ = ("chunk_id", "hits", "verdict", "clean", "lexicon_version")
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    HITS_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    CLEAN_FIELD_NUMBER: _ClassVar[int]
    LEXICON_VERSION_FIELD_NUMBER: _ClassVar[int]
    chunk_id: str
    hits: _containers.RepeatedCompositeFieldContainer[PatrolHit]
    verdict: PatrolGrade
    clean: bool
    lexicon_version: str
    def __init__(self, chunk_id: _Optional[str] = ..., hits: _Optional[_Iterable[_Union[PatrolHit, _Mapping]]] = ..., verdict: _Optional[_Union[PatrolGrade, str]] = ..., clean: _Optional[bool] = ..., lexicon_version: _Optional[str] = ...) -> None: ...

class SourceOverride(_message.Message):
    __slots__ = ("source", "grade", "ignore")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    IGNORE_FIELD_NUMBER: _ClassVar[int]
    source: ChunkSource
    grade: PatrolGrade
    ignore: bool
    def __init__(self, source: _Optional[_Union[ChunkSource, str]] = ..., grade: _Optional[_Union[PatrolGrade, str]] = ..., ignore: _Optional[bool] = ...) -> None: ...

class LexiconCategory(_message.Message):
    __slots__ = ("id", "label", "basis", "grade", "overrides")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    OVERRIDES_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    basis: str
    grade: PatrolGrade
    overrides: _containers.RepeatedCompositeFieldContainer[SourceOverride]
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ..., basis: _Optional[str] = ..., grade: _Optional[_Union[PatrolGrade, str]] = ..., overrides: _Optional[_Iterable[_Union[SourceOverride, _Mapping]]] = ...) -> None: ...

class LexiconEntry(_message.Message):
    __slots__ = ("term", "category", "grade", "overrides")
    TERM_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    OVERRIDES_FIELD_NUMBER: _ClassVar[int]
    term: str
    category: str
    grade: PatrolGrade
    overrides: _containers.RepeatedCompositeFieldContainer[SourceOverride]
    def __init__(self, term: _Optional[str] = ..., category: _Optional[str] = ..., grade: _Optional[_Union[PatrolGrade, str]] = ..., overrides: _Optional[_Iterable[_Union[SourceOverride, _Mapping]]] = ...) -> None: ...

class DetectorRule(_message.Message):
    __slots__ = ("detector", "category", "grade", "overrides")
    DETECTOR_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    OVERRIDES_FIELD_NUMBER: _ClassVar[int]
    detector: PatrolHitKind
    category: str
    grade: PatrolGrade
    overrides: _containers.RepeatedCompositeFieldContainer[SourceOverride]
    def __init__(self, detector: _Optional[_Union[PatrolHitKind, str]] = ..., category: _Optional[str] = ..., grade: _Optional[_Union[PatrolGrade, str]] = ..., overrides: _Optional[_Iterable[_Union[SourceOverride, _Mapping]]] = ...) -> None: ...

class Lexicon(_message.Message):
    __slots__ = ("version", "description", "categories", "entries", "allow", "detectors")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    ALLOW_FIELD_NUMBER: _ClassVar[int]
    DETECTORS_FIELD_NUMBER: _ClassVar[int]
    version: str
    description: str
    categories: _containers.RepeatedCompositeFieldContainer[LexiconCategory]
    entries: _containers.RepeatedCompositeFieldContainer[LexiconEntry]
    allow: _containers.RepeatedScalarFieldContainer[str]
    detectors: _containers.RepeatedCompositeFieldContainer[DetectorRule]
    def __init__(self, version: _Optional[str] = ..., description: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[LexiconCategory, _Mapping]]] = ..., entries: _Optional[_Iterable[_Union[LexiconEntry, _Mapping]]] = ..., allow: _Optional[_Iterable[str]] = ..., detectors: _Optional[_Iterable[_Union[DetectorRule, _Mapping]]] = ...) -> None: ...

class LexiconVersionInfo(_message.Message):
    __slots__ = ("version", "state", "term_count", "allow_count", "proposed_by", "proposed_at", "published_by", "published_at")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TERM_COUNT_FIELD_NUMBER: _ClassVar[int]
    ALLOW_COUNT_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_BY_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    version: str
    state: LexiconVersionState
    term_count: int
    allow_count: int
    proposed_by: str
    proposed_at: _timestamp_pb2.Timestamp
    published_by: str
    published_at: _timestamp_pb2.Timestamp
    def __init__(self, version: _Optional[str] = ..., state: _Optional[_Union[LexiconVersionState, str]] = ..., term_count: _Optional[int] = ..., allow_count: _Optional[int] = ..., proposed_by: _Optional[str] = ..., proposed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., published_by: _Optional[str] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CheckChunkRequest(_message.Message):
    __slots__ = ("chunk",)
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    chunk: TextChunk
    def __init__(self, chunk: _Optional[_Union[TextChunk, _Mapping]] = ...) -> None: ...

class CheckChunkResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: PatrolResult
    def __init__(self, result: _Optional[_Union[PatrolResult, _Mapping]] = ...) -> None: ...

class CheckChunksRequest(_message.Message):
    __slots__ = ("chunks",)
    CHUNKS_FIELD_NUMBER: _ClassVar[int]
    chunks: _containers.RepeatedCompositeFieldContainer[TextChunk]
    def __init__(self, chunks: _Optional[_Iterable[_Union[TextChunk, _Mapping]]] = ...) -> None: ...

class CheckChunksResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[PatrolResult]
    def __init__(self, results: _Optional[_Iterable[_Union[PatrolResult, _Mapping]]] = ...) -> None: ...

class GetLexiconVersionRequest(_message.Message):
    __slots__ = ("version", "include_lexicon")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_LEXICON_FIELD_NUMBER: _ClassVar[int]
    version: str
    include_lexicon: bool
    def __init__(self, version: _Optional[str] = ..., include_lexicon: _Optional[bool] = ...) -> None: ...

class GetLexiconVersionResponse(_message.Message):
    __slots__ = ("info", "lexicon", "max_chunk_chars")
    INFO_FIELD_NUMBER: _ClassVar[int]
    LEXICON_FIELD_NUMBER: _ClassVar[int]
    MAX_CHUNK_CHARS_FIELD_NUMBER: _ClassVar[int]
    info: LexiconVersionInfo
    lexicon: Lexicon
    max_chunk_chars: int
    def __init__(self, info: _Optional[_Union[LexiconVersionInfo, _Mapping]] = ..., lexicon: _Optional[_Union[Lexicon, _Mapping]] = ..., max_chunk_chars: _Optional[int] = ...) -> None: ...

class ProposeLexiconVersionRequest(_message.Message):
    __slots__ = ("lexicon", "request_id")
    LEXICON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    lexicon: Lexicon
    request_id: str
    def __init__(self, lexicon: _Optional[_Union[Lexicon, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class ProposeLexiconVersionResponse(_message.Message):
    __slots__ = ("info",)
    INFO_FIELD_NUMBER: _ClassVar[int]
    info: LexiconVersionInfo
    def __init__(self, info: _Optional[_Union[LexiconVersionInfo, _Mapping]] = ...) -> None: ...

class PublishLexiconVersionRequest(_message.Message):
    __slots__ = ("version", "reason", "request_id")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    version: str
    reason: str
    request_id: str
    def __init__(self, version: _Optional[str] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class PublishLexiconVersionResponse(_message.Message):
    __slots__ = ("info", "previous_version")
    INFO_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    info: LexiconVersionInfo
    previous_version: str
    def __init__(self, info: _Optional[_Union[LexiconVersionInfo, _Mapping]] = ..., previous_version: _Optional[str] = ...) -> None: ...
