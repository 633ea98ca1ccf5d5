"""What the product service consumes: a session's emergency take-down (SES-06, PRD-10), through
the shared intake (livecommerce/runtime/intake.py). The session service asks by event, so a
take-down is never lost to a product replica being down at that moment."""

from __future__ import annotations

import asyncpg

from livecommerce.runtime.identity import Caller
from livecommerce.runtime.intake import Intake
from livecommerce.session.v1 import events_pb2 as session_events
from services.product.commands import Products
from services.product.convert import parse_id

CONSUMED = ("session",)


def intake(products: Products) -> Intake:
    async def take_down(conn: asyncpg.Connection, event: session_events.ProductTakeDownRequested) -> None:
        operator = Caller(principal=event.operator.principal or "session-service", role=event.operator.role or "integration")
        await products.take_down_for_session(
            conn, product_id=parse_id(event.product_id, "product_id"), merchant_id=event.merchant_id,
            session_id=event.session_id, reason=event.reason, operator=operator,
        )

    return Intake("product", CONSUMED, {
        "livecommerce.session.v1.ProductTakeDownRequested": (session_events.ProductTakeDownRequested, take_down),
    })
