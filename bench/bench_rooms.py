"""Live rooms (issue 12): patrol through the gateway's batch stream, and a product take-down reaching
every room's watchers, measured in one run.

    .venv/bin/python -m bench.bench_rooms [--batches 400] [--rooms 100] [--watchers 10] [--delists 20] [--quick]

Two session replicas (`python -m services.session`), two product replicas (`python -m
services.product`) and the gateway (`python -m gateway`, GATEWAY_UPSTREAMS=session=a|b,product=c|d)
run as separate processes on a private PostgreSQL and NATS (or DATABASE_URL / NATS_URL), with the
development PKI and the default lease TTL; every call is mutual TLS through the gateway. About
40 s on this 2-core machine (--quick: about 20 s); this process (the clients, the watchers) shares
the two cores with them, and its CPU is printed beside theirs.

1. Patrol: PatrolService.CheckChunks (the bidi batch stream) through the gateway with the
   integration client certificate, batches of 256 chunks without a session_id (pure patrol):
   danmaku (24 characters), user comments (40) and anchor speech (100) of plain sales talk, 5%
   carrying a disguised term of the seed lexicon (bench_patrol's corpus generator); the batches
   are written ahead on one stream kept open (gRPC flow control bounds what is in flight).
   Beside it, the patrol engine in this process (PatrolEngine.check_many, the seed lexicon the
   service runs with while no version was published) on exactly the same batches. The paths
   alternate in blocks of --block batches, so both sample the same moments of this noisy machine;
   messages/s over all blocks (and the blocks' spread), the ratio gateway/in-process (issue target
   >= 0.5), the CPU per 1,000 chunks of each process; both must find hits in the same chunks.
2. Take-down: --rooms live rooms, each watched by --watchers WatchRoom streams through the
   gateway (integration certificate, spread over --channels connections, each connected before
   the streams open), all showing products P1..Pn (one per delist), a warm-up product and a few
   others. The real product service lists the products (merchant: SubmitProduct; officer:
   ReviewProduct APPROVE, RecordInspection PASS) and takes each P down (officer: DelistProduct,
   DELIST_CAUSE_COMPLIANCE); the session service learns of both from the product service's own
   events. The anchors are not the anchor service's: their AnchorFileApproved and onboarding
   TrainingRecorded envelopes are published on the anchor stream as the anchor service would
   publish them, which makes them eligible in the session service's projection. Then, as the
   merchant (tenant m-demo): ScheduleSession (planned start 5 minutes ahead), CompleteChecklist,
   OpenRoom. A first take-down (the warm-up product) is printed but not counted.
   Latency per watcher = the moment its stream delivers the PRODUCT_REMOVED update for P - the
   moment the DelistProduct call returned OK; p50/p99/max over every watcher of every delist
   (target p99 <= 250 ms), per delist too, with when the first watcher was served and how long
   the fan-out to the last one took. Each delist must reach every watcher exactly once within
   15 s, and every stream's sequence must stay gap-free (the run fails otherwise).
   Baseline, in the same run, alternating with the loaded delists: the same take-down of
   products B1..Bn shown in one more room with one watcher (the path with nothing to fan out);
   the ratio of the p99s says what the fan-out to rooms x watchers adds. Also printed: when a
   plain JetStream consumer of the product stream's `delisted` subject got each event (the
   product service's share of the path), and the CPU per delist of each process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import itertools
import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import asyncpg
import grpc
from google.protobuf import any_pb2, timestamp_pb2
from nats.js.api import DeliverPolicy

from bench.bench_patrol import messages
from bench.bench_products import Cpu, DelistedEvents, Shelf, food_licence
from bench.datastores import datastores
from bench.measure import percentile
from bench.suite import Suite
from livecommerce.anchor.v1 import events_pb2 as anchor_events
from livecommerce.common.v1 import envelope_pb2
from livecommerce.product.v1 import product_pb2 as product_pb
from livecommerce.product.v1 import product_pb2_grpc
from livecommerce.runtime import broker
from livecommerce.runtime.client import CHANNEL_OPTIONS
from livecommerce.runtime.heap import freeze_startup_objects
from livecommerce.runtime.settings import Secret, Settings
from livecommerce.runtime.timestamps import stamp
from livecommerce.runtime.tls import TlsFiles
from livecommerce.session.v1 import patrol_pb2, patrol_pb2_grpc, session_pb2_grpc
from livecommerce.session.v1 import session_pb2 as pb
from services.session.patrol import Chunk, PatrolEngine
from services.session.patrol.lexicon import load_seed
from services.session.patrol.model import Source

SEED = 20261212
BATCH = 256
DIRTY = 0.05
CORPUS = (  # (source, characters, share of the chunks)
    (Source.DANMAKU, patrol_pb2.CHUNK_SOURCE_DANMAKU, 24, 0.5),
    (Source.USER_COMMENT, patrol_pb2.CHUNK_SOURCE_USER_COMMENT, 40, 0.3),
    (Source.ANCHOR_SPEECH, patrol_pb2.CHUNK_SOURCE_ANCHOR_SPEECH, 100, 0.2),
)
PATROL_TARGET_RATIO = 0.5
TAKEDOWN_TARGET_P99_MS = 250.0
OTHER_PRODUCTS = 3
"""Products every room shows besides the ones taken down."""
RECEIPT_WAIT_SECONDS = 15.0
"""How long a delist waits for its updates before the run fails."""
RETRIES = 20
DELIST_REASON = "bench: compliance take-down (PRD-10)"
CHECKLIST = [pb.CHECKLIST_ITEM_EQUIPMENT, pb.CHECKLIST_ITEM_NETWORK, pb.CHECKLIST_ITEM_SYSTEM_TEST]

T = TypeVar("T")
STARTED = time.perf_counter()


def rid() -> str:
    return f"bench-{uuid.uuid4().hex}"


async def persisting(call: Callable[[], Awaitable[T]]) -> T:
    """`call` again while the service answers UNAVAILABLE (a fresh replica settling, the lease
    changing hands); every request here carries its request_id, so a retry does nothing twice."""
    for attempt in itertools.count():
        try:
            return await call()
        except grpc.aio.AioRpcError as error:
            if error.code() != grpc.StatusCode.UNAVAILABLE or attempt >= RETRIES:
                raise
            await asyncio.sleep(0.25)
    raise AssertionError("unreachable")


async def bounded(calls: Sequence[Callable[[], Awaitable[T]]], concurrency: int) -> list[T]:
    """Runs the calls, at most `concurrency` at a time; results in order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await call()

    return await asyncio.gather(*(one(call) for call in calls))


class Clients:
    """Stubs through the gateway with one role's client certificate, each on its own connection."""

    def __init__(self, suite: Suite, gateway: str) -> None:
        self.pki, self.gateway, self.stack = suite.pki, gateway, contextlib.AsyncExitStack()

    async def channel(self, role: str) -> grpc.aio.Channel:
        files = self.pki["clients"][role]
        tls = TlsFiles(cert=files["cert"], key=files["key"], ca=self.pki["ca_cert"])
        # A subchannel pool of its own: a connection of its own, as separate viewers' apps would have.
        options = (*CHANNEL_OPTIONS, ("grpc.use_local_subchannel_pool", 1))
        channel = await self.stack.enter_async_context(grpc.aio.secure_channel(self.gateway, tls.channel_credentials(), options=options))
        # Connected before it carries calls, so the measurement starts with every watcher subscribed.
        await asyncio.wait_for(channel.channel_ready(), 30)
        return channel


# --- 1. patrol --------------------------------------------------------------------------------------


@dataclass
class Corpus:
    batches: list[list[Chunk]]
    requests: list[patrol_pb2.CheckChunksRequest]

    @property
    def count(self) -> int:
        return sum(map(len, self.batches))

    @property
    def characters(self) -> float:
        return statistics.mean(len(c.text) for batch in self.batches for c in batch)


def corpus(batches: int) -> Corpus:
    """`batches` batches of BATCH chunks of live-room text, the sources interleaved."""
    rng = random.Random(SEED)
    banned = [e.term for e in load_seed().entries if len(e.term) >= 2]
    total = batches * BATCH
    counts = [round(total * share) for *_, share in CORPUS[:-1]]
    counts.append(total - sum(counts))
    kinds = [(source, source_pb, text) for (source, source_pb, length, _), count in zip(CORPUS, counts, strict=True)
             for text in messages(rng, count, banned, length=length, dirty=DIRTY)]
    rng.shuffle(kinds)
    chunks = [Chunk(text, source) for source, _, text in kinds]
    protos = [patrol_pb2.TextChunk(chunk_id=f"c{i}", source=source_pb, text=text) for i, (_, source_pb, text) in enumerate(kinds)]
    return Corpus(
        batches=[chunks[i : i + BATCH] for i in range(0, total, BATCH)],
        requests=[patrol_pb2.CheckChunksRequest(chunks=protos[i : i + BATCH]) for i in range(0, total, BATCH)],
    )


def in_process(engine: PatrolEngine, batches: Sequence[Sequence[Chunk]]) -> tuple[float, int]:
    """Seconds the engine took on the batches, and the chunks with hits."""
    started = time.perf_counter()
    flagged = sum(not r.clean for batch in batches for r in engine.check_many(batch))
    return time.perf_counter() - started, flagged


class CheckStream:
    """One CheckChunks stream through the gateway, kept open from block to block."""

    def __init__(self, patrol: patrol_pb2_grpc.PatrolServiceStub) -> None:
        self.call = patrol.CheckChunks()

    async def block(self, requests: Sequence[patrol_pb2.CheckChunksRequest]) -> tuple[float, int]:
        """Seconds from the first batch written to the last answer read, the batches written
        ahead (gRPC flow control bounds what is in flight), and the chunks with hits."""

        async def write() -> None:
            for request in requests:
                await self.call.write(request)

        started, flagged = time.perf_counter(), 0
        writing = asyncio.create_task(write())
        for request in requests:
            response = await self.call.read()
            if not isinstance(response, patrol_pb2.CheckChunksResponse) or len(response.results) != len(request.chunks):
                raise SystemExit(f"FAILED: CheckChunks answered {response!r} to a batch of {len(request.chunks)}")
            flagged += sum(not r.clean for r in response.results)
        await writing
        return time.perf_counter() - started, flagged

    async def close(self) -> None:
        await self.call.done_writing()
        await self.call.wait_for_connection()


async def patrol_rates(args: argparse.Namespace, patrol: patrol_pb2_grpc.PatrolServiceStub, cpu: Cpu) -> None:
    data = corpus(args.batches)
    engine = PatrolEngine()  # the seed lexicon, as the service's live version
    in_process(engine, data.batches[:4])
    stream = await persisting(lambda: _opened(patrol, data.requests[:4]))  # the connection, the replica's first batches
    seconds: dict[str, float] = defaultdict(float)
    flagged: Counter[str] = Counter()
    used: dict[str, Counter[str]] = {"in-process": Counter(), "gateway": Counter()}
    blocks = [range(i, min(i + args.block, len(data.batches))) for i in range(0, len(data.batches), args.block)]
    rates: dict[str, list[float]] = {"in-process": [], "gateway": []}
    for _ in range(args.rounds):
        for block in blocks:
            before = cpu.now()
            took, hits = in_process(engine, [data.batches[i] for i in block])
            used["in-process"].update(cpu.since(before))
            seconds["in-process"] += took
            flagged["in-process"] += hits
            rates["in-process"].append(len(block) * BATCH / took)
            before = cpu.now()
            took, hits = await stream.block([data.requests[i] for i in block])
            used["gateway"].update(cpu.since(before))
            seconds["gateway"] += took
            flagged["gateway"] += hits
            rates["gateway"].append(len(block) * BATCH / took)
    await stream.close()
    checked = args.rounds * data.count
    local, remote = checked / seconds["in-process"], checked / seconds["gateway"]
    shares = ", ".join(f"{share:.0%} {source.value} ({length} chars)" for source, _, length, share in CORPUS)
    print(f"patrol, {data.count:,} chunks in batches of {BATCH} ({shares}; {DIRTY:.0%} with a disguised banned term),"
          f" {args.rounds} rounds in alternating blocks of {args.block * BATCH:,} chunks:")

    def spread(path: str) -> str:
        return f"(blocks: min {min(rates[path]):,.0f}, p50 {statistics.median(rates[path]):,.0f}, max {max(rates[path]):,.0f})"

    print(f"  through the gateway, CheckChunks (one stream, integration cert): {remote:9,.0f} msg/s  {spread('gateway')}")
    print(f"  in-process engine, check_many on the same batches              : {local:9,.0f} msg/s  {spread('in-process')}")
    per_k = 1e6 / checked  # CPU ms per 1,000 chunks

    def ms(path: str, process: str) -> str:
        return f"{used[path][process] * per_k:5.1f} ms"

    print(f"  CPU per 1,000 chunks: through the gateway: session replica {ms('gateway', 'session')}, gateway {ms('gateway', 'gateway')},"
          f" this process (client) {ms('gateway', 'bench')}; in-process: {ms('in-process', 'bench')}")
    print(f"  chunks with hits: {', '.join(f'{path} {count:,}' for path, count in sorted(flagged.items()))}")
    print(f"  ratio gateway/in-process: {remote / local:5.2f}   (target >= {PATROL_TARGET_RATIO})")
    if flagged["gateway"] != flagged["in-process"]:
        raise SystemExit(f"FAILED: the gateway and the in-process engine disagree on the chunks with hits: {dict(flagged)}")


async def _opened(patrol: patrol_pb2_grpc.PatrolServiceStub, warm_up: Sequence[patrol_pb2.CheckChunksRequest]) -> CheckStream:
    stream = CheckStream(patrol)
    await stream.block(warm_up)
    return stream


# --- 2. take-down: the rooms ------------------------------------------------------------------------


class Upstream:
    """The anchor service as the session service hears it: its events' envelopes on its stream."""

    def __init__(self, js, settings: Settings) -> None:
        self.js, self.settings = js, settings

    async def publish(self, noun: str, verb: str, payload) -> None:
        event_id = str(uuid.uuid4())
        packed = any_pb2.Any()
        packed.Pack(payload)
        at = timestamp_pb2.Timestamp()
        at.FromDatetime(datetime.now(UTC))
        envelope = envelope_pb2.EventEnvelope(id=event_id, type=payload.DESCRIPTOR.full_name, source="anchor", payload=packed, time=at)
        await self.js.publish(
            f"{self.settings.subject_root}.anchor.{noun}.{verb}", envelope.SerializeToString(), headers={"Nats-Msg-Id": event_id}
        )

    async def eligible_anchor(self, anchor_id: str) -> None:
        """An approved file of an adult and a passed onboarding training (ANC-09)."""
        await self.publish("file", "approved", anchor_events.AnchorFileApproved(
            anchor_id=anchor_id, version=1, agency_id="ag-demo", adult_on="2000-01-01",
        ))  # fmt: skip
        await self.publish("training", "recorded", anchor_events.TrainingRecorded(
            anchor_id=anchor_id, training_id=f"tr-{anchor_id}", course_id="onboarding", onboarding=True, passed=True,
            completed_at=stamp(datetime.now(UTC)),
        ))  # fmt: skip


async def settled(database_url: str, query: str, *args, within: float = 30.0) -> None:
    """Waits until `query` (on the session schema) answers true."""
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "session"})
    try:
        deadline = time.perf_counter() + within
        while not await conn.fetchval(query, *args):
            if time.perf_counter() > deadline:
                raise SystemExit(f"FAILED: the session service's projection did not show it within {within:.0f} s: {query} {args}")
            await asyncio.sleep(0.05)
    finally:
        await conn.close()


async def list_products(shelf: Shelf, count: int, *, concurrency: int) -> list[str]:
    """`count` products taken to LISTED through the product service; a product whose walk was
    refused UNAVAILABLE (a fresh replica settling) is left behind and another one walked."""
    listed_before = len(shelf.listed)
    refused = 0

    async def one() -> None:
        nonlocal refused
        while True:
            try:
                return await shelf.list_one()
            except grpc.aio.AioRpcError as error:
                refused += 1
                if error.code() != grpc.StatusCode.UNAVAILABLE or refused > RETRIES:
                    raise
                await asyncio.sleep(0.25)

    await bounded([one] * count, concurrency)
    return shelf.listed[listed_before:]


async def live_room(merchant: session_pb2_grpc.SessionServiceStub, anchor_id: str, room_id: str, product_ids: list[str]) -> str:
    """Scheduled 5 minutes ahead (the checklist opens 30 minutes before), checklist done, room open."""
    schedule = pb.ScheduleSessionRequest(
        request_id=rid(), anchor_id=anchor_id, room_id=room_id, title="双十二大米专场",
        planned_start=stamp(datetime.now(UTC) + timedelta(minutes=5)), product_ids=product_ids,
    )
    session = (await persisting(lambda: merchant.ScheduleSession(schedule))).session
    checklist = pb.CompleteChecklistRequest(request_id=rid(), session_id=session.session_id, items=CHECKLIST)
    await persisting(lambda: merchant.CompleteChecklist(checklist))
    opened = pb.OpenRoomRequest(request_id=rid(), session_id=session.session_id)
    live = (await persisting(lambda: merchant.OpenRoom(opened))).session
    if live.status != pb.SESSION_STATUS_LIVE:
        raise SystemExit(f"FAILED: session {live.session_id} is {pb.SessionStatus.Name(live.status)} after OpenRoom")
    return live.session_id


# --- 2. take-down: the watchers ---------------------------------------------------------------------


@dataclass
class Removals:
    """When each watcher's stream delivered each PRODUCT_REMOVED (time.perf_counter)."""

    arrived: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    duplicates: int = 0
    gaps: int = 0
    reconnects: int = 0
    update_bytes: int = 0
    """The size of the last PRODUCT_REMOVED update seen."""
    ended: Counter[str] = field(default_factory=Counter)
    """Why streams ended and were reopened (a stream ending without a status: "ended")."""
    failures: list[str] = field(default_factory=list)
    """Streams that ended with another status than UNAVAILABLE (and were not reopened)."""
    expected: dict[str, tuple[int, asyncio.Event]] = field(default_factory=dict)

    def expect(self, product_id: str, count: int) -> asyncio.Event:
        done = asyncio.Event()
        self.expected[product_id] = (count, done)
        return done

    def note(self, product_id: str, at: float) -> None:
        got = self.arrived[product_id]
        got.append(at)
        count, done = self.expected.get(product_id, (0, None))
        if done is not None and len(got) >= count:
            done.set()


class Watcher:
    """One WatchRoom stream: the state first, then each update; on UNAVAILABLE (the lease moved)
    it reconnects with the last sequence it saw, as a viewer's app does."""

    def __init__(self, stub: session_pb2_grpc.SessionServiceStub, session_id: str, removals: Removals) -> None:
        self.stub, self.session_id, self.removals = stub, session_id, removals
        self.last = 0
        self.seen: set[str] = set()
        self.subscribed = asyncio.Event()

    async def run(self) -> None:
        while True:
            why = "ended"
            try:
                call = self.stub.WatchRoom(pb.WatchRoomRequest(session_id=self.session_id, after_sequence=self.last))
                async for response in call:
                    self.take(response.update)
            except grpc.aio.AioRpcError as error:
                if error.code() != grpc.StatusCode.UNAVAILABLE:
                    self.removals.failures.append(f"{error.code().name}: {error.details()}")
                    raise
                why = f"UNAVAILABLE: {error.details()}"
            self.removals.reconnects += 1
            self.removals.ended[f"{why} (after sequence {self.last}, at {time.perf_counter() - STARTED:.1f} s)"] += 1
            await asyncio.sleep(0.1)

    def take(self, update: pb.RoomUpdate) -> None:
        at = time.perf_counter()
        if not update.HasField("change"):  # the state as it stands: a first update, or a catch-up too far behind
            self.last = update.sequence
            self.subscribed.set()
            return
        if update.sequence != self.last + 1:
            self.removals.gaps += 1
        self.last = update.sequence
        if update.change.kind == pb.ROOM_CHANGE_KIND_PRODUCT_REMOVED:
            product_id = update.change.product_id
            if product_id in self.seen:
                self.removals.duplicates += 1
                return
            self.seen.add(product_id)
            self.removals.note(product_id, at)
            self.removals.update_bytes = update.ByteSize()


# --- 2. take-down: the delists ----------------------------------------------------------------------


@dataclass
class Delists:
    """The take-downs of one kind (loaded or baseline): when each DelistProduct returned OK."""

    label: str
    watchers: int
    returned: dict[str, float] = field(default_factory=dict)
    call_ms: list[float] = field(default_factory=list)
    per_delist: list[tuple[str, list[float]]] = field(default_factory=list)

    def latencies(self, removals: Removals) -> list[float]:
        return [(at - self.returned[p]) * 1000 for p in self.returned for at in removals.arrived[p]]


async def delist_one(officer: product_pb2_grpc.ProductServiceStub, product_id: str, run: Delists, removals: Removals) -> None:
    """Takes `product_id` down and waits until every watcher of the rooms showing it got the update."""
    done = removals.expect(product_id, run.watchers)
    request = product_pb.DelistProductRequest(request_id=rid(), product_id=product_id, cause=product_pb.DELIST_CAUSE_COMPLIANCE, reason=DELIST_REASON)
    started = time.perf_counter()
    answer = await persisting(lambda: officer.DelistProduct(request))
    run.returned[product_id] = returned = time.perf_counter()
    run.call_ms.append((returned - started) * 1000)
    if answer.product.state != product_pb.PRODUCT_STATE_DELISTED:
        raise SystemExit(f"FAILED: product {product_id} is {product_pb.ProductState.Name(answer.product.state)} after DelistProduct")
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), RECEIPT_WAIT_SECONDS)
    got = removals.arrived[product_id]
    if len(got) != run.watchers:
        raise SystemExit(
            f"FAILED: the delist of {product_id} ({run.label}) reached {len(got)} of {run.watchers} watchers"
            f" within {RECEIPT_WAIT_SECONDS:.0f} s ({removals.duplicates} duplicates, {removals.gaps} sequence gaps so far;"
            f" {len(removals.failures)} streams failed, e.g. {removals.failures[:3]})"
        )
    run.per_delist.append((product_id, [(at - returned) * 1000 for at in got]))


def figures(latencies: Sequence[float]) -> str:
    return f"p50 {statistics.median(latencies):6.1f} ms, p99 {percentile(list(latencies), 0.99):6.1f} ms, max {max(latencies):6.1f} ms"


@dataclass
class Stage:
    """How long a step of the setup took."""

    steps: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def done(self, what: str) -> None:
        now = time.perf_counter()
        self.steps.append(f"{what} ({now - self.started:.1f} s)")
        self.started = now


async def take_down(args: argparse.Namespace, suite: Suite, clients: Clients, settings: Settings, cpu: Cpu) -> None:
    stage = Stage()
    merchant_channel, officer_channel = await clients.channel("merchant"), await clients.channel("compliance_officer")
    products = product_pb2_grpc.ProductServiceStub(merchant_channel)
    officer = product_pb2_grpc.ProductServiceStub(officer_channel)
    merchant = session_pb2_grpc.SessionServiceStub(merchant_channel)

    # Anchors, eligible in the session service's projection from the anchor service's events.
    tag = uuid.uuid4().hex[:6]
    anchors = [f"an-bench-{tag}-{i}" for i in range(args.rooms + 1)]
    nc = await broker.connect(settings.nats_url, name="bench-rooms", tls=suite.nats_tls)
    try:
        js = nc.jetstream()
        await broker.ensure_stream(js, settings.stream_for("anchor"), [f"{settings.subject_root}.anchor.>"])
        upstream = Upstream(js, settings)
        for anchor_id in anchors:
            await upstream.eligible_anchor(anchor_id)
        await settled(suite.database_url, "SELECT count(*) = $2 FROM anchor_projection WHERE approved AND onboarded AND anchor_id = ANY($1::text[])",
                      anchors, len(anchors))
        stage.done(f"{len(anchors)} anchors eligible")

        # Products, listed by the product service; the session service hears of them from its events.
        licence_request = product_pb.RecordLicenceRequest(request_id=rid(), licence=food_licence())
        licence = (await persisting(lambda: products.RecordLicence(licence_request))).licence
        shelf = Shelf(products, officer, licence.licence_id, tag)
        listed = await list_products(shelf, 2 * args.delists + OTHER_PRODUCTS + 1, concurrency=8)
        taken, baseline_taken = listed[: args.delists], listed[args.delists : 2 * args.delists]
        warm_up, others = listed[2 * args.delists], listed[2 * args.delists + 1 :]
        await settled(suite.database_url, "SELECT count(*) = $2 FROM product_projection WHERE listed AND product_id = ANY($1::text[])",
                      listed, len(listed))
        stage.done(f"{len(listed)} products listed through the product service")

        # Rooms, live: --rooms showing P1..Pn, one more (the baseline's) B1..Bn; every one the warm-up's and the others.
        rooms = await bounded([
            functools.partial(live_room, merchant, anchors[i], f"room-bench-{tag}-{i}", [*taken, warm_up, *others]) for i in range(args.rooms)
        ], 16)  # fmt: skip
        baseline_room = await live_room(merchant, anchors[-1], f"room-bench-{tag}-baseline", [*baseline_taken, warm_up, *others])
        stage.done(f"{len(rooms) + 1} rooms live")

        # Watchers through the gateway (integration certificate), over --channels connections.
        removals = Removals()
        stubs = [session_pb2_grpc.SessionServiceStub(await clients.channel("integration")) for _ in range(args.channels)]
        watchers = [Watcher(stubs[n % len(stubs)], room, removals) for n, room in enumerate(r for r in rooms for _ in range(args.watchers))]
        baseline_watcher = Watcher(stubs[0], baseline_room, removals)
        tasks = [asyncio.create_task(w.run()) for w in [*watchers, baseline_watcher]]
        try:
            subscribing = asyncio.gather(*(w.subscribed.wait() for w in [*watchers, baseline_watcher]))
            await asyncio.wait_for(subscribing, 60)
            stage.done(f"{len(watchers) + 1:,} watchers subscribed")

            # A plain JetStream consumer of the delisted events: the product service's share.
            events = DelistedEvents()
            await js.subscribe(
                f"{settings.subject_root}.product.product.delisted", stream=settings.stream_for("product"), cb=events.on_message,
                ordered_consumer=True, deliver_policy=DeliverPolicy.NEW,
            )
            loaded = Delists(f"{args.rooms} rooms x {args.watchers} watchers", len(watchers))
            baseline = Delists("1 room x 1 watcher", 1)
            used: Counter[str] = Counter()
            await asyncio.sleep(0.5)  # let the subscriptions' first wake-ups pass
            # Not measured: the first fan-out of a fresh replica, gateway and client pays for warming their paths.
            warming = Delists("warm-up", len(watchers) + 1)
            await delist_one(officer, warm_up, warming, removals)
            await asyncio.sleep(0.2)
            for product_id, baseline_id in zip(taken, baseline_taken, strict=True):
                await delist_one(officer, baseline_id, baseline, removals)
                await asyncio.sleep(0.2)
                before = cpu.now()
                await delist_one(officer, product_id, loaded, removals)
                used.update(cpu.since(before))
                await asyncio.sleep(0.2)
            await events.wait_for(list(loaded.returned) + list(baseline.returned), RECEIPT_WAIT_SECONDS)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        await nc.close()

    print("take-down, DelistProduct (compliance officer, through the gateway; the product service's event)"
          " -> PRODUCT_REMOVED on WatchRoom streams (integration cert, through the gateway):")
    print(f"  setup: {'; '.join(stage.steps)}")
    print(f"  latency = the watcher's stream delivered the update - the DelistProduct call returned OK;"
          f" {args.delists} delists of each kind, alternating:")
    at_load, at_baseline = loaded.latencies(removals), baseline.latencies(removals)
    (_, warm), = warming.per_delist
    print(f"    warm-up (not counted): {len(warm):5,d} of {warming.watchers:,} watchers received it; {figures(warm)}")
    for n, (_, latencies) in enumerate(loaded.per_delist, 1):
        print(f"    delist {n:2d}: {len(latencies):5,d} of {loaded.watchers:,} watchers received it;"
              f" {figures(latencies)} (first {min(latencies):6.1f} ms)")
    print(f"  {loaded.label:<26}: {len(at_load):6,d} updates received ({len(at_load) // args.delists:,} per delist); {figures(at_load)}")
    firsts = [min(latencies) for _, latencies in loaded.per_delist]
    spreads = [max(latencies) - min(latencies) for _, latencies in loaded.per_delist]
    print(f"    of which, per delist: the first watcher served (event, consumer, transaction on {args.rooms} rooms, feed)"
          f" p50 {statistics.median(firsts):5.1f} ms, max {max(firsts):5.1f} ms; first to last watcher (the fan-out)"
          f" p50 {statistics.median(spreads):5.1f} ms, max {max(spreads):5.1f} ms")
    print(f"  baseline, {baseline.label:<16}: {len(at_baseline):6,d} updates received ({len(at_baseline) // args.delists:,} per delist); {figures(at_baseline)}")
    for run in (loaded, baseline):
        early = [(events.arrived[p] - t) * 1000 for p, t in run.returned.items() if p in events.arrived]
        if early:
            print(f"    {run.label}: the ProductDelisted event at a plain JetStream consumer: {figures(early)};"
                  f" the DelistProduct calls themselves: {figures(run.call_ms)}")
    print(f"  CPU per loaded delist: session replica {1000 * used['session'] / args.delists:5.1f} ms,"
          f" gateway {1000 * used['gateway'] / args.delists:5.1f} ms, product replica {1000 * used['product'] / args.delists:5.1f} ms,"
          f" this process (the {len(watchers):,} watchers) {1000 * used['bench'] / args.delists:5.1f} ms;"
          f" each update carries the room's whole state: {removals.update_bytes:,} bytes")
    if removals.reconnects or removals.gaps or removals.duplicates:
        print(f"  note: {removals.reconnects} reconnects, {removals.gaps} sequence gaps, {removals.duplicates} duplicate removals")
        for why, count in removals.ended.most_common(5):
            print(f"    {count} streams reopened after: {why}")
    print(f"  ratio {loaded.label} / {baseline.label}: p99 {percentile(at_load, 0.99) / percentile(at_baseline, 0.99):5.1f},"
          f" p50 {statistics.median(at_load) / statistics.median(at_baseline):5.1f}"
          f"   (target: p99 <= {TAKEDOWN_TARGET_P99_MS:.0f} ms; here {percentile(at_load, 0.99):.0f} ms)")
    if removals.gaps or removals.duplicates:
        raise SystemExit(f"FAILED: {removals.gaps} sequence gaps, {removals.duplicates} removals delivered twice")


# --- the run -----------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> None:
    if args.quick:
        args.batches, args.rounds, args.delists = min(args.batches, 80), min(args.rounds, 2), min(args.delists, 5)
    subject_root = f"benchr{uuid.uuid4().hex[:8]}"  # its own streams, even on shared datastores
    with tempfile.TemporaryDirectory(prefix="lc-bench-rooms-") as tmp, datastores(Path(tmp)) as (database_url, nats_url):
        env = {"SUBJECT_ROOT": subject_root, "LOG_LEVEL": args.log_level}
        suite = Suite(Path(tmp), database_url, nats_url, service="session", also=["product"], env=env)
        settings = Settings(service="session", database_url=database_url, nats_url=nats_url, pii_key=Secret(b""), subject_root=subject_root)
        freeze_startup_objects()  # as the services do once ready: no full-heap GC pauses in the figures
        clients: Clients | None = None
        try:
            started = time.perf_counter()
            for name in ("session-a", "session-b"):
                suite.start_replica(name, service="session")
            for name in ("product-a", "product-b"):
                suite.start_replica(name, service="product")
            gateway = suite.start_gateway()
            print(f"2 session replicas, 2 product replicas and the gateway started in {time.perf_counter() - started:.1f} s")
            clients = Clients(suite, gateway)
            epochs = {service: await suite.epoch(service) for service in ("session", "product")}

            assert suite.gateway is not None
            cpu = Cpu({
                "session": suite.replicas[await suite.holder("session")][0].pid, "product": suite.replicas[await suite.holder("product")][0].pid,
                "gateway": suite.gateway.pid, "bench": os.getpid(),
            })
            await patrol_rates(args, patrol_pb2_grpc.PatrolServiceStub(await clients.channel("integration")), cpu)
            await take_down(args, suite, clients, settings, cpu)
            for service, epoch in epochs.items():
                if (now := await suite.epoch(service)) != epoch:
                    print(f"note: the {service} lease changed hands {now - epoch} time(s) during the run (now with {await suite.holder(service)})")
        finally:
            if clients is not None:
                await clients.stack.aclose()
            suite.stop()
            if args.keep_logs:
                shutil.copytree(suite.logs, args.keep_logs, dirs_exist_ok=True)
            with contextlib.suppress(Exception):  # on shared datastores, leave no stream behind
                cleanup = await broker.connect(nats_url, name="bench-rooms-cleanup", tls=suite.nats_tls)
                for service in ("anchor", "product", "session"):
                    with contextlib.suppress(Exception):
                        await cleanup.jetstream().delete_stream(settings.stream_for(service))
                await cleanup.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=400, help=f"patrol batches of {BATCH} chunks per round")
    parser.add_argument("--rounds", type=int, default=3, help="times each path patrols all the batches")
    parser.add_argument("--block", type=int, default=20, help="batches per block when alternating the patrol paths")
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--watchers", type=int, default=10, help="WatchRoom streams per room")
    parser.add_argument("--channels", type=int, default=10, help="connections the watchers are spread over")
    parser.add_argument("--delists", type=int, default=20, help="products taken down in every room (and as many in the baseline's)")
    parser.add_argument("--keep-logs", type=Path, help="copy the replicas' and the gateway's logs here at the end")
    parser.add_argument("--log-level", default="WARNING", help="the replicas' LOG_LEVEL")
    parser.add_argument("--quick", action="store_true", help="a smoke run of about 20 s (80 batches, 2 rounds, 5 delists)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
