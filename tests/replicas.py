"""Replicas of any service for active/standby and failover tests (PLT-03), in one place.

In-process replicas (`in_process_replicas`) share the test's event loop: a test can stop one's
lease loop or hold its transaction open between fence and commit. Replica processes
(`replica_processes`, `python -m <module>` through `livecommerce/supervisor.py`) can be SIGKILLed
and SIGSTOPped. `write_through` runs concurrent writers while the caller's disruption (a kill, a
pause) happens and returns what was acknowledged; `assert_exactly_once` compares that with the
caller's own table. `gateway_to` puts a real gateway in front of a service's replicas, so
clients call with their role's certificate and the gateway's failover is what they see;
`pause_inside_a_fence` and `stall_after_fence` stop a leader between its fence and its commit;
`assert_fenced` checks a write was refused as coming from a replica that does not lead. Nothing
here knows a service's API: waits poll health or the caller's own read, with a deadline.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import itertools
import os
import random
import signal
import string
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import grpc
from google.rpc import code_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.audit import AuditLog
from gateway.policy import ReloadingPolicy
from gateway.revocation import RevocationList
from gateway.server import Gateway, start_gateway
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.clock import Clock
from livecommerce.runtime.db import quote_identifier
from livecommerce.runtime.errors import from_unexpected
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.leadership import NotLeader
from livecommerce.runtime.service import RunningService, ServiceDefinition, start_service
from livecommerce.runtime.settings import Settings
from livecommerce.services import BY_NAME, replica_env
from livecommerce.supervisor import start_process, stop_processes, wait_ready
from tests.conftest import bounded, client_tls, server_tls

# --- waiting without fixed sleeps ------------------------------------------------------------


async def wait_until(predicate: Callable[[], Awaitable[bool]], *, within: float = 10.0, interval: float = 0.05) -> None:
    """Polls `predicate` until true; fails after `within` seconds."""
    try:
        async with asyncio.timeout(within):
            while not await predicate():
                await asyncio.sleep(interval)
    except TimeoutError:
        raise AssertionError(f"not true within {within}s: {getattr(predicate, '__name__', predicate)}") from None


def address_of(replica: RunningService | ReplicaProcess | str) -> str:
    if isinstance(replica, RunningService):
        return f"127.0.0.1:{replica.port}"
    return replica if isinstance(replica, str) else replica.address


async def serving(replica: RunningService | ReplicaProcess | str, pki, *, answer_within: float = 1.0) -> bool:
    """Whether the replica's gRPC health says SERVING (only the active replica does). A replica
    that is dead, stopped or slow to answer is not serving."""
    try:
        async with secure_channel(address_of(replica), server_tls(pki, "gateway")) as channel:
            check = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=answer_within)
    except Exception:
        return False
    return check.status == health_pb2.HealthCheckResponse.SERVING


async def wait_for_takeover(candidates: Sequence[RunningService | ReplicaProcess], pki, *, within: float = 10.0):
    """The first of `candidates` to report SERVING, polled until `within` seconds have passed."""
    found: list[Any] = []

    async def one_serves() -> bool:
        states = await asyncio.gather(*(serving(c, pki, answer_within=min(1.0, within)) for c in candidates))
        found.extend(c for c, up in zip(candidates, states, strict=True) if up)
        return bool(found)

    await wait_until(one_serves, within=within)
    return found[0]


# --- in-process replicas ---------------------------------------------------------------------


def replica_names(service: str, count: int) -> list[str]:
    return [f"{service}-{letter}" for letter in string.ascii_lowercase[:count]]


@contextlib.asynccontextmanager
async def in_process_replicas(
    definition: ServiceDefinition, settings: Settings, *, clock: Clock | None = None, count: int = 2, lease_ttl_seconds: float = 0.6
) -> AsyncIterator[list[RunningService]]:
    """`count` replicas of `definition` started together on the settings' database and broker,
    named `<service>-a`, `-b`, …, with a short lease so takeovers happen within a test."""
    fast = dataclasses.replace(settings, lease_ttl_seconds=lease_ttl_seconds)
    started = await asyncio.gather(
        *(start_service(definition, dataclasses.replace(fast, replica_id=name), clock=clock) for name in replica_names(settings.service, count)),
        return_exceptions=True,
    )
    running = [r for r in started if isinstance(r, RunningService)]
    try:
        for outcome in started:
            if isinstance(outcome, BaseException):
                raise outcome
        yield running
    finally:
        await bounded(asyncio.gather(*(r.stop(0.5) for r in running)), f"stop the {settings.service} replicas")


def split(replicas: Sequence[RunningService]) -> tuple[RunningService, list[RunningService]]:
    """(the active replica, the standbys), by what each replica's lease believes."""
    active = [r for r in replicas if r.lease.active]
    assert len(active) == 1, f"{len(active)} replicas believe they lead"
    return active[0], [r for r in replicas if r is not active[0]]


def stop_renewing(replica: RunningService) -> None:
    """The replica's lease loop stops (no renewal, no change of mind), as if it were SIGSTOPped,
    while its gRPC server keeps answering: it still believes it leads."""
    for task in replica.tasks:
        task.cancel()


_STALLED_MARK = -1
"""The epoch of the marker row a stalled write inserts into leadership_history (never a real one)."""


@dataclass
class StalledWrite:
    """A write transaction of a replica that stopped renewing, waiting between its fence and its
    commit (`stall_after_fence`)."""

    replica: RunningService
    task: asyncio.Task
    resume: asyncio.Event

    async def assert_never_commits(self, reader: RunningService) -> None:
        """Lets the stalled transaction go on to commit: it must fail as not leading (PLT-03), and
        its marker row must be absent as `reader` (the new leader) sees the table."""
        self.resume.set()
        try:
            await self.task
        except Exception as error:
            assert isinstance(error, NotLeader) or from_unexpected(error).grpc_code == code_pb2.UNAVAILABLE, repr(error)
        else:
            raise AssertionError(f"the stalled write of {self.replica.lease.replica_id} committed after losing the lease")
        async with reader.runtime.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM leadership_history WHERE epoch = $1", _STALLED_MARK) == 0


async def stall_after_fence(replica: RunningService) -> StalledWrite:
    """As if SIGSTOPped right after its fence: `replica` stops renewing, and a write transaction of
    it (a marker row in leadership_history, which every service has) takes the fence, so it holds
    the share lock on the lease row, and waits there. Returns once the fence is taken."""
    fenced, resume = asyncio.Event(), asyncio.Event()

    async def stalled_write() -> None:
        async with replica.runtime.uow.transaction() as conn:
            await conn.execute("INSERT INTO leadership_history (epoch, holder, acquired_at) VALUES ($1, 'stalled', now())", _STALLED_MARK)
            await replica.lease.fence(conn)
            fenced.set()
            await resume.wait()

    stop_renewing(replica)
    task = asyncio.create_task(stalled_write())
    waiting = asyncio.ensure_future(fenced.wait())
    await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    if not fenced.is_set():
        waiting.cancel()
        await task  # its error
        raise AssertionError("the stalled write ended before it took the fence")
    return StalledWrite(replica, task, resume)


async def assert_fenced(call: Awaitable[Any]) -> None:
    """`call`, a write sent straight to a replica, is refused UNAVAILABLE naming PLT-03: that
    replica does not lead, and its fence kept the write from committing."""
    try:
        await call
    except grpc.aio.AioRpcError as error:
        assert error.code() == grpc.StatusCode.UNAVAILABLE and "PLT-03" in (error.details() or ""), (error.code(), error.details())
    else:
        raise AssertionError("a replica that does not lead accepted a write")


def as_the_gateway(replica: RunningService | ReplicaProcess | str, pki, caller: Caller) -> grpc.aio.Channel:
    """A channel straight to one replica, presenting the gateway's certificate and forwarding
    `caller` as the gateway would: a call that no gateway routes or retries."""
    return secure_channel(address_of(replica), server_tls(pki, "gateway"), caller=caller)


# --- replica processes -----------------------------------------------------------------------


@dataclass
class ReplicaProcess:
    name: str
    """Its REPLICA_ID: what the lease row names as holder."""
    address: str
    process: subprocess.Popen

    def kill(self) -> None:
        """SIGKILL, and wait until it is gone: nothing of it runs on, no drain, no hand-over."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    @property
    def state(self) -> str:
        """The kernel's process state: "T" while stopped, "S"/"R" while running."""
        return Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def process_env(
    service: str, pki, *, database_url: str, nats_url: str, subject_root: str, lease_ttl_seconds: float = 1.0, **extra: str
) -> dict[str, str]:
    """The environment of a test's replica processes of `service`: only what the test chose
    (plus PATH), its server certificate, a short lease, a fresh PII_KEY (every service needs one);
    `extra` adds or overrides what the service needs (e.g. the PII_KEY the test's own data uses)."""
    base = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": database_url,
        "NATS_URL": nats_url,
        "SUBJECT_ROOT": subject_root,
        "LEASE_TTL_SECONDS": str(lease_ttl_seconds),
        "LOG_LEVEL": "WARNING",
        "PII_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        **extra,
    }
    return replica_env(service, pki, base)


@dataclass
class ProcessReplicas:
    """Replica processes of one service on one database; the lease row says which one leads."""

    service: str
    database_url: str
    replicas: list[ReplicaProcess] = field(default_factory=list)

    @property
    def addresses(self) -> list[str]:
        return [r.address for r in self.replicas]

    def named(self, name: str) -> ReplicaProcess:
        return next(r for r in self.replicas if r.name == name)

    async def holder(self) -> str | None:
        """The replica the lease row names (it may have expired: a takeover is due)."""
        conn = await asyncpg.connect(self.database_url)
        try:
            return await conn.fetchval(f"SELECT holder FROM {quote_identifier(self.service)}.leadership")
        finally:
            await conn.close()

    async def active(self) -> ReplicaProcess:
        holder = await self.holder()
        assert holder is not None, f"no {self.service} replica holds the lease"
        return self.named(holder)

    async def serving(self, gateway: GatewayUnderTest, *, within: float = 10.0) -> ReplicaProcess:
        """The replica that both holds the lease and takes the gateway's calls: under load a lease
        can move for a moment, and the replica the lease row names then may not be the one a
        stream runs on."""
        agreed: list[ReplicaProcess] = []

        async def agree() -> bool:
            holder, routed = await self.holder(), gateway.gateway.routes_to(self.service)
            agreed[:] = [r for r in self.replicas if r.name == holder and r.address == routed]
            return bool(agreed)

        await wait_until(agree, within=within)
        return agreed[0]

    async def kill_active(self) -> ReplicaProcess:
        """SIGKILLs the replica holding the lease; returns it."""
        victim = await self.active()
        victim.kill()
        return victim

    async def holds_the_fence(self, replica: ReplicaProcess, *, within: float = 0.3) -> bool:
        """Whether `replica`'s session sits idle in a transaction holding a lock on the lease row
        (the fence's share lock, or its renewal's): a stop landed between fence and commit. Polled
        briefly, as a COMMIT sent just before the stop may still be on its way."""
        conn = await asyncpg.connect(self.database_url)
        try:
            deadline = asyncio.get_running_loop().time() + within
            while asyncio.get_running_loop().time() < deadline:
                if await conn.fetchval(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE a.application_name = $1 AND a.state = 'idle in transaction' AND l.granted"
                    " AND l.relation = $2::regclass AND l.mode IN ('RowShareLock', 'RowExclusiveLock')",
                    f"{self.service}@{replica.name}", f"{quote_identifier(self.service)}.leadership",
                ):
                    return True
                await asyncio.sleep(0.02)
            return False
        finally:
            await conn.close()

    def stop(self, timeout: float = 15.0) -> None:
        """Resumes any paused replica, then SIGTERM (they drain) and SIGKILL after `timeout`."""
        stop_processes([r.process for r in self.replicas], timeout)
        for replica in self.replicas:
            if replica.process.stdout is not None:
                replica.process.stdout.close()


@contextlib.contextmanager
def replica_processes(
    service: str, env: Mapping[str, str], log_dir: Path, *, database_url: str, count: int = 2, module: str | None = None
) -> Iterator[ProcessReplicas]:
    """`count` processes of `python -m <module>` (the service's entry in livecommerce/services.py
    by default), started together and ready; each one's log is `<log_dir>/<name>.log`."""
    module = module or BY_NAME[service].module
    log_dir.mkdir(parents=True, exist_ok=True)
    replicas = ProcessReplicas(service, database_url)
    try:
        for name in replica_names(service, count):
            process, port = start_process(module, name, dict(env), log_dir)
            replicas.replicas.append(ReplicaProcess(name, f"127.0.0.1:{port}", process))
        for replica in replicas.replicas:
            try:
                wait_ready(replica.process, replica.name, log_dir)
            except SystemExit as error:  # the supervisor's way to give up; a test fails instead
                raise AssertionError(str(error)) from None
        yield replicas
    finally:
        replicas.stop()


def postgres_restarter(data_dir: Path) -> subprocess.Popen:
    """A process that restarts the test PostgreSQL in `data_dir` when a line reaches its stdin. Fork
    it before the test's gRPC servers run: a fork beside live gRPC threads can crash the child in
    gRPC's fork handlers."""
    script = "import os, sys; from pathlib import Path; from livecommerce.devstack.postgres import LocalPostgres as P;" \
        " sys.stdin.readline(); P(Path(sys.argv[1])).restart(); os._exit(0)"  # _exit: no atexit stop of the server
    return subprocess.Popen([sys.executable, "-c", script, str(data_dir)], cwd=Path(__file__).resolve().parents[1], stdin=subprocess.PIPE)


async def pause_inside_a_fence(
    replicas: ProcessReplicas, read: Callable[[], Awaitable[Any]], *, within: float = 2.0, tries: int = 50
) -> ReplicaProcess:
    """SIGSTOPs the leader (the lease holder at that moment, while writes stream to it) until the
    stop lands between a write's fence and its commit (`holds_the_fence`), resuming it and trying
    again otherwise. Then checks the standby serves within `within` seconds of the stop while the
    stopped leader is still stopped: `read` is a read through the gateway of something that does
    not exist, so the service's own NOT_FOUND (or an answer) shows a replica served it, and the
    gateway's UNAVAILABLE or a deadline that none did. Then resumes it; returns it."""
    for _ in range(tries):
        await asyncio.sleep(0.05 + random.random() * 0.05)
        paused = await replicas.active()
        paused.pause()
        stopped = time.monotonic()
        if await replicas.holds_the_fence(paused):
            break
        paused.resume()
    else:
        raise AssertionError(f"never caught the {replicas.service} leader inside a fenced transaction in {tries} tries")
    while not await answered(read):
        assert time.monotonic() - stopped < within, f"the standby did not serve within {within}s of the pause"
    assert await replicas.holder() != paused.name
    assert paused.state == "T", "the paused leader ran on"  # still stopped: the standby served without it
    paused.resume()
    return paused


async def answered(read: Callable[[], Awaitable[Any]]) -> bool:
    """Whether `read` (a read of something that does not exist, e.g. with a short timeout)
    reached a replica of the service: its answer or its NOT_FOUND, not a refusal on the way."""
    try:
        await read()
    except grpc.aio.AioRpcError as error:
        return error.code() == grpc.StatusCode.NOT_FOUND
    return True


# --- a gateway in front of the replicas ------------------------------------------------------


@dataclass
class GatewayUnderTest:
    """A real gateway (`gateway.server.start_gateway`): mutual TLS, the repository's policy
    (gateway/policy.toml), audit, the development CA's revocation list."""

    address: str
    audit: AuditLog
    pki: dict
    gateway: Gateway
    channels: list[grpc.aio.Channel] = field(default_factory=list)

    def channel(self, role: str) -> grpc.aio.Channel:
        """A client channel presenting the development certificate of `role` (its principal is
        `dev-<role>` with hyphens, e.g. `dev-compliance-officer`; its tenant the role's demo
        tenant, e.g. `m-demo` for a merchant)."""
        channel = grpc.aio.secure_channel(self.address, client_tls(self.pki, role).channel_credentials())
        self.channels.append(channel)
        return channel


@contextlib.asynccontextmanager
async def gateway_to(
    service: str, addresses: Sequence[str], pki, audit_path: Path, *, more: Mapping[str, Sequence[str]] | None = None
) -> AsyncIterator[GatewayUnderTest]:
    """A gateway routing `service` to `addresses` (its replicas: `ProcessReplicas.addresses`, or
    one in-process replica's `127.0.0.1:<port>`), and each of `more`'s services to theirs, its
    audit log at `audit_path`; client channels opened with `.channel(role)` are closed on the way
    out, then the gateway and its log."""
    audit = AuditLog(audit_path)
    gateway, server = await start_gateway(
        upstreams={service: list(addresses), **{name: list(targets) for name, targets in (more or {}).items()}},
        tls=server_tls(pki, "gateway"),
        policy=ReloadingPolicy(),
        audit=audit,
        revocations=RevocationList(pki["crl"], pki["ca_cert"]),
    )
    running = GatewayUnderTest(f"127.0.0.1:{server.port}", audit, pki, gateway)
    try:
        yield running
    finally:
        for channel in running.channels:
            await bounded(channel.close(), "close a client channel")
        await bounded(server.stop(0.5), "stop the gateway")
        await gateway.close()
        await audit.close()


# --- writers through a disruption ------------------------------------------------------------


@dataclass
class Writes:
    acknowledged: dict[int, str] = field(default_factory=dict)
    """Write number -> the id its acknowledgement returned."""
    failed: dict[int, BaseException] = field(default_factory=dict)
    """Write number -> the last error of a write never acknowledged."""
    disruption: Any = None
    """What the disruption returned (e.g. the killed replica)."""


async def write_through(
    write: Callable[[int], Awaitable[str]],
    disrupt: Callable[[], Awaitable[Any]],
    *,
    writers: int = 4,
    writes: int | None = None,
    disrupt_after: int | None = None,
    attempts: int = 1,
) -> Writes:
    """Runs `writers` concurrent writers calling `write(0)`, `write(1)`, … and, once
    `disrupt_after` writes were acknowledged (default: half of `writes`, else at once), awaits
    `disrupt()` while they go on. Writers stop after `writes` writes, or with `writes=None` when
    the disruption has returned; in-flight writes finish either way.

    A write that raises is tried again with the same number up to `attempts` times, as a client
    retries an unacknowledged call with the same request id; `write` should derive its request id
    from the number. Exactly-once is the caller's to check, against its own table."""
    outcome = Writes()
    numbers = itertools.count()
    after = disrupt_after if disrupt_after is not None else (writes // 2 if writes else 0)
    due, disrupted = asyncio.Event(), asyncio.Event()
    if after <= 0:
        due.set()

    async def one(n: int) -> None:
        for _ in range(attempts):
            try:
                outcome.acknowledged[n] = await write(n)
                outcome.failed.pop(n, None)
                break
            except Exception as error:
                outcome.failed[n] = error
        if len(outcome.acknowledged) >= after:
            due.set()

    async def writer() -> None:
        for n in numbers:
            if (writes is not None and n >= writes) or (writes is None and disrupted.is_set()):
                return
            await one(n)

    tasks = [asyncio.create_task(writer()) for _ in range(writers)]
    everyone = asyncio.gather(*tasks)
    waiting = asyncio.ensure_future(due.wait())
    try:
        await asyncio.wait({waiting, everyone}, return_when=asyncio.FIRST_COMPLETED)
        if not due.is_set():
            await everyone  # a writer's own error first
            raise AssertionError(f"the writers finished with {len(outcome.acknowledged)} acknowledged, before the disruption was due")
        outcome.disruption = await disrupt()
        disrupted.set()
        await everyone
    finally:
        waiting.cancel()
        for task in tasks:
            task.cancel()
        await asyncio.gather(waiting, *tasks, return_exceptions=True)
        if everyone.done() and not everyone.cancelled():
            everyone.exception()  # retrieved: a writer's error already failed the test above
    return outcome


def assert_exactly_once(acknowledged: Mapping[str, str], stored: Iterable[tuple[str, str]]) -> None:
    """Every acknowledged write is stored once, under the id it was acknowledged with, and
    nothing else is stored. `acknowledged` and `stored` map the caller's request key (its request
    id) to the id of what was created; `stored` comes from the caller's own table."""
    rows = list(stored)
    keys = [key for key, _ in rows]
    duplicated = sorted(key for key, times in Counter(keys).items() if times > 1)
    assert not duplicated, f"stored more than once: {duplicated}"
    assert dict(rows) == dict(acknowledged), (
        f"lost: {sorted(set(acknowledged) - set(keys))}, never acknowledged: {sorted(set(keys) - set(acknowledged))},"
        f" other ids: {sorted(k for k, v in rows if k in acknowledged and acknowledged[k] != v)}"
    )
