"""The restore drills of PLT-03's offsite half (issue 16), end to end on real parts: anchor replica
processes (`python -m services.anchor`) on an archiving PostgreSQL of their own, a real gateway with
mutual TLS, real NATS JetStream, an encrypted pgBackRest repository, and the SRE's own commands
(`python -m livecommerce.cli backup|restore|replay`) run as an SRE runs them.

Drill 1: registrations acknowledged through the gateway, a full backup, more acknowledged
registrations, a WAL switch waited on until archived (the archive point), a few more; then the data
directory is destroyed and `lc restore --to latest` brings the site back: every registration
acknowledged before the archive point is there (acknowledged / restored / lost printed), the
service answers through the gateway again, and a consumer that replays (`lc replay`, then its
whole stream again) has no second effect. Drill 2: `lc restore --to T` with T between two
acknowledged registrations shows exactly the earlier one."""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime

import asyncpg
import grpc
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.backup.site import BackupSite
from tests.anchor.builders import profile, seed_agencies
from tests.anchor.conftest import PII_KEY
from tests.backup.conftest import archiving_site
from tests.replicas import gateway_to, process_env, replica_processes, wait_until
from tests.runtime.probe import probe_consumer, probe_pool
from tests.support import wait_until_consumed

DATABASE = "livecommerce"


@pytest.fixture
def site(tmp_path) -> Iterator[BackupSite]:
    with archiving_site(tmp_path / "site") as made:
        asyncio.run(made.postgres.create_database(DATABASE))
        yield made


async def lc(site: BackupSite, *args: str) -> tuple[int, str]:
    """The SRE command in a process of its own; (exit code, what it printed)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "livecommerce.cli", *args, "--data-dir", str(site.data_dir),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


@asynccontextmanager
async def anchor_site(site: BackupSite, datastores, pki, subject_root, tmp_path) -> AsyncIterator:
    """Two anchor replica processes on the site's database, their pids where `./dev up` keeps them
    (`run/`: a restore pauses them), and a gateway; yields (register(n), replicas, database url)."""
    url = site.postgres.database_url(DATABASE)
    env = process_env("anchor", pki, database_url=url, nats_url=datastores.nats_url, subject_root=subject_root, PII_KEY=PII_KEY)
    with replica_processes("anchor", env, tmp_path / "logs", database_url=url) as replicas:
        (site.data_dir / "run").mkdir(exist_ok=True)
        for replica in replicas.replicas:
            (site.data_dir / "run" / f"{replica.name}.pid").write_text(str(replica.process.pid))
        await seed_agencies(url)
        async with gateway_to("anchor", replicas.addresses, pki, tmp_path / "audit.log") as gateway:
            agency = anchor_pb2_grpc.AnchorServiceStub(gateway.channel("agency"))

            async def register(n: int) -> str:
                request = pb.RegisterAnchorRequest(request_id=f"drill-{n}", profile=profile(agency_id=""))
                return (await agency.RegisterAnchor(request, timeout=10)).anchor.anchor_id

            async def read(anchor_id: str) -> bool:
                try:
                    await agency.GetAnchor(pb.GetAnchorRequest(anchor_id=anchor_id), timeout=2)
                except grpc.aio.AioRpcError:
                    return False
                return True

            yield register, read, url


async def served_again(site: BackupSite, url: str, read) -> None:
    """Through the gateway again after the restore; if not within a minute, the failure says what
    the leases and outboxes looked like (a one-off failure in a full run left no clue)."""
    try:
        await wait_until(read, within=60, interval=0.2)
    except AssertionError as error:
        _, status = await lc(site, "status", "--database-url", url)
        raise AssertionError(f"{error}; lc status:\n{status}") from None


async def stored(url: str) -> dict[str, str]:
    conn = await asyncpg.connect(url)
    try:
        return {r["request_id"]: str(r["anchor_id"]) for r in await conn.fetch("SELECT request_id, anchor_id FROM anchor.anchors")}
    finally:
        await conn.close()


async def database_now(site: BackupSite) -> datetime:
    conn = await asyncpg.connect(site.postgres.url)
    try:
        return await conn.fetchval("SELECT clock_timestamp()")
    finally:
        await conn.close()


async def outbox_drained(url: str) -> bool:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM anchor.outbox WHERE sent_at IS NULL") == 0
    finally:
        await conn.close()


async def effects(pool) -> list[str]:
    async with pool.acquire() as conn:
        return [str(r["event_id"]) for r in await conn.fetch("SELECT event_id FROM effects")]


async def test_PLT_03_drill_restore_latest_loses_nothing_acknowledged_before_the_archive_point(
    site, datastores, pki, subject_root, tmp_path, database_url
):
    nc = await datastores.nats_client("drill")
    js = nc.jetstream()
    stream = f"{subject_root}_anchor".upper()  # Settings.stream_for
    probe = await probe_pool(database_url)  # a consumer elsewhere: its database is not restored
    try:
        async with anchor_site(site, datastores, pki, subject_root, tmp_path) as (register, read, url):
            consumer = probe_consumer(probe, js, stream=stream, subject=f"{subject_root}.anchor.>")
            consuming = asyncio.create_task(consumer.run())
            began = await database_now(site)
            acknowledged = {f"drill-{n}": await register(n) for n in range(10)}
            code, out = await lc(site, "backup", "full")
            assert code == 0, out
            print(out, end="")
            acknowledged |= {f"drill-{n}": await register(n) for n in range(10, 25)}
            await site.switch_wal()  # the archive point: everything acknowledged so far is offsite
            after_point = {f"drill-{n}": await register(n) for n in range(25, 30)}

            site.postgres.kill()  # the site is lost
            shutil.rmtree(site.postgres.pgdata)
            restore_began = time.monotonic()
            code, out = await lc(site, "restore", "--to", "latest")
            print(out, end="")
            assert code == 0, out
            await served_again(site, url, lambda: read(acknowledged["drill-24"]))
            rto = time.monotonic() - restore_began

            present = await stored(url)
            lost = sorted(set(acknowledged) - set(present))
            print(
                f"drill: acknowledged before the archive point {len(acknowledged)}, restored {len(acknowledged) - len(lost)},"
                f" lost {len(lost)}; acknowledged after it {len(after_point)}, restored {len(set(after_point) & set(present))};"
                f" RTO to the first call served through the gateway {rto:.1f} s"
            )
            assert not lost, f"lost acknowledged registrations: {lost}"
            assert {key: present[key] for key in acknowledged} == acknowledged  # as acknowledged, under the same ids
            assert set(present) <= set(acknowledged) | set(after_point)
            assert (await register(100)) == (await stored(url))["drill-100"]  # writes are taken again

            await wait_until_consumed(js, stream, "probe", delivered=1, seconds=30)
            code, out = await lc(site, "replay", "--since", began.isoformat(), "--database-url", url)
            assert code == 0, out
            replayed = int(out.split("anchor", 1)[1].split()[0])
            assert replayed >= len(present), out  # every restored registration's event goes out again
            await wait_until(lambda: outbox_drained(url), within=30)
            info = await js.stream_info(stream)
            await wait_until_consumed(js, stream, "probe", delivered=info.state.last_seq, seconds=30)
            consuming.cancel()
            await asyncio.gather(consuming, return_exceptions=True)
            seen = await effects(probe)
            assert len(seen) == len(set(seen)) == info.state.messages, "the replay had a second effect"

            # The same consumer reads its whole stream again: its inbox turns every one into a no-op.
            await js.delete_consumer(stream, "probe")
            again = probe_consumer(probe, js, stream=stream, subject=f"{subject_root}.anchor.>")
            rereading = asyncio.create_task(again.run())
            await wait_until_consumed(js, stream, "probe", delivered=info.state.messages, seconds=30)
            rereading.cancel()
            await asyncio.gather(rereading, return_exceptions=True)
            assert again.stats.duplicates == info.state.messages and again.stats.handled == 0
            assert sorted(await effects(probe)) == sorted(seen)
    finally:
        await probe.close()
        await nc.close()


async def test_PLT_03_drill_restore_to_a_time_between_two_writes_shows_exactly_the_earlier_one(
    site, datastores, pki, subject_root, tmp_path
):
    async with anchor_site(site, datastores, pki, subject_root, tmp_path) as (register, read, url):
        code, out = await lc(site, "backup", "full")
        assert code == 0, out
        # The backup's stop, in pgBackRest's whole seconds. Asked of `lc` in a process of its own: a
        # fork of this process, with the gateway's gRPC threads running, can crash in gRPC's fork handlers.
        code, out = await lc(site, "backups", "--no-verify")
        restorable_from = datetime.fromisoformat(out.split("oldest restorable point: ", 1)[1].split(";", 1)[0])

        async def restorable() -> bool:
            return await database_now(site) > restorable_from

        await wait_until(restorable, within=5)
        earlier = await register(1)
        between = await database_now(site)
        later = await register(2)
        # No switch here: `lc restore` archives the live server's last WAL segment itself
        code, out = await lc(site, "restore", "--to", between.isoformat())
        print(out, end="")
        assert code == 0, out
        await served_again(site, url, lambda: read(earlier))
        assert await stored(url) == {"drill-1": earlier}
        assert not await read(later)
