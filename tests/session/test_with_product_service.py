"""Rooms and the real product service behind one gateway (SES-06, PRD-10): a product listed
through the product service reaches the session service's projection by its events, and taken
down in an emergency (TakeDownProduct, the session asks by event) or by an officer on the
product service, it disappears from every client watching a room that shows it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from livecommerce.product.v1 import product_pb2 as product_pb
from livecommerce.product.v1 import product_pb2_grpc
from livecommerce.runtime.service import RunningService, start_service
from livecommerce.session.v1 import session_pb2 as pb
from livecommerce.session.v1 import session_pb2_grpc
from services.product.service import DEFINITION as PRODUCT
from tests.conftest import bounded
from tests.product.conftest import product_settings
from tests.product.messages import file_licence, listed, rice
from tests.replicas import GatewayUnderTest, gateway_to
from tests.session.messages import live_session, rid

WATCHERS = 3


@pytest.fixture
async def product_service(database_url, datastores, subject_root, pki, clock) -> AsyncIterator[RunningService]:
    running = await start_service(PRODUCT, product_settings(database_url, datastores.nats_url, subject_root, pki), clock=clock)
    try:
        yield running
    finally:
        await bounded(running.stop(grace_seconds=0.5), "stop the product service")


@pytest.fixture
async def gateway(session_service, product_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    more = {"product": [f"127.0.0.1:{product_service.port}"]}
    async with gateway_to("session", [f"127.0.0.1:{session_service.port}"], pki, tmp_path / "audit.log", more=more) as running:
        yield running


async def product_on_sale(gateway: GatewayUnderTest, upstream) -> str:
    """Listed through the product service (merchant m-demo, officer), as the session service hears it."""
    merchant = product_pb2_grpc.ProductServiceStub(gateway.channel("merchant"))
    officer = product_pb2_grpc.ProductServiceStub(gateway.channel("compliance_officer"))
    product = await listed(merchant, officer, rice([await file_licence(merchant)]))
    await upstream.settled("SELECT listed FROM product_projection WHERE product_id = $1", product.product_id)
    return product.product_id


async def removed_everywhere(watchers, product_id: str) -> None:
    """Every watcher's stream delivers PRODUCT_REMOVED for the product, and its line-up lacks it."""
    async def one(stream) -> None:
        while True:
            update = (await stream.read()).update
            if update.change.kind == pb.ROOM_CHANGE_KIND_PRODUCT_REMOVED and update.change.product_id == product_id:
                assert product_id not in [item.product_id for item in update.state.lineup]
                return

    async with asyncio.timeout(15):
        await asyncio.gather(*(one(stream) for stream in watchers))


async def watching(gateway: GatewayUnderTest, session_id: str, product_ids: list[str]) -> list:
    watchers = []
    for _ in range(WATCHERS):
        stream = session_pb2_grpc.SessionServiceStub(gateway.channel("integration")).WatchRoom(pb.WatchRoomRequest(session_id=session_id))
        first = (await stream.read()).update
        assert sorted(item.product_id for item in first.state.lineup) == sorted(product_ids)
        watchers.append(stream)
    return watchers


async def test_SES_06_PRD_10_an_emergency_take_down_and_an_officers_delisting_empty_every_watched_room(gateway, upstream, clock):
    await upstream.eligible_anchor("an-1")
    taken, delisted = await product_on_sale(gateway, upstream), await product_on_sale(gateway, upstream)
    merchant = session_pb2_grpc.SessionServiceStub(gateway.channel("merchant"))
    session = await live_session(merchant, clock, products=(taken, delisted))
    watchers = await watching(gateway, session.session_id, [taken, delisted])

    officer = session_pb2_grpc.SessionServiceStub(gateway.channel("compliance_officer"))
    await officer.TakeDownProduct(pb.TakeDownProductRequest(
        request_id=rid(), session_id=session.session_id, product_id=taken, reason="实物与展示不符",
    ))
    await removed_everywhere(watchers, taken)
    products = product_pb2_grpc.ProductServiceStub(gateway.channel("compliance_officer"))
    down = (await products.GetProduct(product_pb.GetProductRequest(product_id=taken))).product.delisting
    assert (down.cause, down.session_id) == (product_pb.DELIST_CAUSE_SESSION_EMERGENCY, session.session_id)

    await products.DelistProduct(product_pb.DelistProductRequest(
        request_id=rid(), product_id=delisted, cause=product_pb.DELIST_CAUSE_COMPLIANCE, reason="抽检不合格",
    ))
    await removed_everywhere(watchers, delisted)
    for stream in watchers:
        stream.cancel()
    assert list((await merchant.GetSession(pb.GetSessionRequest(session_id=session.session_id))).session.lineup) == []
