"""The patrol's memory of live sessions on one replica (SES-04, SES-05): each speaker's last chunks,
matched together so a term or a phone number split over consecutive messages is caught, and the
anchor's repeated grade c/d terms, escalated to b from the third use in a session.

One instance per replica process, held by the check service (`checks.Patrol`) and fed in the
order chunks arrive. Best-effort state: it lives in this process only, so after a failover (or
when a session's chunks go to another replica) the windows and counts start empty. Memory is
bounded three ways: windows expire by their chunks' own times (20 s), at most `max_windows`
are held (least recently heard dropped first) and at most `max_sessions` sessions are counted;
a session's state is dropped when this replica commits its end (`ended`, a room feed listener).
"""

from __future__ import annotations

import functools
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from prometheus_client.registry import Collector

from livecommerce.runtime.metrics import Metrics, gauges
from services.session.patrol import Chunk, ChunkResult, PatrolEngine, Scanned, SessionCounts, Source, SpeakerWindows

ANCHOR = "anchor"
"""The speaker of a session's ANCHOR_SPEECH chunks: its transcript is one window."""
VIEWER_SOURCES = (Source.USER_COMMENT, Source.DANMAKU)


class InSession(NamedTuple):
    """A submitted chunk that names a session: its verdict goes to the session core."""

    position: int
    chunk_id: str
    session_id: str
    speaker: str = ""
    """The viewer's id for comments and danmaku; empty for the anchor and product info."""
    at: float | None = None
    """The chunk's own time (seconds since the epoch), None when the caller sent none."""


@functools.lru_cache(maxsize=4096)  # a few live sessions per batch, parsed once each
def session_key(session_id: str) -> str:
    """One spelling per session: the room feed names sessions by UUID, callers by string."""
    try:
        return str(uuid.UUID(session_id))
    except ValueError:
        return session_id


class SessionMemory:
    def __init__(self, engine: PatrolEngine, *, max_windows: int = 100_000, max_sessions: int = 10_000) -> None:
        self.windows = SpeakerWindows(engine, max_speakers=max_windows)
        self.counts = SessionCounts(max_sessions=max_sessions)
        # Sessions that ended here lately: a late chunk for one does not start its state again.
        self._ended: OrderedDict[str, None] = OrderedDict()
        self._max_ended = max_sessions

    def watch(self, metrics: Metrics) -> None:
        """Exports how much is held, read at scrape time (the bounds above, made visible)."""
        metrics.collect_with(_Held(self, metrics.service))

    def apply(
        self,
        texts: Sequence[str],
        sources: Sequence[Source],
        in_sessions: Sequence[InSession],
        results: list[ChunkResult],
        scanned: Scanned | None = None,
    ) -> None:
        """Adds each in-session chunk to its speaker's window and counts the anchor's terms, in
        the order given; `results` gain the window's hits and the escalations in place.
        `scanned` is what `PatrolEngine.check_scanned` gave for the batch with `results`; without
        it the windowed chunks are scanned again."""
        todo = [(s, session_key(s.session_id)) for s in in_sessions]
        todo = [(s, session) for s, session in todo if session not in self._ended]  # the sink refuses them
        windowed = [(s, session, speaker) for s, session in todo if s.at is not None and (speaker := self._speaker(s, sources[s.position]))]
        # SES-04: a chunk without a time or a speaker stands alone; the windows are patrolled together
        positions = [s.position for s, _, _ in windowed]
        found = self.windows.add_many(
            [(session, speaker, s.chunk_id, texts[s.position], sources[s.position], s.at) for s, session, speaker in windowed if s.at is not None],
            None if scanned is None else scanned.part(positions),
        )
        for (s, _, _), spanning in zip(windowed, found, strict=True):
            if spanning:  # named in the newest chunk's result: its own part is start/end, spans name them all
                result = results[s.position]
                hits = result.hits + tuple(replace(w.hit, start=w.spans[-1].start, end=w.spans[-1].end, spans=w.spans) for w in spanning)
                results[s.position] = replace(result, hits=hits, verdict=max((h.grade for h in hits), key=lambda g: g.severity))
        for s, session in todo:  # SES-05: the anchor's grade c/d terms from the third use in the session on are b
            if not results[s.position].clean and sources[s.position] in self.counts.sources:
                chunk = Chunk(texts[s.position], sources[s.position])
                results[s.position] = self.counts.escalate(session, chunk, results[s.position], s.chunk_id)

    @staticmethod
    def _speaker(s: InSession, source: Source) -> str:
        return ANCHOR if source is Source.ANCHOR_SPEECH else s.speaker if source in VIEWER_SOURCES else ""

    def ended(self, session_ids: Sequence[uuid.UUID]) -> None:
        """Room feed listener: these sessions ended on this replica; their windows and counts go."""
        for session_id in map(str, session_ids):
            self.windows.end(session_id)
            self.counts.end(session_id)
            self._ended[session_id] = None
            while len(self._ended) > self._max_ended:
                self._ended.popitem(last=False)


class _Held(Collector):
    def __init__(self, memory: SessionMemory, service: str) -> None:
        self._memory, self._service = memory, service

    def collect(self):
        service = (self._service,)
        yield gauges("livecommerce_patrol_speaker_windows", "Speaker windows held by this replica's patrol (SES-04)",
                     ["service"], [(service, len(self._memory.windows))])
        yield gauges("livecommerce_patrol_counted_sessions", "Sessions whose repeated extreme words this replica counts (SES-05)",
                     ["service"], [(service, len(self._memory.counts))])
