"""Active/standby of the session service (PLT-03) with replica processes behind a real gateway:
only the active replica feeds WatchRoom (the standby answers UNAVAILABLE), and when the active one
is SIGKILLed while rooms are live, watchers reconnect with the last sequence they saw and miss no
change made before or after the failover."""

from __future__ import annotations

import asyncio

import grpc

from livecommerce.runtime.clock import SystemClock
from livecommerce.runtime.identity import Caller
from livecommerce.session.v1 import session_pb2 as pb
from livecommerce.session.v1 import session_pb2_grpc
from tests.replicas import as_the_gateway, gateway_to, process_env, replica_processes, wait_for_takeover
from tests.session.conftest import session_settings
from tests.session.messages import live_session, rid
from tests.session.upstream import Upstream


class Watcher:
    """A WatchRoom client that reconnects after an error with the last sequence it saw."""

    def __init__(self, stub: session_pb2_grpc.SessionServiceStub, session_id: str) -> None:
        self.stub, self.session_id, self.sequences, self.last = stub, session_id, [], 0
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            try:
                async for response in self.stub.WatchRoom(pb.WatchRoomRequest(session_id=self.session_id, after_sequence=self.last)):
                    self.sequences.append(response.update.sequence)
                    self.last = response.update.sequence
            except grpc.aio.AioRpcError:
                await asyncio.sleep(0.1)


async def test_PLT_03_watchers_miss_no_change_across_a_failover(database_url, datastores, subject_root, pki, tmp_path):
    clock = SystemClock()
    env = process_env("session", pki, database_url=database_url, nats_url=datastores.nats_url, subject_root=subject_root)
    settings = session_settings(database_url, datastores.nats_url, subject_root, pki)
    with replica_processes("session", env, tmp_path / "logs", database_url=database_url) as replicas:
        async with gateway_to("session", replicas.addresses, pki, tmp_path / "audit.log") as gateway, Upstream.connected(
            settings, clock, database_url, tls=datastores.nats_tls  # type: ignore[arg-type]
        ) as upstream:
            merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
            await upstream.eligible_anchor("an-1")
            for product_id in ("p-1", "p-2"):
                await upstream.listed_product(product_id, "m-demo")
            rooms = [await live_session(merchant, clock, room_id=f"room-{n}", products=("p-1", "p-2"), minutes=10) for n in range(2)]
            leader = await replicas.holder()
            standby = next(r for r in replicas.replicas if r.name != leader)
            direct = session_pb2_grpc.SessionServiceStub(as_the_gateway(standby, pki, Caller("probe", "merchant", "m-demo")))
            try:
                await anext(aiter(direct.WatchRoom(pb.WatchRoomRequest(session_id=rooms[0].session_id))))
                raise AssertionError("the standby fed a room")
            except grpc.aio.AioRpcError as refused:
                assert refused.code() == grpc.StatusCode.UNAVAILABLE
            watchers = [Watcher(session_pb2_grpc.SessionServiceStub(gateway.channel("integration")), r.session_id) for r in rooms for _ in range(3)]
            for n, room in enumerate(rooms):
                await merchant.MuteViewer(pb.MuteViewerRequest(request_id=rid(), session_id=room.session_id, viewer_id=f"v-{n}", reason="刷屏"))
            await replicas.kill_active()
            await wait_for_takeover([standby], pki)
            await upstream.delist("p-1", "m-demo")  # reaches the rooms through the new active replica
            for room in rooms:
                await merchant.MuteViewer(pb.MuteViewerRequest(request_id=rid(), session_id=room.session_id, viewer_id="v-late", reason="刷屏"))
            async with asyncio.timeout(15):  # 1 ready, 2 opened, 3 muted, 4 removed, 5 muted
                while any(w.last < 5 for w in watchers):
                    await asyncio.sleep(0.05)
            final = {r.session_id: (await merchant.GetSession(pb.GetSessionRequest(session_id=r.session_id))).session for r in rooms}
            for watcher in watchers:
                watcher.task.cancel()
                seen = [s for s in watcher.sequences if s > watcher.sequences[0]]
                assert seen == list(range(watcher.sequences[0] + 1, watcher.last + 1)), watcher.sequences  # no gap, no repeat
                assert watcher.last == 5
            assert all([i.product_id for i in s.lineup] == ["p-2"] for s in final.values())
