"""The anchor service's definition: its schema, gRPC servicers and (future) event consumers."""

from __future__ import annotations

from pathlib import Path

from livecommerce.anchor.v1 import anchor_pb2, anchor_pb2_grpc
from livecommerce.runtime.service import Runtime, ServiceDefinition, ServiceParts
from services.anchor.api import AnchorApi
from services.anchor.commands import Anchors


def build(runtime: Runtime) -> ServiceParts:
    api = AnchorApi(Anchors(runtime))
    return ServiceParts(register=lambda server: anchor_pb2_grpc.add_AnchorServiceServicer_to_server(api, server))


DEFINITION = ServiceDefinition(
    name="anchor",
    migrations=Path(__file__).parent / "migrations",
    service_names=[anchor_pb2.DESCRIPTOR.services_by_name["AnchorService"].full_name],
    build=build,
)
