"""TRD-06 on the anchor side: the trade service's ReturnRateExceeded is recorded in the anchor's
credit archive (its history names it, with the rate), once however often it is delivered; a
merchant's warning is not the anchor archive's business."""

from __future__ import annotations

from datetime import timedelta

from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import events_pb2 as trade_events
from tests.anchor.credit.test_api import anchor_subject, client, history, js, new_anchor, publish, settled  # noqa: F401


def warning(anchor_id: str, clock, warning_id: str = "w-1", kind: str = "anchor") -> trade_events.ReturnRateExceeded:
    return trade_events.ReturnRateExceeded(
        warning_id=warning_id, subject_kind=kind, subject_id=anchor_id, returns=2, orders=20, rate=0.1, threshold=0.05,
        window_days=30, at=stamp(clock.now() - timedelta(minutes=1)),
    )


async def test_TRD_06_the_trade_services_return_rate_warning_is_recorded_in_the_anchors_credit_archive_once(client, js, settings, clock):
    agency, officer = client("agency", "ag-1"), client("compliance_officer")
    anchor_id = await new_anchor(agency)
    event = warning(anchor_id, clock)
    event_id, _ = await publish(js, settings, "trade", "returnrate.exceeded", event)
    await publish(js, settings, "trade", "returnrate.exceeded", event, event_id)  # redelivered
    await publish(js, settings, "trade", "returnrate.exceeded", warning(anchor_id, clock, "w-m", kind="merchant"))
    _, seq = await publish(js, settings, "trade", "returnrate.exceeded", warning(anchor_id, clock, "w-1"))  # the same warning, a new envelope
    await settled(js, settings, "trade", seq)
    recorded = [c for c in await history(officer, anchor_subject(anchor_id)) if c.cause == "return_rate_warning"]
    assert len(recorded) == 1
    assert "TRD-06" in recorded[0].detail and "10.0%" in recorded[0].detail and "2 of 20" in recorded[0].detail
