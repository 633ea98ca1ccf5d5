"""The trade service's docking stream and reconciliation (TRD-01, PLT-01), measured in one run.

    .venv/bin/python -m bench.bench_docking [--orders 100000] [--rounds 4] [--million 1000000] [--quick]

Two trade replicas (`python -m services.trade`) and the gateway (`python -m gateway`) run as
separate processes on a private PostgreSQL and NATS (or DATABASE_URL / NATS_URL), with the
development PKI; every call is mutual TLS with the trading platform's certificate (tenant taobao).
About 2-3 minutes on this 2-core machine (--quick: about 40 s).

1. Docking: orders per second from the first batch sent to the last acknowledgement, on one
   `DockOrders` stream through the gateway into PostgreSQL, in batches of 1,000 (each validated,
   COPYed into staging, docked by one set-based statement with its OrderCompleted outbox rows,
   committed and acknowledged). Baseline: raw asyncpg `copy_records_to_table` of the same rows
   (same columns) into a bare table (no key, no index), one transaction per 1,000 rows, as
   fast as one connection goes. The two alternate in --rounds rounds so both sample the same
   moments of this noisy machine; the ratio docked/raw is the figure (target >= 0.5). CPU per
   docked order of the active replica and the gateway (/proc) says where the time goes.
2. Reconciliation of --million orders (one session, inserted by SQL beforehand, a handful made
   to differ): ReconcilePlatform over their day through the gateway (a GROUP BY of the million),
   and the per-order reconciliation of the session with the platform's list of the million
   (the service's own code: the list checked, COPYed into staging, FULL JOINed in one query,
   only the differing orders returned; too big for one gRPC message, so run on a connection
   here). Target: <= 10 s each. Baseline: a bare `count(*), sum(amount_fen)` of the same rows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from bench.bench_products import Cpu
from bench.datastores import datastores
from bench.suite import Suite
from livecommerce.runtime import broker
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.heap import freeze_startup_objects
from livecommerce.runtime.settings import Secret, Settings
from livecommerce.runtime.timestamps import stamp
from livecommerce.runtime.tls import TlsFiles
from livecommerce.trade.v1 import trade_pb2 as pb
from livecommerce.trade.v1 import trade_pb2_grpc
from services.trade import convert
from services.trade import store as trade_store
from services.trade.batch import OrderColumns
from services.trade.reconciliation import domain, store

BATCH = 1000
RATIO_TARGET = 0.5
RECONCILE_TARGET_SECONDS = 10.0
DIFFERING = 5
"""Orders of the million made to differ (3 amounts, 1 missing on each side): the report must list exactly these."""

_BARE = """
CREATE TABLE IF NOT EXISTS bench_bare_orders (
    order_id uuid, platform text, external_order_id text, session_id text, product_id text, merchant_id text,
    amount_fen bigint, currency text, quantity integer, status text, placed_at timestamptz, paid_at timestamptz,
    completed_at timestamptz
)
"""
_BARE_COLUMNS = (
    "order_id", "platform", "external_order_id", "session_id", "product_id", "merchant_id", "amount_fen", "currency",
    "quantity", "status", "placed_at", "paid_at", "completed_at",
)


def batches(tag: str, first: int, count: int, at: datetime) -> list[list[pb.DockedOrder]]:
    """`count` completed orders numbered from `first`, in batches of 1,000."""
    placed, paid, done = stamp(at - timedelta(hours=2)), stamp(at - timedelta(hours=2) + timedelta(minutes=1)), stamp(at - timedelta(hours=1))
    orders = [
        pb.DockedOrder(
            external_order_id=f"{tag}-{n}", session_id=f"s-{n % 50}", product_id=f"p-{n % 200}", merchant_id="m-1",
            amount_fen=1_000 + n % 5_000, currency="CNY", quantity=1, status=pb.ORDER_STATUS_COMPLETED,
            placed_at=placed, paid_at=paid, completed_at=done,
        )
        for n in range(first, first + count)
    ]  # fmt: skip
    return [orders[i : i + BATCH] for i in range(0, len(orders), BATCH)]


def raw_rows(batch: list[pb.DockedOrder]) -> list[tuple]:
    return [
        (
            uuid.uuid4(), "taobao", o.external_order_id, o.session_id, o.product_id, o.merchant_id, o.amount_fen, o.currency,
            o.quantity, "completed", o.placed_at.ToDatetime(UTC), o.paid_at.ToDatetime(UTC), o.completed_at.ToDatetime(UTC),
        )
        for o in batch
    ]  # fmt: skip


async def dock_all(platform: trade_pb2_grpc.TradeServiceStub, work: list[list[pb.DockedOrder]], tag: str) -> float:
    """Orders per second over one stream; every order must come back accepted."""

    async def requests():
        for i, batch in enumerate(work):
            yield pb.DockOrdersRequest(request_id=f"{tag}-{i}", orders=batch)

    started = time.perf_counter()
    accepted = sum([ack.accepted async for ack in platform.DockOrders(requests())])
    elapsed = time.perf_counter() - started
    if accepted != sum(len(b) for b in work):
        raise SystemExit(f"FAILED: {accepted} of {sum(len(b) for b in work)} orders accepted")
    return accepted / elapsed


async def copy_all(conn: asyncpg.Connection, work: list[list[tuple]]) -> float:
    started = time.perf_counter()
    for rows in work:
        async with conn.transaction():
            await conn.copy_records_to_table("bench_bare_orders", records=rows, columns=_BARE_COLUMNS)
    return sum(len(r) for r in work) / (time.perf_counter() - started)


async def floor_all(conn: asyncpg.Connection, work: list[OrderColumns], platform: str) -> float:
    """The service's own SQL alone: each batch staged with COPY and docked by the one set-based
    statement (store.stage + store.dock) into the real `orders` table, one transaction per batch,
    from this process: no gRPC, no checks, no events. What any docking with this schema costs."""
    started = time.perf_counter()
    for columns in work:
        async with conn.transaction():
            await trade_store.stage(conn, platform=platform, orders=columns)
            docking = await trade_store.dock(conn, platform=platform, docked_at=datetime.now(UTC), docked_by="{}")
            assert len(docking.fresh) == len(columns)
    return sum(len(c) for c in work) / (time.perf_counter() - started)


async def docking(
    args: argparse.Namespace, platform: trade_pb2_grpc.TradeServiceStub, conn: asyncpg.Connection, cpu: Cpu, database_url: str
) -> None:
    now = datetime.now(UTC)
    per_round = args.orders // args.rounds
    await dock_all(platform, batches("warm", 0, 2 * BATCH, now), "warm")  # connections, prepared statements
    await conn.execute(_BARE)
    floor_conn = await asyncpg.connect(database_url, server_settings={"search_path": "trade"})
    docked_rates, raw_rates, floor_rates = [], [], []
    used = {name: 0.0 for name in cpu.pids}
    for r in range(args.rounds):
        work = batches(f"r{r}", 0, per_round, now)
        rows = [raw_rows(b) for b in work]
        before = cpu.now()
        docked_rates.append(await dock_all(platform, work, f"r{r}"))
        used = {name: used[name] + seconds for name, seconds in cpu.since(before).items()}
        raw_rates.append(await copy_all(conn, rows))
        floor_rates.append(await floor_all(floor_conn, [convert.batch(b).columns for b in work], f"floor-{r}"))
    await floor_conn.close()
    docked, raw, floor = statistics.mean(docked_rates), statistics.mean(raw_rates), statistics.mean(floor_rates)
    print(f"docking, {args.rounds} x {per_round} orders in batches of {BATCH}, alternating with the baseline:")
    print(f"  DockOrders stream through the gateway : {docked:8.0f} orders/s   (rounds: {', '.join(f'{x:.0f}' for x in docked_rates)})")
    print(f"  raw asyncpg COPY into a bare table    : {raw:8.0f} orders/s   (rounds: {', '.join(f'{x:.0f}' for x in raw_rates)})")
    print(f"  the service's SQL alone (floor)       : {floor:8.0f} orders/s   (rounds: {', '.join(f'{x:.0f}' for x in floor_rates)})")
    print(f"  ratio docked/raw                      : {docked / raw:8.2f}   (target >= {RATIO_TARGET})")
    print(f"  ratio floor/raw                       : {floor / raw:8.2f}   (the most any docking into this schema reaches)")
    print(f"  ratio docked/floor                    : {docked / floor:8.2f}   (what gRPC, the gateway, checks and events cost)")
    per_order = {name: 1e6 * seconds / (per_round * args.rounds) for name, seconds in used.items()}
    print(f"  CPU per docked order: active replica {per_order['replica']:.0f} us, gateway {per_order['gateway']:.0f} us")


async def insert_million(conn: asyncpg.Connection, count: int, day: datetime) -> None:
    """`count` completed orders of session big-1 placed on `day`, straight into the table (docking
    a million through the stream is step 1's business, not this step's)."""
    await conn.execute(
        "INSERT INTO trade.orders (order_id, platform, external_order_id, session_id, product_id, merchant_id, amount_fen,"
        " currency, quantity, status, placed_at, paid_at, completed_at, linked, anchor_id, docked_at, docked_by)"
        " SELECT gen_random_uuid(), 'taobao', 'big-' || g, 'big-1', 'p-1', 'm-1', 1000 + g % 5000, 'CNY', 1, 'completed',"
        " $2::timestamptz + make_interval(secs => g % 80000), $2::timestamptz + make_interval(secs => g % 80000),"
        " $2::timestamptz + make_interval(secs => g % 80000), false, '', now(), '{}'::jsonb FROM generate_series(1, $1) g",
        count, day,
    )  # fmt: skip
    await conn.execute("ANALYZE trade.orders")


async def reconciliation(args: argparse.Namespace, platform: trade_pb2_grpc.TradeServiceStub, conn: asyncpg.Connection) -> None:
    day = datetime(2026, 1, 10, 16, 0, tzinfo=UTC)  # 2026-01-11 00:00 in Beijing
    started = time.perf_counter()
    await insert_million(conn, args.million, day)
    print(f"reconciliation of {args.million} orders of one session (inserted by SQL in {time.perf_counter() - started:.1f} s):")
    # The platform's list: the same orders, but 3 amounts differ, one is missing, one is extra.
    listed = [(f"big-{g}", 1000 + g % 5000) for g in range(2, args.million + 1)]
    listed[:3] = [(i, a + 1) for i, a in listed[:3]]
    listed.append(("big-extra", 1))
    count, amount = len(listed), sum(a for _, a in listed)

    started = time.perf_counter()
    await conn.fetchrow("SELECT count(*), sum(amount_fen) FROM trade.orders WHERE platform = 'taobao' AND session_id = 'big-1'")
    bare = time.perf_counter() - started

    started = time.perf_counter()
    answer = await platform.ReconcilePlatform(pb.ReconcilePlatformRequest(
        request_id=f"bench-{uuid.uuid4().hex}", period_start=stamp(day), period_end=stamp(day + timedelta(days=1)),
        order_count=count, amount_fen=amount, sessions=[pb.SessionFigures(session_id="big-1", order_count=count, amount_fen=amount)],
    ))  # fmt: skip
    per_platform = time.perf_counter() - started
    if answer.exact or answer.docked_order_count != args.million:
        raise SystemExit(f"FAILED: ReconcilePlatform counted {answer.docked_order_count} orders, exact={answer.exact}")

    started = time.perf_counter()
    async with conn.transaction():
        await conn.execute("SET LOCAL search_path TO trade")
        theirs = domain.platform_amounts(listed)
        ours, differing = await store.session(conn, platform="taobao", session_id="big-1", listed=theirs.items())
        report = domain.reconcile(
            docked_count=ours[0], docked_amount_fen=ours[1], differing=differing, platform_count=count,
            platform_amount_fen=amount, listed=(len(theirs), sum(theirs.values())), at=datetime.now(UTC),
        )  # fmt: skip
    per_order = time.perf_counter() - started
    if len(report.differences) != DIFFERING:
        raise SystemExit(f"FAILED: {len(report.differences)} differing orders reported, {DIFFERING} expected")
    print(f"  bare count(*) + sum(amount_fen) of the rows       : {bare:6.2f} s   (baseline)")
    print(f"  ReconcilePlatform over their day, via the gateway : {per_platform:6.2f} s   ({per_platform / bare:5.1f} x baseline; target <= {RECONCILE_TARGET_SECONDS:.0f} s)")
    print(f"  per-order reconciliation with the platform's list : {per_order:6.2f} s   ({per_order / bare:5.1f} x baseline; target <= {RECONCILE_TARGET_SECONDS:.0f} s;"
          f" {len(report.differences)} differing orders listed)")


async def run(args: argparse.Namespace) -> None:
    if args.quick:
        args.orders, args.rounds, args.million = min(args.orders, 20_000), 2, min(args.million, 200_000)
    subject_root = f"benchd{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="lc-bench-docking-") as tmp, datastores(Path(tmp)) as (database_url, nats_url):
        suite = Suite(Path(tmp), database_url, nats_url, service="trade", env={"SUBJECT_ROOT": subject_root})
        stream = Settings(service="trade", database_url=database_url, nats_url=nats_url, pii_key=Secret(b""), subject_root=subject_root).stream_name
        freeze_startup_objects()
        stack = contextlib.AsyncExitStack()
        conn = await asyncpg.connect(database_url)
        try:
            suite.start_replica("trade-a")
            suite.start_replica("trade-b")
            gateway = suite.start_gateway()
            files = suite.pki["clients"]["trading_platform"]
            tls = TlsFiles(cert=files["cert"], key=files["key"], ca=suite.pki["ca_cert"])
            platform = trade_pb2_grpc.TradeServiceStub(await stack.enter_async_context(secure_channel(gateway, tls)))
            epoch = await suite.epoch()
            assert suite.gateway is not None
            cpu = Cpu({"replica": suite.replicas[await suite.holder()][0].pid, "gateway": suite.gateway.pid})
            await docking(args, platform, conn, cpu, database_url)
            await reconciliation(args, platform, conn)
            if (now := await suite.epoch()) != epoch:
                print(f"note: the lease changed hands {now - epoch} time(s) during the measurements")
        finally:
            await stack.aclose()
            with contextlib.suppress(Exception):
                await conn.execute("DROP TABLE IF EXISTS bench_bare_orders")
            await conn.close()
            suite.stop()
            if args.keep_logs:
                shutil.copytree(suite.logs, args.keep_logs, dirs_exist_ok=True)
            with contextlib.suppress(Exception):  # on shared datastores, leave no stream behind
                cleanup = await broker.connect(nats_url, name="bench-docking-cleanup", tls=suite.nats_tls)
                await cleanup.jetstream().delete_stream(stream)
                await cleanup.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000, help="orders docked (and COPYed raw) over all rounds")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds of docking and raw COPY")
    parser.add_argument("--million", type=int, default=1_000_000, help="orders of the reconciled session")
    parser.add_argument("--keep-logs", type=Path, help="copy the replicas' and the gateway's logs here at the end")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20,000 orders in 2 rounds, 200,000 reconciled")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
