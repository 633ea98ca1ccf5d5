"""What the anchor service consumes (architecture.md, Events): the session service's events
(`discipline/events.py`) and the complaint and trade services' (`credit/events.py`), through the
shared intake (livecommerce/runtime/intake.py)."""

from __future__ import annotations

from livecommerce.runtime.intake import Intake

CONSUMED = ("session", "complaint", "trade")


def intake(*handler_tables) -> Intake:
    return Intake("anchor", CONSUMED, *handler_tables)
