"""The anchor service's definition: its schema, gRPC servicers, event consumers and timers.

One process serves four APIs over one schema, one sub-package each: `files/` (AnchorService:
registration, review, versions, training, eligibility), `agencies/`, `discipline/` (violations,
the sanction ladder) and `credit/` (archives, repair, Annex A risk reports). This module builds
them and says how they meet; nothing else does.
"""

from __future__ import annotations

from pathlib import Path

from livecommerce.anchor.v1 import (
    agency_pb2,
    agency_pb2_grpc,
    anchor_pb2,
    anchor_pb2_grpc,
    credit_pb2,
    credit_pb2_grpc,
    discipline_pb2,
    discipline_pb2_grpc,
)
from livecommerce.runtime.service import Runtime, ServiceDefinition, ServiceParts, every
from services.anchor import rules_config
from services.anchor.agencies.api import AgencyApi
from services.anchor.agencies.commands import Agencies
from services.anchor.credit.api import CreditApi
from services.anchor.credit.archives import CreditArchives
from services.anchor.credit.commands import Assessments
from services.anchor.credit.events import CreditEventHandlers
from services.anchor.discipline.api import DisciplineApi
from services.anchor.discipline.commands import Discipline
from services.anchor.discipline.events import SessionEventHandlers
from services.anchor.events import CONSUMED, intake
from services.anchor.files.api import AnchorApi
from services.anchor.files.codec import ProfileCodec
from services.anchor.files.commands import Anchors
from services.anchor.retention import RETENTION
from services.anchor.tenancy import system_actor

EXPIRY_CHECK_SECONDS = 1.0
"""How often the active replica lifts sanctions whose end has come (eligibility never waits for it)."""


def build(runtime: Runtime) -> ServiceParts:
    rules = rules_config.load(runtime.settings.rules_file)
    archives = CreditArchives(runtime.events, rules.credit)
    discipline = Discipline(
        uow=runtime.uow, clock=runtime.clock, events_writer=runtime.events, archives=archives, policy=rules.ladder
    )
    assessments = Assessments(
        uow=runtime.uow, clock=runtime.clock, events_writer=runtime.events, archives=archives, discipline=discipline,
        codec=ProfileCodec(runtime.cipher),
    )
    apis = (
        (anchor_pb2_grpc.add_AnchorServiceServicer_to_server, AnchorApi(Anchors(runtime, archives))),
        (agency_pb2_grpc.add_AgencyServiceServicer_to_server, AgencyApi(Agencies(runtime))),
        (discipline_pb2_grpc.add_DisciplineServiceServicer_to_server, DisciplineApi(discipline)),
        (credit_pb2_grpc.add_CreditServiceServicer_to_server, CreditApi(assessments)),
    )
    expiry = system_actor("sanction-expiry")
    return ServiceParts(
        register=lambda server: _register_all(apis, server),
        consumers=intake(
            SessionEventHandlers(clock=runtime.clock, discipline=discipline).handlers(),
            CreditEventHandlers(clock=runtime.clock, archives=archives).handlers(),
        ).consumers(runtime),
        timers=[("sanction expiry", every(EXPIRY_CHECK_SECONDS, lambda: discipline.expire_due(expiry)))],
    )


def _register_all(apis, server) -> None:
    for add, api in apis:
        add(api, server)


DEFINITION = ServiceDefinition(
    name="anchor",
    migrations=Path(__file__).parent / "migrations",
    service_names=[
        module.DESCRIPTOR.services_by_name[name].full_name
        for module, name in (
            (anchor_pb2, "AnchorService"),
            (agency_pb2, "AgencyService"),
            (discipline_pb2, "DisciplineService"),
            (credit_pb2, "CreditService"),
        )
    ],
    build=build,
    consumes=CONSUMED,
    retention=RETENTION,
)
