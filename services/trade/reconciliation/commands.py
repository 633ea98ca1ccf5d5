"""Use cases of reconciliation (PLT-01), one transaction each: a session order by order, a
platform's period session by session, and the nightly run of the day before (active replica)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from livecommerce.runtime import requests
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PermissionDenied
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.merchant_tenancy import PLATFORM_ROLES
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from services.trade import tenancy
from services.trade.reconciliation import domain, events, schedule, store
from services.trade.rules_config import ReconciliationRules

_NIGHTS = Keyset(str, str)


@dataclass(frozen=True)
class Night:
    """One platform's nightly result."""

    day: str
    platform: str
    platform_reported: bool
    report: domain.PlatformReport


class Reconciliations:
    def __init__(self, runtime: Runtime, rules: ReconciliationRules) -> None:
        self._runtime, self._rules = runtime, rules

    async def session(
        self, caller: Caller, *, session_id: str, platform_count: int, platform_amount_fen: int,
        platform_orders: Sequence[tuple[str, int]], request_id: str,
    ) -> domain.Report:
        """PLT-01 for one session of the caller's platform; a retry of the request_id answers the
        first reconciliation (its report is the request's outcome)."""
        platform = tenancy.platform_of(caller, "reconciles its orders")
        requests.check_request_id(request_id)
        if not ID_TOKEN.match(session_id):
            raise InvalidArgument([FieldViolation("session_id", ID_TOKEN_RULE)])
        _not_negative(platform_count, platform_amount_fen)
        theirs = domain.platform_amounts(platform_orders)
        async with self._runtime.uow.transaction() as conn:
            if done := await requests.replayed(conn, request_id=request_id, method="ReconcileSession", caller=caller):
                return domain.Report.from_json(done)
            ours, differing = await store.session(conn, platform=platform, session_id=session_id, listed=theirs.items())
            report = domain.reconcile(
                docked_count=ours[0], docked_amount_fen=ours[1], differing=differing, platform_count=platform_count,
                platform_amount_fen=platform_amount_fen, listed=(len(theirs), sum(theirs.values())), at=self._runtime.clock.now(),
            )
            await requests.remember(conn, request_id=request_id, method="ReconcileSession", caller=caller, outcome=report.to_json())
        return report

    async def platform(
        self, caller: Caller, *, start: datetime | None, end: datetime | None, platform_count: int,
        platform_amount_fen: int, sessions: Sequence[tuple[str, int, int]], request_id: str,
    ) -> domain.PlatformReport:
        """PLT-01 for the caller's platform over [start, end), session by session; the figures are
        kept for the nightly run to compare again."""
        platform = tenancy.platform_of(caller, "reconciles its orders")
        requests.check_request_id(request_id)
        start, end = self._period(start, end)
        _not_negative(platform_count, platform_amount_fen)
        theirs = domain.session_figures(sessions)
        now = self._runtime.clock.now()
        async with self._runtime.uow.transaction() as conn:
            if done := await requests.replayed(conn, request_id=request_id, method="ReconcilePlatform", caller=caller):
                return domain.PlatformReport.from_json(done)
            ours = (await store.by_session(conn, start=start, end=end, platform=platform)).get(platform, {})
            report = domain.reconcile_platform(ours, theirs, platform_totals=(platform_count, platform_amount_fen), at=now)
            await store.keep_figures(
                conn, platform=platform, start=start, end=end, totals=(platform_count, platform_amount_fen),
                sessions=json.dumps(theirs), at=now,
            )
            await requests.remember(conn, request_id=request_id, method="ReconcilePlatform", caller=caller, outcome=report.to_json())
        return report

    def _period(self, start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
        if start is None or end is None:
            raise InvalidArgument([FieldViolation("period_start" if start is None else "period_end", "is required")])
        if end <= start:
            raise InvalidArgument([FieldViolation("period_end", "must be after period_start")])
        if end - start > timedelta(days=self._rules.max_period_days):
            raise InvalidArgument([FieldViolation("period_end", f"the period may cover at most {self._rules.max_period_days} days", rule=domain.RULE)])
        return start, end

    async def run_nightly(self) -> bool:
        """The active replica's timer: when the day before is due (Beijing calendar, from the
        configured hour) and not yet run, every platform's orders of that day against the figures
        it gave for exactly that day, recorded and published. True when it ran now."""
        now = self._runtime.clock.now()
        day = schedule.due_day(now, nightly_hour=self._rules.nightly_hour)
        async with self._runtime.pool.acquire() as conn:
            if await store.night_done(conn, day=day):
                return False  # the common case, every tick: no write transaction
        start, end = schedule.bounds(day)
        async with self._runtime.uow.transaction() as conn:
            if not await store.claim_night(conn, day=day, at=now):
                return False
            ours = await store.by_session(conn, start=start, end=end)
            given = await store.given_figures(conn, start=start, end=end)
            results = []
            for platform in sorted(ours.keys() | given.keys()):
                totals, sessions = given.get(platform, ((0, 0), "{}"))
                theirs = {s: (f[0], f[1]) for s, f in json.loads(sessions).items()}
                report = domain.reconcile_platform(ours.get(platform, {}), theirs, platform_totals=totals, at=now)
                reported = platform in given
                await store.record_night(
                    conn, day=day, platform=platform, exact=reported and report.exact, platform_reported=reported,
                    report=report.to_json(), at=now,
                )
                results.append((platform, reported, report))
            await events.completed(conn, self._runtime.events, day=day, results=results)
        return True

    async def nights(self, caller: Caller, *, token: str, size: int) -> tuple[list[Night], str]:
        """The nightly results a caller may read: a platform its own, the platform roles all."""
        if caller.role == tenancy.PLATFORM_ROLE:
            platform: str | None = tenancy.platform_of(caller, "reads its reconciliations")
        elif caller.role in PLATFORM_ROLES:
            platform = None
        else:
            raise PermissionDenied("only a trading platform or a platform role reads reconciliations")
        async with self._runtime.pool.acquire() as conn:
            return await _NIGHTS.page(
                token=token, size=size,
                fetch=lambda after, limit: _nights(conn, platform=platform, after=after, limit=limit),
                key=lambda night: (night.day, night.platform),
            )


async def _nights(conn, *, platform: str | None, after: tuple | None, limit: int) -> list[Night]:
    rows = await store.nights(conn, platform=platform, after=after, limit=limit)
    return [
        Night(r["day"].isoformat(), r["platform"], r["platform_reported"], domain.PlatformReport.from_json(r["report"]))
        for r in rows
    ]


def _not_negative(count: int, amount: int) -> None:
    if count < 0 or amount < 0:
        raise InvalidArgument([FieldViolation("order_count" if count < 0 else "amount_fen", "must not be negative")])
