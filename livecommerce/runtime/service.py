"""Process lifecycle for every service: wire the shared parts, run, and drain on shutdown.

A service describes itself with a `ServiceDefinition` (its schema migrations, gRPC servicers and
event consumers); `start_service` brings up database, broker, outbox relay, lease, the unit of work
every write goes through, consumers and the gRPC server in that order, and `RunningService.stop`
takes them down in reverse (nats.py's lifecycle).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import grpc
from nats.aio.client import Client
from nats.js import JetStreamContext

from livecommerce.runtime import broker, db, telemetry
from livecommerce.runtime.backoff import Backoff
from livecommerce.runtime.clock import Clock, SystemClock
from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.grpc_server import GrpcServer, start_grpc_server
from livecommerce.runtime.heap import freeze_startup_objects
from livecommerce.runtime.leadership import Lease
from livecommerce.runtime.metrics import Metrics
from livecommerce.runtime.metrics_http import OpsServer, start_ops_server
from livecommerce.runtime.metrics_service import ServiceMetrics
from livecommerce.runtime.outbox import EventWriter, OutboxRelay
from livecommerce.runtime.pii import FieldCipher
from livecommerce.runtime.retention import RetentionDeclaration, retention_of, with_retention
from livecommerce.runtime.settings import Settings
from livecommerce.runtime.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    """What a service's API and handlers are given: the shared parts, already connected."""

    settings: Settings
    clock: Clock
    pool: asyncpg.Pool
    nats: Client
    js: JetStreamContext
    uow: UnitOfWork
    """Every write transaction: `async with runtime.uow.transaction() as conn` (fenced, wakes the relay)."""
    events: EventWriter
    cipher: FieldCipher
    metrics: Metrics = field(default_factory=lambda: Metrics("unnamed", process_collectors=False))
    """The process's metrics (issue 17): a service adds its own families (`metrics.counter(...)`)."""


@dataclass(frozen=True)
class ServiceParts:
    register: Callable[[grpc.aio.Server], None]
    consumers: Sequence[EventConsumer] = ()
    timers: Sequence[tuple[str, Callable[[], Awaitable[None]]]] = ()
    """(name, run) loops only the active replica runs, e.g. lifting sanctions whose end has come."""
    every_replica: Sequence[tuple[str, Callable[[], Awaitable[None]]]] = ()
    """(name, run) loops every replica runs, active or standby, from start to stop, e.g. swapping
    in a newly published lexicon that the standby must hold too when it takes over."""


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    migrations: Path
    service_names: Sequence[str]
    """Full gRPC service names, for health and reflection."""
    build: Callable[[Runtime], ServiceParts]
    consumes: Sequence[str] = ()
    """Services whose event streams this one consumes; their streams are ensured at start-up, so a
    consumer can start before its producer was ever deployed."""
    retention: RetentionDeclaration | None = None
    """Its record kinds and RetentionService (SES-07, TRD-02, PLT-02): the runtime installs their
    policies, runs the purge on the active replica and serves holds (livecommerce/runtime/retention)."""

    @property
    def all_service_names(self) -> list[str]:
        return [*self.service_names, *([self.retention.service_name] if self.retention else [])]


class ActiveDuties:
    """What only the active replica runs: the outbox relay, the event consumers and the timers (PLT-03)."""

    def __init__(self, relay: OutboxRelay, parts: ServiceParts) -> None:
        self._loops: list[tuple[str, Callable[[], Awaitable[None]]]] = [("outbox relay", relay.run)]
        self.consumers = list(parts.consumers)
        self._loops += [(f"consumer {c.name}", c.run) for c in self.consumers]
        self._loops += [(f"timer {name}", run) for name, run in parts.timers]
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        if self._tasks:
            return
        self._tasks = [asyncio.create_task(supervise(name, run), name=name) for name, run in self._loops]

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        if not await _bounded("active duties", asyncio.gather(*tasks, return_exceptions=True), 5):
            for task in tasks:
                if not task.done():
                    log.error("still running after cancel: %s at %s", task.get_name(), task.get_stack(limit=8))


@dataclass
class RunningService:
    runtime: Runtime
    grpc: GrpcServer
    lease: Lease
    duties: ActiveDuties
    tasks: list[asyncio.Task] = field(default_factory=list)
    """The lease loop and the every-replica loops, cancelled on stop."""
    own_pools: list[asyncpg.Pool] = field(default_factory=list)
    """The lease's and the relay's connections, apart from the requests' pool (see start_service)."""
    ops: OpsServer | None = None
    """The ops port: /metrics, /livez, /readyz (metrics_http.py)."""
    service_metrics: ServiceMetrics | None = None

    @property
    def port(self) -> int:
        return self.grpc.port

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Drains in order, each step bounded: a shutdown that hangs is worse than an abrupt one
        (unacknowledged work is redelivered or retried by its client anyway)."""
        await _bounded("gRPC server", self.grpc.stop(grace_seconds), grace_seconds + 5)
        if self.service_metrics is not None:
            await _bounded("metrics advisories", self.service_metrics.stop(), 2)
        for task in self.tasks:
            task.cancel()
        await _bounded("lease loop", asyncio.gather(*self.tasks, return_exceptions=True), 5)
        await self.duties.stop()
        await _bounded("lease hand-over", self.lease.release(), 5)  # the standby takes over at once
        await _bounded("NATS drain", self.runtime.nats.drain(), 5)
        for pool in (self.runtime.pool, *self.own_pools):
            if not await _bounded("database pool", pool.close(), 5):
                pool.terminate()
        if self.ops is not None:  # last: /livez answers while the process drains
            await _bounded("ops port", self.ops.stop(), 3)

    async def __aenter__(self) -> RunningService:
        return self

    async def __aexit__(self, *_exc) -> None:
        await self.stop(grace_seconds=1.0)


async def _bounded(step: str, awaitable: Awaitable, seconds: float) -> bool:
    try:
        async with asyncio.timeout(seconds):
            await awaitable
        return True
    except TimeoutError:
        log.error("shutdown step %r did not finish within %.0fs; moving on", step, seconds)
    except Exception as error:
        log.warning("shutdown step %r failed: %r", step, error)
    return False


async def supervise(name: str, run: Callable[[], Awaitable[None]]) -> None:
    """Keeps a background loop alive: a crash is logged and the loop restarts after a pause."""
    backoff = Backoff(initial=0.2, maximum=5.0)
    while True:
        try:
            await run()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            delay = backoff.next()
            log.exception("%s stopped unexpectedly; restarting in %.1fs", name, delay)
            await asyncio.sleep(delay)


def every(seconds: float, work: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    """A timer loop for `ServiceParts.timers`: runs `work`, then waits, until cancelled."""

    async def run() -> None:
        while True:
            await work()
            await asyncio.sleep(seconds)

    return run


async def start_service(
    definition: ServiceDefinition, settings: Settings, *, clock: Clock | None = None
) -> RunningService:
    clock = clock or SystemClock()
    application = f"{settings.service}@{settings.replica_id}"
    async with contextlib.AsyncExitStack() as undo:
        pool = await db.create_pool(
            settings.database_url, schema=settings.schema, size=settings.db_pool_size, application_name=application,
            session_limits=settings.session_limits,
        )
        undo.push_async_callback(pool.close)
        # The lease and the outbox relay get connections of their own: under overload, requests
        # queue for the pool for longer than a lease TTL, and a renewal queued behind them would
        # hand the lease to the standby (and the relay would publish only as fast as calls finish).
        lease_pool, relay_pool = [
            await db.create_pool(
                settings.database_url, schema=settings.schema, size=2, application_name=f"{application} {purpose}",
                session_limits=settings.session_limits,
            )
            for purpose in ("lease", "relay")
        ]
        undo.push_async_callback(lease_pool.close)
        undo.push_async_callback(relay_pool.close)
        async with pool.acquire() as conn:
            await db.migrate(conn, schema=settings.schema, service_migrations=definition.migrations)
        nc = await broker.connect(settings.nats_url, name=application, tls=settings.tls)
        undo.push_async_callback(nc.close)
        js = nc.jetstream()
        for service in (settings.service, *definition.consumes):
            await broker.ensure_stream(
                js, settings.stream_for(service), [f"{settings.subject_root}.{service}.>"], replicas=settings.stream_replicas
            )
        relay = OutboxRelay(relay_pool, js, schema=settings.schema, clock=clock)
        metrics = Metrics(settings.service)
        metrics.watch_certificates(settings.tls)

        async def on_change(active: bool) -> None:  # called from the first lease.attempt() on, below
            await (duties.start() if active else duties.stop())
            await server.set_serving(active)
            service_metrics.lease_changed(active)

        lease = Lease(
            lease_pool, replica_id=settings.replica_id, ttl_seconds=settings.lease_ttl_seconds,
            renew_seconds=settings.lease_ttl_seconds / 5, on_change=on_change,
        )
        uow = UnitOfWork(pool, fence=lease.fence, wake_relay=relay.wake)
        runtime = Runtime(
            settings=settings,
            clock=clock,
            pool=pool,
            nats=nc,
            js=js,
            uow=uow,
            events=EventWriter(source=settings.service, subject_root=settings.subject_root, clock=clock),
            cipher=FieldCipher(settings.pii_key.reveal()),
            metrics=metrics,
        )
        parts = definition.build(runtime)
        if definition.retention is not None:
            retention = retention_of(definition.retention, runtime)
            async with pool.acquire() as conn:
                await retention.install(conn)
            parts = with_retention(parts, retention, settings.retention_purge_seconds)
        duties = ActiveDuties(relay, parts)
        service_metrics = ServiceMetrics(metrics, lease=lease, relay=relay, relay_pool=relay_pool, consumers=duties.consumers, js=js)
        await service_metrics.watch_advisories(nc)
        server = await start_grpc_server(
            register=parts.register,
            service_names=definition.all_service_names,
            host=settings.grpc_host,
            port=settings.grpc_port,
            tls=settings.tls,
            rpc_metrics=metrics.rpc,
        )
        undo.push_async_callback(server.stop, 0)
        await server.set_serving(False)  # a standby until the lease says otherwise
        await lease.attempt()  # a lone replica is active before its first call
        ops = await start_ops_server(metrics, ready=lambda: server.serving and lease.active, host=settings.metrics_host, port=settings.metrics_port)
        loops = [("leadership lease", lease.run), *parts.every_replica]
        tasks = [asyncio.create_task(supervise(name, run), name=name) for name, run in loops]
        undo.callback(lambda: [t.cancel() for t in tasks])
        undo.pop_all()
        return RunningService(
            runtime=runtime, grpc=server, lease=lease, duties=duties, tasks=tasks, own_pools=[lease_pool, relay_pool], ops=ops,
            service_metrics=service_metrics,
        )
    raise AssertionError("unreachable")


def main(definition: ServiceDefinition) -> None:
    """`python -m services.<name>`: settings from the environment, run until SIGTERM or SIGINT."""
    settings = Settings.from_env(definition.name)
    telemetry.configure_logging(settings.log_level, service=settings.service)
    telemetry.configure_tracing(settings.service, exporter=telemetry.exporter_for(settings.traces))

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        running = await start_service(definition, settings)
        freeze_startup_objects()
        assert running.ops is not None
        print(f"{settings.service} metrics on http://{settings.metrics_host}:{running.ops.port}/metrics", flush=True)
        print(f"{settings.service} ready on {settings.grpc_host}:{running.port}", flush=True)
        await stop.wait()
        log.info("shutting down")
        await running.stop()

    asyncio.run(serve())
