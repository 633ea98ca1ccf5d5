"""The trade service's definition: its schema, gRPC servicer and event consumers.

One API, TradeService (`api`): orders docked from trading platforms in batches (TRD-01, the pure
rules in `domain`, the set-based write in `store`) and sessions reconciled with the platforms'
figures (PLT-01, `reconciliation/`: per session, per platform over a period, nightly on the
active replica), the use cases in `commands`. It consumes the session and
product services' events into projections that link orders to them (`intake`) and publishes
OrdersCompleted, one per docked batch (`events`). This module builds them and says how they meet; nothing else does.
"""

from __future__ import annotations

from pathlib import Path

from livecommerce.runtime.service import Runtime, ServiceDefinition, ServiceParts, every
from livecommerce.trade.v1 import (
    aftersales_pb2,
    aftersales_pb2_grpc,
    promises_pb2,
    promises_pb2_grpc,
    shipping_pb2,
    shipping_pb2_grpc,
    trade_pb2,
    trade_pb2_grpc,
)
from services.trade import rules_config
from services.trade.aftersales.api import AfterSalesApi
from services.trade.aftersales.commands import AfterSalesDesk
from services.trade.api import TradeApi
from services.trade.commands import Trades
from services.trade.intake import CONSUMED, intake
from services.trade.promises.api import PromiseApi
from services.trade.promises.commands import Promises
from services.trade.reconciliation.commands import Reconciliations
from services.trade.retention import RETENTION
from services.trade.shipping.api import ShippingApi
from services.trade.shipping.commands import Shipping

TIMER_SECONDS = 1.0
"""How often the active replica looks for due work by the clock: the nightly reconciliation
(PLT-01; one indexed read when it is not due), overdue shipments (TRD-03), overdue after-sales
requests (TRD-05)."""


def build(runtime: Runtime) -> ServiceParts:
    rules = rules_config.load(runtime.settings.rules_file)
    reconciliations = Reconciliations(runtime, rules.reconciliation)
    shipping = Shipping(runtime, rules)
    api = TradeApi(Trades(runtime, rules), reconciliations)
    shipping_api = ShippingApi(shipping)
    desk = AfterSalesDesk(runtime, rules.return_rate)
    aftersales_api = AfterSalesApi(desk)
    promise_api = PromiseApi(Promises(runtime))

    def register(server) -> None:
        trade_pb2_grpc.add_TradeServiceServicer_to_server(api, server)
        shipping_pb2_grpc.add_ShippingServiceServicer_to_server(shipping_api, server)
        aftersales_pb2_grpc.add_AfterSalesServiceServicer_to_server(aftersales_api, server)
        promises_pb2_grpc.add_PromiseServiceServicer_to_server(promise_api, server)

    return ServiceParts(
        register=register,
        consumers=intake().consumers(runtime),
        timers=[
            ("nightly reconciliation", every(TIMER_SECONDS, reconciliations.run_nightly)),
            ("overdue shipments", every(TIMER_SECONDS, shipping.alert_overdue)),
            ("overdue after-sales", every(TIMER_SECONDS, desk.escalate_overdue)),
        ],
    )


DEFINITION = ServiceDefinition(
    name="trade",
    migrations=Path(__file__).parent / "migrations",
    service_names=[
        trade_pb2.DESCRIPTOR.services_by_name["TradeService"].full_name,
        shipping_pb2.DESCRIPTOR.services_by_name["ShippingService"].full_name,
        aftersales_pb2.DESCRIPTOR.services_by_name["AfterSalesService"].full_name,
        promises_pb2.DESCRIPTOR.services_by_name["PromiseService"].full_name,
    ],
    build=build,
    consumes=CONSUMED,
    retention=RETENTION,
)
