"""The docking rules (TRD-01) and the reconciliation (PLT-01), pure: no database, no clock but NOW."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from livecommerce.runtime.errors import InvalidArgument
from services.trade import rules_config
from services.trade.domain import Order, Status, refusal, sort_out
from services.trade.reconciliation.domain import Kind, Report, platform_amounts, reconcile, reconcile_platform, session_figures
from tests.trade.messages import NOW

RULES = rules_config.DockingRules()


def order(n: int = 1, **changes) -> Order:
    valid = Order(
        external_order_id=f"tb-{n}", session_id="s-1", product_id="p-1", merchant_id="m-1", amount_fen=100, currency="CNY",
        quantity=1, status=Status.COMPLETED, placed_at=NOW - timedelta(hours=2), paid_at=NOW - timedelta(hours=2),
        completed_at=NOW - timedelta(hours=1),
    )
    return dataclasses.replace(valid, **changes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_fen": -1}, "amount_fen"),
        ({"amount_fen": RULES.max_amount_fen + 1}, "amount_fen"),
        ({"currency": "cny"}, "currency"),
        ({"quantity": RULES.max_quantity + 1}, "quantity"),
        ({"external_order_id": "has space"}, "external_order_id"),
        ({"session_id": "x" * 65}, "session_id"),
        ({"status": None}, "status"),
        ({"placed_at": None}, "placed_at"),
        ({"status": Status.PAID}, "completed_at"),
        ({"completed_at": None}, "completed_at"),
        ({"paid_at": NOW - timedelta(hours=3)}, "paid_at"),
        ({"completed_at": NOW - timedelta(hours=3)}, "completed_at"),
        ({"completed_at": NOW + timedelta(seconds=RULES.clock_skew_seconds + 1)}, "completed_at"),
    ],
)
def test_TRD_01_a_bad_order_is_refused_naming_its_field(changes, field):
    assert refusal(order(**changes), now=NOW, rules=RULES)[0] == field  # type: ignore[index]


@pytest.mark.parametrize(
    "changes",
    [
        {"amount_fen": 0},
        {"amount_fen": RULES.max_amount_fen},
        {"completed_at": NOW + timedelta(seconds=RULES.clock_skew_seconds)},
        {"status": Status.PLACED, "paid_at": None, "completed_at": None},
        {"status": Status.CANCELLED, "completed_at": None},
        {"session_id": "3f1c9a2e-6a52-4f7e-9d55-0b7c2a1e9f10"},
    ],
)
def test_TRD_01_near_misses_dock(changes):
    assert refusal(order(**changes), now=NOW, rules=RULES) is None


def test_TRD_01_a_batch_keeps_positions_and_refuses_a_repeated_id():
    valid, refused = sort_out([order(1), order(2, currency="USD"), order(1, amount_fen=5), order(3)], now=NOW, rules=RULES)
    assert [i for i, _ in valid] == [0, 3]
    assert [(r.index, r.field, r.rule) for r in refused] == [(1, "currency", "TRD-01"), (2, "external_order_id", "TRD-01")]


def test_TRD_01_a_batch_above_the_limit_is_refused_whole():
    small = dataclasses.replace(RULES, max_batch_orders=2)
    assert len(sort_out([order(1), order(2)], now=NOW, rules=small)[0]) == 2
    with pytest.raises(InvalidArgument) as error:
        sort_out([order(1), order(2), order(3)], now=NOW, rules=small)
    assert [(v.field, v.rule) for v in error.value.violations] == [("orders", "TRD-01")]


def test_the_rules_file_holds_the_codes_defaults():
    assert rules_config.parse(rules_config.DEFAULTS_FILE.read_text()) == rules_config.TradeRules()
    with pytest.raises(ValueError):
        rules_config.parse("[docking]\nmax_batch_orders = 0\n")
    with pytest.raises(ValueError):
        rules_config.parse("[docking]\nunknown = 1\n")


def test_PLT_01_identical_figures_reconcile_exactly():
    report = reconcile(docked_count=2, docked_amount_fen=350, differing=[], platform_count=2, platform_amount_fen=350, listed=(2, 350), at=NOW)
    assert report.exact and report.differences == ()


def test_PLT_01_every_differing_order_is_listed():
    differing = [("d", None, 7), ("b", 250, 200), ("c", 5, None)]
    report = reconcile(docked_count=3, docked_amount_fen=355, differing=differing, platform_count=3, platform_amount_fen=307, listed=(3, 307), at=NOW)
    assert not report.exact
    assert [(d.external_order_id, d.kind, d.docked_amount_fen, d.platform_amount_fen) for d in report.differences] == [
        ("b", Kind.AMOUNT_DIFFERS, 250, 200), ("c", Kind.MISSING_ON_PLATFORM, 5, 0), ("d", Kind.MISSING_HERE, 0, 7),
    ]
    assert (report.docked_count, report.docked_amount_fen, report.platform_totals_inconsistent) == (3, 355, False)


def test_PLT_01_totals_that_disagree_with_the_platforms_own_list_are_not_exact():
    report = reconcile(docked_count=1, docked_amount_fen=100, differing=[], platform_count=1, platform_amount_fen=101, listed=(1, 100), at=NOW)
    assert report.differences == () and report.platform_totals_inconsistent and not report.exact


def test_PLT_01_a_report_survives_its_stored_form():
    report = reconcile(docked_count=1, docked_amount_fen=1, differing=[("a", 1, None), ("b", None, 2)], platform_count=1, platform_amount_fen=2, listed=(1, 2), at=NOW)
    assert Report.from_json(report.to_json()) == report


def test_PLT_01_a_platform_reconciles_session_by_session():
    ours = {"s-1": (2, 300), "s-2": (1, 50), "s-3": (4, 400)}
    theirs = {"s-1": (2, 300), "s-2": (1, 60), "s-4": (1, 10)}
    report = reconcile_platform(ours, theirs, platform_totals=(4, 370), at=NOW)
    assert [(d.session_id, d.docked, d.platform) for d in report.differences] == [
        ("s-2", (1, 50), (1, 60)), ("s-3", (4, 400), (0, 0)), ("s-4", (0, 0), (1, 10)),
    ]
    assert (report.docked, report.platform, report.platform_totals_inconsistent, report.exact) == ((7, 750), (4, 370), False, False)
    assert reconcile_platform(ours, dict(ours), platform_totals=(7, 750), at=NOW).exact
    assert reconcile_platform(ours, dict(ours), platform_totals=(7, 751), at=NOW).platform_totals_inconsistent


def test_PLT_01_a_platforms_session_figures_name_each_session_once_and_are_not_negative():
    assert session_figures([("s-1", 1, 2)]) == {"s-1": (1, 2)}
    for bad in ([("s-1", 1, 2), ("s-1", 1, 2)], [("s-1", -1, 2)], [("s-1", 1, -2)], [("", 1, 2)]):
        with pytest.raises(InvalidArgument):
            session_figures(bad)


def test_PLT_01_the_platforms_list_names_each_order_once():
    with pytest.raises(InvalidArgument):
        platform_amounts([("a", 1), ("a", 1)])
    with pytest.raises(InvalidArgument):
        platform_amounts([("a", -1)])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": Status.REFUNDED, "refunded_fen": 101, "refunded_at": NOW}, "refunded_fen"),
        ({"status": Status.REFUNDED, "refunded_fen": 0, "refunded_at": NOW}, "refunded_fen"),
        ({"refunded_fen": -1}, "refunded_fen"),
        ({"refunded_fen": 50}, "refunded_fen"),
    ],
)
def test_TRD_04_a_refund_above_the_amount_paid_or_without_a_refund_status_is_refused(changes, field):
    assert refusal(order(**changes), now=NOW, rules=RULES)[0::2] == (field, "TRD-04")  # type: ignore[index]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": Status.SHIPPED, "completed_at": None}, "shipped_at"),
        ({"status": Status.PAID, "completed_at": None, "shipped_at": NOW - timedelta(hours=2)}, "shipped_at"),
        ({"status": Status.REFUNDED, "refunded_fen": 100}, "refunded_at"),
        ({"shipped_at": NOW + timedelta(hours=1), "completed_at": NOW + timedelta(hours=2)}, "shipped_at"),
        ({"status": Status.REFUNDED, "refunded_fen": 100, "refunded_at": NOW - timedelta(hours=3)}, "refunded_at"),
    ],
)
def test_TRD_01_shipping_and_refund_moments_are_checked(changes, field):
    assert refusal(order(**changes), now=NOW, rules=RULES)[0] == field  # type: ignore[index]


def test_TRD_04_a_full_refund_of_a_completed_order_docks():
    assert refusal(order(status=Status.REFUNDED, refunded_fen=100, refunded_at=NOW), now=NOW, rules=RULES) is None
