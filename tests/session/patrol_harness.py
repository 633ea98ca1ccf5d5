"""PatrolService on its own, for the patrol API's tests: a session-service definition built from
`build_patrol` alone (services/session/service.py, the whole service, is the session core's), a
verdict sink that records what it is handed, and the every-replica loops run the way
`start_service` will run them (until then, `run_every_replica` starts them on a replica)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from livecommerce.runtime.service import RunningService, Runtime, ServiceDefinition, ServiceParts, supervise
from livecommerce.runtime.settings import Secret, Settings
from livecommerce.session.v1 import patrol_pb2
from services.session.lexicons.live import REFRESH_SECONDS
from services.session.patrol_api import PatrolWiring, build_patrol
from services.session.verdicts import Verdict
from tests.conftest import server_tls

MIGRATIONS = Path(__file__).parents[2] / "services" / "session" / "migrations"


class RecordingSink:
    """The session core's side of the hand-off, reduced to remembering each batch."""

    def __init__(self) -> None:
        self.batches: list[list[Verdict]] = []

    async def act(self, verdicts: Sequence[Verdict]) -> None:
        self.batches.append(list(verdicts))


@dataclass
class PatrolHarness:
    refresh_seconds: float = REFRESH_SECONDS
    sink: RecordingSink = field(default_factory=RecordingSink)
    wirings: dict[str, PatrolWiring] = field(default_factory=dict)

    @property
    def definition(self) -> ServiceDefinition:
        return ServiceDefinition(
            name="session",
            migrations=MIGRATIONS,
            service_names=[patrol_pb2.DESCRIPTOR.services_by_name["PatrolService"].full_name],
            build=self._build,
        )

    def _build(self, runtime: Runtime) -> ServiceParts:
        wiring = build_patrol(runtime, self.sink, refresh_seconds=self.refresh_seconds)
        self.wirings[runtime.settings.replica_id] = wiring
        return ServiceParts(register=wiring.register)

    def run_every_replica(self, running: RunningService) -> None:
        """Starts the replica's every-replica loops; its stop() cancels them with its own tasks."""
        for name, run in self.wirings[running.runtime.settings.replica_id].every_replica:
            running.tasks.append(asyncio.create_task(supervise(name, run), name=name))


def session_settings(database_url: str, nats_url: str, subject_root: str, pki: dict, **overrides) -> Settings:
    return Settings(
        service="session", database_url=database_url, nats_url=nats_url, tls=server_tls(pki, "session"),
        pii_key=Secret(os.urandom(32)), subject_root=subject_root, **overrides,
    )
