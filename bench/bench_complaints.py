"""The complaint service's intake through the gateway, and the path of an upheld complaint into
the anchor's credit archive, measured in one run.

    .venv/bin/python -m bench.bench_complaints [--seconds 10] [--concurrency 16] [--rate 20] [--quick]

Two complaint replicas (`python -m services.complaint`), one anchor replica and the gateway run as
separate processes on a private PostgreSQL and NATS (or DATABASE_URL / NATS_URL), with the
development PKI; every call is mutual TLS. About 90 s on this 2-core machine (--quick: ~30 s).

1. Intake: complaints filed per second at a realistic mix (half online through the app's backend,
   a quarter by phone through service staff, a fifth by email through the mail gateway, the rest
   regulator referrals; one in ten a whistle-blower's, up to three attachments, half naming one of
   the registered anchors and the rest an order this service never heard of), from a closed loop
   of --concurrency callers, through the gateway (the roles' client certificates) against the
   baseline of the same calls straight to the active replica (the gateway's certificate and the
   identity it would forward), in alternating blocks; the ratio gateway/direct is the figure.
2. Intake to credit archive: a complaint about a registered anchor is filed by phone, acknowledged,
   investigated and resolved (upheld) through the gateway; the complaint service publishes
   ComplaintUpheld, the anchor service records it in the anchor's archive and, in the same
   transaction, writes CreditScoreChanged, which an ordered JetStream consumer on the anchor's
   stream notes. Latency = that arrival - the moment FileComplaint was sent (the whole path, four
   calls and two services' outboxes; target p99 <= 200 ms), and - the moment the resolving call
   returned (the event path alone). Paced (bench/pacing.py) at --rate, alternating with the
   baseline at a tenth of it, where nothing queues; the ratio of the p99s says what the load adds.
   Each sample names its own anchor of --anchors, never two in flight for one anchor, so an
   arrival is matched to its complaint (an upheld complaint costs the anchor 3 points: an
   anchor's score changes for each of the first 33).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from google.protobuf import json_format
from nats.js.api import DeliverPolicy

from bench.datastores import datastores
from bench.measure import percentile, qps
from bench.pacing import paced
from bench.suite import Suite
from livecommerce.anchor.v1 import anchor_pb2, anchor_pb2_grpc, credit_pb2, events_pb2
from livecommerce.common.v1 import envelope_pb2
from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.complaint.v1 import complaint_pb2_grpc
from livecommerce.runtime import broker
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.heap import freeze_startup_objects
from livecommerce.runtime.identity import Caller, caller_from_certificate
from livecommerce.runtime.settings import Secret, Settings
from livecommerce.runtime.tls import TlsFiles
from livecommerce.suite import example_registration, seed_demo_agency

TARGET_P99_MS = 200.0
EVENT_WAIT_SECONDS = 15.0


def rid() -> str:
    return f"bench-{uuid.uuid4().hex}"


# --- the mix ---------------------------------------------------------------------------------------


@dataclass
class Desk:
    """The stubs one path files through: the app's backend and the mail gateway (integration),
    service staff (customer_service), a regulator."""

    integration: complaint_pb2_grpc.ComplaintServiceStub
    staff: complaint_pb2_grpc.ComplaintServiceStub
    regulator: complaint_pb2_grpc.ComplaintServiceStub
    anchors: list[str]
    random: random.Random = field(default_factory=lambda: random.Random(15))
    filed: int = 0

    def _common(self) -> dict:
        r = self.random
        concern = pb.Concern(anchor_id=r.choice(self.anchors)) if r.random() < 0.5 else pb.Concern(order_id=f"tb-{r.randrange(10**9)}")
        return dict(
            concern=concern, whistle_blower=r.random() < 0.1,
            attachments=[pb.Attachment(name=f"{n}.jpg", sha256=f"{r.getrandbits(256):064x}", size_bytes=r.randrange(1, 5 << 20)) for n in range(r.randrange(4))],
        )

    async def file_one(self) -> None:
        kind, r = self.random.random(), self.random
        category = r.choice(["product_quality", "false_advertising", "after_sales", "anchor_conduct", "counterfeit"])
        if kind < 0.5:
            await self.integration.FileComplaint(pb.FileComplaintRequest(
                request_id=rid(), channel=pb.CHANNEL_ONLINE, category=category, description="主播宣传与实物不符，要求退货",
                contact=pb.Contact(name="王五", consumer_id=f"u-{r.randrange(10**8)}"), **self._common(),
            ))
        elif kind < 0.75:
            await self.staff.FileComplaint(pb.FileComplaintRequest(
                request_id=rid(), channel=pb.CHANNEL_PHONE, category=category, description="来电投诉：收到商品破损",
                contact=pb.Contact(name="赵六", phone=f"139{r.randrange(10**8):08d}"), **self._common(),
            ))
        elif kind < 0.95:
            common = self._common()
            await self.integration.ReceiveEmailComplaint(pb.ReceiveEmailComplaintRequest(
                request_id=rid(), from_address=f"c{r.randrange(10**6)}@mail.example.cn", from_name="孙七", subject="投诉",
                body="直播间购买的商品有质量问题。", concern=common["concern"], attachments=common["attachments"],
                whistle_blower=common["whistle_blower"],
            ))
        else:
            await self.regulator.FileComplaint(pb.FileComplaintRequest(
                request_id=rid(), channel=pb.CHANNEL_REGULATOR, category="counterfeit", description="市场监管局转办",
                contact=pb.Contact(name="市场监管局", phone="010-12345678"), referral_reference=f"SAMR-{r.randrange(10**6)}",
                **self._common(),
            ))  # fmt: skip
        self.filed += 1


# --- intake to credit archive ---------------------------------------------------------------------


class ArchiveUpdates:
    """CreditScoreChanged of anchors (not agencies) caused by an upheld complaint, as they arrive."""

    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Future] = {}

    async def on_message(self, msg) -> None:
        at = time.perf_counter()
        event = events_pb2.CreditScoreChanged()
        envelope_pb2.EventEnvelope.FromString(msg.data).payload.Unpack(event)
        if event.subject.kind == credit_pb2.SUBJECT_KIND_ANCHOR and event.cause == "upheld_complaint":
            future = self.waiting.pop(event.subject.id, None)
            if future is not None and not future.done():
                future.set_result(at)

    def expect(self, anchor_id: str) -> asyncio.Future:
        if anchor_id in self.waiting:
            raise SystemExit(f"two samples in flight for anchor {anchor_id}: lower --rate or raise --anchors")
        self.waiting[anchor_id] = future = asyncio.get_running_loop().create_future()
        return future


@dataclass
class Run:
    rate: float
    label: str
    whole_ms: list[float] = field(default_factory=list)
    event_ms: list[float] = field(default_factory=list)
    call_ms: list[float] = field(default_factory=list)
    """Each of the four calls' own latency."""
    lost: int = 0

    def print(self) -> None:
        def figures(values: list[float]) -> str:
            return f"p50 {statistics.median(values):6.1f} ms, p99 {percentile(values, 0.99):6.1f} ms, max {max(values):6.1f} ms"

        print(f"    at {self.rate:4.1f}/s{self.label}: {len(self.whole_ms)} upheld complaints in their archives, {self.lost} not within {EVENT_WAIT_SECONDS:.0f} s")
        print(f"      FileComplaint sent -> archive updated : {figures(self.whole_ms)}")
        print(f"      resolved (upheld) OK -> archive updated: {figures(self.event_ms)}")
        print(f"      the calls themselves (each of four)   : {figures(self.call_ms)}")


async def uphold(staff: complaint_pb2_grpc.ComplaintServiceStub, anchor_id: str, updates: ArchiveUpdates, run: Run) -> None:
    arrived = updates.expect(anchor_id)
    started = time.perf_counter()
    sent = started
    complaint = (await staff.FileComplaint(pb.FileComplaintRequest(
        request_id=rid(), channel=pb.CHANNEL_PHONE, category="false_advertising", description="主播夸大功效",
        contact=pb.Contact(phone="13800138000"), concern=pb.Concern(anchor_id=anchor_id),
    ))).complaint  # fmt: skip
    run.call_ms.append((time.perf_counter() - sent) * 1000)
    for to, note in ((pb.COMPLAINT_STATUS_ACKNOWLEDGED, ""), (pb.COMPLAINT_STATUS_INVESTIGATING, ""), (pb.COMPLAINT_STATUS_RESOLVED, "属实")):
        sent = time.perf_counter()
        await staff.AdvanceComplaint(pb.AdvanceComplaintRequest(request_id=rid(), complaint_id=complaint.complaint_id, to=to, note=note))
        run.call_ms.append((time.perf_counter() - sent) * 1000)
    resolved = time.perf_counter()
    try:
        at = await asyncio.wait_for(arrived, EVENT_WAIT_SECONDS)
    except TimeoutError:
        updates.waiting.pop(anchor_id, None)
        run.lost += 1
        return
    run.whole_ms.append((at - started) * 1000)
    run.event_ms.append((at - resolved) * 1000)


# --- the run -------------------------------------------------------------------------------------


class Clients:
    def __init__(self, suite: Suite) -> None:
        self.pki, self.stack = suite.pki, contextlib.AsyncExitStack()

    async def channel_via(self, gateway: str, role: str):
        files = self.pki["clients"][role]
        return await self.stack.enter_async_context(secure_channel(gateway, TlsFiles(cert=files["cert"], key=files["key"], ca=self.pki["ca_cert"])))

    async def channel_direct(self, replica: str, role: str):
        caller: Caller | None = caller_from_certificate(Path(self.pki["clients"][role]["cert"]).read_bytes())  # noqa: ASYNC240 (start-up)
        assert caller is not None
        gateway = self.pki["servers"]["gateway"]
        trusted = TlsFiles(cert=gateway["cert"], key=gateway["key"], ca=self.pki["ca_cert"])
        return await self.stack.enter_async_context(secure_channel(replica, trusted, caller=caller))

    async def desk(self, open_channel, address: str, anchors: list[str]) -> Desk:
        integration, staff, regulator = [
            complaint_pb2_grpc.ComplaintServiceStub(await open_channel(address, role)) for role in ("integration", "customer_service", "regulator")
        ]
        return Desk(integration, staff, regulator, anchors=anchors)


async def register_anchors(suite: Suite, clients: Clients, gateway: str, count: int, tmp: Path) -> list[str]:
    await seed_demo_agency(gateway, Path(suite.root) / "pki")
    agency = anchor_pb2_grpc.AnchorServiceStub(await clients.channel_via(gateway, "agency"))
    anchors = []
    for _ in range(count):
        request = json.loads(example_registration(tmp).read_text(encoding="utf-8"))
        request["request_id"] = rid()
        anchors.append((await agency.RegisterAnchor(json_format.ParseDict(request, anchor_pb2.RegisterAnchorRequest()))).anchor.anchor_id)
    conn = await asyncpg.connect(suite.database_url)
    try:
        for _ in range(400):  # the complaint service learns them from AnchorRegistered
            if await conn.fetchval("SELECT count(*) FROM complaint.anchor_projection WHERE anchor_id = ANY($1)", anchors) == count:
                return anchors
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    raise SystemExit("the complaint service did not project the registered anchors within 20 s")


async def intake(args: argparse.Namespace, direct: Desk, via: Desk) -> None:
    await qps(direct.file_one, concurrency=args.concurrency, seconds=1)  # warm-up
    await qps(via.file_one, concurrency=args.concurrency, seconds=1)
    rates: dict[str, list[float]] = {"direct": [], "via": []}
    for _ in range(max(1, round(args.seconds / args.block))):
        rates["direct"].append(await qps(direct.file_one, concurrency=args.concurrency, seconds=args.block))
        rates["via"].append(await qps(via.file_one, concurrency=args.concurrency, seconds=args.block))
    d, v = statistics.mean(rates["direct"]), statistics.mean(rates["via"])
    print(f"intake at a realistic mix (online 50%, phone 25%, email 20%, referral 5%; 10% whistle-blowers), {args.concurrency} concurrent,"
          f" {args.seconds:.0f} s per path in alternating {args.block:.0f} s blocks:")
    print(f"  direct to the active replica : {d:6.1f} complaints/s")
    print(f"  through the gateway          : {v:6.1f} complaints/s")
    print(f"  ratio gateway/direct         : {v / d:6.2f}")


async def to_archive(args: argparse.Namespace, staff: complaint_pb2_grpc.ComplaintServiceStub, anchors: list[str], nats_url: str, tls: TlsFiles, subject_root: str) -> None:
    nc = await broker.connect(nats_url, name="bench-complaints", tls=tls)
    stream = Settings(service="anchor", database_url="", nats_url=nats_url, pii_key=Secret(b""), subject_root=subject_root).stream_name
    try:
        updates = ArchiveUpdates()
        await nc.jetstream().subscribe(f"{subject_root}.anchor.credit.changed", stream=stream, cb=updates.on_message, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)
        loaded, baseline = Run(args.rate, " (load)"), Run(args.rate / 10, " (baseline)")
        turn = iter(range(10**9))

        def sample(into: Run):
            return lambda _n: uphold(staff, anchors[next(turn) % len(anchors)], updates, into)

        warm = Run(args.rate / 10, "")
        await paced(sample(warm), rate=warm.rate, count=len(anchors) // 4)
        for _ in range(args.blocks):
            for run in (loaded, baseline):
                await paced(sample(run), rate=run.rate, count=max(1, round(run.rate * args.block)))
        print(f"intake -> ComplaintUpheld -> the anchor's credit archive (CreditScoreChanged at a JetStream consumer), paced, {args.blocks} x {args.block:.0f} s blocks at each rate, alternating:")
        loaded.print()
        baseline.print()
        print(f"  ratio {loaded.rate:.0f}/s over {baseline.rate:.0f}/s: p99 {percentile(loaded.whole_ms, 0.99) / percentile(baseline.whole_ms, 0.99):5.2f}"
              f" (whole path)   (target: p99 <= {TARGET_P99_MS:.0f} ms)")
        if loaded.lost or baseline.lost:
            raise SystemExit(f"FAILED: {loaded.lost + baseline.lost} upheld complaints never reached the archive")
    finally:
        await nc.close()


async def run(args: argparse.Namespace) -> None:
    if args.quick:
        args.seconds, args.block, args.blocks = min(args.seconds, 2.0), 1.0, 2
    subject_root = f"benchc{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="lc-bench-complaints-") as tmp, datastores(Path(tmp)) as (database_url, nats_url):
        suite = Suite(Path(tmp), database_url, nats_url, service="complaint", also=["anchor"], env={"SUBJECT_ROOT": subject_root})
        freeze_startup_objects()
        clients = Clients(suite)
        try:
            suite.start_replica("anchor-a", service="anchor")
            suite.start_replica("complaint-a")
            suite.start_replica("complaint-b")
            gateway = suite.start_gateway()
            anchors = await register_anchors(suite, clients, gateway, args.anchors, Path(tmp))
            _, active = suite.replicas[await suite.holder()]
            via = await clients.desk(clients.channel_via, gateway, anchors)
            direct = await clients.desk(clients.channel_direct, active, anchors)
            await intake(args, direct, via)
            await to_archive(args, via.staff, anchors, nats_url, suite.nats_tls, subject_root)
        finally:
            await clients.stack.aclose()
            suite.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="intake seconds per path")
    parser.add_argument("--block", type=float, default=2.0, help="seconds per block when alternating paths or rates")
    parser.add_argument("--blocks", type=int, default=5, help="blocks at each rate of the archive path")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=20.0, help="upheld complaints per second, paced")
    parser.add_argument("--anchors", type=int, default=80, help="registered anchors the complaints name")
    parser.add_argument("--quick", action="store_true", help="a smoke run (2 s per path, 2 blocks of 1 s)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
