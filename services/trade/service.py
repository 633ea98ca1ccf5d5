"""The trade service's definition: its schema, gRPC servicer and event consumers.

One API, TradeService (`api`): orders docked from trading platforms in batches (TRD-01, the pure
rules in `domain`, the set-based write in `store`) and sessions reconciled with the platforms'
figures (PLT-01, `reconciliation`), the use cases in `commands`. It consumes the session and
product services' events into projections that link orders to them (`intake`) and publishes
OrderCompleted (`events`). This module builds them and says how they meet; nothing else does.
"""

from __future__ import annotations

from pathlib import Path

from livecommerce.runtime.service import Runtime, ServiceDefinition, ServiceParts
from livecommerce.trade.v1 import trade_pb2, trade_pb2_grpc
from services.trade import rules_config
from services.trade.api import TradeApi
from services.trade.commands import Trades
from services.trade.intake import CONSUMED, intake
from services.trade.retention import RETENTION


def build(runtime: Runtime) -> ServiceParts:
    api = TradeApi(Trades(runtime, rules_config.load(runtime.settings.rules_file)))

    def register(server) -> None:
        trade_pb2_grpc.add_TradeServiceServicer_to_server(api, server)

    return ServiceParts(register=register, consumers=intake().consumers(runtime))


DEFINITION = ServiceDefinition(
    name="trade",
    migrations=Path(__file__).parent / "migrations",
    service_names=[trade_pb2.DESCRIPTOR.services_by_name["TradeService"].full_name],
    build=build,
    consumes=CONSUMED,
    retention=RETENTION,
)
