"""A docking batch as columns (TRD-01), pure: read once from the request, so that a well-formed
batch is checked, staged and published without a Python object per order.

Docking must keep near the speed of a bare COPY, and a frozen `Order` per order with five
converted datetimes cost more than PostgreSQL's whole share of the work. So a batch is held as
lists, one per field, moments as whole microseconds since the epoch, and `certainly_valid`
checks every list at once with C-level passes (`min`, `max`, sets, one regular expression over
all ids). It only says yes when the exact, order-by-order rules of `domain` would refuse nothing;
any doubt sends the batch down that exact path, which names the field and rule of each refusal.
The allowed shapes of an order (which moments and refund its status requires or forbids) are not
written twice: `_SHAPES` is computed from `domain`'s own rules when this module loads.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.trade import domain
from services.trade.domain import CURRENCIES, Order, Status
from services.trade.rules_config import DockingRules

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# Moments the fast path takes as they are: 2000-01-01 to 2100-01-01 (any other goes the exact way).
_SANE = (946_684_800_000_000, 4_102_444_800_000_000)
# Every id of a batch in one match: ID_TOKEN's alphabet, one id per line.
_IDS = re.compile(r"[A-Za-z0-9._:-]{1,64}(?:\n[A-Za-z0-9._:-]{1,64})*")
_NONE = itertools.repeat(None)
MOMENTS = ("placed_at", "paid_at", "shipped_at", "completed_at", "refunded_at")


def micros(moment: datetime | None) -> int | None:
    """An aware datetime as whole microseconds since the epoch (exact, unlike a float)."""
    return None if moment is None else (moment - EPOCH) // _MICROSECOND


def moment(us: int | None) -> datetime | None:
    return None if us is None else EPOCH + timedelta(microseconds=us)


@dataclass(frozen=True, slots=True)
class OrderColumns:
    """Orders as columns: the i-th entry of every list is one order; moments in microseconds."""

    external_order_ids: list[str]
    session_ids: list[str]
    product_ids: list[str]
    merchant_ids: list[str]
    amount_fen: list[int]
    currencies: list[str]
    quantities: list[int]
    statuses: list[Status | None]
    placed_at: list[int | None]
    paid_at: list[int | None]
    shipped_at: list[int | None]
    completed_at: list[int | None]
    refunded_fen: list[int]
    refunded_at: list[int | None]

    def __len__(self) -> int:
        return len(self.external_order_ids)

    @classmethod
    def of(cls, orders: Sequence[Order]) -> OrderColumns:
        """The columns of `Order` objects (what the exact path has after sorting a batch out)."""
        return cls(
            [o.external_order_id for o in orders], [o.session_id for o in orders], [o.product_id for o in orders],
            [o.merchant_id for o in orders], [o.amount_fen for o in orders], [o.currency for o in orders],
            [o.quantity for o in orders], [o.status for o in orders], [micros(o.placed_at) for o in orders],
            [micros(o.paid_at) for o in orders], [micros(o.shipped_at) for o in orders],
            [micros(o.completed_at) for o in orders], [o.refunded_fen for o in orders], [micros(o.refunded_at) for o in orders],
        )  # fmt: skip

    def order(self, i: int) -> Order:
        """The i-th order as an object (for the few a resend compares with what was docked)."""
        return Order(
            external_order_id=self.external_order_ids[i], session_id=self.session_ids[i], product_id=self.product_ids[i],
            merchant_id=self.merchant_ids[i], amount_fen=self.amount_fen[i], currency=self.currencies[i],
            quantity=self.quantities[i], status=self.statuses[i], placed_at=moment(self.placed_at[i]),
            paid_at=moment(self.paid_at[i]), completed_at=moment(self.completed_at[i]), shipped_at=moment(self.shipped_at[i]),
            refunded_fen=self.refunded_fen[i], refunded_at=moment(self.refunded_at[i]),
        )  # fmt: skip

    def rows(self) -> Iterator[tuple]:
        """(index, external id, session, product, merchant, amount, currency, quantity, status,
        placed, paid, completed, shipped, refunded fen, refunded at) per order, for the staging COPY."""
        return zip(
            itertools.count(), self.external_order_ids, self.session_ids, self.product_ids, self.merchant_ids,
            self.amount_fen, self.currencies, self.quantities, self.statuses, self.placed_at, self.paid_at,
            self.completed_at, self.shipped_at, self.refunded_fen, self.refunded_at,
        )  # fmt: skip


@dataclass(frozen=True)
class Batch:
    """A batch as it arrived: its columns, and the orders as objects for the exact path (built
    only if it is taken, from the request itself, so both paths read the same request)."""

    columns: OrderColumns
    orders: Callable[[], list[Order]]

    def __len__(self) -> int:
        return len(self.columns)


def certainly_valid(c: OrderColumns, *, now: datetime, rules: DockingRules) -> bool:
    """True only when `domain.sort_out` would dock every order of the batch (no refusal, no id
    twice); False says nothing but "take the exact path"."""
    n = len(c)
    if n == 0:
        return False
    moments = (c.placed_at, c.paid_at, c.shipped_at, c.completed_at, c.refunded_at)
    present = [m for m in itertools.chain.from_iterable(moments) if m is not None]
    latest = micros(now + timedelta(seconds=rules.clock_skew_seconds))
    assert latest is not None
    ids = "\n".join(itertools.chain(c.external_order_ids, c.session_ids, c.product_ids, c.merchant_ids))
    return (
        _IDS.fullmatch(ids) is not None
        and ids.count("\n") == 4 * n - 1  # no id holds a line break of its own (and so two ids)
        and len(set(c.external_order_ids)) == n
        and min(c.amount_fen) >= 0
        and max(c.amount_fen) <= rules.max_amount_fen
        and set(c.currencies) <= CURRENCIES
        and min(c.quantities) >= 1
        and max(c.quantities) <= rules.max_quantity
        and min(c.refunded_fen) >= 0
        and all(map(operator.le, c.refunded_fen, c.amount_fen))
        and all(map(_SHAPES.__contains__, zip(c.statuses, *(map(operator.is_not, m, _NONE) for m in moments), map(bool, c.refunded_fen))))
        and bool(present)
        and _SANE[0] <= min(present)
        and max(present) <= min(latest, _SANE[1])
        and all(map(_in_order, *moments))
    )


def _in_order(*moments: int | None) -> bool:
    """Placed, paid, shipped, completed, refunded: each given moment no earlier than the one before."""
    previous = 0
    for m in moments:
        if m is not None:
            if m < previous:
                return False
            previous = m
    return True


def _shapes() -> frozenset[tuple]:
    """(status, placed?, paid?, shipped?, completed?, refunded at?, refund?) the exact rules accept,
    found by asking `domain` about each combination at a moment order that is valid."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    accepted = set()
    for status in Status:
        for given in itertools.product((False, True), repeat=6):
            *moments_given, refund = given
            moments = {name: at + timedelta(minutes=i) if g else None for i, (name, g) in enumerate(zip(MOMENTS, moments_given, strict=True))}
            order = Order(
                external_order_id="x", session_id="s", product_id="p", merchant_id="m", amount_fen=100, currency="CNY",
                quantity=1, status=status, refunded_fen=50 if refund else 0, **moments,
            )  # fmt: skip
            if domain.refund_refusal(order) is None and domain.missing_moment(order) is None:
                accepted.add((status, *given))
    return frozenset(accepted)


_SHAPES = _shapes()
