"""The product service's definition: its schema, gRPC servicers and timers.

One process serves two APIs over one schema: ProductService (the product file, its review,
licences and authorizations, sampling, listing and take-down: `commands`, `filing`, `api`) and
ProhibitedGoodsService (the versioned list: `lists`, `prohibited_api`). The pure rules are the
modules `domain`, `review`, `listing`, `prohibited`, `pricing`, `links`, `records`, with the
reviewed data in `categories.toml` and `rules.toml`. This module builds them and says how they
meet; nothing else does. It consumes one event, a session's emergency take-down (`intake`).
"""

from __future__ import annotations

from pathlib import Path

from livecommerce.product.v1 import product_pb2, product_pb2_grpc, prohibited_pb2, prohibited_pb2_grpc
from livecommerce.runtime.service import Runtime, ServiceDefinition, ServiceParts, every
from livecommerce.text.normalise import get_normaliser
from services.product import catalogue as catalogue_file
from services.product import rules_config
from services.product.api import ProductApi
from services.product.commands import Products
from services.product.filing import Filing
from services.product.intake import CONSUMED, intake
from services.product.lists import ProhibitedLists
from services.product.live_list import LiveList
from services.product.prohibited_api import ProhibitedGoodsApi
from services.product.retention import RETENTION
from services.product.tenancy import system_actor

EXPIRY_CHECK_SECONDS = 1.0
"""How often the active replica takes down products whose goods, licence or authorization ran
out (PRD-01..03); the listing decision never waits for it, so a read between two looks is right."""


def build(runtime: Runtime) -> ServiceParts:
    # The text normaliser (PRD-01's goods key, PRD-06's list) takes ~2 s of CPU to build: built
    # here, before the lease and the server start, not inside the first write's transaction, where
    # it would stall the event loop past the lease TTL and the session's idle-in-transaction limit.
    get_normaliser()
    rules = rules_config.load(runtime.settings.rules_file)
    catalogue = catalogue_file.load()
    live_list = LiveList()
    products = Products(runtime, catalogue=catalogue, rules=rules, live_list=live_list)
    lists = ProhibitedLists(runtime, catalogue=catalogue, live_list=live_list, products=products)
    product_api = ProductApi(products, Filing(runtime, catalogue=catalogue))
    prohibited_api = ProhibitedGoodsApi(lists)

    def register(server) -> None:
        product_pb2_grpc.add_ProductServiceServicer_to_server(product_api, server)
        prohibited_pb2_grpc.add_ProhibitedGoodsServiceServicer_to_server(prohibited_api, server)

    clock = system_actor("product-clock")
    return ServiceParts(
        register=register,
        consumers=intake(products).consumers(runtime),
        timers=[("product expiry", every(EXPIRY_CHECK_SECONDS, lambda: products.expire_due(clock)))],
    )


DEFINITION = ServiceDefinition(
    name="product",
    migrations=Path(__file__).parent / "migrations",
    service_names=[
        product_pb2.DESCRIPTOR.services_by_name["ProductService"].full_name,
        prohibited_pb2.DESCRIPTOR.services_by_name["ProhibitedGoodsService"].full_name,
    ],
    build=build,
    consumes=CONSUMED,
    retention=RETENTION,
)
