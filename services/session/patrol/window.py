"""A window per speaker (issue 18, SES-04/05): terms and numbers split across consecutive chunks
of one speaker, and extreme words used frequently within a session.

A viewer can send "加微" and "信" as two danmaku, or a phone number in three; a speech-to-text
service cuts the anchor's sentences into segments anywhere. `SpeakerWindows` keeps, per session
and speaker, the last few chunks (at most `max_chunks`, `max_chars` characters and `max_seconds`
back, measured on the chunks' own timestamps, never a wall clock) and patrols them together,
joined by a space (a gap, so the number detectors may cut there, and filler to the automaton).
It reports only what spans two chunks or more: a hit inside one chunk is that chunk's own
result. Each such hit names the chunks it spans, with the offsets inside each.

Patrolling every window through the engine cost 3.5 times the engine, so a pre-filter decides
which windows can hold such a hit, in passes over the batch's columns at C speed, and only
those (rare) are patrolled whole, as before: the engine still decides what is reported. A hit
spanning into the newest chunk crosses its seam, the point between the speaker's earlier text
and the chunk:

- Terms and anchors: per chunk, the speaker's last SEAM folded characters (kept per speaker) are
  set beside the chunk's first SEAM (the engine's scan folded them: `check_scanned`), and the
  version's seam automaton (seams.py) runs over the batch's seams joined. A term across a seam
  sends the window on; a Latin term or romanised form matched whole, only if the engine's
  Latin word rule keeps it (`_latin_stands`).
- Numbers: a chunk starting with a digit after a tail ending with one, ten digits or more.
- Pattern families and handles read a window whole once an anchor or an original-text literal
  is anywhere in it: the scan marks chunks holding one (or an anchor across a seam does), and
  while a marked chunk is in its speaker's window the families, the handle detector and the
  original-text patterns run on the window, which goes on if one crosses the seam.
- Original-text patterns needing neither ("+" then "v" with spaces between, "v" then a heart, a
  short link's "/"): the characters at the joint (`_joint_cross`).

The state is plain dicts updated a batch at a time by `dict.update` over lazy maps, which read
each chunk's speaker as left by the chunk before it. A batch in which a speaker of its own could
be dropped in between, or that repeats a chunk held already, is added one chunk at a time.

`SessionCounts` counts, per session, the anchor's hits of grade c or d per term; from the
`repeat_at`-th on, the hit is escalated to b (CREDIT 8.2.3.6.5 b: 频繁使用极限词 calls for an
immediate correction).

Both are pure and single-threaded: the caller (one per session replica) owns an instance and
passes each chunk's session, speaker, id, timestamp and source. State is bounded: windows of
speakers silent for `max_seconds` are dropped, and at most `max_speakers` windows are kept;
both are applied after each batch (for `add`, each chunk), to the speakers least recently
heard first.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, compress, filterfalse, islice, repeat, tee
from operator import add, contains, getitem, itemgetter
from typing import Final

from livecommerce.text.normalise import SEPARATOR

from . import detectors, families
from .detectors import DIGITS
from .engine import PatrolEngine
from .matcher import Scanned
from .model import Chunk, ChunkResult, ChunkSpan, Grade, Hit, Source
from .seams import ANCHOR, LATIN, ROMANISED, SEAM, TERM

__all__ = ["ChunkSpan", "SessionCounts", "SpeakerWindows", "WindowHit"]

_STRIDE = 2 * SEAM + 1  # one seam and its separator in the joined seams
_PAD = SEPARATOR * SEAM  # the tail of a speaker not heard yet: nothing crosses it
_TAIL, _HEAD, _FIRST = slice(-SEAM, None), slice(0, SEAM), slice(0, 1)
_NUMBER_START = frozenset(DIGITS + "x")  # x: an ID number's check character

# A chunk as added: (session_id, speaker, chunk_id, text, source, at); held as given, no copy.
_Added = tuple[str, str, str, str, Source, float]
_Key = tuple[str, str, Source]
_ID: Final = 2
_TEXT: Final = 3
_SOURCE: Final = 4
_AT: Final = 5
_key = itemgetter(0, 1, _SOURCE)  # (session_id, speaker, source) of an added chunk
# The original-text patterns (families.RAW) across a joint, where no anchor or literal has to be:
# "+" then an app ("+ v"), "v" then a heart, a short link's "/" (u.nu, s.id). A chunk whose last
# character (or a space after it) may start one marks its speaker; `_joint_cross` reads the joint.
_JOINT_CHARS = "+＋➕vVｖＶ/／uUｕＵdDｄＤ"
_JOINT_OPENERS = frozenset("+＋➕vVｖＶ/／")
_JOINT_END = frozenset(_JOINT_CHARS) | {chr(c) for c in range(0x3001) if chr(c).isspace()}
_LAST = slice(-1, None)
_AFTER_PLUS = frozenset("vVwWqQｖＶｗＷｑＱ微威扣企")
_HEARTS = frozenset("❤♥💕💗💓💖💘")
_SHORT_LINK_END = re.compile(r"(?:u\.nu|s\.id)\s*$", re.IGNORECASE)


def _opens_joint(text: str) -> bool:
    """Whether an original-text pattern may go on from the end of a chunk into the next (ending in
    "+", "v", "/", or a short link's "u.nu" or "s.id", spaces after it aside)."""
    end = text.rstrip()[-12:]
    if not end:
        return False
    return end[-1] in _JOINT_OPENERS or _SHORT_LINK_END.search(end.translate(families.HALF_WIDTH)) is not None


def _joint_cross(window: tuple[_Added, ...]) -> bool:
    """Whether an original-text pattern without an anchor or a literal may cross the last joint."""
    before, after = " ".join([h[_TEXT] for h in window[:-1]]).rstrip(), window[-1][_TEXT].lstrip()
    if not before or not after:
        return False
    last, first = before[-1], after[0]
    return (
        (last in "+＋➕" and first in _AFTER_PLUS)
        or (last in "vVｖＶ" and first in _HEARTS)
        or (last in "/／" and first.isalnum())
        or (first in "/／" and _SHORT_LINK_END.search(before[-12:].translate(families.HALF_WIDTH)) is not None)
    )


@dataclass(frozen=True, slots=True)
class WindowHit:
    """A hit across chunks: `hit`'s offsets are in the joined window; `spans` name the chunks."""

    hit: Hit
    spans: tuple[ChunkSpan, ...]


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
        # Per (session, speaker, source), each a plain dict updated a batch at a time:
        # the last max_chunks chunks as added (the window is the part of them within the bounds),
        # the least recently heard speaker first
        self._recent: dict[_Key, tuple[_Added, ...]] = {}
        # the last SEAM folded characters the speaker said (padded)
        self._tails: dict[_Key, str] = {}
        # the speaker's last chunk holding an anchor or a literal: the windows holding it are read
        # whole by the families; and the last ending so an original-text pattern may cross a joint
        self._marks: dict[_Key, _Added] = {}
        self._joints: dict[_Key, _Added] = {}
        # session -> its windows' keys, so a session's end drops them without a scan of all
        self._sessions: dict[str, set[_Key]] = {}
        self._keep = slice(-(max_chunks - 1), None) if max_chunks > 1 else slice(0, 0)

    def __len__(self) -> int:
        return len(self._recent)

    def add(self, session_id: str, speaker: str, chunk_id: str, text: str, source: Source, at: float) -> list[WindowHit]:
        """SES-04: adds one chunk to its speaker's window; the hits that span it and earlier ones."""
        return self.add_many([(session_id, speaker, chunk_id, text, source, at)])[0]

    def add_many(self, chunks: Sequence[_Added], scanned: Scanned | None = None) -> list[list[WindowHit]]:
        """`add` for each (session_id, speaker, chunk_id, text, source, at) in order. `scanned` is
        what `PatrolEngine.check_scanned` of these chunks' texts gave besides the results (indexed
        as `chunks`); without it the engine scans the texts for it here."""
        if not chunks:
            return []
        if scanned is None:
            _, scanned = self._engine.check_scanned([c[_TEXT] for c in chunks], [c[_SOURCE] for c in chunks])
        recent = self._recent
        keys: list[_Key] = list(map(_key, chunks))
        fresh = list(filterfalse(recent.__contains__, dict.fromkeys(keys)))  # speakers new here
        # Rare batches are added one chunk at a time, as `add` would: a chunk held already (a retry,
        # answered alike and not held twice), and a batch in which a speaker of its own may be
        # dropped before a later chunk of theirs (silent for max_seconds by a newer chunk's time,
        # or the least recently heard with max_speakers held), so its window starts afresh then.
        if len(chunks) > 1 and (
            any(map(contains, map(recent.get, keys, repeat(())), chunks))
            or len(set(map(itemgetter(_ID), chunks))) < len(chunks)
            or self._drops_own(keys, chunks, len(fresh))
        ):
            return [self.add_many([c], scanned.part([i]))[0] for i, c in enumerate(chunks)]
        if len(chunks) == 1 and chunks[0] in recent.get(keys[0], ()):
            window = self._window(recent[keys[0]])
            if chunks[0] in window:
                recent[keys[0]] = recent.pop(keys[0])  # heard again: the most recent
                return [self._patrol([(0, window)], 1)[0] if window[-1] == chunks[0] and len(window) > 1 else []]
        return self._add(chunks, keys, fresh, scanned)

    def _add(self, chunks: Sequence[_Added], keys: list[_Key], fresh: list[_Key], scanned: Scanned) -> list[list[WindowHit]]:
        recent, tails, marks, joints = self._recent, self._tails, self._marks, self._joints
        folded, marked = scanned.folded, scanned.marked
        texts = list(map(itemgetter(_TEXT), chunks))
        ends = set(filter(lambda i: _opens_joint(texts[i]), compress(range(len(chunks)), map(_JOINT_END.__contains__, map(getitem, texts, repeat(_LAST))))))
        n = len(chunks)
        for key in fresh:
            self._sessions.setdefault(key[0], set()).add(key)
        # Each chunk's tail is its speaker's last characters before it (an earlier chunk of the
        # batch included: dict.update reads the lazy map one chunk at a time), then its own.
        before, after = tee(map(tails.get, keys, repeat(_PAD)))
        tails.update(zip(keys, map(getitem, map(add, before, map(getitem, folded, repeat(_TAIL))), repeat(_TAIL))))
        seams = SEPARATOR.join(map(str.ljust, map(add, after, map(getitem, folded, repeat(_HEAD))), repeat(2 * SEAM), repeat(SEPARATOR)))
        direct: set[int] = set()  # a term or a number across the seam: the exact path
        # A number split between two chunks: one starting with a digit (or an ID's x) after a tail
        # ending with one, the digits on both sides ten or more (or more than the tail shows).
        for j in compress(range(n), map(_NUMBER_START.__contains__, map(getitem, folded, repeat(_FIRST)))):
            tail = seams[j * _STRIDE : j * _STRIDE + SEAM]
            if tail[-1] in _NUMBER_START and tail[-1] != "x":
                trailing = SEAM - len(tail.rstrip(DIGITS))
                if trailing == SEAM or trailing + len(folded[j]) - len(folded[j].lstrip(DIGITS)) >= 10:
                    direct.add(j)
        latin: dict[int, list[tuple[int, int, bool]]] = {}  # a Latin word across it, if it stands
        anchored = set(marked)  # the window holds an anchor or a literal: families, handles
        lexicon = self._engine.current
        automaton, kinds = lexicon.seam_automaton, lexicon.seam_kinds
        for pattern, start, end in automaton.find_matches_as_indexes(seams, overlapping=True) if automaton else ():
            j, offset = divmod(start, _STRIDE)
            if offset < SEAM < end - j * _STRIDE:
                kind = kinds[pattern]
                if kind & ANCHOR:
                    anchored.add(j)
                if kind & LATIN:
                    latin.setdefault(j, []).append((SEAM - offset, end - j * _STRIDE - SEAM, bool(kind & ROMANISED)))
                elif kind & TERM:
                    direct.add(j)
        # An open joint (a chunk ending so an original-text pattern may go on in the next) matters
        # only to the speaker's next chunk that is not all spaces, and only if it starts so.
        crossing: dict[int, _Added] = {}  # chunk -> the joint it may complete
        if ends or joints:
            for i in compress(range(n), map((joints.keys() | {keys[j] for j in ends}).__contains__, keys)):
                key, chunk = keys[i], chunks[i]
                joint = joints.pop(key, None)
                if joint is not None and not texts[i].strip():
                    joints[key] = joint  # only spaces since: the joint is still open
                elif joint is not None and _joint_cross((joint, chunk)):
                    crossing[i] = joint
                if i in ends:
                    joints[key] = chunk
        pending: list[tuple[int, tuple[_Added, ...]]] = []
        if direct or latin or anchored or crossing or marks:
            hot = {keys[i] for i in (*direct, *latin, *anchored, *crossing)}.union(marks)
            batch: dict[_Key, tuple[_Added, ...]] = {}  # the hot speakers' chunks so far
            for i in compress(range(n), map(hot.__contains__, keys)):
                key, chunk = keys[i], chunks[i]
                held = batch.get(key) or recent.get(key, ())
                held = batch[key] = (*held[max(0, len(held) + 1 - self.max_chunks) :], chunk)
                mark, joint = marks.pop(key, None), crossing.get(i)
                if mark is None and joint is None and i not in direct and i not in latin and i not in anchored:
                    continue  # a hot speaker's chunk that needs nothing
                window = self._window(held)
                if i in anchored:
                    marks[key] = chunk  # the windows of the next chunks hold it too
                elif mark is not None and mark in window:
                    marks[key] = mark
                if len(window) < 2:
                    continue
                if (
                    i in direct
                    or (i in latin and self._latin_stands(window, latin[i]))
                    or ((i in anchored or (mark is not None and mark in window[:-1])) and self._families_cross(window, folded[i]))
                    or (joint is not None and joint in window[:-1] and _joint_cross(window))
                ):
                    pending.append((i, window))
        # Heard now: each chunk's speaker is taken out (pop) and put back at the end of the order
        # with the chunk added, one chunk at a time (dict.update reads the lazy maps so).
        held_before: Iterator[tuple[_Added, ...]] = map(recent.pop, keys, repeat(()))
        recent.update(zip(keys, map(add, map(getitem, held_before, repeat(self._keep)), zip(chunks))))
        self._evict(max(map(itemgetter(_AT), chunks)))
        return self._patrol(pending, n)

    def _drops_own(self, keys: list[_Key], chunks: Sequence[_Added], fresh: int) -> bool:
        """Whether adding the batch at once could change a window: a speaker of the batch dropped
        in between, by a chunk before theirs with a time over max_seconds after their last chunk
        while their own chunk is within it (times out of order: clocks that disagree), or as the
        least recently heard with max_speakers held. (A speaker dropped for silence whose own chunk
        is over max_seconds after their last has nothing left in the window either way.)"""
        times = list(map(itemgetter(_AT), chunks))
        if times != sorted(times):
            if max(times) - min(times) > self.max_seconds:
                return True
            peak = list(accumulate(times, max))
            first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))  # each speaker's first chunk here
            for key, i in first.items():
                held = self._recent.get(key)
                if held and i and peak[i - 1] - held[-1][_AT] > self.max_seconds >= times[i] - held[-1][_AT]:
                    return True
        over = len(self._recent) + fresh - self.max_speakers
        return over > 0 and not set(keys).isdisjoint(islice(self._recent, over))

    def _latin_stands(self, window: tuple[_Added, ...], found: list[tuple[int, int, bool]]) -> bool:
        """Whether a Latin term or romanised form found across the seam (`before` of its folded
        characters before it, `after` after) may be a hit: the engine's rule (matcher._in_context)
        drops one written together with a Latin letter before it, and a romanised one also with a
        letter or digit after it."""
        normaliser = self._engine.normaliser
        earlier, earlier_origins = normaliser.normalise_with_origins(window[-2][_TEXT])
        newest, newest_origins = normaliser.normalise_with_origins(window[-1][_TEXT])
        for before, after, is_romanised in found:
            k = len(earlier) - before  # the match's first character in the chunk before
            if k < 1:
                return True  # it starts further back: not judged here
            if earlier[k - 1].isascii() and earlier[k - 1].isalpha() and earlier_origins[k] - earlier_origins[k - 1] == 1:
                continue
            if is_romanised and after < len(newest) and newest[after].isascii() and newest[after].isalnum() and newest_origins[after] - newest_origins[after - 1] == 1:
                continue
            return True
        return False

    def _families_cross(self, window: tuple[_Added, ...], newest: str) -> bool:
        """Whether a pattern family, the handle detector or an original-text pattern matches
        across the newest chunk's seam in the window (as the engine reads a window holding an
        anchor or a literal whole). `newest` is the newest chunk folded."""
        normaliser = self._engine.normaliser
        texts = [h[_TEXT] for h in window]
        earlier = normaliser.normalise(" ".join(texts[:-1]))
        folded, seam = earlier + newest, len(earlier)
        original = " ".join(texts)
        joint = len(original) - len(texts[-1])
        return (
            any(s < seam < e for _, s, e in families.find_folded(folded))
            or any(s < seam < e for s, e in detectors.handles(folded))
            or any(s < joint - 1 and joint < e for _, s, e in families.find_raw_in(original))
        )

    def _window(self, held: Sequence[_Added]) -> tuple[_Added, ...]:
        """The window ending with held[-1]: the longest run of the chunks before it within the
        bounds (max_chunks, max_chars, max_seconds back from it, and no clock going back)."""
        newest = held[-1]
        oldest, later, chars = newest[_AT] - self.max_seconds, newest[_AT], len(newest[_TEXT])
        first = len(held) - 1
        while first > 0 and len(held) - first < self.max_chunks:
            earlier = held[first - 1]
            if earlier[_AT] > later or earlier[_AT] < oldest or chars + len(earlier[_TEXT]) > self.max_chars:
                break
            chars += len(earlier[_TEXT])
            later = earlier[_AT]
            first -= 1
        return tuple(held[first:])

    def _patrol(self, pending: list[tuple[int, tuple[_Added, ...]]], n: int) -> list[list[WindowHit]]:
        """The exact path: the pending windows patrolled whole, in one engine call."""
        found: list[list[WindowHit]] = [[] for _ in range(n)]
        if pending:
            joined = [" ".join([h[_TEXT] for h in window]) for _, window in pending]
            # Every window read with the original-text patterns: whether one was, in one engine call
            # for all windows, once hung on a literal in any of them.
            results = self._engine.check_columns(joined, [window[-1][_SOURCE] for _, window in pending], original_patterns=True)
            for (i, window), result in zip(pending, results, strict=True):
                if result.hits:  # most windows have none
                    found[i] = self._spanning(window, result)
        return found

    @staticmethod
    def _spanning(held: Sequence[_Added], result: ChunkResult) -> list[WindowHit]:
        """The hits of the joined window that span two chunks or more and end in the newest."""
        starts, offset = [], 0
        for h in held:
            starts.append(offset)
            offset += len(h[_TEXT]) + 1
        found = []
        for hit in result.hits:
            spans = tuple(
                ChunkSpan(h[_ID], max(hit.start, s) - s, min(hit.end, s + len(h[_TEXT])) - s)
                for h, s in zip(held, starts, strict=True)
                if hit.start < s + len(h[_TEXT]) and s < hit.end
            )
            if len(spans) >= 2 and spans[-1].chunk_id == held[-1][_ID]:
                found.append(WindowHit(hit, spans))  # new: it needs the chunk just added
        return found

    def end(self, session_id: str) -> None:
        """Forgets a session that ended: every window of its speakers."""
        for key in self._sessions.pop(session_id, ()):
            self._forget(key)

    def sessions(self) -> int:
        """Sessions with a window held."""
        return len(self._sessions)

    def _forget(self, key: _Key) -> None:
        self._recent.pop(key, None)
        self._tails.pop(key, None)
        self._marks.pop(key, None)
        self._joints.pop(key, None)

    def _drop(self, key: _Key) -> None:
        self._forget(key)
        keys = self._sessions.get(key[0])
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._sessions[key[0]]

    def _evict(self, now: float) -> None:
        recent = self._recent
        while len(recent) > self.max_speakers:
            self._drop(next(iter(recent)))
        # The least recently heard speakers come first: drop those silent for max_seconds.
        stale = []
        for key, held in recent.items():
            if now - held[-1][_AT] <= self.max_seconds:
                break
            stale.append(key)
        for key in stale:
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
