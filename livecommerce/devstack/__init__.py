"""Real datastores and a development CA for the laptop suite and the tests (architecture.md,
"Running it"): PostgreSQL from the machine's binaries, NATS JetStream from the venv's
`nats-server`, both on 127.0.0.1 and remembered free ports in a data directory, and mutual-TLS
certificates carrying each caller's role, tenant and principal (NATS requires them too). Nothing
here is used in production.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from livecommerce.devstack.ca import NATS_SERVER, CertificateAuthority, DevPki, IssuedCert, ensure_dev_pki, issue_ca
from livecommerce.devstack.nats import LocalNats
from livecommerce.devstack.nats_users import Permissions, broker_users
from livecommerce.devstack.ports import DevstackError
from livecommerce.devstack.postgres import LocalPostgres
from livecommerce.runtime.certificates import CertIdentity, parse_identity
from livecommerce.runtime.identity import ROLES
from livecommerce.runtime.tls import TlsFiles

__all__ = [
    "ROLES",
    "CertIdentity",
    "CertificateAuthority",
    "DevPki",
    "DevstackError",
    "IssuedCert",
    "LocalNats",
    "LocalPostgres",
    "LocalStack",
    "broker_users",
    "ensure_dev_pki",
    "ensure_local_stack",
    "issue_ca",
    "nats_server_tls",
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


def nats_server_tls(pki: DevPki) -> TlsFiles:
    """The broker's certificate and key from the development PKI, and the CA its clients chain to."""
    files = pki["servers"][NATS_SERVER]
    return TlsFiles(cert=files["cert"], key=files["key"], ca=pki["ca_cert"])


def ensure_local_stack(data_dir: Path, pki: DevPki, users: Mapping[str, Permissions | None]) -> LocalStack:
    """Starts (or finds already running) PostgreSQL in `data_dir/postgres` and NATS in
    `data_dir/nats`, NATS with `pki`'s broker certificate (clients present one from its CA that
    maps to one of `users`, `broker_users`)."""
    nats = LocalNats(Path(data_dir) / "nats", tls=nats_server_tls(pki), users=users)
    stack = LocalStack(LocalPostgres(Path(data_dir) / "postgres"), nats)
    stack.postgres.start()
    stack.nats.start()
    return stack
