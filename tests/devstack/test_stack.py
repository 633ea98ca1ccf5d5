"""ensure_local_stack: both datastores up in one data directory, and idempotent."""

from __future__ import annotations

import asyncpg
import pytest

from livecommerce.devstack import LocalStack, ensure_local_stack
from tests.conftest import NATS_USERS, nats_client


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, pki):
    started = ensure_local_stack(tmp_path_factory.mktemp("stack"), pki, NATS_USERS)
    yield started
    started.stop()


async def test_both_datastores_answer(stack: LocalStack, pki) -> None:
    conn = await asyncpg.connect(stack.database_url)
    try:
        assert await conn.fetchval("select 1") == 1
    finally:
        await conn.close()
    nc = await nats_client(stack.nats_url, pki)
    try:
        await nc.jetstream().account_info()
    finally:
        await nc.close()


def test_a_second_call_finds_the_same_servers(stack: LocalStack, pki) -> None:
    pids = (stack.postgres.postmaster_pid(), stack.nats.server_pid())
    again = ensure_local_stack(stack.postgres.data_dir.parent, pki, NATS_USERS)
    assert (again.database_url, again.nats_url) == (stack.database_url, stack.nats_url)
    assert (again.postgres.postmaster_pid(), again.nats.server_pid()) == pids
    assert stack.postgres.data_dir.name == "postgres" and stack.nats.data_dir.name == "nats"
