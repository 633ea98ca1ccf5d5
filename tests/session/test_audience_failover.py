"""Viewer counts across a failover (SES-08, PLT-03): two session replica processes behind a real
gateway; the active one is SIGKILLed in the middle of a burst of joins. The edge servers resend
what was not acknowledged (from the stream's applied_messages, or all of it when the replica
died under it) and keep heartbeating; the new active replica's counts become exact again from the
heartbeats, and no peak anyone was shown ever goes down."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import grpc

from livecommerce.runtime.clock import SystemClock
from livecommerce.session.v1 import audience_pb2 as pb
from livecommerce.session.v1 import audience_pb2_grpc, session_pb2_grpc
from tests.replicas import gateway_to, process_env, replica_processes, wait_for_takeover, wait_until
from tests.session.conftest import session_settings
from tests.session.messages import live_session
from tests.session.test_audience import refusal
from tests.session.upstream import Upstream

HEARTBEAT_SECONDS = 1
CHUNK = 1000
SESSIONS = 4
VIEWERS_PER_SESSION = 10_000
RETRYABLE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN)


class Edge:
    """An edge server: what it knows is present, sent until acknowledged, heartbeated each interval."""

    def __init__(self, stub: audience_pb2_grpc.AudienceServiceStub, sessions: Sequence[str]) -> None:
        self.stub, self.present = stub, {s: set() for s in sessions}
        self.lock = asyncio.Lock()  # a heartbeat round never straddles a leave
        self.resent = 0

    async def send(self, messages: list[pb.ReportViewersRequest], *, hold: asyncio.Event | None = None) -> None:
        """Until acknowledged. With `hold`, the first attempt stops half-way, its stream open, until
        the event is set (the test kills the active replica meanwhile)."""
        while messages:
            try:
                await self.stub.ReportViewers(self._paced(messages, hold), timeout=30)
                return
            except grpc.aio.AioRpcError as error:
                if error.code() not in RETRYABLE:
                    raise
                applied = refusal(error)["applied"]
                messages = messages[applied or 0 :]  # applied ones are harmless to repeat, but need not be
                self.resent += 1
                hold = None
                await asyncio.sleep(0.1)

    async def _paced(self, messages: list[pb.ReportViewersRequest], hold: asyncio.Event | None):
        for i, message in enumerate(messages):
            if hold is not None and i == len(messages) // 2:
                await hold.wait()
            self.present[message.session_id].update(message.joins)  # heartbeated from when it is sent
            yield message

    async def join(self, session_id: str, viewers: list[str], *, hold: asyncio.Event | None = None) -> None:
        messages = [pb.ReportViewersRequest(session_id=session_id, joins=viewers[i : i + CHUNK]) for i in range(0, len(viewers), CHUNK)]
        await self.send(messages, hold=hold)

    async def leave(self, session_id: str, viewers: list[str]) -> None:
        async with self.lock:
            self.present[session_id].difference_update(viewers)
            await self.send([pb.ReportViewersRequest(session_id=session_id, leaves=viewers[i : i + CHUNK]) for i in range(0, len(viewers), CHUNK)])

    async def heartbeat(self) -> None:
        while True:
            async with self.lock:
                for session_id, viewers in self.present.items():
                    ids = sorted(viewers)
                    await self.send([pb.ReportViewersRequest(session_id=session_id, heartbeats=ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)])
            await asyncio.sleep(HEARTBEAT_SECONDS)


class PeakWatch:
    """Reads the counts over and over; every peak shown must be at least the one shown before."""

    def __init__(self, stub: audience_pb2_grpc.AudienceServiceStub, sessions: Sequence[str]) -> None:
        self.stub, self.sessions = stub, list(sessions)
        self.seen: list[tuple[list[int], int]] = []
        self.task = asyncio.create_task(self._run())

    async def read(self) -> pb.GetViewerCountsResponse:
        return await self.stub.GetViewerCounts(pb.GetViewerCountsRequest(session_ids=self.sessions), timeout=5)

    async def _run(self) -> None:
        while True:
            try:
                read = await self.read()
                peaks = ([s.peak for s in read.sessions], read.platform.peak)
                if self.seen:
                    last_sessions, last_platform = self.seen[-1]
                    assert all(now >= before for now, before in zip(peaks[0], last_sessions, strict=True)), (self.seen[-1], peaks)
                    assert peaks[1] >= last_platform, (self.seen[-1], peaks)
                self.seen.append(peaks)
            except grpc.aio.AioRpcError:
                pass
            await asyncio.sleep(0.05)


async def test_SES_08_PLT_03_counts_are_exact_again_and_peaks_never_fall_after_a_sigkill_in_a_burst(
    database_url, datastores, subject_root, pki, tmp_path
):
    clock = SystemClock()
    rules = tmp_path / "rules.toml"
    rules.write_text(f"[audience]\nheartbeat_seconds = {HEARTBEAT_SECONDS}\ntimeout_seconds = 4\nmax_batch = {CHUNK}\ntick_seconds = 0.1\n")
    env = process_env(
        "session", pki, database_url=database_url, nats_url=datastores.nats_url, subject_root=subject_root, RULES_FILE=str(rules)
    )
    settings = session_settings(database_url, datastores.nats_url, subject_root, pki)
    with replica_processes("session", env, tmp_path / "logs", database_url=database_url) as replicas:
        async with gateway_to("session", replicas.addresses, pki, tmp_path / "audit.log") as gateway, Upstream.connected(
            settings, clock, database_url, tls=datastores.nats_tls  # type: ignore[arg-type]
        ) as upstream:
            await upstream.eligible_anchor("an-1")
            await upstream.listed_product("p-1", "m-demo")
            merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
            sessions = [(await live_session(merchant, clock, room_id=f"room-{n}", minutes=10)).session_id for n in range(SESSIONS)]
            edge = Edge(audience_pb2_grpc.AudienceServiceStub(gateway.channel("integration")), sessions)
            watch = PeakWatch(audience_pb2_grpc.AudienceServiceStub(gateway.channel("compliance_officer")), sessions)
            heartbeats = asyncio.create_task(edge.heartbeat())
            viewers = {s: [f"v-{n}-{i}" for i in range(VIEWERS_PER_SESSION)] for n, s in enumerate(sessions)}
            # Settled first: viewers joined and acknowledged before the kill, which only their
            # heartbeats can bring back to the new active replica.
            settled = 2_000
            await asyncio.gather(*(edge.join(s, viewers[s][:settled]) for s in sessions))
            # The burst: every session's other joins on a stream of its own; half-way, with the
            # streams open and what they sent so far counted and shown, the active replica is killed.
            held = asyncio.Event()
            burst = [asyncio.create_task(edge.join(s, viewers[s][settled:], hold=held)) for s in sessions]
            total = SESSIONS * VIEWERS_PER_SESSION
            shown_at_kill = SESSIONS * (settled + (VIEWERS_PER_SESSION - settled) // 2)

            async def half_shown() -> bool:
                return bool(watch.seen) and watch.seen[-1][1] == shown_at_kill

            await wait_until(half_shown, within=20, interval=0.01)
            shown_before = watch.seen[-1]
            killed = await replicas.serving(gateway)  # the replica the streams run on
            killed.kill()
            await wait_for_takeover([r for r in replicas.replicas if r is not killed], pki, within=15)
            held.set()
            await asyncio.gather(*burst)

            async def exact() -> bool:
                read = await watch.read()
                return [s.current for s in read.sessions] == [VIEWERS_PER_SESSION] * SESSIONS and read.platform.current == total

            await wait_until(exact, within=20, interval=0.1)
            read = await watch.read()
            assert [s.peak for s in read.sessions] == [VIEWERS_PER_SESSION] * SESSIONS and read.platform.peak == total
            assert read.platform.peak >= shown_before[1] and all(
                p >= b for p, b in zip([s.peak for s in read.sessions], shown_before[0], strict=True)
            )
            # Then half of them leave: current exact at once, the peaks stay.
            await asyncio.gather(*(edge.leave(s, viewers[s][: VIEWERS_PER_SESSION // 2]) for s in sessions))
            read = await watch.read()
            assert [(s.current, s.peak) for s in read.sessions] == [(VIEWERS_PER_SESSION // 2, VIEWERS_PER_SESSION)] * SESSIONS
            assert (read.platform.current, read.platform.peak) == (total // 2, total)
            heartbeats.cancel()
            watch.task.cancel()
            for task in (heartbeats, watch.task):
                try:
                    await task
                except asyncio.CancelledError:
                    pass
            assert edge.resent >= 1  # the kill cut streams, and the edge resent what they had not applied
            assert len(watch.seen) >= 2 and watch.seen[0][1] < total  # shown before the kill, part of the burst only
