"""Loops every replica runs (ServiceParts.every_replica) and callbacks after a unit of work commits."""

from __future__ import annotations

import asyncio

import pytest

from livecommerce.runtime import unit_of_work
from livecommerce.runtime.unit_of_work import UnitOfWork


def test_after_commit_outside_a_transaction_is_an_error():
    with pytest.raises(RuntimeError):
        unit_of_work.after_commit(object(), lambda: None)  # type: ignore[arg-type]


class _Pool:
    """Just enough of a pool for UnitOfWork: a connection whose transaction commits or not."""

    class _Conn:
        def transaction(self):
            return _Tx()

    def acquire(self):
        conn = self._Conn()

        class _Acquire:
            async def __aenter__(self):
                return conn

            async def __aexit__(self, *exc):
                return False

        return _Acquire()


class _Tx:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


async def test_after_commit_runs_only_when_the_transaction_commits():
    uow = UnitOfWork(_Pool(), fence=None, wake_relay=lambda: None)  # type: ignore[arg-type]
    ran: list[str] = []
    async with uow.transaction() as conn:
        unit_of_work.after_commit(conn, lambda: ran.append("committed"))
        assert ran == []
    assert ran == ["committed"]
    with pytest.raises(ValueError):
        async with uow.transaction() as conn:
            unit_of_work.after_commit(conn, lambda: ran.append("rolled back"))
            raise ValueError
    assert ran == ["committed"]


async def test_every_replica_loops_run_on_the_standby_too(database_url, datastores, subject_root, pki, clock):
    """Two replicas, one lease: both run the loop (the standby too), and stop ends it."""
    import os
    from pathlib import Path

    from livecommerce.runtime.service import ServiceDefinition, ServiceParts, start_service
    from livecommerce.runtime.settings import Secret, Settings
    from tests.conftest import server_tls

    running: list[str] = []

    async def loop() -> None:
        running.append("started")
        try:
            await asyncio.Event().wait()
        finally:
            running.append("stopped")

    definition = ServiceDefinition(
        name="trade", migrations=Path(__file__).parent / "probe_migrations", service_names=[],
        build=lambda runtime: ServiceParts(register=lambda server: None, every_replica=[("probe loop", loop)]),
    )

    def settings(replica: str) -> Settings:
        return Settings(
            service="trade", database_url=database_url, nats_url=datastores.nats_url, tls=server_tls(pki, "trade"),
            pii_key=Secret(os.urandom(32)), subject_root=subject_root, replica_id=replica,
        )

    first = await start_service(definition, settings("r1"), clock=clock)
    second = await start_service(definition, settings("r2"), clock=clock)
    try:
        async with asyncio.timeout(5):
            while running.count("started") < 2:
                await asyncio.sleep(0.02)
        assert first.lease.active != second.lease.active  # one leads, yet both run it
    finally:
        await second.stop(grace_seconds=0.2)
        await first.stop(grace_seconds=0.2)
    assert running.count("stopped") == 2
