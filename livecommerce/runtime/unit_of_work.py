"""The one write transaction of a service (style habit 3): "what happens at commit" is read here.

Every write, from an RPC or from an event consumer's batch, goes through `UnitOfWork.transaction()`.
Its last statement before commit is the leadership lease's fence (PLT-03), so a replica that lost
the lease commits nothing; after a commit that wrote outbox rows it wakes the outbox relay of this
process, so the event is published at once instead of at the relay's next idle poll, and runs the
callbacks registered with `after_commit` (a savepoint rolled back keeps its callbacks: they must
only wake readers of committed rows, never carry what was written). It is built
once at start-up, after the lease and the relay exist, and never changed afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

import asyncpg

Fence = Callable[[asyncpg.Connection], Awaitable[None]]


@dataclass
class _Open:
    conn: asyncpg.Connection
    wrote_outbox: bool = False
    after_commit: list[Callable[[], None]] = field(default_factory=list)


# The transactions open in this task (innermost last): the outbox marks its own, so no registry
# of connections outlives a transaction.
_open: ContextVar[tuple[_Open, ...]] = ContextVar("livecommerce_unit_of_work", default=())


def outbox_written(conn: asyncpg.Connection) -> None:
    """Called by the outbox writer: the unit of work on `conn` wakes the relay after it commits."""
    for opened in _open.get():
        if opened.conn is conn:
            opened.wrote_outbox = True


def after_commit(conn: asyncpg.Connection, callback: Callable[[], None]) -> None:
    """Runs `callback` once the unit of work on `conn` has committed (never if it rolls back), e.g.
    to wake what reads the committed rows; a callback must not raise. Outside a unit of work, an
    error: nothing would ever call it."""
    for opened in _open.get():
        if opened.conn is conn:
            opened.after_commit.append(callback)
            return
    raise RuntimeError("after_commit outside a unit of work transaction")


class UnitOfWork:
    def __init__(self, pool: asyncpg.Pool, *, fence: Fence | None, wake_relay: Callable[[], None]) -> None:
        """`fence` is the lease's; None only where no lease exists (a test, a benchmark)."""
        self.pool = pool
        self._fence = fence
        self._wake_relay = wake_relay

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled transaction: fenced as its last statement; wakes the relay if it wrote events."""
        async with self.pool.acquire() as conn:
            opened = _Open(conn)
            token = _open.set((*_open.get(), opened))
            try:
                async with conn.transaction():
                    yield conn
                    if self._fence is not None:
                        await self._fence(conn)
            finally:
                _open.reset(token)
        if opened.wrote_outbox:
            self._wake_relay()
        for callback in opened.after_commit:
            callback()
