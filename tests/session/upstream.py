"""The anchor and product services as the session service hears them: real EventEnvelopes
published to JetStream on their subjects (`<root>.anchor.…`, `<root>.product.…`), each with its
own event id. `settled` waits until the session service's projection shows what was published,
without fixed sleeps."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta

import asyncpg
from google.protobuf import any_pb2, timestamp_pb2

from livecommerce.anchor.v1 import discipline_pb2
from livecommerce.anchor.v1 import events_pb2 as anchor_events
from livecommerce.common.v1 import envelope_pb2
from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.product.v1 import product_pb2
from livecommerce.runtime import broker
from livecommerce.runtime.clock import Clock
from livecommerce.runtime.settings import Settings
from livecommerce.runtime.timestamps import stamp
from livecommerce.runtime.tls import TlsFiles
from tests.replicas import wait_until


class Upstream:
    def __init__(self, js, settings: Settings, clock: Clock, database_url: str) -> None:
        self._js, self._settings, self._clock, self._database_url = js, settings, clock, database_url

    @classmethod
    @contextlib.asynccontextmanager
    async def connected(cls, settings: Settings, clock: Clock, database_url: str, *, tls: TlsFiles) -> AsyncIterator[Upstream]:
        """`tls`: the tests' probe certificate (`Datastores.nats_tls`), which may publish the anchor
        and product services' events; the session service's own may not (PLT-05)."""
        nc = await broker.connect(settings.nats_url, name="upstream-probe", tls=tls)
        try:
            js = nc.jetstream()
            for service in ("anchor", "product"):
                await broker.ensure_stream(js, settings.stream_for(service), [f"{settings.subject_root}.{service}.>"])
            yield cls(js, settings, clock, database_url)
        finally:
            await nc.close()

    async def publish(self, source: str, noun: str, verb: str, payload) -> str:
        event_id = str(uuid.uuid4())
        packed = any_pb2.Any()
        packed.Pack(payload)
        at = timestamp_pb2.Timestamp()
        at.FromDatetime(self._clock.now())
        envelope = envelope_pb2.EventEnvelope(id=event_id, type=payload.DESCRIPTOR.full_name, source=source, payload=packed, time=at)
        await self._js.publish(
            f"{self._settings.subject_root}.{source}.{noun}.{verb}", envelope.SerializeToString(), headers={"Nats-Msg-Id": event_id}
        )
        return event_id

    # -- the anchor service

    async def eligible_anchor(self, anchor_id: str, *, agency_id: str = "ag-1", digital_human: bool = False, adult_on: date | None = None) -> None:
        """An approved file and a passed onboarding training (ANC-09)."""
        adult_on = adult_on or date(2000, 1, 1)
        await self.publish("anchor", "file", "approved", anchor_events.AnchorFileApproved(
            anchor_id=anchor_id, version=1, agency_id=agency_id, digital_human=digital_human, adult_on=adult_on.isoformat(),
        ))  # fmt: skip
        await self.publish("anchor", "training", "recorded", anchor_events.TrainingRecorded(
            anchor_id=anchor_id, training_id=f"tr-{anchor_id}", course_id="onboarding", onboarding=True, passed=True,
            completed_at=stamp(self._clock.now()),
        ))  # fmt: skip
        await self.settled("SELECT onboarded AND approved FROM anchor_projection WHERE anchor_id = $1", anchor_id)

    async def sanction(self, anchor_id: str, *, days: int = 30, rule_id: str = "ANC-07") -> None:
        now = self._clock.now()
        await self.publish("anchor", "sanction", "imposed", anchor_events.SanctionImposed(
            change_id=str(uuid.uuid4()), anchor_id=anchor_id, standing=discipline_pb2.STANDING_SUSPENDED, rule_id=rule_id,
            starts_at=stamp(now), until=stamp(now + timedelta(days=days)), reason="two violating sessions",
        ))  # fmt: skip

    # -- the product service

    def listing(self, product_id: str, merchant_id: str = "m-1", *, title: str = "五常大米 5kg", price_fen: int = 5990, version: int = 1) -> product_events.ProductListing:
        return product_events.ProductListing(
            product_id=product_id, merchant_id=merchant_id, approved_version=version, category="rice",
            category_path=["食品", "粮油", "大米"], title=title, price_fen=price_fen, listed=True,
            link=product_pb2.ProductLink(url=f"https://shop.livecommerce.example/p/{product_id}", platform="shop.livecommerce.example"),
        )

    async def listed_product(self, product_id: str, merchant_id: str = "m-1") -> None:
        await self.publish("product", "product", "approved", product_events.ProductApproved(listing=self.listing(product_id, merchant_id)))
        await self.settled("SELECT listed FROM product_projection WHERE product_id = $1", product_id)

    async def delist(self, product_id: str, merchant_id: str = "m-1") -> None:
        await self.publish("product", "product", "delisted", product_events.ProductDelisted(
            product_id=product_id, merchant_id=merchant_id, approved_version=1, cause=product_pb2.DELIST_CAUSE_COMPLIANCE,
            rule_id="PRD-10", reason="officer take-down", delisted_at=stamp(self._clock.now()),
        ))  # fmt: skip

    async def settled(self, query: str, *args, within: float = 10.0) -> None:
        """Waits until `query` (on the session schema) answers true."""
        conn = await asyncpg.connect(self._database_url, server_settings={"search_path": "session"})
        try:
            async def holds() -> bool:
                return bool(await conn.fetchval(query, *args))

            await wait_until(holds, within=within, interval=0.02)
        finally:
            await conn.close()
