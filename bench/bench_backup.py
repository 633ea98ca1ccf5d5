"""Offsite backup and restore (issue 16, PLT-03): pgBackRest's full backup and `lc restore` of a
database of --size-gb, against plain `pg_basebackup` of the same database (the floor), in one run.

    .venv/bin/python -m bench.bench_backup [--size-gb 1.0]

A private site in a temporary directory, laid out as `./dev up` leaves one: an archiving
PostgreSQL (`postgres/`), the encrypted repository (`offsite/`), NATS, anchor replica processes
and the gateway (their pids in `run/`, where a restore pauses them). The bench fills a table
beside the anchor schema until the database holds --size-gb, registers an anchor through the
gateway, then measures:

- floor: `pg_basebackup -X stream -c fast` of the cluster, plain format, no compression, no
  encryption, to a local directory;
- backup: `lc backup full` (pgBackRest: lz4, aes-256-cbc, checksums, 2 processes);
- restore: the data directory destroyed, `lc restore --to latest` (verify the repository, restore
  into a new directory, recovery on a port of its own, swap, start); RTO from its start to the
  first GetAnchor of the registered anchor answered through the gateway.

Printed: seconds and MB/s of each (MB of the database's size on disk), the ratio backup/floor.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import grpc

from bench.datastores import BENCH_USERS, bench_pki
from bench.suite import Suite
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.backup.site import BackupSite
from livecommerce.devstack import LocalNats, nats_server_tls
from livecommerce.devstack.ca import DevPki
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.tls import TlsFiles

DATABASE = "livecommerce"
ROWS_PER_BATCH = 500_000


def fill(url: str, size_bytes: int) -> int:
    """Adds batches of ~250-byte rows (hex of random digests: lz4 halves them, no more) until the
    database is at least `size_bytes`; returns the cluster's size (every database)."""

    async def go() -> int:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("CREATE TABLE IF NOT EXISTS bench_filler (id bigint, payload text)")
            while (size := await conn.fetchval("SELECT pg_database_size(current_database())")) < size_bytes:
                print(f"  filling: {size / 1e6:,.0f} MB of {size_bytes / 1e6:,.0f} MB", flush=True)
                await conn.execute(
                    "INSERT INTO bench_filler SELECT n, md5(random()::text) || md5(random()::text) || md5(random()::text)"
                    " || md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text)"
                    " FROM generate_series(1, $1) AS n",
                    ROWS_PER_BATCH,
                )
            await conn.execute("CHECKPOINT")
            return await conn.fetchval("SELECT sum(pg_database_size(datname))::bigint FROM pg_database")  # what a backup copies
        finally:
            await conn.close()

    return asyncio.run(go())


async def register_anchor(gateway: str, pki: DevPki, database_url: str) -> str:
    from tests.anchor.builders import profile, rid, seed_agencies

    await seed_agencies(database_url)
    async with secure_channel(gateway, _agency_tls(pki)) as channel:
        request = pb.RegisterAnchorRequest(request_id=rid(), profile=profile(agency_id=""))
        return (await anchor_pb2_grpc.AnchorServiceStub(channel).RegisterAnchor(request, timeout=30)).anchor.anchor_id


async def first_answer(gateway: str, pki: DevPki, anchor_id: str, within: float = 600) -> None:
    """Until GetAnchor of `anchor_id` is answered through the gateway."""
    deadline = time.monotonic() + within
    async with secure_channel(gateway, _agency_tls(pki)) as channel:
        stub = anchor_pb2_grpc.AnchorServiceStub(channel)
        while True:
            try:
                await stub.GetAnchor(pb.GetAnchorRequest(anchor_id=anchor_id), timeout=1)
                return
            except grpc.aio.AioRpcError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)


def _agency_tls(pki: DevPki) -> TlsFiles:
    return TlsFiles(cert=pki["clients"]["agency"]["cert"], key=pki["clients"]["agency"]["key"], ca=pki["ca_cert"])


def lc(site: BackupSite, *args: str) -> float:
    """`lc <args>` as an SRE runs it; its duration in seconds (its output goes through)."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "livecommerce.cli", *args, "--data-dir", str(site.data_dir)], check=True)
    return time.perf_counter() - began


def pg_basebackup(site: BackupSite, target: Path) -> float:
    began = time.perf_counter()
    subprocess.run(
        [str(site.postgres.bindir / "pg_basebackup"), "-d", site.postgres.url, "-D", str(target), "-X", "stream", "-c", "fast", "-Fp"],
        check=True,
    )
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gb", type=float, default=1.0, help="database size to generate (GB, 1e9 bytes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as scratch:
        root = Path(scratch)
        site = BackupSite(root / "site")
        nats = LocalNats(root / "nats", tls=nats_server_tls(bench_pki(root / "suite")), users=BENCH_USERS)  # the CA Suite(root / "suite") uses
        suite = None
        try:
            site.enable()
            nats.start()
            url = asyncio.run(site.postgres.create_database(DATABASE))
            print(f"generating a database of {args.size_gb} GB ...", flush=True)
            size = fill(url, int(args.size_gb * 1e9))
            mb = size / 1e6
            suite = Suite(root / "suite", url, nats.url, service="anchor", lease_ttl="1")
            suite.start_replica("anchor-a")
            suite.start_replica("anchor-b")
            gateway = suite.start_gateway()
            (site.data_dir / "run").mkdir(exist_ok=True)
            for name, (process, _) in suite.replicas.items():
                (site.data_dir / "run" / f"{name}.pid").write_text(str(process.pid))
            anchor_id = asyncio.run(register_anchor(gateway, suite.pki, url))

            floor = pg_basebackup(site, root / "basebackup")
            shutil.rmtree(root / "basebackup")
            backup = lc(site, "backup", "full")
            asyncio.run(site.switch_wal())

            site.postgres.kill()
            shutil.rmtree(site.postgres.pgdata)
            began = time.perf_counter()
            restore = lc(site, "restore", "--to", "latest")
            asyncio.run(first_answer(gateway, suite.pki, anchor_id))
            rto = time.perf_counter() - began

            print(f"\ncluster: {mb:,.0f} MB on disk (sum of pg_database_size, after CHECKPOINT)")
            print(f"floor   pg_basebackup (plain, uncompressed, unencrypted): {floor:6.1f} s  {mb / floor:7.1f} MB/s")
            print(f"backup  lc backup full (pgBackRest lz4 + aes-256-cbc):    {backup:6.1f} s  {mb / backup:7.1f} MB/s"
                  f"   ratio backup/floor {backup / floor:.2f}")
            print(f"restore lc restore --to latest (verify, restore, recovery, swap): {restore:6.1f} s  {mb / restore:7.1f} MB/s")
            print(f"RTO     restore start -> first GetAnchor answered through the gateway: {rto:6.1f} s")
        finally:
            if suite is not None:
                suite.stop()
            nats.stop()
            site.postgres.stop()


if __name__ == "__main__":
    main()
