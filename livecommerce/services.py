"""The services the suite deploys: one entry each, read by everything that needs the list.

`./dev up` (`suite.py`) starts two replicas of each (`python -m <module>` under the supervisor),
issues each a server certificate from the development CA, and gives the gateway each one's
replicas as an upstream; `suite.json` lists them, so `lc status` shows their replicas. Tests start
replica processes from the same entries (`tests/replicas.py`). Adding a service is one line here,
once its package has a `__main__` that serves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from livecommerce.devstack.ca import DevPki


@dataclass(frozen=True)
class DeployedService:
    name: str
    """Short name: the schema, the stream, the gateway upstream, the server certificate's CN."""
    module: str
    """What `python -m` runs for one replica."""


SERVICES: tuple[DeployedService, ...] = (
    DeployedService("anchor", "services.anchor"),
    DeployedService("product", "services.product"),
    DeployedService("session", "services.session"),
    DeployedService("trade", "services.trade"),
    DeployedService("complaint", "services.complaint"),
)

BY_NAME: Mapping[str, DeployedService] = {service.name: service for service in SERVICES}


def names() -> list[str]:
    return [service.name for service in SERVICES]


def replica_env(name: str, pki: DevPki, base: Mapping[str, str]) -> dict[str, str]:
    """`base` plus what one replica of `name` needs from the development PKI (`ensure_dev_pki`'s
    result): its server certificate and key, and the CA its clients' certificates chain to."""
    tls = pki["servers"][name]
    return {**base, "TLS_CERT_FILE": str(tls["cert"]), "TLS_KEY_FILE": str(tls["key"]), "TLS_CA_FILE": str(pki["ca_cert"])}
