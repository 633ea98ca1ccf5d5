"""The patrol engine's vocabulary: where a chunk of text came from, the graded responses, hits,
per-chunk results, and the error for a chunk over the size limit.

Everything here is plain immutable data so results can be shared between threads and handed
to the service layer, which maps them to `livecommerce.session.v1` messages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Source(enum.StrEnum):
    """What a chunk of text is (OPS 7.4.1 names these four; SES-03)."""

    ANCHOR_SPEECH = "anchor_speech"  # the anchor's words, from the live transcript
    PRODUCT_INFO = "product_info"  # product titles, descriptions, cards shown in the room
    USER_COMMENT = "user_comment"
    DANMAKU = "danmaku"


SOURCES: tuple[Source, ...] = tuple(Source)
SOURCE_INDEX: dict[Source, int] = {source: i for i, source in enumerate(SOURCES)}


class Grade(enum.StrEnum):
    """The response a hit calls for (SES-05, CREDIT 8.2.3.6.5 a–d), plus hiding a viewer's message.

    CREDIT's four grades are about the anchor's session; a viewer's comment or danmaku is not
    the anchor's act, so the lexicon can instead grade a term "hide" for those sources: the
    message is removed from the room at once and nothing is asked of the anchor.
    """

    A = "a"  # stop the stream at once
    B = "b"  # immediate correction by the anchor
    C = "c"  # positive guidance before the session ends
    D = "d"  # note for the post-session review
    HIDE = "hide"  # hide the viewer's message

    @property
    def severity(self) -> int:
        """Urgency, for the verdict: stop > correct now > hide now > guide before the end > note."""
        return _SEVERITY[self]


_SEVERITY = {Grade.A: 5, Grade.B: 4, Grade.HIDE: 3, Grade.C: 2, Grade.D: 1}


class HitKind(enum.StrEnum):
    """Which part of the engine found a hit."""

    TERM = "term"  # a lexicon term
    RESIDENT_ID = "resident_id"  # a PRC resident ID number with a valid check digit
    MOBILE_NUMBER = "mobile_number"  # a mainland mobile number
    IM_HANDLE = "im_handle"  # a WeChat or QQ account written out to lure viewers off the platform


@dataclass(frozen=True, slots=True)
class Chunk:
    """One piece of text to patrol and where it came from."""

    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class ChunkSpan:
    """The part of one chunk a window hit covers: chunk_id's text[start:end]."""

    chunk_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding in a chunk.

    `start`/`end` are offsets into the chunk's original text in Unicode code points (Python
    string indices), end exclusive: text[start:end] is what was said, fillers included.
    For detector hits `term` is the detector's name; the matched digits are not repeated here,
    so patrol records do not copy the personal information they flag (PLT-06).
    """

    term: str
    category: str
    grade: Grade
    start: int
    end: int
    kind: HitKind
    lexicon_version: str
    spans: tuple[ChunkSpan, ...] = ()
    """A hit across a speaker's chunks (`window.py`): each chunk it spans, oldest first; then
    start/end are its part of the last one. Empty for a hit inside one chunk."""


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """The hits in one chunk and its verdict, the most urgent grade among them (None: clean)."""

    hits: tuple[Hit, ...]
    verdict: Grade | None
    lexicon_version: str

    @property
    def clean(self) -> bool:
        return not self.hits


class ChunkTooLarge(ValueError):
    """A chunk is longer than the engine accepts; the service maps this to INVALID_ARGUMENT."""

    def __init__(self, *, size: int, limit: int, index: int = 0) -> None:
        self.size, self.limit, self.index = size, limit, index
        super().__init__(
            f"chunk {index} has {size} characters; the patrol engine accepts at most {limit} per chunk"
        )
