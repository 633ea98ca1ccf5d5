"""A steady offered load for the benchmarks' latency figures: calls start on a fixed schedule,
each as its own task, so a slow call never delays the ones after it (no coordinated omission)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


async def paced(start: Callable[[int], Awaitable[object]], *, rate: float, count: int) -> float:
    """Runs start(0) .. start(count - 1), the n-th at n / rate seconds; returns the seconds until
    the last one finished."""
    started = time.perf_counter()
    tasks: list[asyncio.Future] = []
    for n in range(count):
        delay = started + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(start(n)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - started
