"""A window per speaker (issue 18, SES-04/05): terms and numbers split across consecutive chunks
of one speaker, and extreme words used frequently within a session.

A viewer can send "加微" and "信" as two danmaku, or a phone number in three; a speech-to-text
service cuts the anchor's sentences into segments anywhere. `SpeakerWindows` keeps, per session
and speaker, the last few chunks (at most `max_chunks`, `max_chars` characters and `max_seconds`
back, measured on the chunks' own timestamps, never a wall clock) and patrols them together,
joined by a space (a gap, so the number detectors may cut there, and filler to the automaton).
It reports only what spans two chunks or more: a hit inside one chunk is that chunk's own
result. Each such hit names the chunks it spans, with the offsets inside each.

`SessionCounts` counts, per session, the anchor's hits of grade c or d per term; from the
`repeat_at`-th on, the hit is escalated to b (CREDIT 8.2.3.6.5 b: 频繁使用极限词 calls for an
immediate correction).

Both are pure and single-threaded: the caller (one per session replica) owns an instance and
passes each chunk's session, speaker, id, timestamp and source. State is bounded: windows of
speakers silent for `max_seconds` are dropped, and at most `max_speakers` windows are kept.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from .engine import PatrolEngine
from .model import Chunk, ChunkResult, ChunkSpan, Grade, Hit, Source

__all__ = ["ChunkSpan", "SessionCounts", "SpeakerWindows", "WindowHit"]


@dataclass(frozen=True, slots=True)
class WindowHit:
    """A hit across chunks: `hit`'s offsets are in the joined window; `spans` name the chunks."""

    hit: Hit
    spans: tuple[ChunkSpan, ...]


class _Held(NamedTuple):  # a tuple: built per chunk, a frozen dataclass cost twice as much
    chunk_id: str
    text: str
    at: float  # the chunk's own timestamp, seconds


class SpeakerWindows:
    def __init__(
        self,
        engine: PatrolEngine,
        *,
        max_chunks: int = 4,
        max_chars: int = 256,
        max_seconds: float = 20.0,
        max_speakers: int = 100_000,
    ) -> None:
        self._engine = engine
        self.max_chunks, self.max_chars, self.max_seconds, self.max_speakers = (
            max_chunks,
            max_chars,
            max_seconds,
            max_speakers,
        )
        # (session, speaker, source) -> the speaker's last chunks, least recently heard first
        self._windows: OrderedDict[tuple[str, str, Source], deque[_Held]] = OrderedDict()
        # session -> its windows' keys, so a session's end drops them without a scan of all
        self._sessions: dict[str, set[tuple[str, str, Source]]] = {}

    def __len__(self) -> int:
        return len(self._windows)

    def add(self, session_id: str, speaker: str, chunk_id: str, text: str, source: Source, at: float) -> list[WindowHit]:
        """SES-04: adds one chunk to its speaker's window; the hits that span it and earlier ones."""
        return self.add_many([(session_id, speaker, chunk_id, text, source, at)])[0]

    def add_many(self, chunks: Sequence[tuple[str, str, str, str, Source, float]]) -> list[list[WindowHit]]:
        """`add` for each (session_id, speaker, chunk_id, text, source, at) in order, the windows
        patrolled in one engine call: one call per chunk cost ~30 µs each, twenty times a batch."""
        pending: list[tuple[int, tuple[_Held, ...], Source]] = []
        hold = self._hold
        for i, (session_id, speaker, chunk_id, text, source, at) in enumerate(chunks):
            held = hold(session_id, speaker, chunk_id, text, source, at)
            if held is not None:
                pending.append((i, held, source))
        found: list[list[WindowHit]] = [[] for _ in chunks]
        if pending:
            joined = [" ".join([h.text for h in held]) for _, held, _ in pending]
            results = self._engine.check_columns(joined, [source for _, _, source in pending])
            for (i, held, _), result in zip(pending, results, strict=True):
                if result.hits:  # most windows have none
                    found[i] = self._spanning(held, result)
        return found

    def _hold(self, session_id: str, speaker: str, chunk_id: str, text: str, source: Source, at: float) -> tuple[_Held, ...] | None:
        """Adds the chunk; the window to patrol when it holds the chunk last, after another one.
        Runs once per chunk of every speaker: kept to a few dictionary and deque operations."""
        key = (session_id, speaker, source)
        windows = self._windows
        held = windows.get(key)
        if held is None:
            held = windows[key] = deque()
            keys = self._sessions.get(session_id)
            if keys is None:
                keys = self._sessions[session_id] = set()
            keys.add(key)
        else:
            windows.move_to_end(key)  # the most recently heard last
            for h in held:
                if h.chunk_id == chunk_id:  # a retried chunk: held once, answered alike
                    return tuple(held) if held[-1].chunk_id == chunk_id and len(held) > 1 else None
            # The window is bounded by the chunks' own times: older than max_seconds before this
            # chunk, or a chunk from the future of a clock that went back, starts afresh.
            if at < held[-1].at:
                held.clear()
            else:
                oldest = at - self.max_seconds
                while held and held[0].at < oldest:
                    held.popleft()
        held.append(_Held(chunk_id, text, at))
        if len(held) > 1:
            chars = sum([len(h.text) for h in held])
            while len(held) > self.max_chunks or (len(held) > 1 and chars > self.max_chars):
                chars -= len(held.popleft().text)
        self._evict(at)
        return tuple(held) if len(held) > 1 else None

    @staticmethod
    def _spanning(held: Sequence[_Held], result: ChunkResult) -> list[WindowHit]:
        """The hits of the joined window that span two chunks or more and end in the newest."""
        if not result.hits:  # most windows
            return []
        starts, offset = [], 0
        for h in held:
            starts.append(offset)
            offset += len(h.text) + 1
        found = []
        for hit in result.hits:
            spans = tuple(
                ChunkSpan(h.chunk_id, max(hit.start, s) - s, min(hit.end, s + len(h.text)) - s)
                for h, s in zip(held, starts, strict=True)
                if hit.start < s + len(h.text) and s < hit.end
            )
            if len(spans) >= 2 and spans[-1].chunk_id == held[-1].chunk_id:
                found.append(WindowHit(hit, spans))  # new: it needs the chunk just added
        return found

    def end(self, session_id: str) -> None:
        """Forgets a session that ended: every window of its speakers."""
        for key in self._sessions.pop(session_id, ()):
            self._windows.pop(key, None)

    def sessions(self) -> int:
        """Sessions with a window held."""
        return len(self._sessions)

    def _drop(self, key: tuple[str, str, Source]) -> None:
        keys = self._sessions.get(key[0])
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._sessions[key[0]]

    def _evict(self, now: float) -> None:
        windows = self._windows
        while len(windows) > self.max_speakers:
            self._drop(windows.popitem(last=False)[0])
        # The least recently heard speakers come first: drop those silent for max_seconds.
        while windows:
            key = next(iter(windows))
            if now - windows[key][-1].at <= self.max_seconds:
                break
            del windows[key]
            self._drop(key)


class SessionCounts:
    """SES-05: per session, how often the anchor has used each grade c or d term."""

    def __init__(
        self, *, repeat_at: int = 3, sources: tuple[Source, ...] = (Source.ANCHOR_SPEECH,), max_sessions: int = 10_000, remembered: int = 256
    ) -> None:
        self.repeat_at, self.sources, self.max_sessions, self.remembered = repeat_at, sources, max_sessions, remembered
        # session -> term -> uses; least recently used session first (at most max_sessions)
        self._counts: OrderedDict[str, dict[str, int]] = OrderedDict()
        # session -> its last `remembered` counted chunk ids and their results: a retried chunk
        # is answered alike and not counted twice
        self._seen: dict[str, OrderedDict[str, ChunkResult]] = {}

    def __len__(self) -> int:
        return len(self._counts)

    def escalate(self, session_id: str, chunk: Chunk, result: ChunkResult, chunk_id: str = "") -> ChunkResult:
        """The result with each c or d hit from the `repeat_at`-th use of its term in the session
        on graded b (frequent use calls for an immediate correction). With a `chunk_id`, a chunk
        counted already gets the result it got then."""
        if result.clean or chunk.source not in self.sources:
            return result
        seen = self._seen.setdefault(session_id, OrderedDict())
        if chunk_id and (earlier := seen.get(chunk_id)) is not None:
            return earlier
        counts = self._counts.pop(session_id, None) or {}
        self._counts[session_id] = counts
        while len(self._counts) > self.max_sessions:  # a flood of sessions cannot grow memory
            self._seen.pop(self._counts.popitem(last=False)[0], None)
        hits: list[Hit] = []
        for hit in result.hits:
            if hit.grade in (Grade.C, Grade.D):
                counts[hit.term] = counts.get(hit.term, 0) + 1
                if counts[hit.term] >= self.repeat_at:
                    hit = replace(hit, grade=Grade.B)  # SES-05: frequent use of an extreme word
            hits.append(hit)
        verdict = max((h.grade for h in hits), key=lambda g: g.severity)
        escalated = replace(result, hits=tuple(hits), verdict=verdict)
        if chunk_id:
            seen[chunk_id] = escalated
            while len(seen) > self.remembered:
                seen.popitem(last=False)
        return escalated

    def end(self, session_id: str) -> None:
        """Forgets a session that ended."""
        self._counts.pop(session_id, None)
        self._seen.pop(session_id, None)

    def count(self, session_id: str, term: str) -> int:
        return self._counts.get(session_id, {}).get(term, 0)
