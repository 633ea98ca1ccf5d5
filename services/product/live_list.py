"""The live prohibited-goods list, compiled once per version (PRD-06).

Every check asks the database which version is live (one indexed read, inside the caller's
transaction, so a publication is seen at once and a standby that takes over needs no warm-up)
and compiles a version only the first time it is seen: folding thousands of keywords per request
would cost more than the rest of the check.
"""

from __future__ import annotations

import asyncpg

from livecommerce.text.normalise import get_normaliser
from services.product import convert, list_store
from services.product.prohibited import CompiledList


class LiveList:
    def __init__(self) -> None:
        self._compiled: CompiledList | None = None

    async def current(self, conn: asyncpg.Connection) -> CompiledList | None:
        version = await list_store.live_version(conn)
        if version is None:
            return None
        return await self.compiled(conn, version)

    async def compiled(self, conn: asyncpg.Connection, version: str) -> CompiledList:
        if self._compiled is None or self._compiled.version != version:
            row = await list_store.get(conn, version=version)
            assert row is not None, f"prohibited list {version} vanished"
            self._compiled = CompiledList(convert.prohibited_list(row.list), get_normaliser())
        return self._compiled
