"""The live-room content patrol engine (SES-03..05): pure, with no I/O but its shipped data.

Text chunks tagged with their source go in; hits come out, each with term, category, grade,
position in the original text and lexicon version, and a verdict per chunk. `livecommerce.text.normalise`
(shared with the product service) folds disguises away, `lexicon` holds the versioned data and its validation, `matcher` compiles and
scans, `detectors` finds ID numbers, phone numbers and IM handles, `engine` swaps versions
atomically. Issue 18 added `words` (a segmenter verifying short terms), `context` (negation,
per-term contexts, price lists), `families` (patterns: lures, medical claims, regional
discrimination, e-mail and links), `romanised` (pinyin and initials), `window` (terms split
across a speaker's chunks, repeated extreme words) and `seams` (the windows' pre-filter). The session service serves it over `livecommerce.session.v1.PatrolService`.
"""

from .engine import DEFAULT_MAX_CHUNK_CHARS, PatrolEngine, UnknownLexiconVersion
from .lexicon import LexiconError, LexiconProblem, LexiconSpec, load_seed
from .matcher import CompiledLexicon, Scanned, build
from .model import Chunk, ChunkResult, ChunkTooLarge, Grade, Hit, HitKind, Source
from .window import ChunkSpan, SessionCounts, SpeakerWindows, WindowHit

__all__ = [
    "DEFAULT_MAX_CHUNK_CHARS",
    "Chunk",
    "ChunkSpan",
    "ChunkResult",
    "ChunkTooLarge",
    "CompiledLexicon",
    "Grade",
    "Hit",
    "HitKind",
    "LexiconError",
    "LexiconProblem",
    "LexiconSpec",
    "PatrolEngine",
    "Scanned",
    "SessionCounts",
    "Source",
    "SpeakerWindows",
    "UnknownLexiconVersion",
    "WindowHit",
    "build",
    "load_seed",
]
