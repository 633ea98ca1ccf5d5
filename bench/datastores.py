"""The datastores a benchmark runs against: DATABASE_URL / NATS_URL when set, else a private
PostgreSQL and NATS in a directory the benchmark owns (stopped when it is done).

A benchmark's root holds `data/` (the datastores) and `pki/` (the development PKI that `Suite`
uses too): the private NATS requires mutual TLS from that CA, and the benchmark's own NATS
connections present `nats_tls(root)`."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from livecommerce.devstack import DevPki, broker_users, ensure_dev_pki, ensure_local_stack
from livecommerce.runtime.identity import ROLES
from livecommerce.runtime.tls import TlsFiles
from livecommerce.services import names

BENCH_CLIENT = "bench-probe"
"""The certificate of the benchmark's own NATS connections (a server certificate: clientAuth too)."""
BENCH_USERS = broker_users(names(), probes=[BENCH_CLIENT])
"""Who a benchmark's private broker lets in: the services, and the benchmark itself without limits."""


def bench_pki(root: Path, services: Iterable[str] = ()) -> DevPki:
    return ensure_dev_pki(root / "pki", roles=ROLES, services=[*services, BENCH_CLIENT])


def nats_tls(root: Path) -> TlsFiles:
    pki = bench_pki(root)
    return TlsFiles(cert=pki["servers"][BENCH_CLIENT]["cert"], key=pki["servers"][BENCH_CLIENT]["key"], ca=pki["ca_cert"])


@contextlib.contextmanager
def datastores(root: Path) -> Iterator[tuple[str, str]]:
    if os.environ.get("DATABASE_URL") and os.environ.get("NATS_URL"):
        yield os.environ["DATABASE_URL"], os.environ["NATS_URL"]
        return
    stack = ensure_local_stack(root / "data", bench_pki(root), BENCH_USERS)
    try:
        yield stack.database_url, stack.nats_url
    finally:
        stack.stop()
