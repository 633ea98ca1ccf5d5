"""The processes a benchmark measures: one service's replicas (`python -m services.<name>`) and
the gateway in front of them (`python -m gateway`), on the development PKI, each a separate
process started with the suite's `start_process` (bench_gateway, bench_products)."""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import asyncpg

from livecommerce.devstack import ensure_dev_pki
from livecommerce.runtime.db import quote_identifier
from livecommerce.runtime.identity import ROLES
from livecommerce.services import BY_NAME, replica_env
from livecommerce.supervisor import start_process, stop_processes, wait_ready


class Suite:
    def __init__(
        self, root: Path, database_url: str, nats_url: str, *, service: str, lease_ttl: str | None = None, env: dict[str, str] | None = None
    ) -> None:
        """`lease_ttl`: LEASE_TTL_SECONDS for the replicas (None: the service's default); `env`: more
        variables for the replicas (e.g. SUBJECT_ROOT)."""
        self.root, self.logs = root, root / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.service, self.module = service, BY_NAME[service].module
        self.pki = ensure_dev_pki(root / "pki", roles=ROLES, services=[service])
        self.database_url = database_url
        base = {
            **os.environ, "DATABASE_URL": database_url, "NATS_URL": nats_url, "LOG_LEVEL": "WARNING",
            "PII_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(), **(env or {}),
        }
        if lease_ttl is not None:
            base["LEASE_TTL_SECONDS"] = lease_ttl
        self.env = replica_env(service, self.pki, base)
        self.replicas: dict[str, tuple[subprocess.Popen, str]] = {}
        self.gateway: subprocess.Popen | None = None

    def start_replica(self, name: str, *, port: int | None = None) -> None:
        process, port = start_process(self.module, name, self.env, self.logs, port=port)
        wait_ready(process, name, self.logs)
        self.replicas[name] = (process, f"127.0.0.1:{port}")

    def start_gateway(self) -> str:
        gateway = self.pki["servers"]["gateway"]
        env = {
            **os.environ, "LOG_LEVEL": "WARNING",
            "GATEWAY_UPSTREAMS": f"{self.service}=" + "|".join(target for _, target in self.replicas.values()),
            "TLS_CERT_FILE": str(gateway["cert"]), "TLS_KEY_FILE": str(gateway["key"]), "TLS_CA_FILE": str(self.pki["ca_cert"]),
            "CRL_FILE": str(self.pki["crl"]), "AUDIT_FILE": str(self.root / "audit.log"),
        }
        self.gateway, port = start_process("gateway", "gateway", env, self.logs)
        wait_ready(self.gateway, "gateway", self.logs)
        return f"127.0.0.1:{port}"

    async def holder(self) -> str:
        """The replica holding the service's leadership lease now ("" when none does)."""
        conn = await asyncpg.connect(self.database_url)
        try:
            return await conn.fetchval(f"SELECT holder FROM {quote_identifier(self.service)}.leadership WHERE expires_at > now()") or ""
        finally:
            await conn.close()

    async def epoch(self) -> int:
        """The newest lease epoch: one more each time a replica takes the lease (0 before any has)."""
        conn = await asyncpg.connect(self.database_url)
        try:
            return await conn.fetchval(f"SELECT coalesce(max(epoch), 0) FROM {quote_identifier(self.service)}.leadership_history")
        finally:
            await conn.close()

    def stop(self) -> None:
        """SIGCONT (a trial may have left a replica stopped) and SIGTERM to all, SIGKILL after 15 s."""
        stop_processes([process for process, _ in self.replicas.values()] + ([self.gateway] if self.gateway else []), 15)
