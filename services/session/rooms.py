"""Rooms as viewer and merchant apps watch them (WatchRoom): every change is a stored row, and one
in-process feed wakes this replica's watchers after the row commits.

`RoomLog.record` runs in the change's transaction: the room's next state and the change go into
`room_updates` under the session's next sequence (gap-free from 1, the session row locked by the
caller) and onto the session row, so a watcher never sees a change that did not commit. After
the commit, the unit of work calls `RoomFeed.wake`; the feed's pump then reads the new rows of all
woken rooms in one query and hands each update to that room's subscribers, so a take-down on a
hundred rooms with a thousand watchers is one read, not a thousand. The pump is an active-duty
loop: on a standby (or once the lease is lost) there is no feed, WatchRoom answers UNAVAILABLE and
clients reconnect to the active replica with the last sequence they saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

import asyncpg

from livecommerce.runtime.errors import Unavailable
from livecommerce.runtime.unit_of_work import after_commit
from livecommerce.session.v1 import session_pb2 as pb
from services.session.convert import STATUS_PB, stop_pb
from services.session.store import SessionRow

log = logging.getLogger(__name__)

Edit = Callable[[pb.RoomState], None]
ENDING = (pb.ROOM_CHANGE_KIND_ENDED, pb.ROOM_CHANGE_KIND_STOPPED)
"""Room changes after which a session is over."""
CATCH_UP_LIMIT = 10_000
"""Updates a reconnecting watcher is sent from the log; further behind, it gets the state."""


class RoomLog:
    def __init__(self, feed: RoomFeed) -> None:
        self._feed = feed

    async def record(
        self, conn: asyncpg.Connection, changes: Sequence[tuple[SessionRow, pb.RoomChange, Edit]]
    ) -> list[SessionRow]:
        """Each (session row as it now stands, locked; what changed; how the state changes), in one
        round trip per table. The row's status and stop are copied into the state; the rows come
        back with their new state and sequence."""
        updates = []
        for row, change, edit in changes:
            state = pb.RoomState()
            state.CopyFrom(row.room)
            edit(state)
            state.status = STATUS_PB[row.status.value]
            if row.stop:
                state.stop.CopyFrom(stop_pb(row.stop))
            updates.append(pb.RoomUpdate(sequence=row.room_sequence + 1, state=state, change=change))
        await conn.executemany(
            "UPDATE sessions SET room = $2, room_sequence = $3 WHERE session_id = $1",
            [(row.session_id, u.state.SerializeToString(), u.sequence) for (row, _, _), u in zip(changes, updates, strict=True)],
        )
        await conn.executemany(
            "INSERT INTO room_updates (session_id, sequence, update) VALUES ($1, $2, $3)",
            [(row.session_id, u.sequence, u.SerializeToString()) for (row, _, _), u in zip(changes, updates, strict=True)],
        )
        session_ids = [row.session_id for row, _, _ in changes]
        ended = [row.session_id for row, change, _ in changes if change.kind in ENDING]
        after_commit(conn, lambda: self._feed.wake(session_ids, ended))
        return [
            dataclasses.replace(row, room=u.state, room_sequence=u.sequence) for (row, _, _), u in zip(changes, updates, strict=True)
        ]


@dataclass(eq=False)
class _Subscriber:
    queue: asyncio.Queue[pb.WatchRoomResponse | None] = field(default_factory=asyncio.Queue)


@dataclass(eq=False)
class _Room:
    subscribers: set[_Subscriber] = field(default_factory=set)
    known: int | None = None
    """The last sequence handed to subscribers; None until the first one has caught up."""


class RoomFeed:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._rooms: dict[uuid.UUID, _Room] = {}
        self._dirty: set[uuid.UUID] = set()
        self._woken = asyncio.Event()
        self._running = False
        self.listeners: list[Callable[[Sequence[uuid.UUID]], None]] = []
        """Called with the rooms of every committed change, watched or not (the viewer counter
        stops counting a session that ended); a listener must not raise."""
        self.ended_listeners: list[Callable[[Sequence[uuid.UUID]], None]] = []
        """Called with the sessions a committed change ended or stopped (the patrol drops their
        speaker windows); a listener must not raise."""

    def wake(self, session_ids: Sequence[uuid.UUID], ended: Sequence[uuid.UUID] = ()) -> None:
        """After a commit: the rooms' new rows are there to read (a room nobody watches is skipped)."""
        for listener in self.listeners:
            listener(session_ids)
        if ended:
            for ended_listener in self.ended_listeners:
                ended_listener(ended)
        watched = [s for s in session_ids if s in self._rooms]
        if watched:
            self._dirty.update(watched)
            self._woken.set()

    async def run(self) -> None:
        """The pump (an active duty): reads woken rooms' new rows and fans them out, until
        cancelled; then every watcher's stream ends so its client reconnects elsewhere."""
        self._running = True
        try:
            while True:
                await self._woken.wait()
                self._woken.clear()
                dirty, self._dirty = self._dirty, set()
                try:
                    await self._pump(dirty)
                except (asyncpg.PostgresError, OSError) as error:
                    log.warning("room feed: could not read updates, retrying: %r", error)
                    self._dirty |= dirty
                    self._woken.set()
                    await asyncio.sleep(0.1)
        finally:
            self._running = False
            for room in self._rooms.values():
                for subscriber in room.subscribers:
                    subscriber.queue.put_nowait(None)

    async def _pump(self, dirty: set[uuid.UUID]) -> None:
        ready = {s: room.known for s in dirty if (room := self._rooms.get(s)) is not None and room.known is not None}
        if not ready:
            return
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT u.session_id, u.sequence, u.update FROM room_updates u"
                " JOIN unnest($1::uuid[], $2::bigint[]) AS w(session_id, known)"
                " ON u.session_id = w.session_id AND u.sequence > w.known ORDER BY u.session_id, u.sequence",
                list(ready), list(ready.values()),
            )
        for row in rows:
            room = self._rooms.get(row["session_id"])
            if room is None or room.known is None or row["sequence"] <= room.known:
                continue
            # One response for every watcher of the room: a thousand watchers cost one decode
            # and one message, not a copy each.
            response = pb.WatchRoomResponse(update=pb.RoomUpdate.FromString(row["update"]))
            room.known = row["sequence"]
            for subscriber in room.subscribers:
                subscriber.queue.put_nowait(response)

    @contextlib.asynccontextmanager
    async def subscribe(self, session_id: uuid.UUID) -> AsyncIterator[Subscription]:
        if not self._running:
            raise Unavailable("this replica is not the active one: watch the room on the active replica")
        room = self._rooms.setdefault(session_id, _Room())
        subscriber = _Subscriber()
        room.subscribers.add(subscriber)
        try:
            yield Subscription(self, session_id, room, subscriber)
        finally:
            room.subscribers.discard(subscriber)
            if not room.subscribers and self._rooms.get(session_id) is room:
                del self._rooms[session_id]


class Subscription:
    """One watcher: registered before it reads the log, so nothing committed after its read is missed."""

    def __init__(self, feed: RoomFeed, session_id: uuid.UUID, room: _Room, subscriber: _Subscriber) -> None:
        self._feed, self._session_id, self._room, self._subscriber = feed, session_id, room, subscriber

    def caught_up(self, sequence: int) -> None:
        """The watcher has read the log up to `sequence`; the feed goes on from there."""
        if self._room.known is None:
            self._room.known = sequence
            self._feed.wake([self._session_id])  # anything committed while it read

    async def next(self) -> pb.WatchRoomResponse:
        """The next update, as the response every watcher of the room is sent (do not change it)."""
        response = await self._subscriber.queue.get()
        if response is None:
            raise Unavailable("this replica stopped being the active one: reconnect with the last sequence seen")
        return response


async def catch_up(conn: asyncpg.Connection, row: SessionRow, after_sequence: int) -> list[pb.RoomUpdate]:
    """What a watcher is sent first: the state as it stands (after_sequence 0, or one the log no
    longer reaches), or every stored update after the one it last saw."""
    current = pb.RoomUpdate(sequence=row.room_sequence, state=row.room)
    if after_sequence <= 0 or after_sequence > row.room_sequence:
        return [current]
    # Only up to the row's own sequence: an update committed after the row was read is not in this
    # snapshot's reckoning (it would read as a gap and resend the state the watcher has); the
    # subscription, registered before the read, delivers it.
    records = await conn.fetch(
        "SELECT sequence, update FROM room_updates WHERE session_id = $1 AND sequence > $2 AND sequence <= $3"
        " ORDER BY sequence LIMIT $4",
        row.session_id, after_sequence, row.room_sequence, CATCH_UP_LIMIT,
    )
    if records and (records[0]["sequence"] != after_sequence + 1 or records[-1]["sequence"] != row.room_sequence):
        return [current]
    return [pb.RoomUpdate.FromString(r["update"]) for r in records]

