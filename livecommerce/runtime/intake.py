"""What a service consumes of other services' events, and how each event type reaches its handler
(architecture.md, Events): one durable consumer per source service, each event type routed to the
handler a sub-domain declares.

Handlers run in the consumer's transaction, whose inbox row makes a redelivery harmless. An
event the rules refuse (an unknown record, a step taken twice) is logged and acknowledged: it
cannot succeed on redelivery, and its producer's outbox still holds it for replay once mended.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

import asyncpg

from livecommerce.common.v1 import envelope_pb2
from livecommerce.runtime.clock import Clock
from livecommerce.runtime.consumer import EventConsumer
from livecommerce.runtime.errors import DomainError
from livecommerce.runtime.timestamps import read

log = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[None]]
"""(conn, payload), or (conn, payload, the event's moment) for an intake given a clock."""
HandlerTable = Mapping[str, tuple[type, Handler]]
"""Full event type name -> (its payload message class, the handler)."""


class Intake:
    def __init__(self, consumer: str, sources: Sequence[str], *handler_tables: HandlerTable, clock: Clock | None = None) -> None:
        """With a `clock`, handlers also get the moment the event happened (its envelope's time,
        else the clock's now), for projections that must not let an older event undo a newer one."""
        self._consumer, self.sources, self._clock = consumer, tuple(sources), clock
        self._handlers: dict[str, tuple[type, Handler]] = {}
        for table in handler_tables:
            self._handlers.update(table)

    def consumers(self, runtime) -> list[EventConsumer]:
        """One durable consumer per source, named "<consumer>-from-<source>"."""
        settings = runtime.settings
        return [
            EventConsumer(
                uow=runtime.uow, js=runtime.js, name=f"{self._consumer}-from-{source}", stream=settings.stream_for(source),
                subject=f"{settings.subject_root}.{source}.>", handler=self.handle,
            )
            for source in self.sources
        ]

    async def handle(self, conn: asyncpg.Connection, envelope: envelope_pb2.EventEnvelope) -> None:
        known = self._handlers.get(envelope.type)
        if known is None:
            return  # another service's event this one has no use for
        message_type, handler = known
        payload = message_type()
        envelope.payload.Unpack(payload)
        args: tuple = (conn, payload)
        if self._clock is not None:
            args += (read(envelope, "time") or self._clock.now(),)
        try:
            async with conn.transaction():  # a refusal undoes its own partial writes only
                await handler(*args)
        except DomainError as refusal:
            log.error("event %s (%s) refused, acknowledged without effect: %s", envelope.id, envelope.type, refusal)
