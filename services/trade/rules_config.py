"""The trade service's rules as configuration: the docking limits (TRD-01). Read once at start-up
from the TOML file named by RULES_FILE; `rules.toml` beside this module holds the defaults, and a
test keeps it equal to the code's."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

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
class TradeRules:
    docking: DockingRules = dataclasses.field(default_factory=DockingRules)


def parse(text: str) -> TradeRules:
    """Every section is optional; a missing key keeps its default; an unknown one is an error."""
    document = tomllib.loads(text)
    unknown = sorted(set(document) - {"docking"})
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(unknown)}")
    docking = section(DockingRules, "docking", dict(document.get("docking", {})))
    for name in ("max_batch_orders", "max_amount_fen", "max_quantity"):
        if getattr(docking, name) < 1:
            raise ValueError(f"[docking] {name} must be at least 1")
    if docking.clock_skew_seconds < 0:
        raise ValueError("[docking] clock_skew_seconds must not be negative")
    return TradeRules(docking=docking)


def load(path: Path | None) -> TradeRules:
    """The rules in `path`, or the defaults when no file is configured."""
    return parse(path.read_text(encoding="utf-8")) if path else TradeRules()
