"""What the benchmarks measure with: a percentile, and the rate of a closed loop of concurrent
callers (the latency side, a steady offered load, is bench/pacing.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Call = Callable[[], Awaitable[object]]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def qps(call: Call, *, concurrency: int, seconds: float) -> float:
    """Completed calls per second: `concurrency` callers, each starting its next call as soon as
    the last one returned, none starting one after `seconds`."""
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await call()
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.perf_counter() - started)
