"""The gateway's cost and the failover time, measured in one run (issue 3).

    .venv/bin/python -m bench.bench_gateway [--seconds 5] [--concurrency 32] [--load 0.5] [--trials 20]

1. QPS of GetAnchor (an agency reading its own anchor: masked, so no PII-access write) straight
   to the active anchor replica vs through the gateway (mutual TLS, policy, hash-chained audit
   written before each answer) at the same concurrency, and their ratio (target >= 0.6).
2. Latency at a fixed fraction (--load, 50%) of the capacity measured in step 1 for the slower of
   the two paths (the gateway's), so the load means the same on a slower machine and neither path
   is measured near saturation; direct and through the gateway: added p50/p99
   (target p99 <= 1.5 ms). Direct and gateway calls alternate in half-second blocks, so both sample the
   same moments of this noisy machine. For scale, the same is measured for a bare Python gRPC
   proxy (bench/bare_grpc.py: no TLS, policy or audit) in front of an echo server: the floor
   that any Python hop sits on.
3. Failover: SIGKILL, then SIGSTOP, of the active replica to the first successful call through
   the gateway, over N trials each, p50/p99 (target p99 <= 2 s); the killed replica is restarted
   as the next standby, the stopped one is resumed (fenced, it becomes the next standby).
Replicas and the gateway are separate processes (`python -m services.anchor`, `python -m gateway`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import tempfile
import time
from pathlib import Path

import grpc

from bench import bare_grpc
from bench.datastores import datastores
from bench.measure import Call, percentile, qps
from bench.pacing import paced
from bench.suite import Suite
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.heap import freeze_startup_objects
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.tls import TlsFiles
from livecommerce.supervisor import start_process, wait_ready

LEASE_TTL = "1"


async def interleaved_latencies(direct: Call, via: Call, *, rate: int, seconds: float) -> tuple[list[float], list[float]]:
    """Latencies of paced calls, direct and via the gateway in alternating half-second blocks."""
    direct_ms: list[float] = []
    via_ms: list[float] = []
    for _ in range(max(1, round(seconds * 2))):
        direct_ms += await paced_latencies(direct, rate=rate, seconds=0.5)
        via_ms += await paced_latencies(via, rate=rate, seconds=0.5)
    return direct_ms, via_ms


async def paced_latencies(call: Call, *, rate: int, seconds: float) -> list[float]:
    latencies: list[float] = []

    async def one(_: int) -> None:
        started = time.perf_counter()
        await call()
        latencies.append((time.perf_counter() - started) * 1000)

    await paced(one, rate=rate, count=int(rate * seconds))
    return latencies


def print_added(label: str, direct_ms: list[float], via_ms: list[float], rate: int) -> None:
    for name, q in (("p50", 0.5), ("p99", 0.99)):
        d, v = percentile(direct_ms, q), percentile(via_ms, q)
        print(f"{label} {name} at {rate}/s: direct {d:6.2f} ms, via {v:6.2f} ms, added {v - d:6.2f} ms")


async def bare_proxy_latencies(logs: Path, *, rate: int, seconds: float) -> tuple[list[float], list[float]]:
    """The same measurement for a bare Python gRPC proxy in front of an echo server (bench/bare_grpc.py)."""
    echo, echo_port = start_process("bench.bare_grpc", "bare-echo", dict(os.environ), logs)
    processes = [echo]
    try:
        wait_ready(echo, "bare-echo", logs)
        proxy, proxy_port = start_process("bench.bare_grpc", "bare-proxy", {**os.environ, "UPSTREAM_PORT": str(echo_port)}, logs)
        processes.append(proxy)
        wait_ready(proxy, "bare-proxy", logs)
        async with grpc.aio.insecure_channel(f"127.0.0.1:{echo_port}") as to_echo, grpc.aio.insecure_channel(f"127.0.0.1:{proxy_port}") as to_proxy:
            direct, via = to_echo.unary_unary(bare_grpc.PATH), to_proxy.unary_unary(bare_grpc.PATH)
            payload = b"x" * 64
            await paced_latencies(lambda: direct(payload), rate=rate, seconds=0.5)  # warm-up
            await paced_latencies(lambda: via(payload), rate=rate, seconds=0.5)
            return await interleaved_latencies(lambda: direct(payload), lambda: via(payload), rate=rate, seconds=seconds)
    finally:
        for process in processes:
            process.kill()
            process.wait()


async def failover_trials(suite: Suite, via_gateway, request, trials: int, how: signal.Signals) -> list[float]:
    """Seconds from `how` (SIGKILL or SIGSTOP) of the active replica to the first successful call
    through the gateway. Each attempt has a short deadline: the gateway keeps routing to a stopped
    replica until the standby reports SERVING, and such a call waits until the replica resumes."""
    times = []
    for _ in range(trials):
        holder = await suite.holder()
        process, target = suite.replicas[holder]
        struck = time.perf_counter()
        process.send_signal(how)
        while True:
            try:
                await via_gateway.GetAnchor(request, timeout=0.25)
                break
            except grpc.aio.AioRpcError:
                await asyncio.sleep(0.005)
        times.append(time.perf_counter() - struck)
        if how == signal.SIGSTOP:
            process.send_signal(signal.SIGCONT)  # fenced: it finds the lease taken and stays a standby
        else:  # the killed replica comes back on its old port as the next standby
            process.wait()
            suite.start_replica(holder, port=int(target.rsplit(":", 1)[1]))
        while not await suite.holder():  # the next trial starts from a live lease
            await asyncio.sleep(0.05)
    return times


def print_failover(how: str, times: list[float]) -> None:
    print(
        f"failover, {how} of the active replica -> first successful call via the gateway, {len(times)} trials:"
        f" p50 {statistics.median(times):.2f} s, p99 {percentile(times, 0.99):.2f} s, max {max(times):.2f} s"
        f"   (target p99 <= 2 s; lease TTL {LEASE_TTL} s)"
    )


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="lc-bench-gw-") as tmp, datastores(Path(tmp)) as (database_url, nats_url):
        suite = Suite(Path(tmp), database_url, nats_url, service="anchor", lease_ttl=LEASE_TTL)
        freeze_startup_objects()  # as the services do once ready: no full-heap GC pauses in the figures
        try:
            suite.start_replica("anchor-a")
            suite.start_replica("anchor-b")
            from tests.anchor.builders import seed_agencies

            await seed_agencies(database_url)
            gateway_target = suite.start_gateway()
            pki = suite.pki
            agency_tls = TlsFiles(cert=pki["clients"]["agency"]["cert"], key=pki["clients"]["agency"]["key"], ca=pki["ca_cert"])
            trusted = TlsFiles(cert=pki["servers"]["gateway"]["cert"], key=pki["servers"]["gateway"]["key"], ca=pki["ca_cert"])
            active = suite.replicas[await suite.holder()][1]
            async with (
                secure_channel(gateway_target, agency_tls) as agency_channel,
                secure_channel(gateway_target, agency_tls) as gateway_channel,
                secure_channel(active, trusted, caller=Caller("dev-agency", "agency", "ag-demo")) as direct_channel,
            ):
                from tests.anchor.builders import profile, rid

                anchor = (await anchor_pb2_grpc.AnchorServiceStub(agency_channel).RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile(agency_id="")))).anchor
                request = pb.GetAnchorRequest(anchor_id=anchor.anchor_id)
                direct, via = anchor_pb2_grpc.AnchorServiceStub(direct_channel), anchor_pb2_grpc.AnchorServiceStub(gateway_channel)
                await qps(lambda: direct.GetAnchor(request), concurrency=args.concurrency, seconds=1)  # warm-up
                await qps(lambda: via.GetAnchor(request), concurrency=args.concurrency, seconds=1)
                direct_qps = await qps(lambda: direct.GetAnchor(request), concurrency=args.concurrency, seconds=args.seconds)
                via_qps = await qps(lambda: via.GetAnchor(request), concurrency=args.concurrency, seconds=args.seconds)
                print(f"GetAnchor direct to the active replica : {direct_qps:8.0f} calls/s ({args.concurrency} concurrent)")
                print(f"GetAnchor through the gateway          : {via_qps:8.0f} calls/s (mTLS + policy + audit)")
                print(f"ratio gateway/direct                   : {via_qps / direct_qps:8.2f}   (target >= 0.6)")
                rate = max(1, round(min(direct_qps, via_qps) * args.load))
                print(f"latencies at {rate} calls/s: {args.load:.0%} of the gateway's capacity above, the same for the bare proxy")
                direct_lat, via_lat = await interleaved_latencies(
                    lambda: direct.GetAnchor(request), lambda: via.GetAnchor(request), rate=rate, seconds=args.seconds
                )
                print_added("gateway   ", direct_lat, via_lat, rate)
                print_added("bare proxy", *await bare_proxy_latencies(suite.logs, rate=rate, seconds=args.seconds), rate)
                print("   (target: gateway added p99 <= 1.5 ms; the bare proxy is the floor: a Python gRPC proxy with no TLS,")
                print("    policy or audit in front of an echo server, measured the same way)")
                print_failover("SIGKILL", await failover_trials(suite, via, request, args.trials, signal.SIGKILL))
                print_failover("SIGSTOP", await failover_trials(suite, via, request, args.trials, signal.SIGSTOP))
        finally:
            suite.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--load", type=float, default=0.5, help="latency load, as a fraction of the capacity measured for the slower path")
    parser.add_argument("--trials", type=int, default=20)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
