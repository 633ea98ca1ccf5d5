"""TRD-01 / TRD-04, pure: what a resent order is against the docked one (progress.resent)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from services.trade.domain import Status
from services.trade.progress import Resent, backward_refusal, changes, resent
from tests.trade.messages import NOW
from tests.trade.test_domain import order

PAID = order(status=Status.PAID, completed_at=None)
SHIPPED = dataclasses.replace(PAID, status=Status.SHIPPED, shipped_at=NOW - timedelta(minutes=90))
COMPLETED = dataclasses.replace(SHIPPED, status=Status.COMPLETED, completed_at=NOW - timedelta(hours=1))
REFUNDED = dataclasses.replace(COMPLETED, status=Status.REFUNDED, refunded_fen=40, refunded_at=NOW - timedelta(minutes=30))
CANCELLED = dataclasses.replace(PAID, status=Status.CANCELLED)


@pytest.mark.parametrize(
    ("docked", "again"),
    [(PAID, SHIPPED), (SHIPPED, COMPLETED), (PAID, COMPLETED), (COMPLETED, REFUNDED), (PAID, CANCELLED),
     (REFUNDED, dataclasses.replace(REFUNDED, refunded_fen=100, refunded_at=NOW))],
)  # fmt: skip
def test_TRD_01_a_forward_status_move_is_an_update(docked, again):
    assert resent(docked, again) == Resent.UPDATED
    assert changes(docked, again)[0][0] in ("status", "refunded_fen")


@pytest.mark.parametrize(
    ("docked", "again", "field"),
    [(COMPLETED, SHIPPED, "status"), (SHIPPED, PAID, "status"), (CANCELLED, PAID, "status"), (SHIPPED, CANCELLED, "status"),
     (REFUNDED, COMPLETED, "status"), (REFUNDED, dataclasses.replace(REFUNDED, refunded_fen=10, refunded_at=NOW), "refunded_fen")],
)  # fmt: skip
def test_TRD_01_a_status_going_back_is_refused_with_the_rule(docked, again, field):
    assert resent(docked, again) == Resent.BACKWARD
    assert backward_refusal(docked, again)[0::2] == (field, "TRD-01")


def test_TRD_01_the_same_order_again_is_a_duplicate():
    assert resent(COMPLETED, COMPLETED) == Resent.DUPLICATE


@pytest.mark.parametrize(
    "again",
    [dataclasses.replace(COMPLETED, amount_fen=99), dataclasses.replace(COMPLETED, product_id="p-2"),
     dataclasses.replace(COMPLETED, placed_at=NOW - timedelta(hours=5)),
     dataclasses.replace(COMPLETED, completed_at=NOW - timedelta(minutes=50)),  # the same status told with another moment
     dataclasses.replace(REFUNDED, paid_at=NOW - timedelta(minutes=119))],  # a move that rewrites an earlier moment
)  # fmt: skip
def test_TRD_01_a_content_change_is_a_conflict_even_with_a_status_move(again):
    assert resent(COMPLETED, again) == Resent.CONFLICT
