"""The viewer counter as the active replica runs it (SES-08): the pure `Audience` behind the
sessions it may count, its clock, its checkpoints and its watchers.

`run` is an active duty: the replica that takes the lease starts with no viewers, the platform's
durable peak and, per session on first use, the session's status and durable peak; its current
counts come back from the edges' heartbeats within one heartbeat interval (docs/sessions.md,
"Failover"). Every tick it removes the viewers silent for too long, makes the peaks that rose
durable and pushes what changed to watchers. When it stops (the lease is lost) the counts go
with it: a standby answers UNAVAILABLE.

Peaks are shown only once durable: every reader (GetViewerCounts, a push, the end of a
ReportViewers stream) takes its figures first, then waits for a checkpoint that covers them
(`durable`; concurrent readers share one write), so a peak anyone saw survives a SIGKILL.

Which sessions are live comes from the session service's own table, read once per session and
again whenever its room changes (RoomFeed's listeners, called after the change commits), so a
session that ends stops counting at once, its peak frozen.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from livecommerce.runtime.errors import NotFound, PreconditionFailed, Unavailable
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.metrics import gauges
from livecommerce.runtime.service import Runtime
from services.session.audience import store
from services.session.audience.domain import RULE, Applied, Audience, Counts, NotLive, SessionCounts
from services.session.rules_config import AudienceRules
from services.session.tenancy import may_act_on

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Watcher:
    platform: bool
    latest: tuple[SessionCounts, Counts | None] | None = None
    woken: asyncio.Event = field(default_factory=asyncio.Event)
    ended: bool = False


class _ViewerGauges:
    """Platform-wide current and peak viewers at scrape time, from the active replica's counter
    (a standby counts nothing and exports nothing). No per-session label: sessions are unbounded."""

    def __init__(self, counter: Counter, service: str) -> None:
        self._counter, self._service = counter, service

    def collect(self):
        audience = self._counter._audience
        if audience is None:
            return []
        platform = audience.platform()
        return [
            gauges("livecommerce_viewers_current", "Concurrent viewers on the platform now (SES-08)", ["service"], [((self._service,), platform.current)]),
            gauges("livecommerce_viewers_peak", "Peak concurrent viewers on the platform (SES-08)", ["service"], [((self._service,), platform.peak)]),
        ]


class Counter:
    def __init__(self, runtime: Runtime, rules: AudienceRules) -> None:
        self._runtime, self.rules = runtime, rules
        self._audience: Audience | None = None
        self.exact_from: datetime | None = None
        self._merchants: dict[uuid.UUID, str] = {}
        self._pending: dict[uuid.UUID, asyncio.Future[None]] = {}
        self._flushing: asyncio.Task[None] | None = None
        self._watchers: dict[uuid.UUID, set[_Watcher]] = {}
        runtime.metrics.collect_with(_ViewerGauges(self, runtime.metrics.service))

    # -- the active duty

    async def run(self) -> None:
        audience = Audience(timeout_seconds=self.rules.timeout_seconds)
        async with self._runtime.pool.acquire() as conn:
            audience.restore_platform_peak(*await store.platform_peak(conn))
        self._audience, self._merchants, self._pending = audience, {}, {}
        self.exact_from = self._runtime.clock.now() + timedelta(seconds=self.rules.heartbeat_seconds)
        try:
            while True:
                await asyncio.sleep(self.rules.tick_seconds)
                await self.tick()
        finally:
            self._audience = None
            for watchers in self._watchers.values():
                for watcher in watchers:
                    watcher.ended = True
                    watcher.woken.set()

    async def tick(self) -> None:
        """One beat of the clock: the silent go, risen peaks become durable, watchers hear of changes."""
        audience = self.live()
        audience.sweep(self._runtime.clock.now())
        changed, audience.changed = audience.changed, set()
        watched = [s for s in changed if s in self._watchers]
        snapshots = {s: audience.session(s) for s in watched}
        platform = audience.platform()
        try:
            await self.durable()
        except Exception as error:  # never let a failed write end the loop: that would drop every count
            log.warning("viewer peaks: checkpoint failed, retrying at the next tick: %r", error)
            audience.changed |= changed
            return
        for session_id, counts in snapshots.items():
            for watcher in self._watchers.get(session_id, ()):
                watcher.latest = (counts, platform if watcher.platform else None)
                watcher.woken.set()

    def live(self) -> Audience:
        if self._audience is None:
            raise Unavailable("this replica is not the active one: viewers are counted on the active replica (PLT-03)")
        return self._audience

    # -- which sessions count

    async def ready(self, session_ids: Sequence[uuid.UUID]) -> Audience:
        """The counter, knowing each of `session_ids` that exists (read from the table if new)."""
        audience = self.live()
        missing = [s for s in session_ids if not audience.knows(s) and s not in self._pending]
        if missing:
            await self._read(audience, missing)
        while waits := [self._pending[s] for s in session_ids if s in self._pending]:
            await asyncio.gather(*(asyncio.shield(w) for w in waits))
        if self._audience is not audience:
            raise Unavailable("this replica stopped being the active one; report the viewers again to the active replica")
        return audience

    def _hold(self, session_ids: Sequence[uuid.UUID]) -> asyncio.Future[None]:
        """From now until the read is done, messages for these sessions wait (see `ready`)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        for s in session_ids:
            self._pending[s] = done
        return done

    async def _read(
        self, audience: Audience, session_ids: Sequence[uuid.UUID], *, again: bool = False, done: asyncio.Future[None] | None = None
    ) -> None:
        done = done or self._hold(session_ids)
        try:
            async with self._runtime.pool.acquire() as conn:
                rows = await store.sessions(conn, session_ids=session_ids)
            for row in rows:
                self._merchants[row.session_id] = row.merchant_id
                if again and not row.live:
                    audience.end(row.session_id)  # SES-08: ended or stopped counts nobody, peak frozen
                if again and row.live:
                    audience.forget(row.session_id)  # known as not yet live: now it is
                audience.add_session(row.session_id, live=row.live, peak=row.peak, peak_at=row.peak_at)
            done.set_result(None)
        except BaseException as error:
            done.set_exception(error if isinstance(error, Exception) else Unavailable("cancelled"))
            done.exception()  # retrieved: a reader that never waited must not log it as lost
            raise
        finally:
            for s in session_ids:
                if self._pending.get(s) is done:
                    del self._pending[s]

    def rooms_changed(self, session_ids: Sequence[uuid.UUID]) -> None:
        """RoomFeed listener, after a room change committed: read those sessions again (an end
        stops their counting); messages for them wait for the read."""
        audience = self._audience
        if audience is None:
            return
        known = [s for s in session_ids if audience.knows(s) or s in self._pending]
        if known:  # held at once, not when the task first runs: no message slips in between
            task = asyncio.ensure_future(self._read(audience, known, again=True, done=self._hold(known)))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

    def visible(self, audience: Audience, who: Caller, session_id: uuid.UUID) -> bool:
        return audience.knows(session_id) and may_act_on(who, self._merchants.get(session_id, ""))

    # -- counting

    def apply(self, audience: Audience, session_id: uuid.UUID, joins, heartbeats, leaves) -> Applied:
        try:
            return audience.apply(session_id, joins=joins, heartbeats=heartbeats, leaves=leaves, now=self._runtime.clock.now())
        except NotLive:
            known = audience.knows(session_id)
            described = "is not live (viewers count only while a session is live)" if known else "names no session"
            raise PreconditionFailed(RULE, f"session:{session_id}", f"session {session_id} {described}", field="session_id") from None

    async def durable(self) -> None:
        """Returns once every peak reached before the call is stored (one write for all waiting)."""
        audience = self.live()
        if self._flushing is not None:  # took its figures before this call: wait, then see
            await asyncio.shield(self._flushing)
        if self._flushing is not None:  # started since this call: covers it
            await asyncio.shield(self._flushing)
        elif audience.has_risen():
            self._flushing = asyncio.ensure_future(self._checkpoint(audience))
            await asyncio.shield(self._flushing)

    async def _checkpoint(self, audience: Audience) -> None:
        sessions, platform = audience.take_risen()
        try:
            async with self._runtime.uow.transaction() as conn:
                total = (platform.peak, platform.peak_at) if platform and platform.peak_at else None
                await store.raise_peaks(conn, sessions=sessions, platform=total)
        except BaseException:
            audience.give_back(sessions, platform)
            raise
        finally:
            self._flushing = None

    # -- watchers

    @contextlib.asynccontextmanager
    async def watch(self, who: Caller, session_id: uuid.UUID) -> AsyncIterator[Watch]:
        audience = await self.ready([session_id])
        if not self.visible(audience, who, session_id):
            raise NotFound("session", str(session_id))
        watcher = _Watcher(platform=who.role != "merchant")
        watcher.latest = (audience.session(session_id), audience.platform() if watcher.platform else None)
        await self.durable()
        watcher.woken.set()
        self._watchers.setdefault(session_id, set()).add(watcher)
        try:
            yield Watch(watcher)
        finally:
            watchers = self._watchers.get(session_id, set())
            watchers.discard(watcher)
            if not watchers:
                self._watchers.pop(session_id, None)


class Watch:
    def __init__(self, watcher: _Watcher) -> None:
        self._watcher = watcher

    async def next(self) -> tuple[SessionCounts, Counts | None]:
        """The latest counts not yet sent (a slow watcher skips to the newest: no backlog)."""
        while True:
            await self._watcher.woken.wait()
            self._watcher.woken.clear()
            if self._watcher.ended:
                raise Unavailable("this replica stopped being the active one: watch again on the active replica")
            if self._watcher.latest is not None:
                latest, self._watcher.latest = self._watcher.latest, None
                return latest
