"""A session's emergency action takes a product down (SES-06, PRD-10): the session service asks
by event, and the product service delists it with the session and operator named, once."""

from __future__ import annotations

import pytest

from livecommerce.common.v1 import identity_pb2
from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.session.v1 import events_pb2 as session_events
from tests.product.messages import listed, submitted
from tests.replicas import wait_until
from tests.support import publish_event, wait_until_acknowledged


@pytest.fixture
async def js(datastores):
    nc = await datastores.nats_client("session-probe")
    yield nc.jetstream()
    await nc.close()


def request(product_id: str, merchant_id: str = "m-1") -> session_events.ProductTakeDownRequested:
    return session_events.ProductTakeDownRequested(
        request_id="td-1", session_id="s-42", product_id=product_id, merchant_id=merchant_id, reason="直播间紧急下架：实物与展示不符",
        operator=identity_pb2.Actor(principal="officer-zhao", role="compliance_officer"),
    )


async def state(stub, product_id: str) -> pb.Product:
    return (await stub.GetProduct(pb.GetProductRequest(product_id=product_id))).product


async def test_SES_06_PRD_10_a_sessions_take_down_request_delists_once(merchant, officer, js, settings):
    product = await listed(merchant, officer)
    event_id, _ = await publish_event(js, settings.subject_root, "session", "takedown.requested", request(product.product_id))
    await publish_event(js, settings.subject_root, "session", "takedown.requested", request(product.product_id), event_id=event_id)

    async def delisted() -> bool:
        return (await state(officer, product.product_id)).state == pb.PRODUCT_STATE_DELISTED

    await wait_until(delisted)
    down = (await state(officer, product.product_id)).delisting
    assert (down.cause, down.rule_id, down.session_id, down.operator.principal, down.reason) == (
        pb.DELIST_CAUSE_SESSION_EMERGENCY, "PRD-10", "s-42", "officer-zhao", "直播间紧急下架：实物与展示不符"
    )
    history = (await officer.GetProductHistory(pb.GetProductHistoryRequest(product_id=product.product_id))).records
    assert [r.action for r in history].count("delisted") == 1


async def test_SES_06_a_request_naming_another_merchants_product_changes_nothing(merchant, officer, js, settings):
    product = await listed(merchant, officer)
    pending = await submitted(merchant)
    _, seq = await publish_event(js, settings.subject_root, "session", "takedown.requested", request(product.product_id, "m-2"))
    _, seq = await publish_event(js, settings.subject_root, "session", "takedown.requested", request(pending.product_id))
    await wait_until_acknowledged(js, settings.stream_for("session"), "product-from-session", seq=seq)
    assert (await state(officer, product.product_id)).state == pb.PRODUCT_STATE_LISTED
    assert (await state(officer, pending.product_id)).state == pb.PRODUCT_STATE_PENDING_REVIEW
