"""PLT-03 across datastore outages, between two real services. The product service keeps accepting
writes while its NATS server is killed -9 (then restarted on the same store) or SIGSTOPped (then
resumed), because its events wait in the outbox; once the broker is back, the session service's
projection holds every product acknowledged during the outage, each applied once. After a
PostgreSQL restart under both services, neither needs a restart of its own: writes are taken again
and their events still reach the other service.

The broker is private to the test, owned by a controller process; it and the PostgreSQL restarter
are forked before any gRPC server of the test starts (a fork beside live gRPC threads can crash the
child in gRPC's fork handlers)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import grpc
import pytest

from livecommerce.devstack import nats_server_tls
from livecommerce.runtime.clock import ManualClock
from livecommerce.runtime.service import RunningService
from livecommerce.runtime.tls import TlsFiles
from services.product.service import DEFINITION as PRODUCT
from services.session.service import DEFINITION as SESSION
from tests.conftest import SERVICES, TEST_CLIENT, forwarded_identities, service_running
from tests.product.conftest import product_settings
from tests.product.messages import file_licence, listed, rice
from tests.replicas import postgres_restarter, wait_until
from tests.session.conftest import session_settings

ROOT = Path(__file__).resolve().parents[2]
OUTAGE_WRITES = 3

CONTROLLER = """
import json, sys
from pathlib import Path
from livecommerce.devstack import LocalNats, broker_users
from livecommerce.runtime.tls import TlsFiles
users = broker_users(json.loads(sys.argv[5]), probes=[sys.argv[6]])  # the tests' NATS_USERS
nats = LocalNats(Path(sys.argv[1]), tls=TlsFiles(*map(Path, sys.argv[2:5])), users=users, stop_at_exit=False)
for command in sys.stdin:
    command = command.strip()
    if command == "start":
        nats.start()
    elif command == "kill":
        nats.kill()
    elif command == "exit":
        nats.stop()
        break
    print(json.dumps({"url": nats.url, "pid": nats.server_pid() if nats.is_running() else None}), flush=True)
"""


class Broker:
    """A NATS server the test may kill, restart, pause and resume."""

    def __init__(self, data_dir: Path, tls: TlsFiles) -> None:
        self._controller = subprocess.Popen(
            [sys.executable, "-c", CONTROLLER, str(data_dir), str(tls.cert), str(tls.key), str(tls.ca), json.dumps(SERVICES), TEST_CLIENT],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url, self.pid = self._tell("start")

    def _tell(self, command: str) -> tuple[str, int | None]:
        assert self._controller.stdin is not None and self._controller.stdout is not None
        self._controller.stdin.write(command + "\n")
        self._controller.stdin.flush()
        state = json.loads(self._controller.stdout.readline())
        return state["url"], state["pid"]

    def kill(self) -> None:
        _, self.pid = self._tell("kill")
        assert self.pid is None

    def restart(self) -> None:
        url, self.pid = self._tell("start")
        assert url == self.url and self.pid is not None  # same port, same store

    def pause(self) -> None:
        assert self.pid is not None
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.pid is not None
        os.kill(self.pid, signal.SIGCONT)

    def close(self) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGCONT)  # a paused server cannot stop cleanly
        self._controller.communicate("exit\n", timeout=30)


@pytest.fixture
def broker(tmp_path, pki) -> Iterator[Broker]:
    running = Broker(tmp_path / "nats", nats_server_tls(pki))
    try:
        yield running
    finally:
        running.close()


class TickingClock(ManualClock):
    """Moves a millisecond at every reading, as time does between a product's steps. (A clock
    standing still gives every event one timestamp; the projections order a product's events by
    their time, and a backlog handled by concurrent workers then has no order to keep.)"""

    def now(self) -> datetime:
        self.advance(timedelta(milliseconds=1))
        return super().now()


@pytest.fixture
def ticking() -> TickingClock:
    return TickingClock(datetime(2026, 11, 23, 4, 0, tzinfo=UTC))


@pytest.fixture
async def services(broker, database_url, subject_root, pki, ticking) -> AsyncIterator[tuple[RunningService, RunningService]]:
    product_config = product_settings(database_url, broker.url, subject_root, pki)
    session_config = session_settings(database_url, broker.url, subject_root, pki)
    async with (
        service_running(SESSION, session_config, ticking) as session,
        service_running(PRODUCT, product_config, ticking) as product,
    ):
        yield product, session


@pytest.fixture
async def product_desk(services, pki):
    """(merchant, officer) ProductService stubs, calling the product service over mutual TLS."""
    from livecommerce.product.v1 import product_pb2_grpc

    product, _ = services
    async with forwarded_identities(product.port, pki) as open_channel:
        yield (
            product_pb2_grpc.ProductServiceStub(open_channel("merchant", "m-1")),
            product_pb2_grpc.ProductServiceStub(open_channel("compliance_officer", principal="officer-wang")),
        )


async def list_products(desk, count: int) -> list[str]:
    merchant, officer = desk
    return [(await listed(merchant, officer, rice([await file_licence(merchant)]))).product_id for _ in range(count)]


async def projected(database_url: str, product_ids: list[str], *, within: float) -> None:
    """Waits until the session service's projection lists every product."""
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "session"})
    try:

        async def all_there() -> bool:
            found = await conn.fetchval(
                "SELECT count(*) FROM product_projection WHERE product_id = ANY($1::text[]) AND listed",
                product_ids,
            )
            return found == len(product_ids)

        try:
            await wait_until(all_there, within=within, interval=0.05)
        except AssertionError as stalled:
            raise AssertionError(f"{stalled}; where the events stand: {await event_path_state(conn)}") from None
    finally:
        await conn.close()


async def event_path_state(conn: asyncpg.Connection) -> dict:
    """Which stage holds the events back: the product's relay, the session's consumer, a lease."""
    return {
        "product outbox unsent": await conn.fetchval("SELECT count(*) FROM product.outbox WHERE sent_at IS NULL"),
        "product outbox": await conn.fetchval("SELECT count(*) FROM product.outbox"),
        "session inbox": await conn.fetchval("SELECT count(*) FROM session.inbox"),
        "leases": [
            dict(row) for row in await conn.fetch(
                "SELECT 'product' AS service, holder, epoch, expires_at > now() AS valid FROM product.leadership"
                " UNION ALL SELECT 'session', holder, epoch, expires_at > now() FROM session.leadership"
            )
        ],
    }


async def each_event_applied_once(database_url: str) -> None:
    """Every event the product service committed was published, and the session service's inbox
    holds each of them once (its primary key would refuse a second copy; this checks none is missing)."""
    conn = await asyncpg.connect(database_url)
    try:
        unsent = await conn.fetchval("SELECT count(*) FROM product.outbox WHERE sent_at IS NULL")
        published = await conn.fetch("SELECT event_id FROM product.outbox")
        handled = {row["event_id"] for row in await conn.fetch("SELECT event_id FROM session.inbox")}
    finally:
        await conn.close()
    assert unsent == 0
    missing = [row["event_id"] for row in published if row["event_id"] not in handled]
    assert missing == [], f"{len(missing)} of {len(published)} product events never reached the session service"


async def test_PLT_03_products_listed_while_the_broker_is_killed_reach_the_session_service_after_its_restart(
    broker,
    services,
    product_desk,
    database_url,
):
    await projected(database_url, await list_products(product_desk, 1), within=15)

    broker.kill()
    during = await list_products(product_desk, OUTAGE_WRITES)  # acknowledged with no broker at all
    broker.restart()

    await projected(database_url, during, within=30)
    await each_event_applied_once(database_url)


async def test_PLT_03_products_listed_while_the_broker_is_paused_reach_the_session_service_after_it_resumes(
    broker,
    services,
    product_desk,
    database_url,
):
    await projected(database_url, await list_products(product_desk, 1), within=15)

    broker.pause()  # connections stay open and nothing answers: publishes time out, not fail fast
    try:
        during = await list_products(product_desk, OUTAGE_WRITES)
    finally:
        broker.resume()

    await projected(database_url, during, within=30)
    await each_event_applied_once(database_url)


@pytest.fixture
def postgres_restart(datastores) -> Iterator[subprocess.Popen]:
    datastores.require_local()
    restarter = postgres_restarter(datastores.postgres.data_dir)
    try:
        yield restarter
    finally:
        if restarter.poll() is None:
            restarter.kill()


async def listed_once_postgres_answers(desk, count: int, *, within: float = 30.0) -> list[str]:
    """What a client does after a database failover: retry what came back UNAVAILABLE."""
    async with asyncio.timeout(within):
        while True:
            try:
                return await list_products(desk, count)
            except grpc.aio.AioRpcError as error:
                if error.code() != grpc.StatusCode.UNAVAILABLE:
                    raise
                await asyncio.sleep(0.2)


async def test_PLT_03_after_a_postgresql_restart_both_services_take_writes_again_and_events_still_flow(
    postgres_restart, broker, services, product_desk, database_url,
):
    await projected(database_url, await list_products(product_desk, 1), within=15)

    postgres_restart.communicate(b"now\n", timeout=120)
    assert postgres_restart.returncode == 0

    after = await listed_once_postgres_answers(product_desk, OUTAGE_WRITES)
    await projected(database_url, after, within=30)
    await each_event_applied_once(database_url)
