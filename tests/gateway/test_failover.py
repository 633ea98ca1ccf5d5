"""Failover through the gateway (PLT-03): the active anchor replica is SIGKILLed while a client
registers anchors; every acknowledged registration exists exactly once and calls go on on the
standby. Replicas are real processes (`python -m services.anchor`)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
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
from tests.anchor.builders import profile, seed_agencies
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


async def test_PLT_03_sigkill_of_the_active_replica_loses_no_acknowledged_registration(replica_env, database_url, pki, tmp_path):
    processes = dict(start_replica(name, replica_env) for name in ("anchor-a", "anchor-b"))
    await seed_agencies(database_url)
    names = {process: name for process, name in zip(processes, ("anchor-a", "anchor-b"))}
    audit = AuditLog(tmp_path / "audit.log")
    gateway, server = await start_gateway(
        upstreams={"anchor": list(processes.values())},
        tls=server_tls(pki, "gateway"),
        policy=ReloadingPolicy(),
        audit=audit,
        revocations=RevocationList(pki["crl"], pki["ca_cert"]),
    )
    acknowledged: dict[str, str] = {}
    try:
        async with grpc.aio.secure_channel(f"127.0.0.1:{server.port}", client_tls(pki, "agency").channel_credentials()) as channel:
            agency = anchor_pb2_grpc.AnchorServiceStub(channel)

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
        await bounded(server.stop(0.5), "stop the gateway")
        await gateway.close()
        await audit.close()
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(15)


async def test_PLT_03_a_sigstopped_leader_is_fenced_when_it_wakes(replica_env, database_url, pki):
    from livecommerce.runtime.client import secure_channel
    from livecommerce.runtime.identity import Caller

    processes = dict(start_replica(name, replica_env) for name in ("anchor-a", "anchor-b"))
    await seed_agencies(database_url)
    names = dict(zip(processes, ("anchor-a", "anchor-b")))
    conn = await asyncpg.connect(database_url)
    try:
        holder = await conn.fetchval("SELECT holder FROM anchor.leadership")
        paused = next(p for p, name in names.items() if name == holder)
        paused.send_signal(signal.SIGSTOP)
        deadline = time.monotonic() + 15
        while await conn.fetchval("SELECT holder FROM anchor.leadership") == holder:
            assert time.monotonic() < deadline, "the standby never took over"
            await asyncio.sleep(0.05)
        paused.send_signal(signal.SIGCONT)
        caller = Caller("agent", "agency", "ag-1")
        async with secure_channel(processes[paused], server_tls(pki, "gateway"), caller=caller) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await anchor_pb2_grpc.AnchorServiceStub(channel).RegisterAnchor(pb.RegisterAnchorRequest(profile=profile()), timeout=10)
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE and "PLT-03" in refused.value.details()
        assert await conn.fetchval("SELECT count(*) FROM anchor.anchors") == 0
    finally:
        await conn.close()
        for process in processes:
            process.send_signal(signal.SIGCONT)
            process.send_signal(signal.SIGTERM)
            process.wait(15)
