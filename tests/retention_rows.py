"""Rows for retention tests, written straight into a service's schema: orders of the trade
service, sessions with their content in the session service (what the APIs would have stored)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import asyncpg

ACTOR = json.dumps({"principal": "tester", "role": "platform_admin", "tenant": ""})


async def order(
    conn: asyncpg.Connection, *, completed_at: datetime | None, merchant_id: str = "m-1", session_id: str = "s-1",
    anchor_id: str = "an-1", external: str | None = None,
) -> uuid.UUID:
    """A docked order, completed at `completed_at` (None: still paid, never completed)."""
    order_id = uuid.uuid4()
    placed = completed_at or datetime(2023, 1, 1, tzinfo=UTC)
    await conn.execute(
        "INSERT INTO orders (order_id, platform, external_order_id, session_id, product_id, merchant_id, amount_fen,"
        " currency, quantity, status, placed_at, paid_at, completed_at, linked, anchor_id, docked_at, docked_by)"
        " VALUES ($1, 'taobao', $2, $3, 'p-1', $4, 100, 'CNY', 1, $5, $6, $6, $7, true, $8, $6, $9::jsonb)",
        order_id, external or f"tb-{order_id.hex[:12]}", session_id, merchant_id,
        "completed" if completed_at else "paid", placed, completed_at, anchor_id, ACTOR,
    )
    return order_id


async def order_records(conn: asyncpg.Connection, order_id: uuid.UUID) -> None:
    """What hangs off a docked order: a status-history row and a logistics event."""
    await conn.execute(
        "INSERT INTO order_history (order_id, at, actor, action) VALUES ($1, now(), $2::jsonb, 'docked')", order_id, ACTOR,
    )
    await conn.execute(
        "INSERT INTO logistics_events (order_id, kind, carrier, tracking_number, at, recorded_at, recorded_by)"
        " VALUES ($1, 'delivered', 'SF', 'SF1234567890', now(), now(), $2::jsonb)", order_id, ACTOR,
    )


async def session(
    conn: asyncpg.Connection, *, ended_at: datetime | None, anchor_id: str = "an-1", merchant_id: str = "m-1", start: datetime,
) -> uuid.UUID:
    """A session (ended at `ended_at`, or still live) with one room change, one patrol hit, one
    acted-on chunk and one promise."""
    session_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO sessions (session_id, merchant_id, anchor_id, agency_id, room_id, title, planned_start, status,"
        " scheduled_at, opened_at, ended_at, room) VALUES ($1, $2, $3, 'ag-1', $4, 'title', $5, $6, $5, $5, $7, ''::bytea)",
        session_id, merchant_id, anchor_id, f"room-{session_id.hex[:8]}", start, "ended" if ended_at else "live", ended_at,
    )
    await conn.execute("INSERT INTO room_updates (session_id, sequence, update) VALUES ($1, 1, ''::bytea)", session_id)
    await conn.execute(
        "INSERT INTO session_hits (hit_id, session_id, chunk_id, hit_index, source, term, category, grade, lexicon_version, at)"
        " VALUES ($1, $2, 'c-1', 0, 'speech', 'term', 'cat', 'b', 'seed', $3)",
        uuid.uuid4(), session_id, start,
    )
    await conn.execute("INSERT INTO session_chunks (session_id, chunk_id) VALUES ($1, 'c-1')", session_id)
    await conn.execute(
        "INSERT INTO promises (promise_id, session_id, kind, text, product_id, responsible, responsible_id, made_at,"
        " recorded_by, recorded_at) VALUES ($1, $2, 'refund', '7 days', 'p-1', 'merchant', $3, $4, $5::jsonb, $4)",
        uuid.uuid4(), session_id, merchant_id, start, ACTOR,
    )
    return session_id


CONTENT = ("room_updates", "session_hits", "session_chunks")


async def content_of(conn: asyncpg.Connection, session_id: uuid.UUID) -> dict[str, int]:
    """How many rows of each kind of session content (and the kept records) the session still has."""
    counts = {}
    for table in (*CONTENT, "promises", "sessions"):
        counts[table] = await conn.fetchval(f"SELECT count(*) FROM {table} WHERE session_id = $1", session_id)
    return counts


async def snapshot(conn: asyncpg.Connection, *tables: str) -> dict[str, list]:
    """Every row of `tables`, to prove a refused request changed nothing."""
    return {t: [tuple(r) for r in await conn.fetch(f"SELECT * FROM {t} ORDER BY 1")] for t in tables}


async def kept_for_good(port: int, pki: dict, stub_class, kept: dict[str, str]) -> None:
    """A service whose records rules.md keeps for good (PLT-02 and kin): its RetentionService
    (`stub_class`, on the service at `port`, identities as the gateway forwards them) lists every
    kind as kept, refuses a purge of each of `kept` (kind -> rule) naming its rule, and still
    places and lists a legal hold."""
    from datetime import UTC, datetime

    import grpc
    import pytest

    from livecommerce.common.v1 import retention_pb2 as pb
    from livecommerce.runtime.timestamps import stamp
    from tests.conftest import forwarded_identities
    from tests.support import rich_error

    async with forwarded_identities(port, pki) as open_channel:
        sre, officer = stub_class(open_channel("sre")), stub_class(open_channel("compliance_officer"))
        status = {k.kind: k for k in (await sre.GetRetentionStatus(pb.GetRetentionStatusRequest())).kinds}
        assert status and all(k.kept and not k.minimum and not k.HasField("cutoff") for k in status.values())
        for kind, rule in kept.items():
            assert status[kind].rule == rule
            with pytest.raises(grpc.aio.AioRpcError) as error:
                await sre.PurgeRecords(pb.PurgeRecordsRequest(request_id=f"p-{kind}", kind=kind, older_than=stamp(datetime(2020, 1, 1, tzinfo=UTC))))
            refusal = rich_error(error.value)
            assert refusal["code"] == grpc.StatusCode.FAILED_PRECONDITION and refusal["rules"] == [rule]
        hold = await officer.PlaceLegalHold(
            pb.PlaceLegalHoldRequest(request_id="h-1", scope=pb.HOLD_SCOPE_ANCHOR, scope_id="an-1", reason="监管调查")
        )
        listed = await sre.ListLegalHolds(pb.ListLegalHoldsRequest())
        assert [h.hold_id for h in listed.holds] == [hold.hold.hold_id]
