"""Where the patrol API hands the session core what it found in a live room (SES-05).

The patrol API (`PatrolService`) checks chunks; when a chunk names a session, its result is a
`Verdict` the core acts on, in the core's own transaction: it keeps every hit for the
post-session review (grade d), hides a viewer's comment or danmaku (HIDE_MESSAGE), asks the room
to correct itself (grades b and c), and stops the stream on a grade-a hit in anchor speech
(automatically, or by an officer's confirmation, as configured). Acting is idempotent per
(session, chunk_id): a retried batch changes nothing more. This module is the contract between
the two; neither imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from services.session.patrol import ChunkResult, Source


@dataclass(frozen=True)
class Verdict:
    session_id: str
    chunk_id: str
    source: Source
    result: ChunkResult
    """The engine's result: hits with grades, the chunk's verdict, the lexicon version."""


class VerdictSink(Protocol):
    async def act(self, verdicts: Sequence[Verdict]) -> None:
        """Acts on every verdict that names a session, in one transaction. An unknown or
        ended session refuses the batch (NotFound / PreconditionFailed naming the chunk);
        a clean verdict needs nothing and may be skipped by the caller."""
        ...
