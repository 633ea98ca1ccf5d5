"""The product service's cost through the gateway and its take-down event path, measured in one run.

    .venv/bin/python -m bench.bench_products [--seconds 10] [--concurrency 16] [--delists 2000] [--quick]

Two product replicas (`python -m services.product`) and the gateway (`python -m gateway`) run as
separate processes on a private PostgreSQL and NATS (or DATABASE_URL / NATS_URL), with the
development PKI and the default lease TTL; every call is mutual TLS. About 100 s on this 2-core
machine (--quick: about 20-30 s).

1. Review and list: products per second taken from submission to LISTED, each three calls (the
   merchant's SubmitProduct of a food.grain file relying on its food_business licence, the
   compliance officer's ReviewProduct APPROVE, then RecordInspection PASS, which lists it), at a
   fixed concurrency, through the gateway with the merchant's and the officer's client
   certificates, against the baseline of the same three calls straight to the active replica
   (the gateway's certificate and the identity metadata the gateway forwards for those two
   certificates). The paths alternate in --block blocks so both sample the same moments of this
   noisy machine; the ratio gateway/direct is the figure to compare between runs. CPU per
   product of the active replica and the gateway (/proc) says where the time goes.
2. Take-down to event: DelistProduct (officer, DELIST_CAUSE_COMPLIANCE) through the gateway on
   products listed beforehand. First a closed loop at the same concurrency (the take-downs per
   second the service keeps up here, and a warm-up), then paced blocks (bench/pacing.py: no
   coordinated omission) at 200/s, the issue's rate, alternating with the baseline, 20/s; when
   the closed loop kept up less than 200/s, a third rate, half of it, shows the path under a load
   it sustains. An ordered JetStream push consumer on `<root>.product.product.delisted` (the
   service's own stream) notes when each product's ProductDelisted arrives. Latency = arrival -
   the moment the DelistProduct call returned OK; it can be negative: the event may overtake the
   answer, which still has the gateway to cross. p50/p99/max (target at 200/s: p99 <= 100 ms) and
   the calls' own latency; every delisted product's event must arrive (the run fails otherwise),
   and each block waits for its events before the next begins.
   Baseline: the same path at a tenth of the rate, where nothing queues: what the outbox path
   itself costs (commit, the relay woken by the commit, JetStream publish, delivery), so the
   ratio 200/s over 20/s (of the p99s) says what the load adds. The baseline's p50 is near zero
   (the event and the answer race; it can be negative), so the p50s are compared by difference.
Before measuring, rounds of products go through the gateway until one round has no refusal and
the lease stayed put: a fresh replica's first SubmitProduct stalls its event loop while it builds
the text normaliser, which can cost it its lease (printed as a note when it happens). The
products of step 1 are reused by step 2; the rest are prepared straight to the active replica.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import grpc
from google.protobuf import timestamp_pb2
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from bench.datastores import datastores
from bench.measure import percentile, qps
from bench.pacing import paced
from bench.suite import Suite
from livecommerce.common.v1 import envelope_pb2
from livecommerce.product import examples
from livecommerce.product.v1 import events_pb2, product_pb2_grpc
from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.runtime import broker
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.heap import freeze_startup_objects
from livecommerce.runtime.identity import Caller, caller_from_certificate
from livecommerce.runtime.settings import Secret, Settings
from livecommerce.runtime.tls import TlsFiles

DELIST_TARGET_P99_MS = 100.0
EVENT_WAIT_SECONDS = 15.0
"""How long a block waits for its events before the run fails."""

DELIST_REASON = "bench: compliance take-down (PRD-10)"

_serial = itertools.count(1)


# --- requests (livecommerce/product/examples.py, on the real clock) --------------------------------


def rid() -> str:
    return f"bench-{uuid.uuid4().hex}"


def food_licence() -> pb.Licence:
    now = datetime.now(UTC)
    return examples.food_licence(
        number=f"JY1330106{next(_serial):07d}", valid_from=now - timedelta(days=365), valid_until=now + timedelta(days=365)
    )


def rice(licence_id: str, title: str) -> pb.ProductDetails:
    return examples.rice(licence_ids=[licence_id], expiry_date=date.today() + timedelta(days=200), title=title)


def passing_inspection(product_id: str) -> pb.Inspection:
    sampled_at = timestamp_pb2.Timestamp()
    sampled_at.FromDatetime(datetime.now(UTC) - timedelta(days=1))
    return pb.Inspection(
        product_id=product_id, lab="浙江省食品药品检验研究院", sampled_at=sampled_at,
        result=pb.INSPECTION_RESULT_PASS, report=examples.document(f"s3://reports/{product_id}.pdf"),
    )


# --- the flow -----------------------------------------------------------------------------------


@dataclass
class Shelf:
    """Takes products from submission to LISTED over one pair of stubs (merchant, officer); every
    product gets a title of its own (one product per goods and merchant, PRD-01)."""

    merchant: product_pb2_grpc.ProductServiceStub
    officer: product_pb2_grpc.ProductServiceStub
    licence_id: str
    tag: str
    listed: list[str] = field(default_factory=list)

    async def list_one(self) -> None:
        details = rice(self.licence_id, f"有机五常大米 5kg 第{next(_serial)}批 {self.tag}")
        product = (await self.merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=details))).product
        review = pb.ReviewProductRequest(request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
        await self.officer.ReviewProduct(review)
        inspected = await self.officer.RecordInspection(pb.RecordInspectionRequest(request_id=rid(), inspection=passing_inspection(product.product_id)))
        if inspected.product.state != pb.PRODUCT_STATE_LISTED:
            raise SystemExit(f"product {product.product_id} is {pb.ProductState.Name(inspected.product.state)} after a passing inspection, not LISTED")
        self.listed.append(product.product_id)


async def prime(shelf: Shelf, suite: Suite, *, concurrency: int, rounds: int = 10) -> list[str]:
    """Rounds of `concurrency` products through the gateway until one round lists every product and
    the lease stayed with one replica; returns what was refused on the way (UNAVAILABLE while a
    fresh replica stalls or the lease changes hands; anything else fails the run)."""
    refusals: list[str] = []

    async def one() -> None:
        try:
            await shelf.list_one()
        except grpc.aio.AioRpcError as error:
            if error.code() != grpc.StatusCode.UNAVAILABLE:
                raise
            refusals.append(error.details() or "")

    for _ in range(rounds):
        refused, epoch = len(refusals), await suite.epoch()
        await asyncio.gather(*(one() for _ in range(concurrency)))
        if len(refusals) == refused and await suite.epoch() == epoch:
            return refusals
        await asyncio.sleep(0.5)
    raise SystemExit(f"the product service did not settle in {rounds} rounds: {len(refusals)} refusals, e.g. {refusals[:3]}")


class Cpu:
    """CPU seconds (user + system) the named processes used, from /proc/<pid>/stat."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids

    def now(self) -> dict[str, float]:
        used = {}
        for name, pid in self.pids.items():
            text = Path(f"/proc/{pid}/stat").read_text()
            fields = text[text.rindex(")") + 2 :].split()  # from field 3 (state) on: utime and stime are fields 14 and 15
            used[name] = (int(fields[11]) + int(fields[12])) / self.TICK
        return used

    def since(self, before: dict[str, float]) -> dict[str, float]:
        return {name: used - before[name] for name, used in self.now().items()}


@dataclass
class Tally:
    """What one path did over its blocks: rates, operations, CPU seconds per process."""

    rates: list[float] = field(default_factory=list)
    done: int = 0
    cpu: dict[str, float] = field(default_factory=dict)

    def add_cpu(self, used: dict[str, float]) -> None:
        for name, seconds in used.items():
            self.cpu[name] = self.cpu.get(name, 0.0) + seconds

    def cpu_ms(self, name: str) -> float:
        return 1000 * self.cpu.get(name, 0.0) / max(1, self.done)


async def counted(tally: Tally, cpu: Cpu, shelf: Shelf, *, concurrency: int, seconds: float) -> None:
    before, listed = cpu.now(), len(shelf.listed)
    tally.rates.append(await qps(shelf.list_one, concurrency=concurrency, seconds=seconds))
    tally.done += len(shelf.listed) - listed
    tally.add_cpu(cpu.since(before))


async def alternating_rates(direct: Shelf, via: Shelf, cpu: Cpu, *, concurrency: int, seconds: float, block: float) -> tuple[Tally, Tally]:
    """Products/s for each path, over alternating blocks of `block` seconds (`seconds` per path)."""
    direct_tally, via_tally = Tally(), Tally()
    for _ in range(max(1, round(seconds / block))):
        await counted(direct_tally, cpu, direct, concurrency=concurrency, seconds=block)
        await counted(via_tally, cpu, via, concurrency=concurrency, seconds=block)
    return direct_tally, via_tally


async def prepare(shelf: Shelf, count: int, *, concurrency: int) -> None:
    """`count` more listed products."""
    remaining = iter(range(count))

    async def worker() -> None:
        for _ in remaining:
            await shelf.list_one()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


# --- take-down to event ----------------------------------------------------------------------------


class DelistedEvents:
    """An ordered JetStream push consumer of the product stream's delisted subject: when each
    product's ProductDelisted arrived (time.perf_counter, the clock the calls are timed with)."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.duplicates = 0

    async def on_message(self, msg) -> None:
        at = time.perf_counter()
        event = events_pb2.ProductDelisted()
        if not envelope_pb2.EventEnvelope.FromString(msg.data).payload.Unpack(event):
            raise SystemExit(f"not a ProductDelisted on {msg.subject}")
        if event.product_id in self.arrived:
            self.duplicates += 1
        self.arrived.setdefault(event.product_id, at)

    async def wait_for(self, product_ids: list[str], within: float) -> None:
        deadline = time.perf_counter() + within
        while time.perf_counter() < deadline and any(p not in self.arrived for p in product_ids):
            await asyncio.sleep(0.01)


@dataclass
class DelistRun:
    """The take-downs at one rate."""

    rate: float
    label: str = ""
    returned: dict[str, float] = field(default_factory=dict)
    """When each DelistProduct call returned OK (time.perf_counter)."""
    call_ms: list[float] = field(default_factory=list)
    """Each successful call's own latency (ms)."""
    failed: Counter[str] = field(default_factory=Counter)
    """Calls that failed, by status and details."""
    seconds: float = 0.0

    def latencies(self, events: DelistedEvents) -> list[float]:
        return [(events.arrived[p] - t) * 1000 for p, t in self.returned.items() if p in events.arrived]

    def print(self, events: DelistedEvents) -> list[float]:
        latencies = self.latencies(events)
        figures = "no events" if not latencies else (
            f"p50 {statistics.median(latencies):6.1f} ms, p99 {percentile(latencies, 0.99):6.1f} ms, max {max(latencies):6.1f} ms"
        )
        print(f"    at {self.rate:3.0f}/s{self.label}: {len(self.returned):4d} delisted (achieved {len(self.returned) / self.seconds:5.1f}/s),"
              f" {len(latencies):4d} events received; {figures}")
        early = sum(1 for lat in latencies if lat < 0)
        if self.call_ms:
            print(f"               the calls themselves: p50 {statistics.median(self.call_ms):6.1f} ms, p99 {percentile(self.call_ms, 0.99):6.1f} ms"
                  + (f"; {early} events arrived before their call returned" if early else ""))
        for failure, count in self.failed.most_common():
            print(f"               {count} DelistProduct calls failed: {failure}")
        return latencies


async def delist(officer: product_pb2_grpc.ProductServiceStub, product_id: str, run: DelistRun) -> None:
    """One take-down; a refusal is counted in `run` (the product is then not among those delisted)."""
    request = pb.DelistProductRequest(request_id=rid(), product_id=product_id, cause=pb.DELIST_CAUSE_COMPLIANCE, reason=DELIST_REASON)
    started = time.perf_counter()
    try:
        answer = await officer.DelistProduct(request)
    except grpc.aio.AioRpcError as error:
        run.failed[f"{error.code().name}: {error.details()}"] += 1
        return
    run.returned[product_id] = returned = time.perf_counter()
    run.call_ms.append((returned - started) * 1000)
    if answer.product.state != pb.PRODUCT_STATE_DELISTED:
        raise SystemExit(f"product {product_id} is {pb.ProductState.Name(answer.product.state)} after DelistProduct, not DELISTED")


async def delist_block(officer: product_pb2_grpc.ProductServiceStub, product_ids: list[str], run: DelistRun, events: DelistedEvents) -> None:
    """Delists `product_ids` at the run's rate, then waits for their events."""
    run.seconds += await paced(lambda n: delist(officer, product_ids[n], run), rate=run.rate, count=len(product_ids))
    await events.wait_for(list(run.returned), EVENT_WAIT_SECONDS)


async def delist_capacity(officer: product_pb2_grpc.ProductServiceStub, product_ids: list[str], cpu: Cpu, *, concurrency: int) -> tuple[Tally, DelistRun]:
    """Delists `product_ids` in a closed loop of `concurrency` callers: the rate the service keeps up."""
    remaining, run = iter(product_ids), DelistRun(rate=0)

    async def worker() -> None:
        for product_id in remaining:
            await delist(officer, product_id, run)

    before, started = cpu.now(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    return Tally(rates=[len(run.returned) / run.seconds], done=len(run.returned), cpu=cpu.since(before)), run


# --- the run -------------------------------------------------------------------------------------


class Clients:
    """The merchant's and the officer's stubs through the gateway (their client certificates) and
    straight to a replica (the gateway's certificate and the identity it would forward)."""

    def __init__(self, suite: Suite) -> None:
        self.pki, self.stack = suite.pki, contextlib.AsyncExitStack()

    async def via(self, gateway: str, role: str) -> product_pb2_grpc.ProductServiceStub:
        files = self.pki["clients"][role]
        tls = TlsFiles(cert=files["cert"], key=files["key"], ca=self.pki["ca_cert"])
        return product_pb2_grpc.ProductServiceStub(await self.stack.enter_async_context(secure_channel(gateway, tls)))

    def forwarded(self, role: str) -> Caller:
        """The identity the gateway forwards for this role's client certificate."""
        caller = caller_from_certificate(Path(self.pki["clients"][role]["cert"]).read_bytes())
        assert caller is not None, role
        return caller

    async def direct(self, replica: str, role: str) -> product_pb2_grpc.ProductServiceStub:
        caller = self.forwarded(role)
        gateway = self.pki["servers"]["gateway"]
        trusted = TlsFiles(cert=gateway["cert"], key=gateway["key"], ca=self.pki["ca_cert"])
        return product_pb2_grpc.ProductServiceStub(await self.stack.enter_async_context(secure_channel(replica, trusted, caller=caller)))


async def review_and_list(args: argparse.Namespace, direct: Shelf, via: Shelf, cpu: Cpu) -> None:
    await qps(direct.list_one, concurrency=args.concurrency, seconds=1)  # warm-up: connections, prepared statements
    await qps(via.list_one, concurrency=args.concurrency, seconds=1)
    direct_tally, via_tally = await alternating_rates(direct, via, cpu, concurrency=args.concurrency, seconds=args.seconds, block=args.block)
    direct_rate, via_rate = statistics.mean(direct_tally.rates), statistics.mean(via_tally.rates)
    print(f"review and list, SubmitProduct -> ReviewProduct(APPROVE) -> RecordInspection(PASS) = LISTED,"
          f" {args.concurrency} concurrent, {args.seconds:.0f} s per path in alternating {args.block:.0f} s blocks:")
    print(f"  direct to the active replica : {direct_rate:6.1f} products/s ({3 * direct_rate:4.0f} calls/s);"
          f" CPU per product: replica {direct_tally.cpu_ms('replica'):5.1f} ms")
    print(f"  through the gateway          : {via_rate:6.1f} products/s ({3 * via_rate:4.0f} calls/s);"
          f" CPU per product: replica {via_tally.cpu_ms('replica'):5.1f} ms, gateway {via_tally.cpu_ms('gateway'):4.1f} ms")
    print(f"  ratio gateway/direct         : {via_rate / direct_rate:6.2f}")


async def delist_to_event(
    args: argparse.Namespace, direct: Shelf, via: Shelf, cpu: Cpu, nats_url: str, tls: TlsFiles, subject_root: str, stream: str
) -> None:
    blocks = max(1, round(args.delists / (args.rate * args.block)))
    closed_count = round(args.rate)  # a second's worth at the paced rate
    # the closed loop's, then each paced rate's blocks (the third rate is at most half the first)
    needed = closed_count + blocks * round((args.rate * 1.5 + args.baseline_rate) * args.block)
    started = time.perf_counter()
    if len(via.listed) + len(direct.listed) < needed:
        await prepare(direct, needed - len(via.listed) - len(direct.listed), concurrency=args.concurrency)
    queue = iter(via.listed + direct.listed)
    print(f"delist acknowledged (via the gateway) -> ProductDelisted at a JetStream consumer"
          f" ({needed} listed products; {time.perf_counter() - started:.0f} s to prepare those missing, directly):")
    nc = await broker.connect(nats_url, name="bench-products", tls=tls)
    try:
        js = nc.jetstream()
        for _ in range(100):  # the service creates its stream at start-up
            with contextlib.suppress(NotFoundError):
                await js.stream_info(stream)
                break
            await asyncio.sleep(0.05)
        events = DelistedEvents()
        await js.subscribe(
            f"{subject_root}.product.product.delisted", stream=stream, cb=events.on_message, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
        )
        officer = via.officer
        capacity, closed = await delist_capacity(officer, list(itertools.islice(queue, closed_count)), cpu, concurrency=args.concurrency)
        await events.wait_for(list(closed.returned), EVENT_WAIT_SECONDS)  # a warm-up too: none of these is measured
        capacity_rate = capacity.rates[0]
        print(f"  closed loop, {args.concurrency} concurrent: {capacity_rate:5.0f} delists/s, the most it keeps up here;"
              f" CPU per delist: replica {capacity.cpu_ms('replica'):4.1f} ms, gateway {capacity.cpu_ms('gateway'):4.1f} ms")
        for failure, count in closed.failed.most_common():
            print(f"               {count} DelistProduct calls failed: {failure}")
        loaded, baseline = DelistRun(args.rate, " (the target's rate)"), DelistRun(args.baseline_rate, " (baseline)")
        runs = [loaded, baseline]
        if capacity_rate < args.rate:  # the target's rate overloads it here: add a load it sustains
            runs.append(DelistRun(max(1, round(capacity_rate / 2)), " (half the closed loop's rate)"))
        for _ in range(blocks):
            for run in runs:
                await delist_block(officer, list(itertools.islice(queue, round(run.rate * args.block))), run, events)
        print(f"  paced, {blocks} x {args.block:.0f} s blocks at each rate, alternating; latency = event arrival - the call's OK:")
        at_load, at_baseline = (run.print(events) for run in runs[:2])
        for run in runs[2:]:
            run.print(events)
    finally:
        await nc.close()
    missing = [p for run in runs for p in run.returned if p not in events.arrived]
    if missing or events.duplicates or not at_load or not at_baseline:
        raise SystemExit(
            f"FAILED: {len(missing)} delisted products' events did not arrive within {EVENT_WAIT_SECONDS:.0f} s"
            f" (e.g. {missing[:3]}); {events.duplicates} arrived twice"
        )
    print(f"  ratio {args.rate:.0f}/s over {args.baseline_rate:.0f}/s: p99 {percentile(at_load, 0.99) / percentile(at_baseline, 0.99):5.1f}"
          f" (p50 {statistics.median(at_load) - statistics.median(at_baseline):+.1f} ms: the baseline's p50 is near zero, no ratio)"
          f"   (target at {args.rate:.0f}/s: p99 <= {DELIST_TARGET_P99_MS:.0f} ms)")


async def run(args: argparse.Namespace) -> None:
    if args.quick:
        args.seconds, args.delists, args.block = min(args.seconds, 2.0), min(args.delists, 200), 1.0
    subject_root = f"benchp{uuid.uuid4().hex[:8]}"  # its own stream, even on shared datastores
    with tempfile.TemporaryDirectory(prefix="lc-bench-products-") as tmp, datastores(Path(tmp)) as (database_url, nats_url):
        suite = Suite(Path(tmp), database_url, nats_url, service="product", env={"SUBJECT_ROOT": subject_root, "LOG_LEVEL": args.log_level})
        stream = Settings(service="product", database_url=database_url, nats_url=nats_url, pii_key=Secret(b""), subject_root=subject_root).stream_name
        freeze_startup_objects()  # as the services do once ready: no full-heap GC pauses in the figures
        clients = Clients(suite)
        try:
            suite.start_replica("product-a")
            suite.start_replica("product-b")
            gateway = suite.start_gateway()
            merchant = await clients.via(gateway, "merchant")
            licence = (await merchant.RecordLicence(pb.RecordLicenceRequest(request_id=rid(), licence=food_licence()))).licence
            tag = uuid.uuid4().hex[:6]
            via = Shelf(merchant, await clients.via(gateway, "compliance_officer"), licence.licence_id, tag)
            refusals = await prime(via, suite, concurrency=args.concurrency)
            if refusals:
                print(f"note: {len(refusals)} calls refused UNAVAILABLE before the service settled (lease epoch {await suite.epoch()}),"
                      f" e.g. {refusals[0]!r}")
            epoch, holder = await suite.epoch(), await suite.holder()
            active_process, active = suite.replicas[holder]
            direct = Shelf(await clients.direct(active, "merchant"), await clients.direct(active, "compliance_officer"), licence.licence_id, tag)
            assert suite.gateway is not None
            cpu = Cpu({"replica": active_process.pid, "gateway": suite.gateway.pid})

            await review_and_list(args, direct, via, cpu)
            await delist_to_event(args, direct, via, cpu, nats_url, suite.nats_tls, subject_root, stream)
            if (now := await suite.epoch()) != epoch:
                print(f"note: the lease changed hands {now - epoch} time(s) during the measurements (now with {await suite.holder()})")
        finally:
            await clients.stack.aclose()
            suite.stop()
            if args.keep_logs:
                shutil.copytree(suite.logs, args.keep_logs, dirs_exist_ok=True)
            with contextlib.suppress(Exception):  # on shared datastores, leave no stream behind
                cleanup = await broker.connect(nats_url, name="bench-products-cleanup", tls=suite.nats_tls)
                await cleanup.jetstream().delete_stream(stream)
                await cleanup.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="review-and-list seconds per path")
    parser.add_argument("--block", type=float, default=2.0, help="seconds per block when alternating paths or rates")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--delists", type=int, default=2000, help="delists at --rate; each other rate gets as many blocks")
    parser.add_argument("--rate", type=float, default=200.0, help="the paced take-downs per second the target is set for")
    parser.add_argument("--baseline-rate", type=float, default=20.0, help="the baseline's take-downs per second")
    parser.add_argument("--keep-logs", type=Path, help="copy the replicas' and the gateway's logs here at the end")
    parser.add_argument("--log-level", default="WARNING", help="the replicas' LOG_LEVEL (INFO shows the lease changing hands)")
    parser.add_argument("--quick", action="store_true", help="a smoke run of about 30 s (2 s per path, 200 delists, 1 s blocks)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
