"""Failover through the gateway (PLT-03): the active anchor replica is SIGKILLed while a client
registers anchors; every acknowledged registration exists exactly once and calls go on on the
standby. Replicas are real processes (`python -m services.anchor`)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import grpc
import pytest

from gateway.audit import AuditLog
from gateway.policy import ReloadingPolicy
from gateway.revocation import RevocationList
from gateway.server import start_gateway
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.devstack.ports import free_port
from tests.anchor.builders import profile, rid, seed_agencies
from tests.anchor.conftest import PII_KEY
from tests.conftest import bounded, client_tls, server_tls

ROOT = Path(__file__).resolve().parents[2]


def start_replica(name: str, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "services.anchor"],
        cwd=ROOT,
        env={**env, "GRPC_PORT": str(port), "REPLICA_ID": name},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready on" in process.stdout.readline():
            return process, f"127.0.0.1:{port}"
        assert process.poll() is None, f"{name} exited"
    raise AssertionError(f"{name} did not start")


@pytest.fixture
def replica_env(database_url, datastores, subject_root, pki) -> dict[str, str]:
    tls = pki["servers"]["anchor"]
    return {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": database_url,
        "NATS_URL": datastores.nats_url,
        "PII_KEY": PII_KEY,
        "TLS_CERT_FILE": str(tls["cert"]),
        "TLS_KEY_FILE": str(tls["key"]),
        "TLS_CA_FILE": str(pki["ca_cert"]),
        "SUBJECT_ROOT": subject_root,
        "LEASE_TTL_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }


@contextlib.asynccontextmanager
async def gateway_to(replicas: dict[subprocess.Popen, str], pki, tmp_path: Path):
    """A gateway in front of the replicas; yields an AnchorService stub of an agency client."""
    audit = AuditLog(tmp_path / "audit.log")
    gateway, server = await start_gateway(
        upstreams={"anchor": list(replicas.values())},
        tls=server_tls(pki, "gateway"),
        policy=ReloadingPolicy(),
        audit=audit,
        revocations=RevocationList(pki["crl"], pki["ca_cert"]),
    )
    try:
        async with grpc.aio.secure_channel(f"127.0.0.1:{server.port}", client_tls(pki, "agency").channel_credentials()) as channel:
            yield anchor_pb2_grpc.AnchorServiceStub(channel)
    finally:
        await bounded(server.stop(0.5), "stop the gateway")
        await gateway.close()
        await audit.close()


async def test_PLT_03_sigkill_of_the_active_replica_loses_no_acknowledged_registration(replica_env, database_url, pki, tmp_path):
    processes = dict(start_replica(name, replica_env) for name in ("anchor-a", "anchor-b"))
    await seed_agencies(database_url)
    names = dict(zip(processes, ("anchor-a", "anchor-b")))
    acknowledged: dict[str, str] = {}
    try:
        async with gateway_to(processes, pki, tmp_path) as agency:

            async def register(n: int) -> None:
                for _ in range(3):  # a client retries an unacknowledged call with the same request_id
                    try:
                        reply = await agency.RegisterAnchor(
                            pb.RegisterAnchorRequest(request_id=f"reg-{n}", profile=profile(agency_id="")), timeout=10
                        )
                        acknowledged[f"reg-{n}"] = reply.anchor.anchor_id
                        return
                    except grpc.aio.AioRpcError:
                        continue

            for n in range(20):
                await register(n)
            conn = await asyncpg.connect(database_url)
            holder = await conn.fetchval("SELECT holder FROM anchor.leadership")
            victim = next(p for p, name in names.items() if name == holder)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            for n in range(20, 40):
                await register(n)
            assert len(acknowledged) == 40  # calls succeed again on the standby
            rows = await conn.fetch("SELECT request_id, anchor_id FROM anchor.anchors")
            new_holder = await conn.fetchval("SELECT holder FROM anchor.leadership")
            await conn.close()
        assert new_holder != holder
        stored = {r["request_id"]: str(r["anchor_id"]) for r in rows}
        assert len(rows) == len(stored) == 40
        assert stored == acknowledged  # each acknowledged registration exactly once, as acknowledged
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(15)


async def test_PLT_03_a_sigstopped_leader_is_fenced_when_it_wakes(replica_env, database_url, pki, tmp_path):
    """The active replica is SIGSTOPped while it holds the fence (the share lock on the lease row)
    under a stream of registrations through the gateway. The standby takes over and serves within
    2 s while the old leader is still stopped; the calls caught in the old leader come back
    UNAVAILABLE when it resumes, so the gateway retries them and every one succeeds, exactly once;
    and the resumed old leader cannot commit."""
    from livecommerce.runtime.client import secure_channel
    from livecommerce.runtime.identity import Caller

    processes = dict(start_replica(name, replica_env) for name in ("anchor-a", "anchor-b"))
    await seed_agencies(database_url)
    names = dict(zip(processes, ("anchor-a", "anchor-b")))
    conn = await asyncpg.connect(database_url)
    outcomes: dict[str, grpc.StatusCode] = {}
    try:
        async with gateway_to(processes, pki, tmp_path) as agency:
            holder = await conn.fetchval("SELECT holder FROM anchor.leadership")
            paused = next(p for p, name in names.items() if name == holder)
            writing = asyncio.Event()
            writing.set()

            async def writer(w: int) -> None:
                n = 0
                while writing.is_set():
                    request_id, n = f"w{w}-{n}", n + 1
                    try:
                        await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=request_id, profile=profile(agency_id="")), timeout=20)
                        outcomes[request_id] = grpc.StatusCode.OK
                    except grpc.aio.AioRpcError as error:
                        outcomes[request_id] = error.code()

            writers = [asyncio.create_task(writer(w)) for w in range(12)]
            for _ in range(50):  # until the stop lands between a fence and its commit
                await asyncio.sleep(0.05 + random.random() * 0.05)
                paused.send_signal(signal.SIGSTOP)
                stopped = time.monotonic()
                if await holds_the_fence(conn, holder):
                    break
                paused.send_signal(signal.SIGCONT)
            else:
                pytest.fail("never caught the leader inside a fenced transaction")
            while True:  # a call through the gateway, served by the standby
                try:
                    await agency.GetAnchor(pb.GetAnchorRequest(anchor_id=str(uuid.uuid4())), timeout=0.3)
                except grpc.aio.AioRpcError as error:
                    if error.code() == grpc.StatusCode.NOT_FOUND:
                        break
                assert time.monotonic() - stopped < 2.0, "the standby did not serve within 2 s of the pause"
            assert await conn.fetchval("SELECT holder FROM anchor.leadership") != holder
            assert process_state(paused) == "T"  # still stopped
            paused.send_signal(signal.SIGCONT)
            writing.clear()
            await asyncio.gather(*writers)
        caller = Caller("agent", "agency", "ag-1")
        async with secure_channel(processes[paused], server_tls(pki, "gateway"), caller=caller) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await anchor_pb2_grpc.AnchorServiceStub(channel).RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile()), timeout=10)
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE and "PLT-03" in refused.value.details()
        assert {code for code in outcomes.values()} == {grpc.StatusCode.OK}, outcomes
        stored = await conn.fetch("SELECT request_id FROM anchor.anchors")
        assert sorted(r["request_id"] for r in stored) == sorted(outcomes)  # each exactly once
    finally:
        await conn.close()
        for process in processes:
            process.send_signal(signal.SIGCONT)
            process.send_signal(signal.SIGTERM)
            process.wait(15)


async def holds_the_fence(conn: asyncpg.Connection, replica: str) -> bool:
    """Whether `replica`'s session sits idle in a transaction holding a lock on the lease row
    (the fence's share lock, or its renewal's); polled briefly, as a COMMIT sent just before the
    stop may still be on its way."""
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        if await conn.fetchval(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE a.application_name = $1 AND a.state = 'idle in transaction' AND l.granted"
            " AND l.relation = 'anchor.leadership'::regclass AND l.mode IN ('RowShareLock', 'RowExclusiveLock')",
            f"anchor@{replica}",
        ):
            return True
        await asyncio.sleep(0.02)
    return False


def process_state(process: subprocess.Popen) -> str:
    return Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
