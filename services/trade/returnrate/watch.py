"""TRD-06 as a step of a completed return: the merchant's and the anchor's rates over the window,
and a ReturnRateExceeded (`<root>.trade.returnrate.exceeded`) for each above the threshold that was
not warned within the window, in the return's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import asyncpg

from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import events_pb2
from services.trade.returnrate import domain, store
from services.trade.rules_config import ReturnRateRules


async def after_return(
    conn: asyncpg.Connection, events: EventWriter, rules: ReturnRateRules, *, merchant_id: str, anchor_id: str, at: datetime
) -> list[domain.Rate]:
    """The rates that were warned about now."""
    since = at - timedelta(days=rules.window_days)
    warned = []
    for kind, subject_id in (("merchant", merchant_id), ("anchor", anchor_id)):
        if not subject_id:
            continue  # an order of a session not known here has no anchor to count against
        rate = await store.rate(conn, subject_kind=kind, subject_id=subject_id, since=since)
        if not domain.exceeds(rate, threshold=rules.threshold, min_orders=rules.min_orders):
            continue
        if await store.warned_since(conn, subject_kind=kind, subject_id=subject_id, since=since):
            continue
        warning_id = uuid.uuid4()
        await store.warn(conn, warning_id=warning_id, rate=rate, at=at)
        await events.add(
            conn, noun="returnrate", verb="exceeded", subject_id=subject_id,
            payload=events_pb2.ReturnRateExceeded(
                warning_id=str(warning_id), subject_kind=kind, subject_id=subject_id, returns=rate.returns, orders=rate.orders,
                rate=rate.value, threshold=rules.threshold, window_days=rules.window_days, at=stamp(at),
            ),
        )  # fmt: skip
        warned.append(rate)
    return warned
