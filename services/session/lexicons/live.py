"""The live lexicon version on this replica (SES-04): loaded from PostgreSQL, swapped in without a
restart on every replica, the standby too.

The database says which version is live (none: the seed shipped with the engine). `refresh` makes
that version the engine's: it builds a version it has not built yet off the event loop (a 10,000-term
version takes ~100-130 ms of CPU here, the seed ~3 ms) and publishes it to the engine, one atomic swap,
so checks in flight never pause. `follow` is the loop every replica runs: a core NATS subscription
to LexiconPublished wakes it at once, and it re-reads the live version every few seconds anyway,
so an event missed during a reconnect or an outage leaves no replica stale for longer than that.
The event is only a wake-up: each refresh reads the database, and refreshes run one at a time, so
a late event or poll can never swap an older version back in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import asyncpg
from nats.aio.client import Client

from services.session.lexicons import convert, store
from services.session.patrol import LexiconSpec, PatrolEngine

log = logging.getLogger(__name__)

REFRESH_SECONDS = 3.0
"""How often each replica re-reads the live version without being told (one index read)."""


class LiveLexicon:
    def __init__(self, pool: asyncpg.Pool, nats: Client, *, subject: str, engine: PatrolEngine, refresh_seconds: float) -> None:
        self._pool, self._nats, self._subject = pool, nats, subject
        self.engine = engine
        self.seed: LexiconSpec = engine.current.spec
        """Live while no version was ever published."""
        self._refresh_seconds = refresh_seconds
        self._swapping = asyncio.Lock()
        self._loaded = False

    async def ready(self) -> PatrolEngine:
        """The engine, with the database's live version loaded at least once (a check that arrives
        before the first refresh of `follow` must not be answered with the seed)."""
        if not self._loaded:
            await self.refresh()
        return self.engine

    async def refresh(self) -> str:
        """Makes the database's live version this engine's; returns its name."""
        async with self._swapping:
            row = None
            async with self._pool.acquire() as conn:
                version = await store.live_version(conn) or self.seed.version
                if version not in self.engine.versions():
                    row = await store.get(conn, version=version)
            if row is not None:
                started = time.perf_counter()
                await asyncio.to_thread(self.engine.propose, convert.spec(row.lexicon))
                log.info("lexicon %s built in %.0f ms", version, (time.perf_counter() - started) * 1000)
            if version != self.engine.current.version:
                previous = self.engine.publish(version)
                log.info("lexicon %s live on this replica (was %s)", version, previous.version)
            self._loaded = True
            return version

    async def follow(self) -> None:
        """Every replica's loop: refresh on each LexiconPublished and every few seconds."""
        wake = asyncio.Event()

        async def on_published(_message) -> None:
            wake.set()

        subscription = await self._nats.subscribe(self._subject, cb=on_published)
        try:
            while True:
                try:
                    await self.refresh()
                except Exception:  # the database is away: keep listening, try again at the next wake
                    log.warning("could not refresh the live lexicon; retrying", exc_info=True)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._refresh_seconds):
                        await wake.wait()
                wake.clear()
        finally:
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()
