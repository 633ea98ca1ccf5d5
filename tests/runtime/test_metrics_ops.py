"""The ops port's own behaviour (issue 17), over a real socket: scrape-time queries are bounded
(one that hangs costs a scrape its timeout, not its answer), concurrent scrapes share one round of
queries, and /readyz says what `ready()` says."""

from __future__ import annotations

import asyncio

from livecommerce.runtime.metrics import Metrics
from livecommerce.runtime.metrics_http import start_ops_server
from tests.metrics_support import get, scrape


async def test_a_hanging_query_fails_its_refresh_not_the_scrape():
    metrics = Metrics("probe", refresh_timeout=0.05)
    rounds = metrics.gauge("livecommerce_probe_rounds", "refresh rounds")
    done = 0

    async def counts() -> None:
        nonlocal done
        done += 1
        rounds.labels("probe").set(done)

    async def hangs() -> None:
        await asyncio.Event().wait()

    metrics.on_scrape("counts", counts)
    metrics.on_scrape("hangs", hangs)
    ops = await start_ops_server(metrics, ready=lambda: True, host="127.0.0.1", port=0)
    try:
        first, second = await scrape(ops.port), await scrape(ops.port)
    finally:
        await ops.stop()
    assert first.value("livecommerce_probe_rounds", service="probe") == 1
    assert first.value("livecommerce_metrics_refresh_failures_total", service="probe", what="hangs") == 1
    assert first.value("livecommerce_metrics_refresh_failures_total", service="probe", what="counts") == 0  # exported from the start
    assert second.value("livecommerce_probe_rounds", service="probe") == 2
    assert second.value("livecommerce_metrics_refresh_failures_total", service="probe", what="hangs") == 2


async def test_concurrent_scrapes_share_one_round_of_queries():
    metrics = Metrics("probe")
    gate, started = asyncio.Event(), asyncio.Event()
    calls = 0

    async def slow() -> None:
        nonlocal calls
        calls += 1
        started.set()
        await gate.wait()

    metrics.on_scrape("slow", slow)
    first = asyncio.create_task(metrics.refresh())
    await started.wait()
    second = asyncio.create_task(metrics.refresh())
    await asyncio.sleep(0)  # one turn of the loop: the second scrape is now inside refresh(), waiting
    assert not second.done()
    gate.set()
    await asyncio.gather(first, second)
    assert calls == 1
    await metrics.refresh()  # the next scrape, after the round ended, runs its own
    assert calls == 2


async def test_readyz_follows_ready_and_livez_does_not():
    serving = True
    ops = await start_ops_server(Metrics("probe"), ready=lambda: serving, host="127.0.0.1", port=0)
    try:
        assert [(await get(ops.port, path))[0] for path in ("/readyz", "/livez")] == [200, 200]
        serving = False
        assert [(await get(ops.port, path))[0] for path in ("/readyz", "/livez")] == [503, 200]
    finally:
        await ops.stop()
