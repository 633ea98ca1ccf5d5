"""TRD-06, pure: whether a subject's return rate over the window warrants a warning."""

from __future__ import annotations

from dataclasses import dataclass

RULE = "TRD-06"


@dataclass(frozen=True)
class Rate:
    subject_kind: str
    """"merchant" or "anchor"."""
    subject_id: str
    returns: int
    orders: int

    @property
    def value(self) -> float:
        return self.returns / self.orders if self.orders else 0.0


def exceeds(rate: Rate, *, threshold: float, min_orders: int) -> bool:
    """Above (not at) the threshold, once the window holds enough orders for a rate to mean something."""
    return rate.orders >= min_orders and rate.value > threshold
