"""PLT-01, pure: the nightly reconciliation's day, on the Beijing calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.trade.reconciliation.schedule import bounds, due_day


def test_PLT_01_the_day_before_is_due_from_the_nightly_hour_in_beijing():
    # 2026-11-23 18:59 UTC is 02:59 on the 24th in Beijing: the 23rd is not due yet at hour 3.
    assert due_day(datetime(2026, 11, 23, 18, 59, tzinfo=UTC), nightly_hour=3) == date(2026, 11, 22)
    assert due_day(datetime(2026, 11, 23, 19, 0, tzinfo=UTC), nightly_hour=3) == date(2026, 11, 23)
    assert due_day(datetime(2026, 11, 23, 15, 59, tzinfo=UTC), nightly_hour=0) == date(2026, 11, 22)
    assert due_day(datetime(2026, 11, 23, 16, 0, tzinfo=UTC), nightly_hour=0) == date(2026, 11, 23)


def test_PLT_01_a_day_is_bounded_by_beijing_midnights():
    start, end = bounds(date(2026, 11, 23))
    assert (start, end) == (datetime(2026, 11, 22, 16, 0, tzinfo=UTC), datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
