"""Write requests take effect once: every write names a client-chosen `request_id`, and a retry
of it answers with the first outcome and changes nothing more.

The gateway retries a call once on UNAVAILABLE and clients retry on timeouts; the first attempt
may have committed before its answer was lost, so only the request id tells a retry from a new
write. A service's command calls `replayed` first in its transaction and `remember` after its
writes: the outcome row commits with the effects, or neither does. A transaction-scoped advisory
lock on the id makes a concurrent twin wait for the first attempt and then find its outcome.
"""

from __future__ import annotations

import asyncpg

from livecommerce.runtime.errors import AlreadyExists, FieldViolation, InvalidArgument
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE
from livecommerce.runtime.identity import Caller


def check_request_id(request_id: str) -> None:
    """Every write names its request (INVALID_ARGUMENT naming request_id otherwise)."""
    if not request_id:
        raise InvalidArgument(
            [FieldViolation("request_id", "is required: 1-64 letters, digits or ._:-, one per intended write, so a retry takes effect once")]
        )
    if not ID_TOKEN.match(request_id):
        raise InvalidArgument([FieldViolation("request_id", ID_TOKEN_RULE)])


async def replayed(conn: asyncpg.Connection, *, request_id: str, method: str, caller: Caller) -> str | None:
    """The outcome of this request if it already took effect, else None (and the id is held
    until the transaction ends). Another caller's or another method's request with the same id
    is refused: request ids are unique across the service, and a stranger's outcome is not ours
    to show (PLT-04)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", request_id)
    row = await conn.fetchrow("SELECT method, principal, outcome FROM request_outcomes WHERE request_id = $1", request_id)
    if row is None:
        return None
    if row["method"] != method or row["principal"] != _who(caller):
        raise AlreadyExists("request", "this request_id was used for another request; choose a new one")
    return row["outcome"]


async def remember(conn: asyncpg.Connection, *, request_id: str, method: str, caller: Caller, outcome: str) -> None:
    """Records what the request did, in its transaction."""
    await conn.execute(
        "INSERT INTO request_outcomes (request_id, method, principal, outcome) VALUES ($1, $2, $3, $4)",
        request_id, method, _who(caller), outcome,
    )


def _who(caller: Caller) -> str:
    """The whole identity, so one principal acting for two tenants never shares an outcome."""
    return f"{caller.principal}|{caller.role}|{caller.tenant}"
