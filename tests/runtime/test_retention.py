"""The retention mechanism against real PostgreSQL with a ManualClock (SES-07, TRD-02, PLT-02):
the boundaries of 60 days and 3 years, legal holds and their release, bounded batches and an
interrupted purge, the configured minimums. Driven with the session and trade services' own
declarations and schemas, so the SQL tested is the SQL they run."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from livecommerce.runtime import db
from livecommerce.runtime.clock import ManualClock
from livecommerce.runtime.errors import InvalidArgument, NotFound, PreconditionFailed
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.retention import Retention, RetentionDeclaration
from livecommerce.runtime.unit_of_work import UnitOfWork
from services.session.retention import RETENTION as SESSION_RETENTION
from services.session.service import DEFINITION as SESSION
from services.trade.retention import RETENTION as TRADE_RETENTION
from services.trade.service import DEFINITION as TRADE
from tests import retention_rows as rows

OFFICER = Caller(principal="officer-li", role="compliance_officer")
SRE = Caller(principal="sre-wang", role="sre")
COMPLETED = datetime(2023, 5, 10, 8, 30, tzinfo=UTC)
"""Before the real date by more than 3 years: the database guard counts from the earlier of its own
clock and the service's, so the ManualClock must not run ahead of the real one."""
ENDED = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)


def three_years_after(moment: datetime) -> datetime:
    return moment.replace(year=moment.year + 3)


async def schema_pool(database_url: str, definition) -> asyncpg.Pool:
    pool = await db.create_pool(database_url, schema=definition.name, size=4, application_name="retention-test")
    async with pool.acquire() as conn:
        await db.migrate(conn, schema=definition.name, service_migrations=definition.migrations)
    return pool


def retention(
    pool: asyncpg.Pool, declaration: RetentionDeclaration, clock: ManualClock, *, batch_rows: int = 1000,
    minimums: dict[str, str] | None = None, fence=None,
) -> Retention:
    uow = UnitOfWork(pool, fence=fence, wake_relay=lambda: None)
    return Retention(declaration, uow=uow, pool=pool, clock=clock, minimums=minimums or {}, batch_rows=batch_rows)


@pytest.fixture
async def trade_pool(database_url) -> AsyncIterator[asyncpg.Pool]:
    pool = await schema_pool(database_url, TRADE)
    yield pool
    await pool.close()


@pytest.fixture
async def session_pool(database_url) -> AsyncIterator[asyncpg.Pool]:
    pool = await schema_pool(database_url, SESSION)
    yield pool
    await pool.close()


@pytest.fixture
async def trades(trade_pool) -> Retention:
    clock = ManualClock(COMPLETED)
    mechanism = retention(trade_pool, TRADE_RETENTION, clock)
    async with trade_pool.acquire() as conn:
        await mechanism.install(conn)
    return mechanism


@pytest.fixture
async def sessions(session_pool) -> Retention:
    mechanism = retention(session_pool, SESSION_RETENTION, ManualClock(ENDED))
    async with session_pool.acquire() as conn:
        await mechanism.install(conn)
    return mechanism


def clock_of(mechanism: Retention) -> ManualClock:
    return mechanism._clock  # type: ignore[return-value]


async def remaining(pool: asyncpg.Pool, table: str = "orders") -> int:
    async with pool.acquire() as conn:
        return await conn.fetchval(f"SELECT count(*) FROM {table}")


async def audit(pool: asyncpg.Pool) -> list[dict]:
    async with pool.acquire() as conn:
        return [dict(r) for r in await conn.fetch("SELECT action, kind, rows, cutoff, detail FROM retention_audit ORDER BY seq")]


# -- TRD-02: 3 years from completion ---------------------------------------------------------


async def test_TRD_02_an_order_is_kept_3_years_from_completion_and_purged_after(trades, trade_pool):
    async with trade_pool.acquire() as conn:
        done = await rows.order(conn, completed_at=COMPLETED)
        await rows.order(conn, completed_at=None)  # never completed: never purged
    clock = clock_of(trades)
    clock.set(three_years_after(COMPLETED) - timedelta(minutes=1))
    assert await trades.purge_expired() == 0
    assert await remaining(trade_pool) == 2
    clock.set(three_years_after(COMPLETED) + timedelta(minutes=1))
    assert await trades.purge_expired() == 1
    async with trade_pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM orders WHERE order_id = $1", done) == 0
        assert await conn.fetchval("SELECT count(*) FROM orders WHERE completed_at IS NULL") == 1
    clock.advance(timedelta(days=3650))  # however long: an order never completed stays
    assert await trades.purge_expired() == 0
    [purged] = await audit(trade_pool)
    assert (purged["action"], purged["kind"], purged["rows"]) == ("purged", "orders", 1)
    assert purged["cutoff"] == three_years_after(COMPLETED) + timedelta(minutes=1) - timedelta(days=365 * 3 + 1)  # 2024 is a leap year
    assert json.loads(purged["detail"])["oldest"] == COMPLETED.isoformat()


async def test_TRD_02_a_legal_hold_keeps_orders_past_3_years_until_released(trades, trade_pool):
    async with trade_pool.acquire() as conn:
        for scope in ("m-held", "m-free"):
            await rows.order(conn, completed_at=COMPLETED, merchant_id=scope)
        await rows.order(conn, completed_at=COMPLETED, merchant_id="m-free", session_id="S-HELD-SESSION")
        await rows.order(conn, completed_at=COMPLETED, merchant_id="m-free", anchor_id="an-held")
    hold = await trades.place_hold(OFFICER, scope="merchant", scope_id="m-held", reason="case 2026-117", request_id="h-1")
    by_session = await trades.place_hold(OFFICER, scope="session", scope_id="s-held-session", reason="inquiry", request_id="h-2")
    by_anchor = await trades.place_hold(OFFICER, scope="anchor", scope_id="an-held", reason="inquiry", request_id="h-3")
    clock_of(trades).set(three_years_after(COMPLETED) + timedelta(days=1))
    assert await trades.purge_expired() == 1
    async with trade_pool.acquire() as conn:
        kept = await conn.fetch("SELECT merchant_id, session_id, anchor_id FROM orders ORDER BY merchant_id, session_id")
    assert [tuple(r) for r in kept] == [("m-free", "S-HELD-SESSION", "an-1"), ("m-free", "s-1", "an-held"), ("m-held", "s-1", "an-1")]
    for h in (hold, by_session, by_anchor):
        await trades.release_hold(OFFICER, hold_id=h.hold_id, reason="case closed", request_id=f"r-{h.hold_id}")
    assert await trades.purge_expired() == 3
    assert await remaining(trade_pool) == 0
    async with trade_pool.acquire() as conn:
        history = await conn.fetch("SELECT released_at, release_reason FROM legal_holds")
    assert len(history) == 3 and all(r["released_at"] is not None and r["release_reason"] == "case closed" for r in history)
    actions = [a["action"] for a in await audit(trade_pool)]
    assert actions == ["hold_placed"] * 3 + ["purged"] + ["hold_released"] * 3 + ["purged"]


async def test_TRD_02_purging_runs_in_bounded_batches_oldest_first(trade_pool):
    mechanism = retention(trade_pool, TRADE_RETENTION, ManualClock(COMPLETED), batch_rows=2)
    async with trade_pool.acquire() as conn:
        await mechanism.install(conn)
        for n in range(5):
            await rows.order(conn, completed_at=COMPLETED + timedelta(minutes=n))
    clock_of(mechanism).set(three_years_after(COMPLETED) + timedelta(days=1))
    assert await mechanism.purge_expired() == 5
    batches = await audit(trade_pool)
    assert [b["rows"] for b in batches] == [2, 2, 1]
    oldest = [json.loads(b["detail"])["oldest"] for b in batches]
    assert oldest == sorted(oldest)


async def test_TRD_02_a_purge_interrupted_between_batches_loses_nothing_it_must_keep(trade_pool):
    """The transaction after the first batch of orders fails at its fence (the lease lost, the
    process killed): that batch is gone and audited, everything else is still there, and the next
    purge finishes."""
    armed = False

    async def fence(conn) -> None:
        # The fence runs just before commit: the batch's own audit row is there, so the second
        # batch of orders is the one that sees two.
        if armed and await conn.fetchval("SELECT count(*) FROM retention_audit WHERE action = 'purged' AND kind = 'orders'") >= 2:
            raise ConnectionError("lease lost")

    mechanism = retention(trade_pool, TRADE_RETENTION, ManualClock(COMPLETED), batch_rows=2, fence=fence)
    async with trade_pool.acquire() as conn:
        await mechanism.install(conn)
        expired = [await rows.order(conn, completed_at=COMPLETED + timedelta(minutes=n)) for n in range(5)]
        fresh = await rows.order(conn, completed_at=three_years_after(COMPLETED))
        held = await rows.order(conn, completed_at=COMPLETED, merchant_id="m-held")
    await mechanism.place_hold(OFFICER, scope="merchant", scope_id="m-held", reason="case", request_id="h-1")
    armed = True
    clock_of(mechanism).set(three_years_after(COMPLETED) + timedelta(hours=1) - timedelta(minutes=30))
    with pytest.raises(ConnectionError):
        await mechanism.purge_expired()
    armed = False
    async with trade_pool.acquire() as conn:
        left = {r["order_id"] for r in await conn.fetch("SELECT order_id FROM orders")}
    assert left == {*expired[2:], fresh, held}
    assert [a["rows"] for a in await audit(trade_pool) if a["action"] == "purged"] == [2]
    assert await mechanism.purge_expired() == 3
    async with trade_pool.acquire() as conn:
        assert {r["order_id"] for r in await conn.fetch("SELECT order_id FROM orders")} == {fresh, held}


async def test_TRD_02_purge_records_inside_the_minimum_is_refused_audited_and_changes_nothing(trades, trade_pool):
    async with trade_pool.acquire() as conn:
        await rows.order(conn, completed_at=COMPLETED)
    clock_of(trades).set(three_years_after(COMPLETED) + timedelta(days=1))
    inside = three_years_after(COMPLETED) - timedelta(days=1)
    with pytest.raises(PreconditionFailed) as refused:
        await trades.purge(SRE, kind_name="orders", older_than=inside, request_id="p-1")
    assert refused.value.rule == "TRD-02" and refused.value.field == "older_than"
    assert await remaining(trade_pool) == 1
    [entry] = await audit(trade_pool)
    assert entry["action"] == "purge_refused" and json.loads(entry["detail"])["rule"] == "TRD-02"
    outcome = await trades.purge(SRE, kind_name="orders", older_than=COMPLETED, request_id="p-2")
    assert (outcome.purged, outcome.held) == (1, 0)
    again = await trades.purge(SRE, kind_name="orders", older_than=COMPLETED, request_id="p-2")
    assert (again.purged, again.held) == (1, 0)  # the first outcome, nothing more done


async def test_TRD_02_a_longer_configured_minimum_is_honoured_and_a_shorter_one_stops_the_start(trade_pool):
    longer = retention(trade_pool, TRADE_RETENTION, ManualClock(COMPLETED), minimums={"orders": "3 years 6 months"})
    async with trade_pool.acquire() as conn:
        await longer.install(conn)
        await rows.order(conn, completed_at=COMPLETED)
        assert await conn.fetchval("SELECT minimum::text FROM retention_policies WHERE kind = 'orders'") == "3 years 6 mons"
    clock_of(longer).set(three_years_after(COMPLETED) + timedelta(days=30))
    assert await longer.purge_expired() == 0
    for shorter in ({"orders": "2 years"}, {"orders": "1095 days"}):
        with pytest.raises(ValueError, match="TRD-02"):
            async with trade_pool.acquire() as conn:
                await retention(trade_pool, TRADE_RETENTION, ManualClock(COMPLETED), minimums=shorter).install(conn)
    for bad in ({"parcels": "5 years"}, {"orders": "forever"}):
        with pytest.raises(ValueError):
            async with trade_pool.acquire() as conn:
                await retention(trade_pool, TRADE_RETENTION, ManualClock(COMPLETED), minimums=bad).install(conn)


# -- SES-07: 60 days from the session's end --------------------------------------------------


async def test_SES_07_session_content_is_kept_60_days_from_the_end_and_purged_after(sessions, session_pool):
    async with session_pool.acquire() as conn:
        ended = await rows.session(conn, ended_at=ENDED, start=ENDED - timedelta(hours=2))
        live = await rows.session(conn, ended_at=None, start=ENDED - timedelta(days=90))
    clock = clock_of(sessions)
    clock.set(ENDED + timedelta(days=60) - timedelta(minutes=1))
    assert await sessions.purge_expired() == 0
    clock.set(ENDED + timedelta(days=60) + timedelta(minutes=1))
    assert await sessions.purge_expired() == 3
    async with session_pool.acquire() as conn:
        assert await rows.content_of(conn, ended) == {
            "room_updates": 0, "session_hits": 0, "session_chunks": 0, "promises": 1, "sessions": 1,
        }
        assert await rows.content_of(conn, live) == {t: 1 for t in (*rows.CONTENT, "promises", "sessions")}
    assert sorted(a["kind"] for a in await audit(session_pool)) == sorted(rows.CONTENT)


@pytest.mark.parametrize("scope", ["session", "anchor", "merchant"])
async def test_SES_07_a_legal_hold_on_a_session_anchor_or_merchant_keeps_its_content_until_released(sessions, session_pool, scope):
    async with session_pool.acquire() as conn:
        held = await rows.session(conn, ended_at=ENDED, anchor_id="an-held", merchant_id="m-held", start=ENDED - timedelta(hours=1))
        free = await rows.session(conn, ended_at=ENDED, start=ENDED - timedelta(hours=1))
    scope_id = {"session": str(held).upper(), "anchor": "an-held", "merchant": "m-held"}[scope]
    hold = await sessions.place_hold(OFFICER, scope=scope, scope_id=scope_id, reason="court order 17", request_id="h-1")
    clock_of(sessions).set(ENDED + timedelta(days=61))
    assert await sessions.purge_expired() == 3
    async with session_pool.acquire() as conn:
        assert await rows.content_of(conn, free) == {"room_updates": 0, "session_hits": 0, "session_chunks": 0, "promises": 1, "sessions": 1}
        assert await rows.content_of(conn, held) == {t: 1 for t in (*rows.CONTENT, "promises", "sessions")}
    _, status = await sessions.status()
    assert {s.kind.name: (s.past, s.held) for s in status if not s.kind.kept} == {k: (0, 1) for k in rows.CONTENT}
    await sessions.release_hold(OFFICER, hold_id=hold.hold_id, reason="order lifted", request_id="r-1")
    assert await sessions.purge_expired() == 3
    async with session_pool.acquire() as conn:
        assert await rows.content_of(conn, held) == {"room_updates": 0, "session_hits": 0, "session_chunks": 0, "promises": 1, "sessions": 1}


async def test_SES_07_purge_records_for_kept_kinds_is_refused_naming_the_rule(sessions, session_pool):
    clock_of(sessions).set(ENDED + timedelta(days=400))
    for kind, rule in (("sessions", "PLT-02"), ("promises", "SES-10"), ("session_history", "PLT-02")):
        with pytest.raises(PreconditionFailed) as refused:
            await sessions.purge(SRE, kind_name=kind, older_than=ENDED, request_id=f"p-{kind}")
        assert refused.value.rule == rule
    with pytest.raises(InvalidArgument) as unknown:
        await sessions.purge(SRE, kind_name="viewers", older_than=ENDED, request_id="p-x")
    assert unknown.value.violations[0].field == "kind"


# -- holds ------------------------------------------------------------------------------------


async def test_SES_07_holds_are_idempotent_by_request_id_kept_after_release_and_released_once(sessions, session_pool):
    first = await sessions.place_hold(OFFICER, scope="anchor", scope_id="an-1", reason="inquiry", request_id="h-1")
    again = await sessions.place_hold(OFFICER, scope="anchor", scope_id="an-1", reason="inquiry", request_id="h-1")
    assert again.hold_id == first.hold_id
    released = await sessions.release_hold(OFFICER, hold_id=first.hold_id, reason="done", request_id="r-1")
    assert (await sessions.release_hold(OFFICER, hold_id=first.hold_id, reason="done", request_id="r-1")) == released
    with pytest.raises(PreconditionFailed) as twice:
        await sessions.release_hold(OFFICER, hold_id=first.hold_id, reason="done", request_id="r-2")
    assert twice.value.rule == "SES-07"
    import uuid

    with pytest.raises(NotFound):
        await sessions.release_hold(OFFICER, hold_id=uuid.uuid4(), reason="done", request_id="r-3")
    in_force, _ = await sessions.list_holds(scope=None, scope_id="", include_released=False, token="", size=0)
    everything, _ = await sessions.list_holds(scope="anchor", scope_id="an-1", include_released=True, token="", size=0)
    assert in_force == [] and [h.hold_id for h in everything] == [first.hold_id]
    async with session_pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM legal_holds") == 1
