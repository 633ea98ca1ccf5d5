"""Time as a dependency: services read `clock.now()`, tests inject a `ManualClock` (no sleeps for rules).

Calendar rules (ages, "today", "one month") are reckoned on the platform's calendar, Beijing
time, whatever zone the host runs in: `platform_date` and `PLATFORM_TZ` are the one place it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

PLATFORM_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
"""Beijing time (UTC+8, no daylight saving): the calendar of every day-based rule."""


def platform_date(moment: datetime) -> date:
    """The calendar date of `moment` in Beijing, e.g. 2025-03-01T17:00Z is already 03-02."""
    return moment.astimezone(PLATFORM_TZ).date()


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        self._now = moment
