"""TRD-01's fast path, pure: a batch read as columns is docked without the order-by-order rules
only when those rules would refuse nothing. Every order of a broad corpus (each rule broken,
near-misses that must dock, each status with its moments) is tried alone and inside a batch of
valid ones, against `domain.sort_out` as the oracle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from google.protobuf import timestamp_pb2

from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import trade_pb2 as pb
from services.trade import convert, domain, rules_config
from services.trade.batch import OrderColumns, certainly_valid, micros, moment
from tests.trade.messages import NOW, order

RULES = rules_config.DockingRules()
H = timedelta(hours=1)


def at(delta: timedelta) -> timestamp_pb2.Timestamp:
    value = stamp(NOW + delta)
    assert value is not None
    return value


# (name, changes to a valid completed order, docks?)
CORPUS = [
    ("completed", {}, True),
    ("completed and shipped", {"shipped_at": at(-1.5 * H)}, True),
    ("placed", {"status": pb.ORDER_STATUS_PLACED, "paid_at": None, "completed_at": None}, True),
    ("paid", {"status": pb.ORDER_STATUS_PAID, "completed_at": None}, True),
    ("shipped", {"status": pb.ORDER_STATUS_SHIPPED, "shipped_at": at(-1.5 * H), "completed_at": None}, True),
    ("refunded", {"status": pb.ORDER_STATUS_REFUNDED, "refunded_fen": 5, "refunded_at": at(-0.5 * H)}, True),
    ("cancelled", {"status": pb.ORDER_STATUS_CANCELLED, "paid_at": None, "completed_at": None}, True),
    ("cancelled after paying", {"status": pb.ORDER_STATUS_CANCELLED, "completed_at": None}, True),
    ("amount 0", {"amount_fen": 0}, True),
    ("amount at the limit", {"amount_fen": RULES.max_amount_fen}, True),
    ("quantity at the limit", {"quantity": RULES.max_quantity}, True),
    ("id of 64", {"external_order_id": "x" * 64}, True),
    ("id of ._:-", {"external_order_id": "a.b_c:d-e"}, True),
    ("completed within the clock skew", {"completed_at": at(timedelta(seconds=RULES.clock_skew_seconds))}, True),
    ("all moments equal", {"placed_at": at(-H), "paid_at": at(-H), "completed_at": at(-H)}, True),
    ("amount above the limit", {"amount_fen": RULES.max_amount_fen + 1}, False),
    ("negative amount", {"amount_fen": -1}, False),
    ("USD", {"currency": "USD"}, False),
    ("cny", {"currency": "cny"}, False),
    ("no currency", {"currency": ""}, False),
    ("quantity 0", {"quantity": 0}, False),
    ("quantity above the limit", {"quantity": RULES.max_quantity + 1}, False),
    ("no status", {"status": pb.ORDER_STATUS_UNSPECIFIED}, False),
    ("unknown status", {"status": 99}, False),
    ("no id", {"external_order_id": ""}, False),
    ("id of 65", {"external_order_id": "x" * 65}, False),
    ("id with a space", {"external_order_id": "tb 1"}, False),
    ("id with a newline", {"external_order_id": "tb\n1"}, False),
    ("id in Chinese", {"external_order_id": "订单1"}, False),
    ("session with a slash", {"session_id": "s/1"}, False),
    ("no product", {"product_id": ""}, False),
    ("merchant with a space", {"merchant_id": "m 1"}, False),
    ("no placement", {"placed_at": None}, False),
    ("completed without completion", {"completed_at": None}, False),
    ("completed without payment", {"paid_at": None}, False),
    ("paid with a completion", {"status": pb.ORDER_STATUS_PAID}, False),
    ("shipped without shipping", {"status": pb.ORDER_STATUS_SHIPPED, "completed_at": None}, False),
    ("placed but shipped", {"status": pb.ORDER_STATUS_PLACED, "paid_at": None, "completed_at": None, "shipped_at": at(-H)}, False),
    ("refunded without amount", {"status": pb.ORDER_STATUS_REFUNDED, "refunded_at": at(-0.5 * H)}, False),
    ("refunded without moment", {"status": pb.ORDER_STATUS_REFUNDED, "refunded_fen": 5}, False),
    ("refund on a completed order", {"refunded_fen": 5}, False),
    ("refund above the amount", {"status": pb.ORDER_STATUS_REFUNDED, "refunded_fen": 20_000, "refunded_at": at(-0.5 * H)}, False),
    ("negative refund", {"status": pb.ORDER_STATUS_REFUNDED, "refunded_fen": -1, "refunded_at": at(-0.5 * H)}, False),
    ("completed in the future", {"completed_at": at(timedelta(seconds=RULES.clock_skew_seconds + 1))}, False),
    ("paid before placed", {"paid_at": at(-3 * H)}, False),
    ("completed before paid", {"completed_at": at(-2.5 * H), "paid_at": at(-2 * H), "placed_at": at(-3 * H)}, False),
    ("shipped after completion", {"shipped_at": at(-0.5 * H)}, False),
    ("refunded before completion", {"status": pb.ORDER_STATUS_REFUNDED, "refunded_fen": 5, "refunded_at": at(-1.5 * H)}, False),
]


def batch_of(*orders: pb.DockedOrder):
    return convert.batch(list(orders))


def exact(orders) -> bool:
    """The oracle: the order-by-order rules dock every order of the batch."""
    valid, refused = domain.sort_out(orders, now=NOW, rules=RULES)
    return not refused and len(valid) == len(orders)


@pytest.mark.parametrize(("changes", "docks"), [(c, d) for _, c, d in CORPUS], ids=[n for n, _, _ in CORPUS])
def test_TRD_01_the_fast_path_is_taken_only_when_the_exact_rules_refuse_nothing(changes, docks):
    alone = batch_of(order(1, **changes))
    assert exact(alone.orders()) is docks  # the corpus says what the exact rules say
    assert certainly_valid(alone.columns, now=NOW, rules=RULES) is docks
    among = batch_of(order(1), order(2, **{**changes, "external_order_id": changes.get("external_order_id", "tb-2")}), order(3))
    assert certainly_valid(among.columns, now=NOW, rules=RULES) is exact(among.orders())


def test_TRD_01_an_id_twice_in_a_batch_takes_the_exact_path():
    twice = batch_of(order(1), order(2), order(1))
    assert not certainly_valid(twice.columns, now=NOW, rules=RULES) and not exact(twice.orders())


def test_TRD_01_odd_timestamps_take_the_exact_path():
    for odd in (timestamp_pb2.Timestamp(seconds=0), timestamp_pb2.Timestamp(seconds=10**11), timestamp_pb2.Timestamp(seconds=1, nanos=-5)):
        assert not certainly_valid(batch_of(order(1, placed_at=odd)).columns, now=NOW, rules=RULES)


def test_TRD_01_columns_read_the_same_moments_as_the_exact_path():
    sub_microsecond = timestamp_pb2.Timestamp(seconds=at(-H).seconds, nanos=123_456_789)
    b = batch_of(order(1, completed_at=sub_microsecond, shipped_at=at(-1.5 * H)))
    [o] = b.orders()
    again = OrderColumns.of([o])
    assert again == b.columns and b.columns.order(0) == o
    assert moment(micros(o.completed_at)) == o.completed_at and o.completed_at.microsecond == 123_456
