"""Checking live-room text (SES-03, SES-05): a batch against the one live lexicon version, then
the chunks that name a session through this replica's memory of them (`windows.SessionMemory`:
split terms, repeated extreme words), and their verdicts handed to the session core in one call
per batch.

Clean danmaku cost ~3.5 µs each here (300 in ~1 ms), so a batch of a few hundred chunks is
checked on the event loop (the hand-off to a thread cost more than the check: the engine holds the
GIL either way); a batch past INLINE_CHARS goes to a thread (the engine is thread-safe): a dirty
150,000-character batch takes ~300 ms, which the event loop, serving every other call, must not
wait out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from services.session.lexicons.live import LiveLexicon
from services.session.lexicons.windows import InSession, SessionMemory
from services.session.patrol import ChunkResult, Source
from services.session.verdicts import Verdict, VerdictSink

INLINE_CHARS = 32_768
"""Batches up to this many characters are checked on the event loop (a few milliseconds)."""


class Patrol:
    def __init__(self, live: LiveLexicon, sink: VerdictSink, memory: SessionMemory | None = None) -> None:
        self._live, self._sink = live, sink
        # SES-04/05: one per replica process; chunks are fed to it on the event loop, in order
        self.memory = memory or SessionMemory(live.engine)

    async def check(self, texts: Sequence[str], sources: Sequence[Source], in_sessions: Sequence[InSession] = ()) -> list[ChunkResult]:
        """Results in input order (the i-th text with the i-th source is one chunk); raises
        ChunkTooLarge (naming the chunk's index) before checking any."""
        engine = await self._live.ready()
        inline = sum(map(len, texts)) <= INLINE_CHARS
        if in_sessions:  # a speaker's window and the session's counts: split and repeated terms
            # the scan also gives what the speakers' windows read of the batch (folded texts)
            if inline:
                results, scanned = engine.check_scanned(texts, sources)
            else:
                results, scanned = await asyncio.to_thread(engine.check_scanned, texts, sources)
            self.memory.apply(texts, sources, in_sessions, results, scanned)
        elif inline:
            results = engine.check_columns(texts, sources)
        else:
            results = await asyncio.to_thread(engine.check_columns, texts, sources)
        verdicts = [
            Verdict(session_id=s.session_id, chunk_id=s.chunk_id, source=sources[s.position], result=results[s.position])
            for s in in_sessions
            if not results[s.position].clean
        ]
        if verdicts:  # SES-05: the core acts on them, once per (session, chunk_id)
            await self._sink.act(verdicts)
        return results
