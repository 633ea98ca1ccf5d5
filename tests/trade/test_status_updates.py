"""TRD-01 / TRD-04 through the docking stream: a resent order whose status moved forward is an
update kept in the order's history; one whose status goes back, a refund above what was paid and
an order whose product belongs to another merchant are refused alone, naming field and rule, and
write nothing while the rest of the batch lands."""

from __future__ import annotations

import json
from datetime import timedelta

from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import trade_pb2 as pb
from tests.support import publish_event, wait_until_acknowledged
from tests.trade.messages import NOW, completed_published, dock, order


def paid(n: int) -> pb.DockedOrder:
    return order(n, status=pb.ORDER_STATUS_PAID, completed_at=None)


def shipped(n: int) -> pb.DockedOrder:
    return order(n, status=pb.ORDER_STATUS_SHIPPED, completed_at=None, shipped_at=stamp(NOW - timedelta(minutes=90)))


def completed(n: int) -> pb.DockedOrder:
    return order(n, shipped_at=stamp(NOW - timedelta(minutes=90)))


def refunded(n: int, fen: int) -> pb.DockedOrder:
    return order(
        n, shipped_at=stamp(NOW - timedelta(minutes=90)), status=pb.ORDER_STATUS_REFUNDED, refunded_fen=fen,
        refunded_at=stamp(NOW - timedelta(minutes=10)),
    )


async def completions(db) -> int:
    return len(await completed_published(db))


async def test_TRD_01_a_forward_status_move_is_an_update_kept_in_history(taobao, db):
    acks = await dock(taobao, [paid(1)], [shipped(1)], [completed(1)], [completed(1)])
    assert [(a.accepted, a.updated, a.duplicate, a.conflict) for a in acks] == [(1, 0, 0, 0), (0, 1, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0)]
    assert list(acks[1].updated_orders) == ["tb-1"]
    row = await db.fetchrow("SELECT order_id, status, shipped_at, completed_at FROM orders")
    assert (row["status"], row["shipped_at"], row["completed_at"]) == ("completed", NOW - timedelta(minutes=90), NOW - timedelta(hours=1))
    history = await db.fetch("SELECT action, changes FROM order_history WHERE order_id = $1 ORDER BY seq", row["order_id"])
    moves = [next(c for c in json.loads(h["changes"]) if c["field"] == "status") for h in history]
    assert [(m["old"], m["new"]) for m in moves] == [("paid", "shipped"), ("shipped", "completed")]
    assert await completions(db) == 1  # published when the update completed it, once


async def test_TRD_01_a_status_going_back_is_refused_for_that_order_alone(taobao, db):
    await dock(taobao, [completed(1)])
    before = [tuple(r) for r in await db.fetch("SELECT * FROM orders")]
    [ack] = await dock(taobao, [shipped(1), order(2)])
    assert (ack.accepted, ack.updated, ack.refused) == (1, 0, 1)
    [refusal] = ack.refusals
    assert (refusal.index, refusal.external_order_id, refusal.field, refusal.rule) == (0, "tb-1", "status", "TRD-01")
    assert [tuple(r) for r in await db.fetch("SELECT * FROM orders WHERE external_order_id = 'tb-1'")] == before
    assert await db.fetchval("SELECT count(*) FROM order_history") == 0


async def test_TRD_01_a_content_change_with_a_status_move_is_still_a_conflict(taobao, db):
    await dock(taobao, [paid(1)])
    changed = shipped(1)
    changed.amount_fen = 1
    [ack] = await dock(taobao, [changed])
    assert (ack.conflict, ack.updated, list(ack.conflicts)) == (1, 0, ["tb-1"])
    assert await db.fetchval("SELECT status FROM orders") == "paid"


async def test_TRD_04_a_refund_is_an_update_and_may_grow_but_never_shrink(taobao, db):
    acks = await dock(taobao, [completed(1)], [refunded(1, 4_000)], [refunded(1, 10_001)], [refunded(1, 5_000)])
    assert [(a.updated, a.refused) for a in acks[1:]] == [(1, 0), (1, 0), (0, 1)]
    assert (acks[3].refusals[0].field, acks[3].refusals[0].rule) == ("refunded_fen", "TRD-01")
    assert tuple(await db.fetchrow("SELECT status, refunded_fen FROM orders")) == ("refunded", 10_001)


async def test_TRD_04_a_refund_larger_than_what_was_paid_is_refused_and_the_rest_lands(taobao, db):
    await dock(taobao, [completed(1)])
    [ack] = await dock(taobao, [refunded(1, 10_002), order(2), refunded(3, 20_000)])
    assert (ack.accepted, ack.updated, ack.refused) == (1, 0, 2)
    assert [(r.index, r.field, r.rule) for r in ack.refusals] == [(0, "refunded_fen", "TRD-04"), (2, "refunded_fen", "TRD-04")]
    assert [tuple(r) for r in await db.fetch("SELECT external_order_id, status, refunded_fen FROM orders ORDER BY 1")] == [
        ("tb-1", "completed", 0), ("tb-2", "completed", 0),
    ]


async def test_TRD_01_an_order_whose_product_belongs_to_another_merchant_is_refused(taobao, trade_service, probe_js, settings, db):
    js, root = probe_js, settings.subject_root  # the probe publishes the product service's event
    await publish_event(js, root, "product", "product.approved", product_events.ProductApproved(
        listing=product_events.ProductListing(product_id="p-1", merchant_id="m-2")
    ))  # fmt: skip
    await wait_until_acknowledged(js, settings.stream_for("product"), "trade-from-product", seq=1)
    [ack] = await dock(taobao, [order(1), order(2, merchant_id="m-2"), order(3, product_id="p-unknown")])
    assert (ack.accepted, ack.refused) == (2, 1)
    [refusal] = ack.refusals
    assert (refusal.index, refusal.field, refusal.rule) == (0, "merchant_id", "TRD-01")
    assert "m-1" in refusal.description and "m-2" not in refusal.description  # the owner is another tenant's to know
    assert [r["external_order_id"] for r in await db.fetch("SELECT external_order_id FROM orders ORDER BY 1")] == ["tb-2", "tb-3"]
    assert await completions(db) == 2  # nothing of the refused order was written, not even its event
