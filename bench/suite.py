"""The processes a benchmark measures: one service's replicas (`python -m services.<name>`), and
optionally other services' (`also`), and the gateway in front of them (`python -m gateway`), on
the development PKI, each a separate process started with the suite's `start_process`
(bench_gateway, bench_products, bench_rooms)."""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import asyncpg

from bench.datastores import bench_pki, nats_tls
from livecommerce.runtime.db import quote_identifier
from livecommerce.services import BY_NAME, replica_env
from livecommerce.supervisor import start_process, stop_processes, wait_ready


class Suite:
    def __init__(
        self, root: Path, database_url: str, nats_url: str, *, service: str, also: Sequence[str] = (),
        lease_ttl: str | None = None, env: dict[str, str] | None = None,
    ) -> None:
        """`service`: the one measured (the default of `start_replica`, `holder`, `epoch`); `also`:
        other services whose replicas the run needs too (the gateway routes to each);
        `lease_ttl`: LEASE_TTL_SECONDS for the replicas (None: the service's default); `env`: more
        variables for the replicas (e.g. SUBJECT_ROOT)."""
        self.root, self.logs = root, root / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.service, self.module = service, BY_NAME[service].module
        self.pki = bench_pki(root, [service, *also])
        self.nats_tls = nats_tls(root)
        """What the benchmark's own NATS connections present (the private NATS requires it)."""
        self.database_url = database_url
        base = {
            **os.environ, "DATABASE_URL": database_url, "NATS_URL": nats_url, "LOG_LEVEL": "WARNING",
            "PII_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(), **(env or {}),
        }
        if lease_ttl is not None:
            base["LEASE_TTL_SECONDS"] = lease_ttl
        self.envs = {name: replica_env(name, self.pki, base) for name in (service, *also)}
        self.env = self.envs[service]
        self.replicas: dict[str, tuple[subprocess.Popen, str]] = {}
        """Every replica started, by name (names are unique across services)."""
        self.service_of: dict[str, str] = {}
        self.gateway: subprocess.Popen | None = None

    def start_replica(self, name: str, *, port: int | None = None, service: str | None = None) -> None:
        """A replica of `service` (default: the measured one), ready when this returns."""
        service = service or self.service
        process, port = start_process(BY_NAME[service].module, name, self.envs[service], self.logs, port=port)
        wait_ready(process, name, self.logs)
        self.replicas[name] = (process, f"127.0.0.1:{port}")
        self.service_of[name] = service

    def start_gateway(self) -> str:
        gateway = self.pki["servers"]["gateway"]
        env = {
            **os.environ, "LOG_LEVEL": "WARNING",
            "GATEWAY_UPSTREAMS": ",".join(
                f"{service}=" + "|".join(target for name, (_, target) in self.replicas.items() if self.service_of[name] == service)
                for service in self.envs if service in self.service_of.values()
            ),
            "TLS_CERT_FILE": str(gateway["cert"]), "TLS_KEY_FILE": str(gateway["key"]), "TLS_CA_FILE": str(self.pki["ca_cert"]),
            "CRL_FILE": str(self.pki["crl"]), "AUDIT_FILE": str(self.root / "audit.log"),
        }
        self.gateway, port = start_process("gateway", "gateway", env, self.logs)
        wait_ready(self.gateway, "gateway", self.logs)
        return f"127.0.0.1:{port}"

    async def holder(self, service: str | None = None) -> str:
        """The replica holding the service's leadership lease now ("" when none does)."""
        conn = await asyncpg.connect(self.database_url)
        try:
            schema = quote_identifier(service or self.service)
            return await conn.fetchval(f"SELECT holder FROM {schema}.leadership WHERE expires_at > now()") or ""
        finally:
            await conn.close()

    async def epoch(self, service: str | None = None) -> int:
        """The newest lease epoch: one more each time a replica takes the lease (0 before any has)."""
        conn = await asyncpg.connect(self.database_url)
        try:
            return await conn.fetchval(f"SELECT coalesce(max(epoch), 0) FROM {quote_identifier(service or self.service)}.leadership_history")
        finally:
            await conn.close()

    def stop(self) -> None:
        """SIGCONT (a trial may have left a replica stopped) and SIGTERM to all, SIGKILL after 15 s."""
        stop_processes([process for process, _ in self.replicas.values()] + ([self.gateway] if self.gateway else []), 15)
