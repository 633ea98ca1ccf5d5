"""The session service's definition: its schema, gRPC servicers, event consumers and loops.

One process serves SessionService (the session core: `commands`, `emergency`, `review`, rooms
watched through `rooms`) and PatrolService (`patrol_api`, handing verdicts to the core through
`sink`, the `verdicts.VerdictSink` contract). It consumes the anchor and product services' events
into its projections (`intake`). This module builds them and says how they meet; nothing else does.
"""

from __future__ import annotations

from pathlib import Path

from livecommerce.runtime.service import Runtime, ServiceDefinition, ServiceParts
from livecommerce.session.v1 import audience_pb2, audience_pb2_grpc, patrol_pb2, session_pb2, session_pb2_grpc
from services.session import rules_config
from services.session.api import SessionApi
from services.session.audience.api import AudienceApi
from services.session.audience.counter import Counter
from services.session.commands import Sessions
from services.session.emergency import Emergency
from services.session.intake import CONSUMED, Intake
from services.session.lifecycle import Lifecycle
from services.session.patrol_api import build_patrol
from services.session.retention import RETENTION
from services.session.review import Review
from services.session.rooms import RoomFeed, RoomLog
from services.session.sink import SessionVerdicts


def build(runtime: Runtime) -> ServiceParts:
    rules = rules_config.load(runtime.settings.rules_file)
    feed = RoomFeed(runtime.pool)
    rooms = RoomLog(feed)
    lifecycle = Lifecycle(events_writer=runtime.events, rooms=rooms)
    api = SessionApi(Sessions(runtime, lifecycle), Emergency(runtime, lifecycle), Review(runtime), feed)
    patrol = build_patrol(runtime, SessionVerdicts(runtime, lifecycle, rules.patrol))
    viewers = Counter(runtime, rules.audience)  # SES-08; hears of ended sessions from the room feed
    feed.listeners.append(viewers.rooms_changed)
    feed.ended_listeners.append(patrol.sessions_ended)  # SES-04: an ended session's windows go

    def register(server) -> None:
        session_pb2_grpc.add_SessionServiceServicer_to_server(api, server)
        patrol.register(server)
        audience_pb2_grpc.add_AudienceServiceServicer_to_server(AudienceApi(viewers), server)

    return ServiceParts(
        register=register,
        consumers=Intake(clock=runtime.clock, lifecycle=lifecycle, rooms=rooms).consumers(runtime),
        # The room feed runs only where the lease is: a standby's watchers are told to reconnect.
        timers=[("room feed", feed.run), ("viewer counter", viewers.run)],
        every_replica=list(patrol.every_replica),
    )


DEFINITION = ServiceDefinition(
    name="session",
    migrations=Path(__file__).parent / "migrations",
    service_names=[
        session_pb2.DESCRIPTOR.services_by_name["SessionService"].full_name,
        patrol_pb2.DESCRIPTOR.services_by_name["PatrolService"].full_name,
        audience_pb2.DESCRIPTOR.services_by_name["AudienceService"].full_name,
    ],
    build=build,
    consumes=CONSUMED,
    retention=RETENTION,
)
