"""What the anchor service consumes, and how each event reaches its sub-domain (architecture.md, Events).

One durable consumer per source service; each event type goes to the handler its sub-domain
declares (`discipline/events.py`: the session service's; `credit/events.py`: the complaint and
trade services'). Handlers run in the consumer's transaction, whose inbox row makes a redelivery
harmless. An event the rules refuse (an unknown anchor, a session recorded twice) is logged and
acknowledged: it cannot succeed on redelivery, and its producer's outbox still holds it for
replay once mended.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import asyncpg

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.errors import DomainError
from livecommerce.runtime.service import Runtime

log = logging.getLogger(__name__)

CONSUMED = ("session", "complaint", "trade")

Handler = Callable[[asyncpg.Connection, object], Awaitable[None]]


class Intake:
    def __init__(self, *handler_tables: dict[str, tuple[type, Handler]]) -> None:
        self._handlers: dict[str, tuple[type, Handler]] = {}
        for table in handler_tables:
            self._handlers.update(table)

    def consumers(self, runtime: Runtime) -> list[EventConsumer]:
        settings = runtime.settings
        return [
            EventConsumer(
                uow=runtime.uow, js=runtime.js, name=f"anchor-from-{source}", stream=settings.stream_for(source),
                subject=f"{settings.subject_root}.{source}.>", handler=self.handle,
            )
            for source in CONSUMED
        ]

    async def handle(self, conn: asyncpg.Connection, envelope: envelope_pb2.EventEnvelope) -> None:
        known = self._handlers.get(envelope.type)
        if known is None:
            return  # another service's event this one has no use for
        message_type, handler = known
        payload = message_type()
        envelope.payload.Unpack(payload)
        try:
            async with conn.transaction():  # a refusal undoes its own partial writes only
                await handler(conn, payload)
        except DomainError as refusal:
            log.error("event %s (%s) refused, acknowledged without effect: %s", envelope.id, envelope.type, refusal)
