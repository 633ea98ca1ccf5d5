"""Active/standby (PLT-03): a lease in PostgreSQL decides which replica is active, and an epoch
fences the others.

Each replica tries every `renew` seconds to take or keep the lease; the holder's lease lasts
`ttl` seconds of database time. Taking over an expired lease raises the epoch. Every write
transaction ends by checking, under a share lock on the lease row, that its replica still holds
the lease with the epoch it started with (`fence`): a takeover waits for such transactions to
commit, and once it is done, a paused or partitioned ex-leader cannot commit anything. Every
transaction holding the lease row is bounded by one TTL of idleness (`session_limits` in
settings bounds all others), so a stalled leader cannot lock a standby out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import asyncpg

from livecommerce.runtime.errors import Unavailable

log = logging.getLogger(__name__)

_HOLD = """
INSERT INTO leadership AS l (singleton, holder, epoch, acquired_at, renewed_at, expires_at)
VALUES (true, $1, 1, now(), now(), now() + make_interval(secs => $2))
ON CONFLICT (singleton) DO UPDATE SET
    holder = EXCLUDED.holder,
    epoch = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now() THEN l.epoch ELSE l.epoch + 1 END,
    acquired_at = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now() THEN l.acquired_at ELSE now() END,
    renewed_at = now(),
    expires_at = EXCLUDED.expires_at
WHERE (l.holder = EXCLUDED.holder OR l.expires_at <= now())
  AND NOT (l.stepping_down IS NOT DISTINCT FROM EXCLUDED.holder AND l.stepping_down_until > now())
RETURNING epoch, acquired_at = renewed_at AS taken_now, acquired_at
"""

# The share lock on the lease row blocks a takeover until this transaction ends: should this
# process stall before its commit (SIGSTOP, a long pause), PostgreSQL ends the session within one
# TTL of idleness, so a standby is never locked out for longer than the lease itself would.
_FENCE = """
SELECT true FROM leadership, set_config('idle_in_transaction_session_timeout', $3, true)
WHERE holder = $1 AND epoch = $2 AND expires_at > now()
FOR SHARE OF leadership
"""


class NotLeader(Unavailable):
    """This replica is not (or no longer) the active one; the gateway retries on the active one."""


class Lease:
    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        replica_id: str,
        ttl_seconds: float = 2.0,
        renew_seconds: float = 0.4,
        on_change: Callable[[bool], Awaitable[None]] | None = None,
    ) -> None:
        self._pool, self.replica_id = pool, replica_id
        self._ttl, self._renew = ttl_seconds, renew_seconds
        self._ttl_ms = max(1, round(ttl_seconds * 1000))
        self._on_change = on_change
        self.epoch: int | None = None
        """The epoch this replica holds, or None while it is a standby."""
        self._proven_until = 0.0
        """Monotonic moment the lease last proven (from before that attempt began) runs out."""

    @property
    def active(self) -> bool:
        return self.epoch is not None

    async def try_hold(self) -> int | None:
        """One attempt to take or keep the lease; returns the epoch held, or None."""
        async with self._pool.acquire() as conn, conn.transaction():
            # A takeover waits behind in-flight fenced writes; never longer than a renew period.
            # Holding the row lock, this transaction, if its process stalls, ends within a TTL.
            await conn.execute(
                f"SET LOCAL lock_timeout = {round(self._renew * 1000)};"
                f" SET LOCAL idle_in_transaction_session_timeout = {self._ttl_ms}"
            )
            row = await conn.fetchrow(_HOLD, self.replica_id, self._ttl)
            if row and row["taken_now"]:
                await conn.execute(
                    "INSERT INTO leadership_history (epoch, holder, acquired_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    row["epoch"],
                    self.replica_id,
                    row["acquired_at"],
                )
        return row["epoch"] if row else None

    async def attempt(self) -> None:
        """One attempt to take or keep the lease, then act on the outcome (on_change).

        A renewal that fails (it waits behind fenced writes in flight for at most a renew period,
        or the database did not answer) keeps the lease while the one last proven has not run out:
        no standby can take it before then, and the fence still checks every write. Stepping
        down at the first slow renewal made a busy leader hand over under its own load."""
        started = time.monotonic()
        try:
            epoch = await self.try_hold()
        except (asyncpg.PostgresError, OSError) as error:
            if self.epoch is not None and time.monotonic() + self._renew < self._proven_until:
                log.warning("lease renewal failed, still held for %.2fs: %r", self._proven_until - time.monotonic(), error)
                return
            log.warning("lease renewal failed: %r", error)
            epoch = None  # cannot prove the lease: behave as a standby until we can
        if epoch is not None:
            self._proven_until = started + self._ttl
        await self._set(epoch)

    async def run(self) -> None:
        while True:
            await self.attempt()
            await asyncio.sleep(self._renew)

    async def _set(self, epoch: int | None) -> None:
        was_active, self.epoch = self.active, epoch
        if was_active != self.active:
            log.info("replica %s is now %s (epoch %s)", self.replica_id, "ACTIVE" if self.active else "standby", epoch)
            if self._on_change is not None:
                await self._on_change(self.active)

    async def release(self) -> None:
        """Planned hand-over: expire our lease now so a standby takes over at its next attempt."""
        if self.epoch is None:
            return
        async with self._pool.acquire() as conn:
            await conn.execute("UPDATE leadership SET expires_at = now() WHERE holder = $1", self.replica_id)
        await self._set(None)

    async def fence(self, conn: asyncpg.Connection) -> None:
        """Last statement of every write transaction: refuses the commit unless we still lead."""
        epoch = self.epoch
        try:
            held = epoch is not None and await conn.fetchval(_FENCE, self.replica_id, epoch, str(self._ttl_ms))
        except asyncpg.LockNotAvailableError as error:  # a takeover holds the lease row
            raise NotLeader(f"replica {self.replica_id} could not confirm its lease in time (PLT-03); retry") from error
        if not held:
            raise NotLeader(f"replica {self.replica_id} is not the active replica (PLT-03); retry on the active one")


async def request_switchover(conn: asyncpg.Connection, *, hold_off_seconds: float) -> str | None:
    """Planned switchover (SRE): the holder steps down and may not retake the lease for a while,
    so a standby takes it at its next attempt. Returns the replica that stepped down."""
    return await conn.fetchval(
        "UPDATE leadership SET expires_at = now(), stepping_down = holder,"
        " stepping_down_until = now() + make_interval(secs => $1) RETURNING stepping_down",
        hold_off_seconds,
    )


async def status(conn: asyncpg.Connection) -> dict | None:
    row = await conn.fetchrow(
        "SELECT holder, epoch, acquired_at, renewed_at, expires_at, expires_at > now() AS live,"
        " extract(epoch FROM now() - renewed_at) AS renewed_seconds_ago FROM leadership"
    )
    return dict(row) if row else None


async def history(conn: asyncpg.Connection, *, limit: int = 20) -> list[dict]:
    rows = await conn.fetch("SELECT epoch, holder, acquired_at FROM leadership_history ORDER BY epoch DESC LIMIT $1", limit)
    return [dict(r) for r in rows]
