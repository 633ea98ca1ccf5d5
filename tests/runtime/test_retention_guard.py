"""The database's own guard (runtime migration 0006) and where the purge runs (SES-07, TRD-02,
PLT-02, PLT-03): a raw connection, as a psql session or a buggy path would use, cannot delete a
row inside its minimum, a held row, or any row of a kept kind, nor rewrite holds or the audit;
the purge timer runs on the active replica only and moves with the lease."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from livecommerce.runtime.clock import ManualClock
from services.session.service import DEFINITION as SESSION
from services.trade.service import DEFINITION as TRADE
from tests import retention_rows as rows
from tests.conftest import bounded, service_settings
from tests.replicas import in_process_replicas, split, wait_until
from tests.runtime.test_retention import retention, schema_pool


@pytest.fixture
async def trade_db(database_url) -> AsyncIterator[asyncpg.Connection]:
    """A raw connection to a trade schema whose policies the service installed, nothing else."""
    from services.trade.retention import RETENTION

    pool = await schema_pool(database_url, TRADE)
    async with pool.acquire() as conn:
        await retention(pool, RETENTION, ManualClock(datetime.now(UTC))).install(conn)
    await pool.close()
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "trade"})
    yield conn
    await conn.close()


async def test_TRD_02_the_database_refuses_to_delete_an_order_inside_3_years_whoever_asks(trade_db, database_url):
    now = datetime.now(UTC)
    recent = await rows.order(trade_db, completed_at=now - timedelta(days=3 * 365 - 2))
    old = await rows.order(trade_db, completed_at=now - timedelta(days=3 * 366 + 1))
    open_order = await rows.order(trade_db, completed_at=None)
    for order_id in (recent, open_order):
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="TRD-02"):
            await trade_db.execute("DELETE FROM orders WHERE order_id = $1", order_id)
    # One row inside the minimum refuses the whole statement.
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="TRD-02"):
        await trade_db.execute("DELETE FROM orders")
    # As psql would: the default search_path, the table named with its schema.
    psql = await asyncpg.connect(database_url)
    try:
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="TRD-02"):
            await psql.execute("DELETE FROM trade.orders")
    finally:
        await psql.close()
    assert await trade_db.fetchval("SELECT count(*) FROM orders") == 3
    assert await trade_db.execute("DELETE FROM orders WHERE order_id = $1", old) == "DELETE 1"
    assert await trade_db.execute("DELETE FROM orders WHERE false") == "DELETE 0"


async def test_TRD_02_the_database_refuses_to_delete_a_held_order_and_a_stated_clock_cannot_loosen_it(trade_db):
    now = datetime.now(UTC)
    held = await rows.order(trade_db, completed_at=now - timedelta(days=4 * 366), merchant_id="m-held")
    await trade_db.execute(
        "INSERT INTO legal_holds (hold_id, scope_kind, scope_id, reason, placed_by, placed_at)"
        " VALUES (gen_random_uuid(), 'merchant', 'm-held', 'case', $1::jsonb, now())",
        rows.ACTOR,
    )
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="legal hold"):
        await trade_db.execute("DELETE FROM orders WHERE order_id = $1", held)
    fresh = await rows.order(trade_db, completed_at=now - timedelta(days=1))
    async with trade_db.transaction():
        # A service clock far ahead would make the fresh order look old: the guard takes the earlier.
        await trade_db.execute("SELECT set_config('livecommerce.retention_now', $1, true)", (now + timedelta(days=4000)).isoformat())
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="TRD-02"):
            await trade_db.execute("DELETE FROM orders WHERE order_id = $1", fresh)
    assert await trade_db.fetchval("SELECT count(*) FROM orders") == 2


async def test_PLT_02_legal_holds_are_never_deleted_and_the_audit_never_rewritten(trade_db):
    await trade_db.execute(
        "INSERT INTO legal_holds (hold_id, scope_kind, scope_id, reason, placed_by, placed_at)"
        " VALUES (gen_random_uuid(), 'anchor', 'an-1', 'case', $1::jsonb, now())",
        rows.ACTOR,
    )
    await trade_db.execute("INSERT INTO retention_audit (at, action) VALUES (now(), 'hold_placed')")
    for statement in ("DELETE FROM legal_holds", "DELETE FROM retention_audit", "UPDATE retention_audit SET rows = 7"):
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="PLT-02"):
            await trade_db.execute(statement)
    with pytest.raises(asyncpg.CheckViolationError):
        await trade_db.execute(
            "INSERT INTO legal_holds (hold_id, scope_kind, scope_id, reason, placed_by, placed_at)"
            " VALUES (gen_random_uuid(), 'anchor', 'an-1', '', $1::jsonb, now())",
            rows.ACTOR,
        )


async def test_SES_07_PLT_02_the_database_refuses_to_delete_session_content_inside_60_days_and_sessions_ever(database_url):
    from services.session.retention import RETENTION

    pool = await schema_pool(database_url, SESSION)
    try:
        async with pool.acquire() as conn:
            await retention(pool, RETENTION, ManualClock(datetime.now(UTC))).install(conn)
            now = datetime.now(UTC)
            recent = await rows.session(conn, ended_at=now - timedelta(days=59, hours=23), start=now - timedelta(days=60))
            old = await rows.session(conn, ended_at=now - timedelta(days=60, minutes=5), start=now - timedelta(days=61))
            for table in rows.CONTENT:
                with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="SES-07"):
                    await conn.execute(f"DELETE FROM {table} WHERE session_id = $1", recent)
                assert await conn.execute(f"DELETE FROM {table} WHERE session_id = $1", old) == "DELETE 1"
            with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="SES-10"):
                await conn.execute("DELETE FROM promises WHERE session_id = $1", old)
            # A session nothing refers to any more: only the guard stands in the way.
            await conn.execute(
                "INSERT INTO sessions (session_id, merchant_id, anchor_id, agency_id, room_id, title, planned_start, status,"
                " scheduled_at, ended_at, room) SELECT gen_random_uuid(), merchant_id, anchor_id, agency_id, 'bare', title,"
                " planned_start, status, scheduled_at, ended_at, room FROM sessions WHERE session_id = $1",
                old,
            )
            with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="PLT-02"):
                await conn.execute("DELETE FROM sessions WHERE room_id = 'bare'")
            assert await rows.content_of(conn, recent) == {t: 1 for t in (*rows.CONTENT, "promises", "sessions")}
    finally:
        await pool.close()


# -- the purge timer: the active replica only ------------------------------------------------


async def test_TRD_02_PLT_03_only_the_active_replica_purges_and_the_new_one_takes_over(database_url, datastores, subject_root, pki):
    completed = datetime(2023, 2, 1, tzinfo=UTC)
    clock = ManualClock(completed)
    settings = dataclasses.replace(
        service_settings("trade", database_url, datastores.nats_url, subject_root, pki), retention_purge_seconds=0.05
    )
    async with in_process_replicas(TRADE, settings, clock=clock) as replicas:
        active, [standby] = split(replicas)
        # The standby runs no active duty at all; the active one runs the purge timer.
        assert "timer retention purge" in [t.get_name() for t in active.duties._tasks]
        assert standby.duties._tasks == []
        conn = await asyncpg.connect(database_url, server_settings={"search_path": "trade"})
        try:
            first = await rows.order(conn, completed_at=completed)
            clock.set(completed.replace(year=2026) + timedelta(days=1))

            async def purged(order_id) -> bool:
                return await conn.fetchval("SELECT count(*) FROM orders WHERE order_id = $1", order_id) == 0

            await wait_until(lambda: purged(first))
            await bounded(active.stop(0.2), "stop the active replica")

            async def took_over() -> bool:
                return standby.lease.active

            await wait_until(took_over)
            second = await rows.order(conn, completed_at=completed + timedelta(hours=1))
            await wait_until(lambda: purged(second))
            replicas_that_purged = [
                json.loads(r["detail"])["replica"] for r in await conn.fetch("SELECT detail FROM retention_audit WHERE action = 'purged' ORDER BY seq")
            ]
        finally:
            await conn.close()
    assert replicas_that_purged == [active.runtime.settings.replica_id, standby.runtime.settings.replica_id]
