"""One retention mechanism with legal holds for every service (SES-07, TRD-02, PLT-02).

A service declares its record kinds (`kinds.RecordKind`, `kinds.kept`) in a
`RetentionDeclaration` on its `ServiceDefinition`; the runtime installs their policies at start-up
(`Retention.install`), runs the purge as an active-only timer and serves the package's
RetentionService (`api.RetentionApi`). The database refuses any DELETE the rules forbid
(runtime migration 0006). Operators' guide: docs/operations.md, "Retention and legal holds".
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING

from livecommerce.runtime.retention.kinds import SCOPES, RecordKind, kept
from livecommerce.runtime.retention.mechanism import Retention, RetentionDeclaration

if TYPE_CHECKING:
    from livecommerce.runtime.service import Runtime, ServiceParts

__all__ = ["SCOPES", "RecordKind", "Retention", "RetentionDeclaration", "kept", "retention_of", "with_retention"]


def retention_of(declaration: RetentionDeclaration, runtime: Runtime) -> Retention:
    settings = runtime.settings
    return Retention(
        declaration, uow=runtime.uow, pool=runtime.pool, clock=runtime.clock,
        minimums=settings.retention_minimums, batch_rows=settings.retention_batch_rows, replica=settings.replica_id,
    )


def with_retention(parts: ServiceParts, retention: Retention, every_seconds: float) -> ServiceParts:
    """The service's parts plus retention's: its RetentionService and the purge timer, which
    only the active replica runs (PLT-03)."""
    from livecommerce.runtime.retention.api import RetentionApi

    servicer = RetentionApi(retention)

    def register(server) -> None:
        parts.register(server)
        retention.declaration.add_servicer(servicer, server)

    async def purge_loop() -> None:
        # Waits first: a replica that just took over serves its callers before it purges, and
        # nothing is lost by purging a few minutes later.
        while True:
            await asyncio.sleep(every_seconds)
            await retention.purge_expired()

    return dataclasses.replace(parts, register=register, timers=[*parts.timers, ("retention purge", purge_loop)])
