"""A record's change history (PLT-02: who changed what and when), the same for every service.

Each service keeps one table per kind of record with the columns `seq, <key>, at, actor, action,
version, changes, reason` (see the anchor and product migrations); `ChangeHistory` names the table
and its key column once and appends and pages it in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.actors import actor_json, actor_pb
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.timestamps import stamp


@dataclass(frozen=True)
class HistoryRow:
    """One entry of a record's change history: who did what, when, to which fields."""

    seq: int
    at: datetime
    actor: dict
    action: str
    version: int
    changes: list[tuple[str, str, str]]
    """(field, old value, new value); personal values are stored masked."""
    reason: str


class ChangeHistory:
    def __init__(self, table: str, key: str) -> None:
        self._insert = (
            f"INSERT INTO {table} ({key}, at, actor, action, version, changes, reason)"
            " VALUES ($1, $2, $3::jsonb, $4, $5, $6::jsonb, $7)"
        )
        self._page = (
            f"SELECT seq, at, actor, action, version, changes, reason FROM {table}"
            f" WHERE {key} = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        )

    async def append(
        self,
        conn: asyncpg.Connection,
        key: object,
        *,
        at: datetime,
        by: Caller,
        action: str,
        version: int = 0,
        changes: Sequence[tuple[str, str, str]] = (),
        reason: str = "",
    ) -> None:
        changed = json.dumps([{"field": f, "old": o, "new": n} for f, o, n in changes], ensure_ascii=False)
        await conn.execute(self._insert, key, at, actor_json(by), action, version, changed, reason)

    async def page(self, conn: asyncpg.Connection, key: object, *, after_seq: int, limit: int) -> list[HistoryRow]:
        rows = await conn.fetch(self._page, key, after_seq, limit)
        return [
            HistoryRow(
                r["seq"], r["at"], json.loads(r["actor"]), r["action"], r["version"],
                [(c["field"], c["old"], c["new"]) for c in json.loads(r["changes"])], r["reason"],
            )
            for r in rows
        ]


def to_messages(rows: Sequence[HistoryRow], record: type, change: type) -> list:
    """History rows as a service's `ChangeRecord` messages (each package declares its own, with
    the same fields: sequence, at, actor, action, version, changes, reason)."""
    return [
        record(
            sequence=row.seq,
            at=stamp(row.at),
            actor=actor_pb(row.actor),
            action=row.action,
            version=row.version,
            changes=[change(field=f, old_value=old, new_value=new) for f, old, new in row.changes],
            reason=row.reason,
        )
        for row in rows
    ]
