"""Who the event broker lets in, and what each may publish (PLT-05).

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Permissions:
    publish: tuple[str, ...]
    """The subjects the user may publish to; subscribing is not limited (services consume each other's events)."""


def broker_users(services: Iterable[str], *, probes: Iterable[str] = ()) -> dict[str, Permissions | None]:
    """Each service by its name; `probes` (a test's or benchmark's own certificate) without limits."""
    users: dict[str, Permissions | None] = {service: None for service in services}
    users.update({probe: None for probe in probes})
    return users


def authorization_lines(users: Mapping[str, Permissions | None]) -> list[str]:
    """nats.conf's `authorization` block for `users` (None: no limits), one user a line."""
    lines = ["authorization {", "  users = ["]
    for name, permissions in users.items():
        entry = f"user: {json.dumps(name)}"
        if permissions is not None:
            entry += f", permissions: {{publish: {{allow: {json.dumps(list(permissions.publish))}}}}}"
        lines.append(f"    {{{entry}}}")
    lines += ["  ]", "}"]
    return lines
