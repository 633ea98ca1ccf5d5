"""PLT-01, pure: which day the nightly reconciliation is due for, on the platform's calendar
(Beijing time), and the moments that bound a day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from livecommerce.runtime.clock import PLATFORM_TZ, platform_date


def due_day(now: datetime, *, nightly_hour: int) -> date:
    """The latest day whose run is due at `now`: yesterday from `nightly_hour` on (late orders of
    the evening have docked by then), the day before yesterday until then."""
    today = platform_date(now)
    started = now.astimezone(PLATFORM_TZ).hour >= nightly_hour
    return today - timedelta(days=1 if started else 2)


def bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of `day` in Beijing, as aware moments."""
    start = datetime.combine(day, time(0), tzinfo=PLATFORM_TZ)
    return start, start + timedelta(days=1)
