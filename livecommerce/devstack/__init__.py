"""Real datastores and a development CA for the laptop suite and the tests (architecture.md,
"Running it"): PostgreSQL from the machine's binaries, NATS JetStream from the venv's
`nats-server`, both on 127.0.0.1 and remembered free ports in a data directory, and mutual-TLS
certificates carrying each caller's role, tenant and principal. Nothing here is used in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from livecommerce.devstack.ca import CertificateAuthority, IssuedCert, ensure_dev_pki, issue_ca
from livecommerce.devstack.nats import LocalNats
from livecommerce.devstack.ports import DevstackError
from livecommerce.devstack.postgres import LocalPostgres
from livecommerce.runtime.certificates import CertIdentity, parse_identity
from livecommerce.runtime.identity import ROLES

__all__ = [
    "ROLES",
    "CertIdentity",
    "CertificateAuthority",
    "DevstackError",
    "IssuedCert",
    "LocalNats",
    "LocalPostgres",
    "LocalStack",
    "ensure_dev_pki",
    "ensure_local_stack",
    "issue_ca",
    "parse_identity",
]


@dataclass(frozen=True)
class LocalStack:
    postgres: LocalPostgres
    nats: LocalNats

    @property
    def database_url(self) -> str:
        return self.postgres.url

    @property
    def nats_url(self) -> str:
        return self.nats.url

    def stop(self) -> None:
        self.nats.stop()
        self.postgres.stop()


def ensure_local_stack(data_dir: Path) -> LocalStack:
    """Starts (or finds already running) PostgreSQL in `data_dir/postgres` and NATS in `data_dir/nats`."""
    stack = LocalStack(LocalPostgres(Path(data_dir) / "postgres"), LocalNats(Path(data_dir) / "nats"))
    stack.postgres.start()
    stack.nats.start()
    return stack
