"""The shared failover driver (tests/replicas.py) does what failover tests rely on: the
disruption comes after the asked number of acknowledgements while writers are running, retries
reuse the write's number, and assert_exactly_once catches a lost, a duplicated and a changed write."""

from __future__ import annotations

import asyncio

import pytest

from tests.replicas import assert_exactly_once, write_through


async def test_the_disruption_comes_mid_way_and_retries_keep_the_number():
    calls: list[int] = []
    broken = asyncio.Event()

    async def write(n: int) -> str:
        calls.append(n)
        await asyncio.sleep(0.001)
        if broken.is_set() and calls.count(n) == 1:
            raise ConnectionError("the replica died")  # the first try after the kill fails
        return f"id-{n}"

    async def kill() -> int:
        broken.set()
        return 7

    writes = await write_through(write, kill, writers=3, writes=30, disrupt_after=10, attempts=2)
    assert writes.disruption == 7 and not writes.failed
    assert writes.acknowledged == {n: f"id-{n}" for n in range(30)}
    assert any(calls.count(n) == 2 for n in range(10, 30))  # retried with the same number
    assert all(calls.count(n) == 1 for n in range(10))


async def test_unbounded_writers_stop_once_the_disruption_returned_and_failures_are_kept():
    async def write(n: int) -> str:
        await asyncio.sleep(0.001)
        if n % 5 == 0:
            raise ConnectionError(n)
        return str(n)

    writes = await write_through(write, lambda: asyncio.sleep(0.05), writers=4)
    tried = len(writes.acknowledged) + len(writes.failed)
    assert writes.acknowledged and sorted([*writes.acknowledged, *writes.failed]) == list(range(tried))  # none left out
    assert all(n % 5 == 0 and isinstance(error, ConnectionError) for n, error in writes.failed.items())
    assert not any(n % 5 == 0 for n in writes.acknowledged)


async def test_writers_that_finish_before_the_disruption_is_due_fail_the_test():
    async def write(n: int) -> str:
        raise ConnectionError(n)

    with pytest.raises(AssertionError, match="before the disruption was due"):
        await write_through(write, lambda: asyncio.sleep(0), writes=4, disrupt_after=2)


def test_exactly_once_catches_loss_duplicates_and_changed_ids():
    acknowledged = {"r1": "a", "r2": "b"}
    assert_exactly_once(acknowledged, [("r1", "a"), ("r2", "b")])
    for stored in ([("r1", "a")], [("r1", "a"), ("r2", "b"), ("r2", "b")], [("r1", "a"), ("r2", "c")], [("r1", "a"), ("r2", "b"), ("r3", "d")]):
        with pytest.raises(AssertionError):
            assert_exactly_once(acknowledged, stored)


def test_every_deployed_service_runs_as_a_module_and_has_a_test_certificate():
    """livecommerce/services.py is what `./dev up` and the replica processes of tests start."""
    import importlib.util

    from livecommerce.services import SERVICES
    from tests.conftest import SERVICES as CERTIFIED

    for service in SERVICES:
        assert importlib.util.find_spec(f"{service.module}.__main__") is not None, service
        assert service.name in CERTIFIED, f"tests/conftest.py issues no server certificate for {service.name}"
