"""TRD-04 / TRD-05 / PRD-09, pure: opening rules, the 7-day window, the deadlines to the minute."""

from __future__ import annotations

from datetime import timedelta

import pytest

from livecommerce.runtime.errors import InvalidArgument, PreconditionFailed
from services.trade.aftersales.domain import (
    Kind,
    Opening,
    OrderFacts,
    Perishable,
    Reason,
    State,
    check_opening,
    check_resolution,
    check_response,
    deadlines,
    overdue,
)
from tests.trade.messages import NOW

RECEIVED = NOW - timedelta(days=1)
ORDER = OrderFacts("completed", 10_000, 0, RECEIVED)
NO_REASON = Opening(Kind.RETURN, Reason.NO_REASON, "不想要了", 10_000)
STRICT = Perishable(strict=True, claim_window_hours=48)


def refused(opening: Opening, order: OrderFacts = ORDER, *, now=NOW, perishable=None) -> tuple[str, str]:
    with pytest.raises(InvalidArgument) as error:
        check_opening(opening, order, perishable=perishable, now=now)
    [violation] = error.value.violations
    return violation.field, violation.rule


def test_TRD_04_a_no_reason_return_within_7_days_of_delivery_is_honoured_to_the_minute():
    assert check_opening(NO_REASON, ORDER, perishable=None, now=RECEIVED + timedelta(days=7) - timedelta(minutes=1)) is True
    assert refused(NO_REASON, now=RECEIVED + timedelta(days=7)) == ("reason", "TRD-04")


def test_TRD_04_other_requests_are_not_bound_by_the_window_nor_honoured():
    quality = Opening(Kind.RETURN, Reason.QUALITY, "破损", 10_000)
    assert check_opening(quality, ORDER, perishable=None, now=RECEIVED + timedelta(days=30)) is False


def test_TRD_04_a_refund_above_what_was_paid_and_not_yet_refunded_is_refused():
    assert refused(Opening(Kind.REFUND, Reason.OTHER, "少发", 10_001)) == ("refund_fen", "TRD-04")
    assert refused(Opening(Kind.REFUND, Reason.OTHER, "少发", 6_001), OrderFacts("refunded", 10_000, 4_000, RECEIVED)) == ("refund_fen", "TRD-04")
    assert check_opening(Opening(Kind.REFUND, Reason.OTHER, "少发", 6_000), OrderFacts("refunded", 10_000, 4_000, RECEIVED), perishable=None, now=NOW) is False


def test_TRD_04_returns_need_received_goods_and_a_paid_order():
    with pytest.raises(PreconditionFailed):
        check_opening(NO_REASON, OrderFacts("paid", 10_000, 0, None), perishable=None, now=NOW)
    with pytest.raises(PreconditionFailed):
        check_opening(Opening(Kind.REFUND, Reason.OTHER, "x", 1), OrderFacts("cancelled", 10_000, 0, None), perishable=None, now=NOW)
    assert refused(Opening(Kind.EXCHANGE, Reason.NO_REASON, "x", 0)) == ("reason", "TRD-04")


def test_PRD_09_a_strict_perishable_takes_no_no_reason_return_and_quality_claims_only_in_its_window():
    assert refused(NO_REASON, perishable=STRICT) == ("reason", "PRD-09")
    quality = Opening(Kind.RETURN, Reason.QUALITY, "变质", 10_000)
    assert check_opening(quality, ORDER, perishable=STRICT, now=RECEIVED + timedelta(hours=47, minutes=59)) is False
    assert refused(quality, perishable=STRICT, now=RECEIVED + timedelta(hours=48)) == ("reason", "PRD-09")
    assert check_opening(NO_REASON, ORDER, perishable=Perishable(strict=False, claim_window_hours=0), now=NOW) is True


def test_TRD_05_respond_within_24_h_and_resolve_within_72_h_to_the_minute():
    respond_by, resolve_by = deadlines(NOW)
    assert not overdue(respond_by, NOW + timedelta(hours=23, minutes=59))
    assert overdue(respond_by, NOW + timedelta(hours=24))
    assert not overdue(resolve_by, NOW + timedelta(hours=71, minutes=59))
    assert overdue(resolve_by, NOW + timedelta(hours=72))


def test_TRD_04_an_honoured_return_may_not_be_rejected_and_steps_go_forward_only():
    with pytest.raises(PreconditionFailed) as error:
        check_response(State.OPEN, accept=False, honoured=True)
    assert error.value.rule == "TRD-04"
    with pytest.raises(PreconditionFailed):
        check_resolution(State.RESPONDED, completed=False, honoured=True)
    assert check_response(State.OPEN, accept=False, honoured=False) == State.REJECTED
    assert check_resolution(State.RESPONDED, completed=True, honoured=True) == State.COMPLETED
    with pytest.raises(PreconditionFailed):
        check_response(State.RESPONDED, accept=True, honoured=False)
    with pytest.raises(PreconditionFailed):
        check_resolution(State.COMPLETED, completed=True, honoured=False)
