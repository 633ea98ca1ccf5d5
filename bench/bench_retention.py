"""Retention purge (issue 13, TRD-02): how fast the runtime purges expired orders, against a bare
batched DELETE of the same rows, measured in one run.

    .venv/bin/python -m bench.bench_retention [--orders 100000] [--rounds 3]

A private PostgreSQL (or DATABASE_URL) holds the trade service's schema (its migrations, the
runtime's included) and, beside it, `bare_orders`: the same table and indexes without the DELETE
guard. Each round loads --orders orders completed more than 3 years ago (one in 50 of a merchant
under a legal hold, one in 10 completed recently) into both, then purges:

- ours: `Retention.purge_expired` with the trade service's declaration, the default 1,000 rows per
  transaction: hold check per row, the statement-level guard (transition table, joins, holds), the
  audit row, the advisory lock, the service clock stated to the guard;
- bare: the same batches of 1,000 oldest-first expired rows (`completed_at <= cutoff`, same
  index), one DELETE per transaction, with no hold check, guard or audit.

The two alternate within each round (bare first in odd rounds) so both see the same machine.
Printed: rows/s of each (median over rounds, and every round), the ratio ours/bare, and the
rows each left, which must match what the rules keep.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bench.datastores import datastores
from livecommerce.runtime import db
from livecommerce.runtime.clock import ManualClock
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.retention import Retention
from livecommerce.runtime.unit_of_work import UnitOfWork
from services.trade.retention import RETENTION
from services.trade.service import DEFINITION

NOW = datetime(2026, 11, 1, tzinfo=UTC)
BATCH = 1000
LOAD = """
INSERT INTO {table} (order_id, platform, external_order_id, session_id, product_id, merchant_id, amount_fen, currency,
    quantity, status, placed_at, paid_at, completed_at, linked, anchor_id, docked_at, docked_by)
SELECT gen_random_uuid(), 'taobao', 'tb-' || n, 's-' || (n % 500), 'p-1', CASE WHEN n % 50 = 1 THEN 'm-held' ELSE 'm-' || (n % 97) END,
    100, 'CNY', 1, 'completed', c, c, c, true, 'an-' || (n % 40), c, '{{}}'::jsonb
FROM generate_series(1, $1) AS n,
     LATERAL (SELECT CASE WHEN n % 10 = 0 THEN timestamptz '2025-06-01' ELSE timestamptz '2022-01-01' + n * interval '1 minute' END AS c) AS t
"""


async def bare_purge(pool: asyncpg.Pool, cutoff: datetime) -> int:
    total = 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            deleted = await conn.fetch(
                "DELETE FROM bare_orders d USING (SELECT order_id FROM bare_orders WHERE completed_at <= $1"
                " ORDER BY completed_at LIMIT $2 FOR UPDATE SKIP LOCKED) doomed WHERE d.order_id = doomed.order_id RETURNING d.order_id",
                cutoff, BATCH,
            )
        total += len(deleted)
        if len(deleted) < BATCH:
            return total


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="lc-bench-") as tmp, datastores(Path(tmp)) as (database_url, _):
        pool = await db.create_pool(database_url, schema="trade", size=4, application_name="bench-retention", session_limits={})
        async with pool.acquire() as conn:
            await db.migrate(conn, schema="trade", service_migrations=DEFINITION.migrations)
            await conn.execute("CREATE TABLE bare_orders (LIKE orders INCLUDING ALL)")
        retention = Retention(
            RETENTION, uow=UnitOfWork(pool, fence=None, wake_relay=lambda: None), pool=pool, clock=ManualClock(NOW),
            minimums={}, batch_rows=BATCH,
        )
        async with pool.acquire() as conn:
            await retention.install(conn)
            cutoff = await conn.fetchval("SELECT $1::timestamptz - interval '3 years'", NOW)
        await retention.place_hold(Caller("bench", "compliance_officer"), scope="merchant", scope_id="m-held", reason="bench", request_id="bench-hold")
        ours_rates: list[float] = []
        bare_rates: list[float] = []
        left: dict[str, int] = {}
        for round_ in range(args.rounds):
            async with pool.acquire() as conn:
                for table in ("orders", "bare_orders"):
                    await conn.execute(LOAD.format(table=table), args.orders)
                await conn.execute("ANALYZE orders; ANALYZE bare_orders")
            order = ["bare", "ours"] if round_ % 2 == 0 else ["ours", "bare"]
            for path in order:
                started = time.perf_counter()
                purged = await (bare_purge(pool, cutoff) if path == "bare" else retention.purge_expired())
                rate = purged / (time.perf_counter() - started)
                (bare_rates if path == "bare" else ours_rates).append(rate)
            async with pool.acquire() as conn:
                left = {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in ("orders", "bare_orders")}
                held = await conn.fetchval("SELECT count(*) FROM orders WHERE merchant_id = 'm-held' AND completed_at <= $1", cutoff)
                await conn.execute("DELETE FROM bare_orders")
                # Empty the guarded table for the next round without the guard: a bench-only bypass.
                await conn.execute("TRUNCATE orders CASCADE")  # and what hangs off orders (empty here)
        await pool.close()
        ours, bare = statistics.median(ours_rates), statistics.median(bare_rates)
        print(f"retention purge of {args.orders:,} orders per round (90% expired, 1 in 50 under a hold), {args.rounds} rounds, batches of {BATCH}")
        print(f"bare batched DELETE        : {bare:10.0f} rows/s  (rounds: {', '.join(f'{r:.0f}' for r in bare_rates)})")
        print(f"Retention.purge_expired    : {ours:10.0f} rows/s  (rounds: {', '.join(f'{r:.0f}' for r in ours_rates)})")
        print(f"ratio ours/bare            : {ours / bare:10.2f}   (the price of hold checks, the DELETE guard and the audit)")
        print(
            f"rows left in the last round : ours {left['orders']:,} ({held:,} expired but held, the rest recent),"
            f" bare {left['bare_orders']:,} (recent only: it knows no holds)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
