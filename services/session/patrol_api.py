"""The session service's PatrolService (SES-03..05): the patrol engine served over gRPC, its
lexicon versions stored in PostgreSQL and swapped in on every replica, and verdicts handed to
the session core (`verdicts.VerdictSink`). Being built; `build_patrol` is what `service.py` wires.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import grpc

from livecommerce.runtime.service import Runtime
from services.session.verdicts import VerdictSink


@dataclass(frozen=True)
class PatrolWiring:
    register: Callable[[grpc.aio.Server], None]
    """Adds PatrolService to the server."""
    every_replica: Sequence[tuple[str, Callable[[], Awaitable[None]]]] = field(default_factory=tuple)
    """Loops every replica runs, the standby too (the lexicon hot-swap)."""


def build_patrol(runtime: Runtime, sink: VerdictSink) -> PatrolWiring:
    """PatrolService over the runtime's database and broker, acting on verdicts through `sink`."""
    return PatrolWiring(register=lambda server: None)
