"""The session core's side of `verdicts.VerdictSink` (SES-05): what a live room does with what the
patrol found, in one transaction per batch.

Every hit is kept for the post-session review; a grade-a hit outside viewers' messages counts as
a violation at once (SessionEnded carries it to the anchor's ladder). A viewer's comment or
danmaku graded "hide" is hidden (MESSAGE_HIDDEN, message id = chunk id); grades b and c ask the
room for a correction (CORRECTION_ASKED); a grade-a hit in the anchor's speech stops the stream
(rule SES-05), automatically or by an officer's StopStream as `rules.toml` says. A chunk already
acted on is skipped, so a retried batch changes nothing more (and is not refused once the stream
it stopped is over); a new chunk for a session that is not live refuses the batch.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from livecommerce.runtime.errors import NotFound, PreconditionFailed
from livecommerce.runtime.service import Runtime
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import session_pb2 as pb
from services.session import hits, store
from services.session.domain import Status
from services.session.hits import HitRow
from services.session.lifecycle import Lifecycle
from services.session.patrol import Grade, Source
from services.session.rules_config import PatrolRules
from services.session.store import SessionRow
from services.session.tenancy import system_actor
from services.session.verdicts import Verdict

VIEWER_SOURCES = (Source.USER_COMMENT, Source.DANMAKU)
PATROL = system_actor("patrol")


class SessionVerdicts:
    """A `VerdictSink` over the session core's store, room log and lifecycle."""

    def __init__(self, runtime: Runtime, lifecycle: Lifecycle, rules: PatrolRules) -> None:
        self._uow, self._clock, self._lifecycle, self._rules = runtime.uow, runtime.clock, lifecycle, rules
        self._service = runtime.settings.service
        self._hits = runtime.metrics.counter(
            "livecommerce_patrol_hits_total", "Patrol hits acted on (SES-05), by grade and lexicon category", ["grade", "category"]
        )

    async def act(self, verdicts: Sequence[Verdict]) -> None:
        named = [v for v in verdicts if v.session_id]
        if not named:
            return
        async with self._uow.transaction() as conn:
            rows = await self._sessions(conn, named)
            done = await hits.acted_on(conn, [(rows[v.session_id].session_id, v.chunk_id) for v in named])
            # A chunk acted on already is a retry: skipped, even once its session has stopped.
            todo = [v for v in named if (rows[v.session_id].session_id, v.chunk_id) not in done]
            for verdict in todo:
                row = rows[verdict.session_id]
                if row.status is not Status.LIVE:
                    raise PreconditionFailed(
                        "SES-05", f"chunk {verdict.chunk_id}", f"session {verdict.session_id} is {row.status}, not live", field="session_id"
                    )
            acted = []
            for verdict in todo:
                row = rows[verdict.session_id]
                if await hits.first_time(conn, session_id=row.session_id, chunk_id=verdict.chunk_id):
                    rows[verdict.session_id] = await self._act_on(conn, row, verdict)
                    acted.append(verdict)
        for verdict in acted:  # once committed: a retried batch is not counted twice
            for hit in verdict.result.hits:
                self._hits.labels(self._service, hit.grade.value, hit.category).inc()

    async def _sessions(self, conn: asyncpg.Connection, verdicts: Sequence[Verdict]) -> dict[str, SessionRow]:
        """Every named session, locked; an unknown one refuses the whole batch."""
        ids: dict[str, uuid.UUID | None] = {}
        for verdict in verdicts:
            try:
                ids[verdict.session_id] = uuid.UUID(verdict.session_id)
            except ValueError:
                ids[verdict.session_id] = None
        found = {str(r.session_id): r for r in await store.get_many(conn, session_ids=[i for i in ids.values() if i], for_update=True)}
        rows: dict[str, SessionRow] = {}
        for verdict in verdicts:
            parsed = ids[verdict.session_id]
            row = found.get(str(parsed)) if parsed else None
            if row is None:
                raise NotFound("session", verdict.session_id)
            rows[verdict.session_id] = row
        return rows

    async def _act_on(self, conn: asyncpg.Connection, row: SessionRow, verdict: Verdict) -> SessionRow:
        now, result = self._clock.now(), verdict.result
        await hits.add(conn, [
            HitRow(
                hit_id=uuid.uuid4(), session_id=row.session_id, chunk_id=verdict.chunk_id, hit_index=i, source=verdict.source.value,
                term=hit.term, category=hit.category, grade=hit.grade.value, lexicon_version=hit.lexicon_version, at=now,
                violation_id=uuid.uuid4() if hit.grade is Grade.A and verdict.source not in VIEWER_SOURCES else None,
            )
            for i, hit in enumerate(result.hits)
        ])  # fmt: skip
        if row.status is not Status.LIVE:  # stopped by an earlier chunk of this batch: the hits are kept
            return row
        hiding = [hit for hit in result.hits if hit.grade is Grade.HIDE]
        if hiding and verdict.source in VIEWER_SOURCES:
            # SES-04: a hit split over a viewer's messages hides each of them, the earlier ones too
            spanned = [span.chunk_id for hit in hiding for span in hit.spans]
            for message_id in dict.fromkeys([*spanned, verdict.chunk_id]):
                row = await self._hide(conn, row, message_id, now)
        asked = [hit for hit in result.hits if hit.grade in (Grade.B, Grade.C)]
        if asked:
            terms = ", ".join(f"{hit.term} ({hit.category}, grade {hit.grade}{_across(hit)})" for hit in asked)
            change = pb.RoomChange(
                kind=pb.ROOM_CHANGE_KIND_CORRECTION_ASKED, message_id=verdict.chunk_id, rule_id="SES-05", reason=terms, at=stamp(now)
            )
            row = await self._lifecycle.change_room(conn, row, change)
        stopping = [hit for hit in result.hits if hit.grade is Grade.A]
        if stopping and verdict.source is Source.ANCHOR_SPEECH and self._rules.stops_automatically:
            first = stopping[0]
            reason = f"grade-a patrol hit in the anchor's speech: {first.term} ({first.category})"
            row = await self._lifecycle.stop(conn, row, rule_id="SES-05", reason=reason, by=PATROL, at=now)
        return row

    async def _hide(self, conn: asyncpg.Connection, row: SessionRow, message_id: str, now) -> SessionRow:
        def hide(state: pb.RoomState) -> None:
            if message_id not in state.hidden_message_ids:
                state.hidden_message_ids.append(message_id)

        change = pb.RoomChange(kind=pb.ROOM_CHANGE_KIND_MESSAGE_HIDDEN, message_id=message_id, rule_id="SES-03", at=stamp(now))
        return await self._lifecycle.change_room(conn, row, change, hide)


def _across(hit) -> str:
    """A hit found across a speaker's chunks names them (SES-04)."""
    return f", across chunks {' + '.join(span.chunk_id for span in hit.spans)}" if hit.spans else ""
