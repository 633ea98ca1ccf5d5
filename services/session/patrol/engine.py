"""The patrol engine: checks chunks against the live lexicon version and swaps versions atomically.

SES-04 asks for a lexicon updatable at run time without a restart, and live rooms cannot wait
for it. A proposed version is validated and compiled by the proposer's thread, off to the side,
while matching goes on with the current one; publishing replaces one reference, so each call
reads exactly one version and matching never pauses or sees half a version. The engine keeps
what it has built in memory only; storing proposals and who published what is the session
service's job.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from livecommerce.text.normalise import Normaliser, get_normaliser

from .lexicon import LexiconError, LexiconProblem, LexiconSpec, load_seed
from .matcher import CompiledLexicon, Scanned, build, scan, scan_detail
from .model import Chunk, ChunkResult, ChunkTooLarge, Source

#: Longest chunk accepted, in characters: a transcript segment, a danmaku or a product page.
DEFAULT_MAX_CHUNK_CHARS = 32_768
# A batch is scanned in slices of this many characters, so memory stays bounded.
_SLICE_CHARS = 256 * 1024
_SLICE_CHUNKS = 2048


class UnknownLexiconVersion(KeyError):
    """Publishing a version that was never proposed to this engine."""


class PatrolEngine:
    """Thread-safe: any number of threads may check while another proposes or publishes."""

    def __init__(
        self,
        lexicon: CompiledLexicon | None = None,
        *,
        max_chunk_chars: int = DEFAULT_MAX_CHUNK_CHARS,
        normaliser: Normaliser | None = None,
        verify: bool = True,
    ) -> None:
        self.max_chunk_chars = max_chunk_chars
        # Issue 18's context rules (negation, per-term contexts, word boundaries); off only to
        # measure what they cost (bench_patrol).
        self.verify = verify
        self._normaliser = normaliser or get_normaliser()
        self._current = lexicon if lexicon is not None else build(load_seed())
        self._versions: dict[str, CompiledLexicon] = {self._current.version: self._current}
        self._lock = threading.Lock()  # guards proposals and publishing, never matching

    # -- lexicon management ----------------------------------------------------------------

    @property
    def current(self) -> CompiledLexicon:
        return self._current

    @property
    def normaliser(self) -> Normaliser:
        return self._normaliser

    def versions(self) -> list[str]:
        """Every version this engine has built, in the order they were proposed."""
        return list(self._versions)

    def propose(self, spec: LexiconSpec) -> CompiledLexicon:
        """Validates and builds a version without touching matching; raises LexiconError."""
        compiled = build(spec)
        with self._lock:
            existing = self._versions.get(spec.version)
            if existing is not None and existing.spec != spec:
                problem = "already exists with other content; versions are immutable"
                raise LexiconError([LexiconProblem("version", spec.version, problem)])
            return self._versions.setdefault(spec.version, compiled)

    def publish(self, version: str) -> CompiledLexicon:
        """Makes a built version live (or rolls back to an earlier one); returns the previous."""
        with self._lock:
            compiled = self._versions.get(version)
            if compiled is None:
                raise UnknownLexiconVersion(version)
            previous, self._current = self._current, compiled  # SES-04: one atomic swap
            return previous

    # -- matching --------------------------------------------------------------------------

    def check(self, text: str, source: Source) -> ChunkResult:
        """SES-03: patrols one chunk."""
        return self.check_many([Chunk(text, source)])[0]

    def check_many(self, chunks: Sequence[Chunk]) -> list[ChunkResult]:
        """SES-03: patrols a batch against one lexicon version; results in input order.

        Raises ChunkTooLarge, naming the first oversized chunk, before checking anything.
        """
        return self.check_columns([c.text for c in chunks], [c.source for c in chunks])

    def check_columns(self, texts: Sequence[str], sources: Sequence[Source], *, original_patterns: bool = False) -> list[ChunkResult]:
        """`check_many` for a batch given as its texts and their sources (the i-th of each is one
        chunk): what a server decoding requests has at hand, without a Chunk per text.
        `original_patterns`: every text is read with the original-text patterns (e-mail, links,
        "+v"), not only in a batch holding a literal of theirs (the speaker windows' exact path)."""
        return self._check(texts, sources, None, original_patterns)

    def check_scanned(self, texts: Sequence[str], sources: Sequence[Source]) -> tuple[list[ChunkResult], Scanned]:
        """`check_columns`, and what the speaker windows (window.py) read of the batch: each text
        folded and the texts marked, gathered by the same pass over the batch."""
        detail = Scanned([], set())
        return self._check(texts, sources, detail), detail

    def _check(self, texts: Sequence[str], sources: Sequence[Source], detail: Scanned | None, original_patterns: bool = False) -> list[ChunkResult]:
        limit = self.max_chunk_chars
        for index, text in enumerate(texts):
            if len(text) > limit:
                raise ChunkTooLarge(size=len(text), limit=limit, index=index)
        lexicon = self._current  # read once: the whole batch sees one version
        results: list[ChunkResult] = []
        start = 0
        while start < len(texts):
            stop, size = start, 0
            while stop < len(texts) and stop - start < _SLICE_CHUNKS and (size < _SLICE_CHARS or stop == start):
                size += len(texts[stop])
                stop += 1
            if detail is None:
                results.extend(
                    scan(lexicon, texts[start:stop], sources[start:stop], self._normaliser, verify=self.verify, original_patterns=original_patterns)
                )
            else:
                found, part = scan_detail(lexicon, texts[start:stop], sources[start:stop], self._normaliser, verify=self.verify)
                results.extend(found)
                detail.folded.extend(part.folded)
                detail.marked.update(i + start for i in part.marked)
            start = stop
        return results
