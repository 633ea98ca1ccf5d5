"""The one retry delay of the code base: exponential with full jitter, capped.

Every loop that waits before trying again (a supervised task, the outbox relay after a broker
error, a restarted replica under `./dev up`) takes its delays from a `Backoff`, so replicas that
failed together do not retry in lockstep and no loop invents its own doubling.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    initial: float = 0.1
    """First delay's ceiling, in seconds."""
    maximum: float = 5.0
    """No delay is longer than this."""
    multiplier: float = 2.0
    _ceiling: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        if not 0 < self.initial <= self.maximum or self.multiplier < 1:
            raise ValueError(f"bad backoff: {self!r}")
        self._ceiling = self.initial

    def next(self) -> float:
        """The next delay: uniform in [ceiling/2, ceiling] (half jitter keeps a floor), then the ceiling grows."""
        delay = random.uniform(self._ceiling / 2, self._ceiling)
        self._ceiling = min(self._ceiling * self.multiplier, self.maximum)
        return delay

    def reset(self) -> None:
        """After a success: the next failure starts from the first delay again."""
        self._ceiling = self.initial
