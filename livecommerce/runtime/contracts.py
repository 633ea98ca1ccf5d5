"""The suite's gRPC services as the generated code declares them: one walk over
livecommerce/<service>/v1/*_pb2 modules, for the gateway's routes, the CLI and the policy test."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from google.protobuf.descriptor import ServiceDescriptor

import livecommerce


@functools.cache
def services() -> tuple[ServiceDescriptor, ...]:
    """Every service declared in protos/ (importing the modules also registers their messages)."""
    found = []
    for module in pkgutil.walk_packages(livecommerce.__path__, "livecommerce."):
        if module.name.endswith("_pb2"):
            found += importlib.import_module(module.name).DESCRIPTOR.services_by_name.values()
    return tuple(found)
