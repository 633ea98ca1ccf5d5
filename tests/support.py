"""Test data builders shared across test modules."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date

from livecommerce.runtime.resident_id import check_character

_serial = itertools.count(1)


def resident_id(born: date, *, region: str = "110105") -> str:
    """A resident ID number with a valid GB 11643 check digit, unique within the test run."""
    body = f"{region}{born:%Y%m%d}{next(_serial) % 1000:03d}"
    return body + check_character(body)


def with_bad_check_digit(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def years_ago(today: date, years: int, *, days: int = 0) -> date:
    from datetime import timedelta

    return today.replace(year=today.year - years) - timedelta(days=days)


def rich_error(error) -> dict:
    """Decodes a gRPC error's google.rpc.Status details: field violations and rule IDs."""
    from google.rpc import error_details_pb2
    from grpc_status import rpc_status

    status = rpc_status.from_call(error)
    fields: dict[str, str] = {}
    rules: list[str] = []
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            request = error_details_pb2.BadRequest()
            detail.Unpack(request)
            fields.update({v.field: v.description for v in request.field_violations})
        elif detail.Is(error_details_pb2.PreconditionFailure.DESCRIPTOR):
            failure = error_details_pb2.PreconditionFailure()
            detail.Unpack(failure)
            rules.extend(v.type for v in failure.violations)
    return {"code": error.code(), "fields": fields, "rules": rules, "message": error.details()}


async def refused(call) -> dict:
    """Awaits a call that must fail and decodes its error (`rich_error`)."""
    import grpc
    import pytest

    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    return rich_error(error.value)


def credit_code(n: int) -> str:
    """A unified social credit code (GB 32100) with a valid check character, distinct per n."""
    from livecommerce.runtime.credit_code import check_character as code_check

    body = f"91110105{n:09d}"
    return body + code_check(body)


async def wait_until_consumed(js, stream: str, durable: str, *, delivered: int, seconds: float = 10.0) -> None:
    """Waits until a JetStream durable consumer has delivered at least `delivered` messages and has
    nothing pending or unacknowledged: after it, nothing more will arrive (no fixed sleeps)."""
    import asyncio

    from nats.js.errors import NotFoundError

    async with asyncio.timeout(seconds):
        while True:
            try:
                info = await js.consumer_info(stream, durable)
            except NotFoundError:  # its consumer has not created it yet
                info = None
            if info and info.num_pending == 0 and info.num_ack_pending == 0 and info.delivered.consumer_seq >= delivered:
                return
            await asyncio.sleep(0.02)


async def publish_event(js, subject_root: str, source: str, subject: str, payload, *, event_id: str | None = None) -> tuple[str, int]:
    """Publishes `payload` as `source`'s outbox relay would, on `<root>.<source>.<subject>`: an
    envelope with a stable id (pass the same one to redeliver), a new Nats-Msg-Id each time (a
    re-publish). Returns the event id and its stream sequence."""
    import uuid

    from livecommerce.common.v1 import envelope_pb2

    envelope = envelope_pb2.EventEnvelope(id=event_id or str(uuid.uuid4()), type=payload.DESCRIPTOR.full_name, source=source)
    envelope.payload.Pack(payload)
    ack = await js.publish(f"{subject_root}.{source}.{subject}", envelope.SerializeToString(), headers={"Nats-Msg-Id": str(uuid.uuid4())})
    return envelope.id, ack.seq


async def wait_until_acknowledged(js, stream: str, durable: str, *, seq: int, seconds: float = 20.0) -> None:
    """Waits until a durable consumer has handled and acknowledged every message up to `seq`."""
    import asyncio

    from nats.js.errors import NotFoundError

    async with asyncio.timeout(seconds):
        while True:
            try:
                info = await js.consumer_info(stream, durable)
                if info.ack_floor and info.ack_floor.stream_seq >= seq:
                    return
            except NotFoundError:  # the active replica has not subscribed yet
                pass
            await asyncio.sleep(0.05)


async def refused_and_kept(database_url: str, schema: str, table: str, rule: str) -> None:
    """A raw DELETE of every row of `table` (which has some) is refused by the retention guard
    naming `rule`, and every row is still there."""
    import asyncpg
    import pytest

    conn = await asyncpg.connect(database_url, server_settings={"search_path": schema})
    try:
        before = await conn.fetchval(f"SELECT count(*) FROM {table}")
        assert before, f"{table} has no rows to try"
        with pytest.raises(asyncpg.PostgresError, match=rule):  # the guard, or a table's own append-only trigger
            await conn.execute(f"DELETE FROM {table}")
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") == before
    finally:
        await conn.close()
