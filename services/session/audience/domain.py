"""The exact viewer counter (SES-08), pure: who watches which session now, the peaks, the clock.

A session's viewers are a dict viewer id -> the generation (whole second of the platform clock)
it was last seen in; its current count is the dict's size, so a viewer who joins twice counts
once. Every batch is applied with dict and set operations that run in C (dict.fromkeys and
update, map over builtins), never a Python loop per viewer: a join costs three hash inserts, a
leave one delete, and what a batch did is read off the dict's size before and after.

Timeouts by the clock use generation buckets: each join or heartbeat also adds the viewer to
its generation's bucket, and a bucket is examined once, when its generation is older than the
timeout. A viewer heard from again since sits in a newer bucket too, and its old entry is
recognised as stale (its dict generation is newer) and dropped, so a sweep costs what expired
(plus the stale entries it finds, one per heartbeat, each looked at once), never all viewers.

Peaks are the largest count after any applied message; they only rise while a session is live
and are frozen when it ends. What rose since the last checkpoint is kept apart (`take_risen`) so
the caller can make it durable before anyone is shown it.
"""

from __future__ import annotations

import operator
import re
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import compress, repeat

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.runtime.formats import ID_TOKEN_RULE

RULE = "SES-08"
_ID = r"[A-Za-z0-9._:-]{1,64}"
# One match over all of a batch's ids joined by newlines checks them all in C; the per-id loop
# below runs only to name the first bad one of a batch already refused.
_IDS = re.compile(rf"{_ID}(?:\n{_ID})*")
_ONE_ID = re.compile(_ID)


def generation(moment: datetime) -> int:
    """The whole second of `moment`: viewers last seen in the same second share a bucket."""
    return int(moment.timestamp())


def check_batch(joins: Sequence[str], heartbeats: Sequence[str], leaves: Sequence[str], *, max_batch: int) -> None:
    """SES-08: a message carries at most `max_batch` viewer ids, each 1-64 letters, digits or
    ._:- ; otherwise it is refused naming the first offending field."""
    size = len(joins) + len(heartbeats) + len(leaves)
    if size > max_batch:
        raise InvalidArgument([FieldViolation("joins", f"a message carries at most {max_batch} viewer ids (joins + heartbeats + leaves), not {size}", RULE)])
    for name, ids in (("joins", joins), ("heartbeats", heartbeats), ("leaves", leaves)):
        joined = "\n".join(ids)
        # The count of newlines too: an id holding a newline would otherwise pass as two ids.
        if ids and (_IDS.fullmatch(joined) is None or joined.count("\n") != len(ids) - 1):
            bad = next(i for i, viewer in enumerate(ids) if _ONE_ID.fullmatch(viewer) is None)
            raise InvalidArgument([FieldViolation(f"{name}[{bad}]", f"viewer id {ids[bad][:80]!r} {ID_TOKEN_RULE}", RULE)])


@dataclass(frozen=True)
class Applied:
    """What one message did."""

    joined: int = 0
    duplicate_joins: int = 0
    heartbeats: int = 0
    heartbeat_joins: int = 0
    left: int = 0
    unknown_leaves: int = 0


@dataclass(frozen=True)
class Counts:
    current: int
    peak: int
    peak_at: datetime | None


@dataclass(frozen=True)
class SessionCounts(Counts):
    live: bool
    unknown_leaves: int
    timed_out: int


@dataclass(eq=False)
class _Session:
    live: bool
    peak: int = 0
    peak_at: datetime | None = None
    seen: dict[str, int] = field(default_factory=dict)
    """Viewer id -> generation last seen: the viewers counted now."""
    buckets: dict[int, set[str]] = field(default_factory=dict)
    """Generation -> viewers seen in it (some since seen again: stale entries)."""
    unknown_leaves: int = 0
    timed_out: int = 0


class NotLive(Exception):
    """The session is not live (or not known to the counter): it takes no viewers."""


class Audience:
    """The counts of one platform (or of one shard of its sessions: docs/sessions.md)."""

    def __init__(self, *, timeout_seconds: int) -> None:
        self.timeout_seconds = timeout_seconds
        self._sessions: dict[uuid.UUID, _Session] = {}
        self._due: dict[int, set[uuid.UUID]] = {}
        """Generation -> sessions with a bucket of it, so a sweep visits only what may expire."""
        self.current = 0
        self.peak = 0
        self.peak_at: datetime | None = None
        self._risen: set[uuid.UUID] = set()
        self._platform_risen = False
        self.changed: set[uuid.UUID] = set()
        """Sessions whose counts changed since the caller last cleared this (pushes to watchers)."""

    # -- sessions the counter knows

    def knows(self, session_id: uuid.UUID) -> bool:
        return session_id in self._sessions

    def add_session(self, session_id: uuid.UUID, *, live: bool, peak: int = 0, peak_at: datetime | None = None) -> None:
        """A session as stored: whether it is live and its durable peak (the counts start empty)."""
        if session_id not in self._sessions:
            self._sessions[session_id] = _Session(live=live, peak=peak, peak_at=peak_at)

    def restore_platform_peak(self, peak: int, peak_at: datetime | None) -> None:
        if peak > self.peak:
            self.peak, self.peak_at = peak, peak_at

    def end(self, session_id: uuid.UUID) -> None:
        """SES-08: a session that ended or was stopped counts nobody; its peak stays as it was."""
        session = self._sessions.get(session_id)
        if session is None or not session.live:
            return
        self.current -= len(session.seen)
        session.live, session.seen, session.buckets = False, {}, {}
        self.changed.add(session_id)

    def forget(self, session_id: uuid.UUID) -> None:
        """Drops what the counter knows of a session that is not live (read again when needed)."""
        session = self._sessions.get(session_id)
        if session is not None and not session.live:
            del self._sessions[session_id]

    # -- batches

    def apply(
        self, session_id: uuid.UUID, *, joins: Sequence[str] = (), heartbeats: Sequence[str] = (), leaves: Sequence[str] = (),
        now: datetime,
    ) -> Applied:
        """SES-08: one message, already checked (`check_batch`): joins, then heartbeats, then leaves."""
        session = self._sessions.get(session_id)
        if session is None or not session.live:
            raise NotLive(str(session_id))
        seen, tick = session.seen, generation(now)
        before = len(seen)
        joined = duplicate_joins = heartbeat_joins = left = unknown_leaves = 0
        if joins or heartbeats:
            bucket = session.buckets.get(tick)
            if bucket is None:
                bucket = session.buckets[tick] = set()
                self._due.setdefault(tick, set()).add(session_id)
            # Counted by the dict's growth: one insert per id, no set built to compare against.
            if joins:
                counted = len(seen)
                seen.update(dict.fromkeys(joins, tick))
                joined = len(seen) - counted
                duplicate_joins = len(joins) - joined
                bucket.update(joins)
            if heartbeats:
                counted = len(seen)
                seen.update(dict.fromkeys(heartbeats, tick))
                heartbeat_joins = len(seen) - counted
                bucket.update(heartbeats)
        if leaves:
            counted = len(seen)
            deque(map(seen.pop, leaves, repeat(None)), maxlen=0)  # seen.pop(id, None) for each, in C
            left = counted - len(seen)
            unknown_leaves = len(leaves) - left
            session.unknown_leaves += unknown_leaves
        self._moved(session_id, session, len(seen) - before, now)
        return Applied(joined, duplicate_joins, len(heartbeats), heartbeat_joins, left, unknown_leaves)

    def sweep(self, now: datetime) -> int:
        """SES-08: removes viewers not heard from for longer than the timeout (seen in a second
        more than timeout_seconds before the current one); returns how many."""
        oldest_kept = generation(now) - self.timeout_seconds
        removed = 0
        for tick in sorted(t for t in self._due if t < oldest_kept):
            for session_id in self._due.pop(tick):
                session = self._sessions.get(session_id)
                if session is None or (entries := session.buckets.pop(tick, None)) is None:
                    continue
                ids = list(entries)
                # Still last seen in this bucket's generation: silent since. All in C (no frames).
                silent = list(compress(ids, map(operator.eq, map(session.seen.get, ids), repeat(tick))))
                if silent:
                    deque(map(session.seen.__delitem__, silent), maxlen=0)
                    session.timed_out += len(silent)
                    removed += len(silent)
                    self._moved(session_id, session, -len(silent), now)
        return removed

    def _moved(self, session_id: uuid.UUID, session: _Session, delta: int, now: datetime) -> None:
        if not delta:
            return
        self.current += delta
        self.changed.add(session_id)
        if len(session.seen) > session.peak:
            session.peak, session.peak_at = len(session.seen), now
            self._risen.add(session_id)
        if self.current > self.peak:
            self.peak, self.peak_at = self.current, now
            self._platform_risen = True

    # -- reading

    def session(self, session_id: uuid.UUID) -> SessionCounts:
        s = self._sessions[session_id]
        return SessionCounts(len(s.seen), s.peak, s.peak_at, s.live, s.unknown_leaves, s.timed_out)

    def timed_out(self, session_id: uuid.UUID) -> int:
        session = self._sessions.get(session_id)
        return session.timed_out if session else 0

    def platform(self) -> Counts:
        return Counts(self.current, self.peak, self.peak_at)

    def has_risen(self) -> bool:
        return bool(self._risen) or self._platform_risen

    def take_risen(self) -> tuple[list[tuple[uuid.UUID, int, datetime]], Counts | None]:
        """The peaks that rose since the last call (sessions', and the platform's if it did), for
        a checkpoint; `give_back` if it failed."""
        risen = [(s, self._sessions[s].peak, self._sessions[s].peak_at) for s in self._risen if s in self._sessions]
        platform = self.platform() if self._platform_risen else None
        self._risen, self._platform_risen = set(), False
        return [(s, p, at) for s, p, at in risen if at is not None], platform

    def give_back(self, sessions: Sequence[tuple[uuid.UUID, int, datetime]], platform: Counts | None) -> None:
        self._risen.update(s for s, _, _ in sessions)
        self._platform_risen = self._platform_risen or platform is not None
