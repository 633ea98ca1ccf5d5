"""A product service per test: real PostgreSQL database, real JetStream, real mutual TLS; its
calls carry an identity as the gateway forwards it (tests/product/test_gateway.py goes through a
real gateway with client certificates)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from livecommerce.product.v1 import product_pb2_grpc, prohibited_pb2_grpc
from livecommerce.runtime.service import RunningService
from livecommerce.runtime.settings import Settings
from services.product.service import DEFINITION
from tests.conftest import forwarded_identities, service_running, service_settings


def product_settings(database_url: str, nats_url: str, subject_root: str, pki: dict, **overrides) -> Settings:
    return service_settings("product", database_url, nats_url, subject_root, pki, **overrides)


@pytest.fixture
def settings(database_url, datastores, subject_root, pki) -> Settings:
    return product_settings(database_url, datastores.nats_url, subject_root, pki)


@pytest.fixture
async def product_service(settings, clock) -> AsyncIterator[RunningService]:
    async with service_running(DEFINITION, settings, clock) as running:
        yield running


@dataclass(frozen=True)
class Stubs:
    products: product_pb2_grpc.ProductServiceStub
    lists: prohibited_pb2_grpc.ProhibitedGoodsServiceStub


@pytest.fixture
async def stubs_for(product_service, pki) -> AsyncIterator[Callable[..., Stubs]]:
    """stubs_for(role, tenant="", principal=None) -> Stubs whose calls carry that identity, as the
    gateway forwards it (tests/conftest.py, forwarded_identities)."""
    async with forwarded_identities(product_service.port, pki) as open_channel:

        def make(role: str, tenant: str = "", principal: str | None = None) -> Stubs:
            channel = open_channel(role, tenant, principal)
            return Stubs(product_pb2_grpc.ProductServiceStub(channel), prohibited_pb2_grpc.ProhibitedGoodsServiceStub(channel))

        yield make


@pytest.fixture
async def merchant(stubs_for) -> product_pb2_grpc.ProductServiceStub:
    """Merchant m-1's ProductService stub."""
    return stubs_for("merchant", "m-1").products


@pytest.fixture
async def officer(stubs_for) -> product_pb2_grpc.ProductServiceStub:
    """Compliance officer officer-wang's ProductService stub."""
    return stubs_for("compliance_officer", principal="officer-wang").products


@pytest.fixture
async def officer_lists(stubs_for) -> prohibited_pb2_grpc.ProhibitedGoodsServiceStub:
    """Compliance officer officer-wang's ProhibitedGoodsService stub."""
    return stubs_for("compliance_officer", principal="officer-wang").lists
