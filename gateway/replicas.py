"""The replicas of each service behind the gateway, and which one is active (PLT-03).

The gateway routes every call to the active replica of its service; this module follows which
replica that is from the replicas' own health, without polling.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.tls import TlsFiles


class Replicas:
    """The replicas of one service and which of them is active, from their health (PLT-03).

    The gateway keeps a health `Watch` stream open to each replica: a replica reports SERVING the
    moment it takes the lease, and a killed replica's stream breaks at once, so routing follows a
    failover without waiting for a poll. The latest replica to report SERVING is the active one
    (a paused ex-leader's stream goes silent rather than saying NOT_SERVING, until the channel's
    keepalive finds it silent and breaks the stream and its calls: then, with no successor, no
    replica is active, and calls are answered UNAVAILABLE instead of waiting on it). While none is
    active, callers wait for one. A call that finds a replica not active makes the gateway ask
    every replica once (`Check`): a stream only speaks on a change, and the replica may still be
    the active one after all (a transient refusal).
    """

    def __init__(self, targets: Sequence[str], tls: TlsFiles, *, reconnect: float = 0.05) -> None:
        self.channels = {target: secure_channel(target, tls, keepalive=True) for target in targets}
        self._reconnect = reconnect
        self.active: str | None = None
        self._changed = asyncio.Event()
        """Set when another replica becomes active, then replaced: a waiter holds the one it waits on."""
        self._watchers = [asyncio.create_task(self._watch(t), name=f"health {t}") for t in targets]
        self._recheck: asyncio.Task | None = None

    async def _watch(self, target: str) -> None:
        stub = health_pb2_grpc.HealthStub(self.channels[target])
        while True:
            try:
                async for reply in stub.Watch(health_pb2.HealthCheckRequest(), wait_for_ready=True):
                    self._report(target, serving=reply.status == health_pb2.HealthCheckResponse.SERVING)
            except grpc.aio.AioRpcError:
                pass
            self._report(target, serving=False)  # the stream ended: the replica is gone or going
            await asyncio.sleep(self._reconnect)

    def _report(self, target: str, *, serving: bool) -> None:
        if serving and self.active != target:
            self.active = target
            self._changed.set()
            self._changed = asyncio.Event()
        elif not serving and self.active == target:
            self.active = None

    async def channel(self, within: float) -> grpc.aio.Channel | None:
        """The active replica's channel, waiting up to `within` seconds for one to appear."""
        if self.active is not None:  # the usual case: no timer to arm
            return self.channels[self.active]
        try:
            async with asyncio.timeout(within):
                while self.active is None:
                    await self._changed.wait()
        except TimeoutError:
            return None
        return self.channels[self.active]

    async def moved_from(self, channel: grpc.aio.Channel) -> None:
        """Returns once another replica than `channel`'s is active: the one a call went to lost
        the lease under it (a paused leader says nothing; its successor's health does)."""
        while self.active is None or self.channels[self.active] is channel:
            await self._changed.wait()

    def forget(self, channel: grpc.aio.Channel) -> None:
        """A call found this replica not active: stop routing there until its health says so."""
        if self.active is not None and self.channels[self.active] is channel:
            self.active = None
            if self._recheck is None or self._recheck.done():
                self._recheck = asyncio.create_task(self._check_all(), name="health recheck")

    async def _check_all(self) -> None:
        async def check(target: str) -> None:
            try:
                reply = await health_pb2_grpc.HealthStub(self.channels[target]).Check(health_pb2.HealthCheckRequest(), timeout=0.5)
            except grpc.aio.AioRpcError:
                return  # unreachable: its Watch stream reports when it is back
            self._report(target, serving=reply.status == health_pb2.HealthCheckResponse.SERVING)

        await asyncio.gather(*(check(target) for target in self.channels))

    async def close(self) -> None:
        tasks = [*self._watchers, *([self._recheck] if self._recheck else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for channel in self.channels.values():
            await channel.close()
