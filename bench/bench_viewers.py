"""Concurrent viewers (issue 13, SES-08): a burst of a million joins and a million leaves through
the gateway's streaming API, and a steady state of 100,000 heartbeating viewers, in one run.

    .venv/bin/python -m bench.bench_viewers [--viewers 1000000] [--sessions 100] [--streams 4] [--steady 100000] [--quick]

Two session replicas (`python -m services.session`, the default rules: heartbeats every 10 s,
timeout 30 s, at most 10,000 ids per message, a tick a second) and the gateway (`python -m
gateway`) run as separate processes on a private PostgreSQL and NATS (or DATABASE_URL /
NATS_URL), with the development PKI; every call is mutual TLS through the gateway. The anchors
and products are the upstream services' events published on their streams (as bench_rooms
does), the sessions real: ScheduleSession, CompleteChecklist, OpenRoom as merchant m-demo.

1. Burst: --viewers joins over --sessions LIVE sessions (as many per session), in messages of
   --chunk ids, on --streams concurrent ReportViewers streams through the gateway (integration
   certificate; messages serialized before the clock starts, as an edge server has them ready).
   Time until exact = from the first message sent until GetViewerCounts (polled every 50 ms by a
   compliance officer) shows every session at its exact count and the platform at --viewers.
   Then the same viewers leave, timed until every count is 0; the peaks must stay at the top.
   Floor, in the same run: the same batches applied to in-process sets (one per session, set.update
   and set.difference_update: no RPC, no gateway, no durability). --rounds rounds, each the floor
   then the service (this 2-core machine is noisy); medians. Targets: <= 5 s each, <= 5x floor.
2. Steady state: --steady viewers joined, then each heartbeating every 10 s (each session's
   viewers in ten groups, one group per second: a tenth of them every second, one message per
   session per second) for --seconds; the active session replica's CPU seconds per second over
   that window, from /proc/<pid>/stat (target <= 0.2), beside the gateway's and this process's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import grpc
from google.protobuf import any_pb2, timestamp_pb2

from bench.bench_products import Cpu
from bench.bench_rooms import Clients, bounded, live_room, settled
from bench.datastores import datastores
from bench.suite import Suite
from livecommerce.anchor.v1 import events_pb2 as anchor_events
from livecommerce.common.v1 import envelope_pb2
from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.product.v1 import product_pb2
from livecommerce.runtime import broker
from livecommerce.runtime.heap import freeze_startup_objects
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import audience_pb2 as pb
from livecommerce.session.v1 import audience_pb2_grpc, session_pb2_grpc

REPORT = "/livecommerce.session.v1.AudienceService/ReportViewers"
HEARTBEAT_SECONDS = 10


class Upstream:
    """The anchor and product services as the session service hears them: envelopes on their streams."""

    def __init__(self, js, subject_root: str) -> None:
        self.js, self.root = js, subject_root

    async def publish(self, source: str, noun: str, verb: str, payload) -> None:
        event_id, packed, at = str(uuid.uuid4()), any_pb2.Any(), timestamp_pb2.Timestamp()
        packed.Pack(payload)
        at.FromDatetime(datetime.now(UTC))
        envelope = envelope_pb2.EventEnvelope(id=event_id, type=payload.DESCRIPTOR.full_name, source=source, payload=packed, time=at)
        await self.js.publish(f"{self.root}.{source}.{noun}.{verb}", envelope.SerializeToString(), headers={"Nats-Msg-Id": event_id})

    async def eligible_anchor(self, anchor_id: str) -> None:
        await self.publish("anchor", "file", "approved", anchor_events.AnchorFileApproved(
            anchor_id=anchor_id, version=1, agency_id="ag-demo", adult_on="2000-01-01",
        ))  # fmt: skip
        await self.publish("anchor", "training", "recorded", anchor_events.TrainingRecorded(
            anchor_id=anchor_id, training_id=f"tr-{anchor_id}", course_id="onboarding", onboarding=True, passed=True,
            completed_at=stamp(datetime.now(UTC)),
        ))  # fmt: skip

    async def listed_product(self, product_id: str) -> None:
        listing = product_events.ProductListing(
            product_id=product_id, merchant_id="m-demo", approved_version=1, category="rice", category_path=["食品", "粮油", "大米"],
            title="五常大米 5kg", price_fen=5990, listed=True,
            link=product_pb2.ProductLink(url=f"https://shop.livecommerce.example/p/{product_id}", platform="shop.livecommerce.example"),
        )
        await self.publish("product", "product", "approved", product_events.ProductApproved(listing=listing))


def batches(sessions: Sequence[str], ids: dict[str, list[str]], field: str, chunk: int) -> list[tuple[str, list[str]]]:
    """Every session's ids in messages of `chunk`, the sessions interleaved (as many edges send)."""
    per_session = [[(s, ids[s][i : i + chunk]) for i in range(0, len(ids[s]), chunk)] for s in sessions]
    longest = max(len(p) for p in per_session)
    return [p[i] for i in range(longest) for p in per_session if i < len(p)]


def serialized(messages: Sequence[tuple[str, list[str]]], field: str) -> list[bytes]:
    out = []
    for s, ids in messages:
        message = pb.ReportViewersRequest(session_id=s)
        getattr(message, field).extend(ids)
        out.append(message.SerializeToString())
    return out


def floor(sessions: Sequence[str], joins: Sequence[tuple[str, list[str]]], leaves: Sequence[tuple[str, list[str]]]) -> dict[str, tuple[float, float]]:
    """The same batches on in-process sets: (wall, CPU) seconds for the joins, for the leaves."""
    sets: dict[str, set[str]] = {s: set() for s in sessions}
    took = {}
    for field, messages, apply in (("joins", joins, set.update), ("leaves", leaves, set.difference_update)):
        wall, cpu = time.perf_counter(), time.process_time()
        for s, ids in messages:
            apply(sets[s], ids)
        took[field] = (time.perf_counter() - wall, time.process_time() - cpu)
        if field == "joins":
            assert sum(map(len, sets.values())) == sum(len(ids) for _, ids in joins)
    assert not any(sets.values())
    return took


async def stream_all(channels: Sequence[grpc.aio.Channel], messages: Sequence[bytes]) -> list[pb.ReportViewersResponse]:
    """The messages over one ReportViewers stream per channel, dealt round-robin."""
    shares = [messages[i :: len(channels)] for i in range(len(channels))]
    calls = [channel.stream_unary(REPORT)(iter(share), timeout=120) for channel, share in zip(channels, shares, strict=True)]
    return [pb.ReportViewersResponse.FromString(r) for r in await asyncio.gather(*calls)]


async def until_exact(officer: audience_pb2_grpc.AudienceServiceStub, sessions: Sequence[str], each: int, platform: int) -> pb.GetViewerCountsResponse:
    request = pb.GetViewerCountsRequest(session_ids=list(sessions))
    while True:
        read = await officer.GetViewerCounts(request, timeout=30)
        if all(s.current == each for s in read.sessions) and read.platform.current == platform:
            return read
        await asyncio.sleep(0.05)


async def burst(args, sessions, report: Sequence[grpc.aio.Channel], officer, cpu: Cpu) -> None:
    per = args.viewers // len(sessions)
    total = per * len(sessions)

    def messages(field: str) -> list[tuple[str, list[str]]]:
        # New string objects each time, as the service decodes them: a string caches its hash,
        # and the floor must not reuse hashes an earlier pass computed.
        ids = {s: [f"v{n:03d}-{i:07d}" for i in range(per)] for n, s in enumerate(sessions)}
        return batches(sessions, ids, field, args.chunk)

    wire = {field: serialized(messages(field), field) for field in ("joins", "leaves")}
    print(
        f"\n1. burst: {total:,} viewers over {len(sessions)} live sessions, messages of {args.chunk:,} ids,"
        f" {len(report)} concurrent streams through the gateway; {args.rounds} rounds, each the floor then the service"
    )
    times: dict[str, list[float]] = {"joins": [], "leaves": []}
    cpus: dict[str, list[float]] = {"joins": [], "leaves": []}
    floors: dict[str, list[tuple[float, float]]] = {"joins": [], "leaves": []}
    for round_ in range(1, args.rounds + 1):
        for field, took in floor(sessions, messages("joins"), messages("leaves")).items():
            floors[field].append(took)
        for field, each, target in (("joins", per, total), ("leaves", 0, 0)):
            before, started = cpu.now(), time.perf_counter()
            streams = asyncio.create_task(stream_all(report, wire[field]))
            read = await until_exact(officer, sessions, each, target)
            exact = time.perf_counter() - started
            answers = await streams
            acknowledged = time.perf_counter() - started
            used = cpu.since(before)
            times[field].append(exact)
            cpus[field].append(used["session"])
            done = {f: sum(getattr(a, f) for a in answers) for f in ("messages", "joined", "duplicate_joins", "left", "unknown_leaves")}
            print(
                f"   round {round_} {field:6}: counts exact after {exact:.2f} s (streams acknowledged after {acknowledged:.2f} s);"
                f" floor {floors[field][-1][0]:.3f} s; every session current {sorted({s.current for s in read.sessions})},"
                f" peak {sorted({s.peak for s in read.sessions})}; platform current {read.platform.current:,}, peak {read.platform.peak:,};"
                f" streams: {done}; CPU s: session {used['session']:.2f}, gateway {used['gateway']:.2f}, this process {used['bench']:.2f}"
            )
            if read.platform.peak != total or any(s.peak != per for s in read.sessions):
                raise SystemExit(f"FAILED: the peaks are not the burst's top: {read.platform.peak}")
    for field in ("joins", "leaves"):
        exact, base = statistics.median(times[field]), statistics.median(wall for wall, _ in floors[field])
        cpu_used, cpu_base = statistics.median(cpus[field]), statistics.median(cpu for _, cpu in floors[field])
        print(
            f"   {field:6} (medians): counts exact after {exact:.2f} s (target <= 5 s); floor (in-process sets) {base:.3f} s;"
            f" ratio {exact / base:.1f}x (target <= 5x); CPU: session process {cpu_used:.2f} s, floor {cpu_base:.3f} s, {cpu_used / cpu_base:.1f}x"
        )


async def steady(args, sessions, report: Sequence[grpc.aio.Channel], officer, cpu: Cpu) -> None:
    per = args.steady // len(sessions)
    ids = {s: [f"s{n:03d}-{i:07d}" for i in range(per)] for n, s in enumerate(sessions)}
    await stream_all(report, serialized(batches(sessions, ids, "joins", args.chunk), "joins"))
    await until_exact(officer, sessions, per, per * len(sessions))
    groups = [serialized([(s, ids[s][g::HEARTBEAT_SECONDS]) for s in sessions], "heartbeats") for g in range(HEARTBEAT_SECONDS)]
    before, started = cpu.now(), time.perf_counter()
    second = 0
    while (elapsed := time.perf_counter() - started) < args.seconds:
        await stream_all(report, groups[second % HEARTBEAT_SECONDS])
        second += 1
        await asyncio.sleep(max(0.0, second - (time.perf_counter() - started)))
    wall = time.perf_counter() - started
    used = cpu.since(before)
    read = await until_exact(officer, sessions, per, per * len(sessions))
    print(f"\n2. steady state: {per * len(sessions):,} viewers over {len(sessions)} sessions, each heartbeating every {HEARTBEAT_SECONDS} s"
          f" ({per * len(sessions) // HEARTBEAT_SECONDS:,} heartbeats/s, {len(sessions)} messages/s) for {wall:.0f} s")  # fmt: skip
    print(
        f"   CPU seconds per second: session (active) {used['session'] / wall:.3f} (target <= 0.2), gateway {used['gateway'] / wall:.3f},"
        f" this process {used['bench'] / wall:.3f}; platform current {read.platform.current:,} (exact), elapsed {elapsed:.0f} s"
    )


async def run(args: argparse.Namespace) -> None:
    if args.quick:
        args.viewers, args.steady, args.seconds = min(args.viewers, 100_000), min(args.steady, 20_000), min(args.seconds, 10)
    subject_root = f"benchv{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="lc-bench-viewers-") as tmp, datastores(Path(tmp)) as (database_url, nats_url):
        suite = Suite(Path(tmp), database_url, nats_url, service="session", env={"SUBJECT_ROOT": subject_root})
        freeze_startup_objects()
        clients: Clients | None = None
        nc = None
        try:
            started = time.perf_counter()
            for name in ("session-a", "session-b"):
                suite.start_replica(name)
            gateway = suite.start_gateway()
            print(f"2 session replicas and the gateway started in {time.perf_counter() - started:.1f} s")
            nc = await broker.connect(nats_url, name="bench-viewers", tls=suite.nats_tls)
            upstream = Upstream(nc.jetstream(), subject_root)
            anchors = [f"an-bench-{n}" for n in range(args.sessions)]
            for anchor_id in anchors:
                await upstream.eligible_anchor(anchor_id)
            await upstream.listed_product("p-bench")
            await settled(database_url, "SELECT count(*) = $2 FROM anchor_projection WHERE approved AND onboarded AND anchor_id = ANY($1::text[])", anchors, len(anchors))
            await settled(database_url, "SELECT listed FROM product_projection WHERE product_id = 'p-bench'")
            clients = Clients(suite, gateway)
            merchant = session_pb2_grpc.SessionServiceStub(await clients.channel("merchant"))
            sessions = await bounded(
                [functools.partial(live_room, merchant, anchors[n], f"room-bench-{n}", ["p-bench"]) for n in range(args.sessions)], 8
            )
            print(f"{len(sessions)} live sessions")
            report = [await clients.channel("integration") for _ in range(args.streams)]
            officer = audience_pb2_grpc.AudienceServiceStub(await clients.channel("compliance_officer"))
            assert suite.gateway is not None
            active = suite.replicas[await suite.holder()][0]
            cpu = Cpu({"session": active.pid, "gateway": suite.gateway.pid, "bench": os.getpid()})
            await burst(args, sessions, report, officer, cpu)
            await steady(args, sessions, report, officer, cpu)
            if (holder := await suite.holder()) and suite.replicas[holder][0].pid != active.pid:
                print(f"note: the lease changed hands during the run (now with {holder})")
        finally:
            if clients is not None:
                await clients.stack.aclose()
            suite.stop()
            if nc is not None:
                with contextlib.suppress(Exception):
                    for service in ("anchor", "product", "session"):
                        with contextlib.suppress(Exception):
                            await nc.jetstream().delete_stream(f"{subject_root}_{service}".upper())
                    await nc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=1_000_000, help="viewers of the burst, spread evenly over the sessions")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--streams", type=int, default=4, help="concurrent ReportViewers streams (each on its own connection)")
    parser.add_argument("--rounds", type=int, default=3, help="bursts of joins and leaves, each beside its floor")
    parser.add_argument("--chunk", type=int, default=10_000, help="viewer ids per message (the default max_batch)")
    parser.add_argument("--steady", type=int, default=100_000, help="viewers of the steady state")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the steady state's measurement")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 100,000 in the burst, 20,000 steady for 10 s")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
