"""What per-RPC metrics cost (issue 17): the runtime's gRPC server (its interceptor, error mapping
and spans) answering an echo method with and without `RpcMetrics`, in the same run, alternating,
so the ratio compares like with like; and what one scrape of a busy registry costs the loop.

    .venv/bin/python -m bench.bench_metrics [--seconds 3] [--concurrency 32] [--rounds 2]

Target: with metrics >= 0.95 of the rate without (counting must not be what limits a service).
On a loaded machine the two rates wander more than that; `one observe per call` is the cost itself.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time

import grpc

from bench.measure import percentile, qps
from livecommerce.runtime.grpc_server import start_grpc_server
from livecommerce.runtime.metrics import Metrics

SERVICE, METHOD = "bench.Echo", "Echo"


async def echo(request: bytes, context) -> bytes:
    return request


def register(server: grpc.aio.Server) -> None:
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(SERVICE, {METHOD: grpc.unary_unary_rpc_method_handler(echo)})])


async def rate(metrics: Metrics | None, *, seconds: float, concurrency: int) -> float:
    server = await start_grpc_server(
        register=register, service_names=[SERVICE], host="127.0.0.1", port=0, tls=None, rpc_metrics=metrics.rpc if metrics else None
    )
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            call = channel.unary_unary(f"/{SERVICE}/{METHOD}")
            await call(b"warm-up")
            return await qps(lambda: call(b"x" * 64), concurrency=concurrency, seconds=seconds)
    finally:
        await server.stop(0)


async def scrape_cost(metrics: Metrics, samples: int = 200) -> list[float]:
    """Milliseconds per exposition of the registry after the runs (every method and code seen)."""
    for n in range(60):  # a service's worth of series: 20 methods x 3 codes
        metrics.rpc.observe(f"/bench.Many/Method{n % 20}", ("OK", "NOT_FOUND", "INVALID_ARGUMENT")[n % 3], 0.001)
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        metrics.exposition()
        times.append((time.perf_counter() - started) * 1000)
    return times


def observe_cost(metrics: Metrics, calls: int = 200_000) -> float:
    """Microseconds one RpcMetrics.observe takes (a counter and a histogram, labels resolved once)."""
    metrics.rpc.observe("/bench.Echo/Echo", "OK", 0.001)
    started = time.perf_counter()
    for _ in range(calls):
        metrics.rpc.observe("/bench.Echo/Echo", "OK", 0.001)
    return (time.perf_counter() - started) / calls * 1e6


async def run(args: argparse.Namespace) -> None:
    logging.getLogger("livecommerce").setLevel(logging.ERROR)  # the plaintext server's warning
    metrics = Metrics("bench")
    without: list[float] = []
    with_metrics: list[float] = []
    for _ in range(args.rounds):
        without.append(await rate(None, seconds=args.seconds, concurrency=args.concurrency))
        with_metrics.append(await rate(metrics, seconds=args.seconds, concurrency=args.concurrency))
    base, measured = max(without), max(with_metrics)
    print(f"echo RPCs without metrics : {base:8.0f} calls/s (best of {args.rounds}, {args.concurrency} concurrent)")
    print(f"echo RPCs with metrics    : {measured:8.0f} calls/s")
    print(f"ratio with/without        : {measured / base:8.3f}   (target >= 0.95)")
    print(f"one observe per call      : {observe_cost(Metrics('bench')):8.2f} us")
    scrape = await scrape_cost(metrics)
    print(f"one scrape of the registry: p50 {percentile(scrape, 0.5):.2f} ms, p99 {percentile(scrape, 0.99):.2f} ms (process, GC and RPC families)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
