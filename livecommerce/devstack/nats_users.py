"""Who the event broker lets in (PLT-05); what each may publish is not limited yet.

NATS maps a client's certificate to a user (`verify_and_map`): nats-server 2.15 tries the
certificate's e-mail SANs, then its DNS SANs, then its URI SANs, then its subject DN, and takes the
first that names a user. A service's certificate carries its name as its first DNS SAN (`anchor`,
then localhost... locally; `anchor`, then `*.anchor`... on Kubernetes), so that is the user it maps
to. A role's client certificate (a URI SAN `spiffe://...`, CN `dev-<role>`) or the gateway's
(DNS SAN `gateway`) names no user and is refused. `broker_users` is the one list, for the laptop
suite, the tests and the benchmarks (the tests and benchmarks add their probe's certificate);
deploy/k8s/base/nats.yaml carries the same block (tests/deploy compares them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable


def broker_users(services: Iterable[str], *, probes: Iterable[str] = ()) -> tuple[str, ...]:
    """Each service by its name, then `probes` (a test's or benchmark's own certificate)."""
    return tuple(dict.fromkeys([*services, *probes]))


def authorization_lines(users: Iterable[str]) -> list[str]:
    """nats.conf's `authorization` block for `users`, one user a line."""
    return ["authorization {", "  users = [", *(f"    {{user: {json.dumps(name)}}}" for name in users), "  ]", "}"]
