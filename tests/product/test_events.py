"""The product service's events reach a JetStream consumer (architecture.md, Events): what the
session and trade services' projections read on `<root>.product.product.<verb>`, each once, in
commit order, with the listing they need to show and sell a product without calling back:
its category path, the perishables treatment (PRD-09) and where its link goes (PRD-05); and a
take-down's cause, rule and operator (PRD-10)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import asyncpg
import pytest
from google.protobuf.message import Message
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext

from livecommerce.common.v1 import envelope_pb2
from livecommerce.product.v1 import events_pb2
from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.runtime import broker
from tests.product.messages import file_licence, inspection, listed, rice, rid, submitted
from tests.replicas import wait_until

SEAFOOD_NOTICE = "生鲜水产易因运输受损：请收货当场开箱验货，如有死亡、变质请于签收后 48 小时内拍照联系客服，无需退回即可处理。"
PAYLOADS: dict[str, type[Message]] = {
    "approved": events_pb2.ProductApproved,
    "changed": events_pb2.ProductChanged,
    "delisted": events_pb2.ProductDelisted,
    "relisted": events_pb2.ProductRelisted,
}


@dataclass
class Event:
    verb: str
    envelope: envelope_pb2.EventEnvelope
    payload: Message


@dataclass
class EventTap:
    """A durable pull consumer of everything the product service publishes under the test's root."""

    js: JetStreamContext
    subscription: JetStreamContext.PullSubscription
    root: str
    stream: str
    database_url: str
    received: list[Event] = field(default_factory=list)
    _last_stream_seq: int = 0

    async def everything(self, *, within: float = 15.0) -> list[Event]:
        """Every event the service has committed so far, as the consumer received it: waits until
        the service's outbox has sent each one, then takes the stream up to its last message."""

        async def outbox_sent() -> bool:
            conn = await asyncpg.connect(self.database_url)
            try:
                return await conn.fetchval("SELECT count(*) FROM product.outbox WHERE sent_at IS NULL") == 0
            finally:
                await conn.close()

        await wait_until(outbox_sent, within=within)
        last = (await self.js.stream_info(self.stream)).state.last_seq

        async def took_the_stream() -> bool:
            if self._last_stream_seq >= last:
                return True
            try:
                messages = await self.subscription.fetch(10, timeout=0.5)
            except NatsTimeout:
                return False
            for message in messages:
                self._last_stream_seq = max(self._last_stream_seq, message.metadata.sequence.stream)
                self.received.append(self._decode(message))
                await message.ack()
            return self._last_stream_seq >= last

        await wait_until(took_the_stream, within=within, interval=0)
        return list(self.received)

    def _decode(self, message) -> Event:
        prefix = f"{self.root}.product.product."
        assert message.subject.startswith(prefix), message.subject
        verb = message.subject.removeprefix(prefix)
        envelope = envelope_pb2.EventEnvelope.FromString(message.data)
        payload = PAYLOADS[verb]()
        assert envelope.payload.Unpack(payload), (verb, envelope.type)
        assert envelope.type == payload.DESCRIPTOR.full_name and envelope.source == "product"
        assert message.headers["Nats-Msg-Id"] == envelope.id  # JetStream drops a re-publish of it
        return Event(verb, envelope, payload)


@pytest.fixture
async def events(product_service, settings) -> AsyncIterator[EventTap]:
    nc = await broker.connect(settings.nats_url, name="product-events-test", tls=settings.tls)
    try:
        js = nc.jetstream()
        subscription = await js.pull_subscribe(f"{settings.subject_root}.product.>", durable="projection", stream=settings.stream_name)
        yield EventTap(js, subscription, settings.subject_root, settings.stream_name, settings.database_url)
    finally:
        with contextlib.suppress(Exception):
            await nc.close()


async def test_PRD_04_PRD_09_approval_then_a_passing_sample_publish_approved_then_changed_with_the_listing(events, merchant, officer):
    details = rice(
        [await file_licence(merchant, "food_business")],
        title="舟山野生大黄鱼 500g", category="food.fresh.seafood", ingredients="大黄鱼", specification="500g/条",
        expiry_date="2026-12-05", link_url="https://item.jd.com/100012345678.html",
    )
    product = await submitted(merchant, details)
    review = pb.ReviewProductRequest(request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    assert (await officer.ReviewProduct(review)).product.state == pb.PRODUCT_STATE_APPROVED
    sampled = await officer.RecordInspection(pb.RecordInspectionRequest(request_id=rid(), inspection=inspection(product.product_id)))
    assert sampled.product.state == pb.PRODUCT_STATE_LISTED

    received = await events.everything()
    assert [e.verb for e in received] == ["approved", "changed"]  # once each, in commit order; a submission publishes nothing
    approved, changed = received
    assert all(e.envelope.subject_id == product.product_id for e in received)
    assert approved.payload.reviewer == "officer-wang"
    assert not approved.payload.listing.listed  # approved, but not on the shelf before a passing sample (PRD-07)
    assert (changed.payload.previous_version, changed.payload.reviewer) == (1, "")  # the same version became listable
    listing = changed.payload.listing
    assert listing.listed
    assert (listing.product_id, listing.merchant_id, listing.approved_version) == (product.product_id, "m-1", 1)
    assert (listing.category, list(listing.category_path)) == ("food.fresh.seafood", ["食品", "生鲜", "水产海鲜"])
    assert (listing.title, listing.price_fen, listing.crossed_out_price_fen) == ("舟山野生大黄鱼 500g", 8990, 0)
    assert listing.perishable == pb.PerishableTreatment(perishable=True, notice=SEAFOOD_NOTICE, strict_after_sales=True, claim_window_hours=48)
    assert (listing.link.url, listing.link.platform, listing.link.external) == ("https://item.jd.com/100012345678.html", "jd.com", True)
    assert "京东" in listing.link.notice
    # Everything but `listed` is what approval already said.
    as_approved = events_pb2.ProductListing()
    as_approved.CopyFrom(listing)
    as_approved.listed = False
    assert as_approved == approved.payload.listing


async def test_PRD_10_a_take_down_and_a_relisting_publish_delisted_and_relisted(events, merchant, officer):
    product = await listed(merchant, officer)
    down = pb.DelistProductRequest(request_id=rid(), product_id=product.product_id, cause=pb.DELIST_CAUSE_COMPLIANCE, reason="消费者投诉质量问题")
    assert (await officer.DelistProduct(down)).product.state == pb.PRODUCT_STATE_DELISTED
    back = pb.RelistProductRequest(request_id=rid(), product_id=product.product_id, reason="复检合格")
    assert (await officer.RelistProduct(back)).product.state == pb.PRODUCT_STATE_LISTED

    received = await events.everything()
    assert [e.verb for e in received] == ["approved", "changed", "delisted", "relisted"]
    delisted, relisted = received[2].payload, received[3].payload
    assert (delisted.product_id, delisted.merchant_id, delisted.approved_version) == (product.product_id, "m-1", 1)
    assert (delisted.cause, delisted.rule_id, delisted.reason) == (pb.DELIST_CAUSE_COMPLIANCE, "PRD-10", "消费者投诉质量问题")
    assert (delisted.operator.principal, delisted.operator.role) == ("officer-wang", "compliance_officer")
    assert delisted.HasField("delisted_at") and not delisted.session_id
    assert relisted.listing.listed and relisted.listing.product_id == product.product_id
    assert relisted.listing.category == "food.grain" and not relisted.listing.perishable.perishable
    assert (relisted.operator.principal, relisted.operator.role, relisted.reason) == ("officer-wang", "compliance_officer", "复检合格")
    assert relisted.HasField("relisted_at")
