"""PLT-03: calls caught by a database restart or failover come back UNAVAILABLE (the gateway
retries those once on the active replica), anything else unexpected as INTERNAL; the caller never
sees the driver's exception text, and the server logs the exception once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg
import grpc
import pytest

from livecommerce.runtime import db
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.grpc_server import start_grpc_server
from livecommerce.runtime.settings import session_limits
from tests.conftest import bounded, server_tls
from tests.replicas import postgres_restarter

METHOD = "/test.Faults/Call"

UNAVAILABLE = [
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.InterfaceError("cannot call Connection.fetch(): connection is closed"),
    asyncpg.CannotConnectNowError("the database system is shutting down"),
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.IdleInTransactionSessionTimeoutError("terminating connection due to idle-in-transaction timeout"),
    asyncpg.LockNotAvailableError('canceling statement due to lock timeout on "leadership"'),
    asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in progress"),
    TimeoutError(),  # the pool's acquire(timeout=...)
    ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)"),
]
INTERNAL = [ValueError("secret internals"), asyncpg.InterfaceError("cannot perform operation: another operation is in progress")]


@contextlib.asynccontextmanager
async def faulty_server(pki, behavior):
    """A real TLS gRPC server from the runtime, with one raw-bytes method running `behavior`."""
    handler = grpc.method_handlers_generic_handler("test.Faults", {"Call": grpc.unary_unary_rpc_method_handler(behavior)})
    server = await start_grpc_server(
        register=lambda s: s.add_generic_rpc_handlers((handler,)), service_names=["test.Faults"],
        host="127.0.0.1", port=0, tls=server_tls(pki, "anchor"),
    )
    try:
        async with secure_channel(f"127.0.0.1:{server.port}", server_tls(pki, "gateway")) as channel:
            yield channel.unary_unary(METHOD)
    finally:
        await bounded(server.stop(0.1), "stop the test server")


@pytest.mark.parametrize(
    ("error", "code"),
    [(e, grpc.StatusCode.UNAVAILABLE) for e in UNAVAILABLE] + [(e, grpc.StatusCode.INTERNAL) for e in INTERNAL],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else v.name,
)
async def test_PLT_03_unexpected_failures_map_to_unavailable_or_internal_without_internals(pki, caplog, error, code):
    async def fail(request: bytes, context) -> bytes:
        raise error

    with caplog.at_level(logging.WARNING, logger="livecommerce.runtime.grpc_server"):
        async with faulty_server(pki, fail) as call:
            with pytest.raises(grpc.aio.AioRpcError) as failed:
                await call(b"", timeout=5)
    assert failed.value.code() == code
    assert "asyncpg" not in failed.value.details() and (not str(error) or str(error) not in failed.value.details())
    assert "Traceback" not in failed.value.details() and type(error).__name__ not in failed.value.details()
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and logged[0].exc_info[1] is error  # logged server-side, once


async def test_PLT_03_a_call_caught_by_a_postgresql_restart_is_unavailable(pki, datastores, database_url):
    """A call waiting in PostgreSQL when the server restarts (as in a failover of the database)."""
    datastores.require_local()
    pool = await db.create_pool(database_url, schema="public", size=2, application_name="caught", session_limits=session_limits(30))
    holder = await asyncpg.connect(database_url)
    try:
        await holder.execute("CREATE TABLE blocker (id int)")
        await holder.execute("BEGIN; LOCK TABLE blocker IN ACCESS EXCLUSIVE MODE")

        async def count(request: bytes, context) -> bytes:
            async with pool.acquire() as conn:
                return str(await conn.fetchval("SELECT count(*) FROM blocker")).encode()

        restart = postgres_restarter(datastores.postgres.data_dir)
        async with faulty_server(pki, count) as call:
            caught = asyncio.ensure_future(call(b"", timeout=30))
            async with asyncio.timeout(10):  # until the call waits on the lock inside PostgreSQL
                while not await holder.fetchval("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'caught' AND wait_event_type = 'Lock'"):
                    await asyncio.sleep(0.02)
            restart.communicate(b"now\n", timeout=120)
            assert restart.returncode == 0
            with pytest.raises(grpc.aio.AioRpcError) as failed:
                await caught
    finally:
        with contextlib.suppress(Exception):
            await holder.close()
        pool.terminate()
    assert failed.value.code() == grpc.StatusCode.UNAVAILABLE, failed.value.details()
    assert "asyncpg" not in failed.value.details() and "administrator" not in failed.value.details()
