"""How a session ends, the one place for it: by its merchant (EndSession), by an emergency action
(SES-06), by a grade-a patrol hit (SES-05 a) or by a sanction reaching a live anchor (ANC-09).
Each writes the status, the room's change, the history entry and the events in the caller's
transaction; `SessionEnded` carries every violation of the session to the anchor's ladder (ANC-07).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

import asyncpg

from livecommerce.runtime.identity import Caller
from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import events_pb2
from livecommerce.session.v1 import session_pb2 as pb
from services.session import domain, events, hits, store
from services.session.convert import actor_dict, stop_dict, stop_pb
from services.session.domain import Status
from services.session.rooms import RoomLog
from services.session.store import SessionRow


def _unchanged(state: pb.RoomState) -> None:
    return None


class Lifecycle:
    def __init__(self, *, events_writer: EventWriter, rooms: RoomLog) -> None:
        self._events, self._rooms = events_writer, rooms

    async def change_room(self, conn: asyncpg.Connection, row: SessionRow, change: pb.RoomChange, edit=_unchanged) -> SessionRow:
        """One change of one room (see RoomLog.record)."""
        return (await self._rooms.record(conn, [(row, change, edit)]))[0]

    async def end(self, conn: asyncpg.Connection, row: SessionRow, *, by: Caller, at: datetime) -> SessionRow:
        domain.check_live(row.status, rule="SES-02", action="ending")
        await store.set_status(conn, session_id=row.session_id, status=Status.ENDED, ended_at=at)
        after = dataclasses.replace(row, status=Status.ENDED, ended_at=at)
        after = await self.change_room(conn, after, pb.RoomChange(kind=pb.ROOM_CHANGE_KIND_ENDED, at=stamp(at)))
        await store.HISTORY.append(conn, row.session_id, at=at, by=by, action="ended", changes=[("status", "live", "ended")])
        await self._ended_event(conn, after)
        return after

    async def stop(
        self, conn: asyncpg.Connection, row: SessionRow, *, rule_id: str, reason: str, by: Caller, at: datetime,
        extra: Sequence[events_pb2.SessionViolation] = (),
    ) -> SessionRow:
        """SES-05 a, SES-06: terminates a live stream, naming the rule, the reason and the operator;
        `extra` violations (a ban's) go to the ladder with the session's own."""
        domain.check_live(row.status, rule=rule_id, action="stopping the stream")
        stop = stop_dict(rule_id=rule_id, reason=reason, operator=actor_dict(by), at=at)
        await store.set_status(conn, session_id=row.session_id, status=Status.STOPPED, ended_at=at, stop=stop)
        after = dataclasses.replace(row, status=Status.STOPPED, ended_at=at, stop=stop)
        change = pb.RoomChange(kind=pb.ROOM_CHANGE_KIND_STOPPED, rule_id=rule_id, reason=reason, at=stamp(at))
        after = await self.change_room(conn, after, change)
        await store.HISTORY.append(
            conn, row.session_id, at=at, by=by, action="stopped", changes=[("status", "live", "stopped")], reason=f"{rule_id}: {reason}"
        )
        await events.stopped(conn, self._events, after, stop_pb(stop))
        await self._ended_event(conn, after, extra)
        return after

    async def _ended_event(
        self, conn: asyncpg.Connection, row: SessionRow, extra: Sequence[events_pb2.SessionViolation] = ()
    ) -> None:
        found = [
            events.violation(
                str(hit.violation_id), session_id=str(row.session_id), category=domain.violation_category(hit.category),
                severity=domain.SEVERITY_OF_GRADE[domain.Grade(hit.grade)],
                description=f"patrol hit {hit.term!r} ({hit.category}, grade {hit.grade}) in {hit.source}",
                evidence_key=f"hits/{hit.hit_id}", at=hit.at,
            )
            for hit in await hits.violations(conn, session_id=row.session_id)
        ]
        await events.ended(conn, self._events, row, [*found, *extra])


