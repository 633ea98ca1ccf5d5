"""Who the event broker lets in, and what each may publish and subscribe to (PLT-05).

NATS maps a client's certificate to a user (`verify_and_map`): nats-server 2.15 tries the
certificate's e-mail SANs, then its DNS SANs, then its URI SANs, then its subject DN, and takes the
first that names a user. A service's certificate carries its name as its first DNS SAN (`anchor`,
then localhost... locally; `anchor`, then `*.anchor`... on Kubernetes), so that is the user it maps
to. A role's client certificate (a URI SAN `spiffe://...`, CN `dev-<role>`) or the gateway's
(DNS SAN `gateway`) names no user and is refused. `broker_users` is the one list, for the laptop
suite, the tests and the benchmarks (the tests and benchmarks add their probe's certificate);
deploy/k8s/base/nats.yaml carries the same block (tests/deploy compares them).

Each service may publish only its own events, `<root>.<service>.>` (the root one wildcard token,
so a test's random root works too), so a compromised service cannot publish as another; besides
those, only what its JetStream client sends (`service_permissions`; that API is not narrowed, see
`JETSTREAM_API`). A probe plays every service: no limits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

JETSTREAM_API = "$JS.API.>"
"""Stream and consumer management and pull requests. Not narrowed: a service ensures (creates or
updates) the streams it consumes as well as its own, and stream names (`<ROOT>_<SERVICE>`, one
token) cannot be matched per service by NATS wildcards. So a service's key can still update another
service's stream, e.g. give it a source that rewrites the service's own subjects into the other's:
the publish limit does not stop that forgery (docs/operations.md, Certificates)."""
JETSTREAM_ACKS = "$JS.ACK.>"
"""Acks, naks and in-progress of the messages a pull consumer fetched (their reply subjects)."""
INBOXES = "_INBOX.>"
"""Where replies arrive: publish acks, API answers, the messages a fetch pulls."""
JETSTREAM_API_DENIED = (
    "$JS.API.STREAM.DELETE.*", "$JS.API.STREAM.PURGE.*", "$JS.API.STREAM.MSG.DELETE.*", "$JS.API.STREAM.RESTORE.*",
)
"""What no service does to a stream: delete or purge it, delete a message, or restore one from a
snapshot (which could bring back a deleted stream with forged events in it)."""
MAX_DELIVERIES_ADVISORIES = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>"
"""The advisories a service's metrics watch for its consumers (metrics_service.watch_advisories)."""


@dataclass(frozen=True)
class Permissions:
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]
    publish_denied: tuple[str, ...] = ()


def service_permissions(service: str) -> Permissions:
    """Publish: its own events and the JetStream client's requests and acks; no `_INBOX.>` (a
    service answers no requests, and a reply it could send to another's inbox could feed that
    one's fetch a forged event). Subscribe: replies to its own inboxes, its consumers'
    MAX_DELIVERIES advisories, and its own events (session's replicas wake on LexiconPublished);
    other services' events reach it through JetStream pull consumers, into its inboxes."""
    own = f"*.{service}.>"
    return Permissions(
        publish=(own, JETSTREAM_API, JETSTREAM_ACKS),
        subscribe=(INBOXES, MAX_DELIVERIES_ADVISORIES, own),
        publish_denied=JETSTREAM_API_DENIED,
    )


def broker_users(services: Iterable[str], *, probes: Iterable[str] = ()) -> dict[str, Permissions | None]:
    """Each service by its name with `service_permissions`; `probes` (a test's or benchmark's own
    certificate, which publishes as any service) without limits (None)."""
    users: dict[str, Permissions | None] = {service: service_permissions(service) for service in services}
    users.update({probe: None for probe in probes if probe not in users})
    return users


def authorization_lines(users: Mapping[str, Permissions | None]) -> list[str]:
    """nats.conf's `authorization` block for `users` (None: no limits): a user without limits on
    one line, one with limits on four (its publish and its subscribe permissions on one each)."""
    lines = ["authorization {", "  users = ["]
    for name, permissions in users.items():
        if permissions is None:
            lines.append(f"    {{user: {json.dumps(name)}}}")
            continue
        publish = f"allow: {json.dumps(list(permissions.publish))}"
        if permissions.publish_denied:
            publish += f", deny: {json.dumps(list(permissions.publish_denied))}"
        lines += [
            f"    {{user: {json.dumps(name)}, permissions: {{",
            f"      publish: {{{publish}}}",
            f"      subscribe: {{allow: {json.dumps(list(permissions.subscribe))}}}",
            "    }}",
        ]
    lines += ["  ]", "}"]
    return lines
