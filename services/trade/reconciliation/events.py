"""The nightly run's result as an event: ReconciliationCompleted on
`<root>.trade.reconciliation.completed`, one per platform and day, in the run's transaction."""

from __future__ import annotations

from datetime import date

import asyncpg

from livecommerce.runtime.outbox import EventWriter
from livecommerce.trade.v1 import events_pb2
from services.trade.reconciliation.domain import PlatformReport


async def completed(
    conn: asyncpg.Connection, events: EventWriter, *, day: date, results: list[tuple[str, bool, PlatformReport]]
) -> None:
    """`results`: (platform, whether it gave its figures, report)."""
    await events.add_many(conn, noun="reconciliation", verb="completed", events=[
        (
            events_pb2.ReconciliationCompleted(
                day=day.isoformat(), platform=platform, exact=reported and report.exact, platform_reported=reported,
                docked_order_count=report.docked[0], docked_amount_fen=report.docked[1],
                platform_order_count=report.platform[0], platform_amount_fen=report.platform[1],
                differing_sessions=[d.session_id for d in report.differences],
            ),
            f"{platform}:{day.isoformat()}",
        )
        for platform, reported, report in results
    ])  # fmt: skip
