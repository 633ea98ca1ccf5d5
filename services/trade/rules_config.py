"""The trade service's rules as configuration: the docking limits (TRD-01), the reconciliation
(PLT-01). Read once at start-up
from the TOML file named by RULES_FILE; `rules.toml` beside this module holds the defaults, and a
test keeps it equal to the code's."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

from livecommerce.runtime.rules_file import section

DEFAULTS_FILE = Path(__file__).with_name("rules.toml")


@dataclasses.dataclass(frozen=True)
class DockingRules:
    max_batch_orders: int = 1000
    """TRD-01: the most orders one batch may carry; a larger batch is refused whole."""
    max_amount_fen: int = 100_000_000
    """An amount above this (1,000,000 CNY) is absurd and the order refused."""
    max_quantity: int = 100_000
    """The most items one order may carry."""
    clock_skew_seconds: int = 300
    """How far ahead of our clock an order's moments may lie before they count as in the future."""


@dataclasses.dataclass(frozen=True)
class ReconciliationRules:
    nightly_hour: int = 3
    """PLT-01: the hour (Beijing time, 0-23) from which the active replica reconciles the day before."""
    max_period_days: int = 31
    """The longest period one ReconcilePlatform call may cover."""


@dataclasses.dataclass(frozen=True)
class ShippingRules:
    default_ship_within_hours: int = 48
    """TRD-03: the hours from payment a paid order ships within when its session promised none."""


@dataclasses.dataclass(frozen=True)
class ReturnRateRules:
    window_days: int = 30
    """TRD-06: the rolling window of completed orders and completed returns, in days."""
    threshold: float = 0.05
    """Above this share of returns (5%) a risk warning is raised."""
    min_orders: int = 20
    """Fewer completed orders in the window than this give no rate (one return of one order is not a risk)."""


@dataclasses.dataclass(frozen=True)
class TradeRules:
    docking: DockingRules = dataclasses.field(default_factory=DockingRules)
    reconciliation: ReconciliationRules = dataclasses.field(default_factory=ReconciliationRules)
    shipping: ShippingRules = dataclasses.field(default_factory=ShippingRules)
    return_rate: ReturnRateRules = dataclasses.field(default_factory=ReturnRateRules)


_SECTIONS: dict[str, type] = {
    "docking": DockingRules, "reconciliation": ReconciliationRules, "shipping": ShippingRules, "return_rate": ReturnRateRules,
}
_AT_LEAST_ONE = {
    "docking": ("max_batch_orders", "max_amount_fen", "max_quantity"),
    "reconciliation": ("max_period_days",),
    "shipping": ("default_ship_within_hours",),
    "return_rate": ("window_days", "min_orders"),
}


def parse(text: str) -> TradeRules:
    """Every section is optional; a missing key keeps its default; an unknown one is an error."""
    document = tomllib.loads(text)
    unknown = sorted(set(document) - set(_SECTIONS))
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(unknown)}")
    sections: dict[str, Any] = {name: section(cls, name, dict(document.get(name, {}))) for name, cls in _SECTIONS.items()}
    for name, keys in _AT_LEAST_ONE.items():
        for key in keys:
            if getattr(sections[name], key) < 1:
                raise ValueError(f"[{name}] {key} must be at least 1")
    if sections["docking"].clock_skew_seconds < 0:
        raise ValueError("[docking] clock_skew_seconds must not be negative")
    if not 0 < sections["return_rate"].threshold < 1:
        raise ValueError("[return_rate] threshold must be between 0 and 1")
    if not 0 <= sections["reconciliation"].nightly_hour <= 23:
        raise ValueError("[reconciliation] nightly_hour must be 0 to 23")
    return TradeRules(**sections)


def load(path: Path | None) -> TradeRules:
    """The rules in `path`, or the defaults when no file is configured."""
    return parse(path.read_text(encoding="utf-8")) if path else TradeRules()
