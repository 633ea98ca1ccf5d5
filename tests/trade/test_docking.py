"""TRD-01 through the API: orders docked in batches on one stream, idempotent by (platform,
external order id), bad orders refused one by one while the rest land, the platform always the
caller's tenant, completed orders published as one OrdersCompleted per batch in the docking transaction."""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta
from types import SimpleNamespace

import asyncpg
import grpc
import pytest

from livecommerce.common.v1 import envelope_pb2
from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import events_pb2 as session_events
from livecommerce.trade.v1 import events_pb2
from livecommerce.trade.v1 import trade_pb2 as pb
from services.trade import convert, store
from tests.replicas import postgres_restarter
from tests.support import publish_event, rich_error, wait_until_acknowledged
from tests.trade.messages import NOW, completed_published, dock, dock_in_lockstep, order, requests


async def test_TRD_01_a_batch_is_docked_and_acknowledged(taobao, db):
    [ack] = await dock(taobao, [order(1), order(2), order(3)])
    assert (ack.request_id, ack.accepted, ack.duplicate, ack.conflict, ack.refused) == ("batch-0", 3, 0, 0, 0)
    rows = await db.fetch("SELECT platform, external_order_id, amount_fen FROM orders ORDER BY external_order_id")
    assert [tuple(r) for r in rows] == [("taobao", "tb-1", 10_001), ("taobao", "tb-2", 10_002), ("taobao", "tb-3", 10_003)]


async def test_TRD_01_each_batch_of_a_stream_is_acknowledged_in_order(taobao):
    acks = await dock(taobao, [order(1)], [order(2), order(3)], [order(1)])
    assert [(a.request_id, a.accepted, a.duplicate) for a in acks] == [("batch-0", 1, 0), ("batch-1", 2, 0), ("batch-2", 0, 1)]


async def test_TRD_01_a_resent_batch_is_all_duplicates_and_changes_nothing(taobao, db):
    batch = [order(n) for n in range(5)]
    await dock(taobao, batch)
    before = [tuple(r) for r in await db.fetch("SELECT * FROM orders ORDER BY external_order_id")]
    events_before = await db.fetchval("SELECT count(*) FROM outbox")
    [ack] = await dock(taobao, batch)
    assert (ack.accepted, ack.duplicate, ack.conflict, ack.unlinked) == (0, 5, 0, 0)
    assert [tuple(r) for r in await db.fetch("SELECT * FROM orders ORDER BY external_order_id")] == before
    assert await db.fetchval("SELECT count(*) FROM outbox") == events_before  # no second OrderCompleted


async def test_TRD_01_a_changed_order_is_a_conflict_and_the_docked_one_stays(taobao, db):
    await dock(taobao, [order(1), order(2)])
    [ack] = await dock(taobao, [order(1, amount_fen=1), order(2), order(3)])
    assert (ack.accepted, ack.duplicate, ack.conflict) == (1, 1, 1)
    assert list(ack.conflicts) == ["tb-1"]
    assert await db.fetchval("SELECT amount_fen FROM orders WHERE external_order_id = 'tb-1'") == 10_001


async def test_TRD_01_the_same_external_id_on_two_platforms_is_two_orders(taobao, stub_for, db):
    await dock(taobao, [order(1)])
    [ack] = await dock(stub_for("trading_platform", "jd"), [order(1)])
    assert ack.accepted == 1
    assert sorted(r["platform"] for r in await db.fetch("SELECT platform FROM orders")) == ["jd", "taobao"]


BAD = [
    ("a negative amount", {"amount_fen": -1}, "amount_fen"),
    ("an absurd amount", {"amount_fen": 100_000_001}, "amount_fen"),
    ("an unknown currency", {"currency": "USD"}, "currency"),
    ("no currency", {"currency": ""}, "currency"),
    ("no quantity", {"quantity": 0}, "quantity"),
    ("no external id", {"external_order_id": ""}, "external_order_id"),
    ("no session", {"session_id": ""}, "session_id"),
    ("no product", {"product_id": ""}, "product_id"),
    ("no merchant", {"merchant_id": ""}, "merchant_id"),
    ("no status", {"status": pb.ORDER_STATUS_UNSPECIFIED}, "status"),
    ("placed in the future", {"placed_at": stamp(NOW + timedelta(hours=1)), "paid_at": None, "completed_at": None, "status": pb.ORDER_STATUS_PLACED}, "placed_at"),
    ("completed in the future", {"completed_at": stamp(NOW + timedelta(days=1))}, "completed_at"),
    ("completed without paid_at", {"paid_at": None}, "paid_at"),
]


@pytest.mark.parametrize(("what", "changes", "field"), BAD, ids=[b[0] for b in BAD])
async def test_TRD_01_a_bad_order_is_refused_alone_and_the_rest_of_the_batch_lands(taobao, db, what, changes, field):
    bad = order(2, **changes)
    [ack] = await dock(taobao, [order(1), bad, order(3)])
    assert (ack.accepted, ack.refused) == (2, 1), what
    [refusal] = ack.refusals
    assert (refusal.index, refusal.field, refusal.rule) == (1, field, "TRD-01")
    assert [r["external_order_id"] for r in await db.fetch("SELECT external_order_id FROM orders ORDER BY 1")] == ["tb-1", "tb-3"]


async def test_TRD_01_an_order_named_twice_in_a_batch_docks_once(taobao):
    [ack] = await dock(taobao, [order(1), order(1, amount_fen=5)])
    assert (ack.accepted, ack.refused) == (1, 1)
    assert (ack.refusals[0].index, ack.refusals[0].field) == (1, "external_order_id")


async def test_TRD_01_a_batch_above_the_size_limit_is_refused_whole(taobao, db):
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await dock(taobao, [order(n) for n in range(1001)])
    refusal = rich_error(error.value)
    assert refusal["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert "orders" in refusal["fields"]
    assert await db.fetchval("SELECT count(*) FROM orders") == 0


async def test_TRD_01_a_platform_that_waits_for_each_acknowledgement_gets_it_before_sending_more(taobao, db):
    """The stream reads ahead while a batch commits; a platform sending one batch at a time, each
    after the last one's acknowledgement, must not wait on that read-ahead."""
    acks = await dock_in_lockstep(taobao, [order(0)], [order(1)], [order(2)])
    assert acks == [("batch-0", 1), ("batch-1", 1), ("batch-2", 1)]
    assert await db.fetchval("SELECT count(*) FROM orders") == 3


async def test_TRD_01_a_batch_refused_whole_mid_stream_comes_after_the_acknowledgements_before_it(taobao, db):
    acks = []
    with pytest.raises(grpc.aio.AioRpcError) as error:
        async for ack in taobao.DockOrders(requests([order(1)], [order(2)], [order(n) for n in range(10, 1011)], [order(3)])):
            acks.append(ack.request_id)
    assert rich_error(error.value)["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert acks == ["batch-0", "batch-1"]  # both committed batches were acknowledged before the refusal
    assert sorted(r["external_order_id"] for r in await db.fetch("SELECT external_order_id FROM orders")) == ["tb-1", "tb-2"]


async def test_TRD_01_PLT_03_a_docking_stopped_mid_copy_does_not_hold_the_platform_back(taobao, db, database_url):
    """A replica stopped (SIGSTOP) while streaming a batch's COPY leaves its session waiting for
    the rest of the data, with no timeout of PostgreSQL's to end it. It must hold nothing the next
    batch of the platform needs: the platform's lock is taken after the COPY."""
    stalled = await asyncpg.connect(database_url, server_settings={"search_path": "trade"})
    never = asyncio.Event()

    async def rows_then_silence():
        for row in convert.batch([order(99)]).columns.rows():
            yield row
        await never.wait()  # the rest of the COPY never comes, as from a stopped process

    transaction = stalled.transaction()
    await transaction.start()
    stalling = SimpleNamespace(rows=rows_then_silence)  # a batch whose rows stop coming
    copying = asyncio.create_task(store.stage(stalled, platform="taobao", orders=stalling))  # type: ignore[arg-type]
    try:
        await asyncio.sleep(0.2)  # real time for the COPY to begin (nothing timed is asserted)
        assert not copying.done()
        [ack] = await asyncio.wait_for(dock(taobao, [order(1)]), 10)  # not kept waiting behind the stalled COPY
        assert ack.accepted == 1
    finally:
        copying.cancel()
        stalled.terminate()
    assert [r["external_order_id"] for r in await db.fetch("SELECT external_order_id FROM orders")] == ["tb-1"]


@pytest.fixture
def restarter(datastores):
    """Restarts the test PostgreSQL on demand; forked before the service's gRPC server runs."""
    datastores.require_local()
    process = postgres_restarter(datastores.postgres.data_dir)
    yield process
    if process.poll() is None:
        process.kill()


async def test_TRD_01_PLT_03_a_postgresql_restart_between_batches_loses_nothing_acknowledged(restarter, taobao, database_url):
    """The database goes away and comes back (a restart, a database failover) between two
    streams of a platform: what was acknowledged before is there, and the platform's next stream
    docks once the service's connections are back, with nothing half-written."""
    [ack] = await dock(taobao, [order(1), order(2)])
    assert ack.accepted == 2
    restarter.communicate(b"now\n", timeout=120)
    assert restarter.returncode == 0
    acks = None
    for _ in range(50):  # the platform resends until the service has its database again
        try:
            acks = await dock(taobao, [order(2), order(3)])
            break
        except grpc.aio.AioRpcError as error:
            assert error.code() == grpc.StatusCode.UNAVAILABLE, error
            await asyncio.sleep(0.1)  # a client's retry pause; nothing timed is asserted
    assert acks is not None and (acks[0].accepted, acks[0].duplicate) == (1, 1)
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "trade"})
    try:
        assert [r[0] for r in await conn.fetch("SELECT external_order_id FROM orders ORDER BY 1")] == ["tb-1", "tb-2", "tb-3"]
    finally:
        await conn.close()


async def test_TRD_01_a_batch_without_request_id_is_refused(taobao, db):
    async def one():
        yield pb.DockOrdersRequest(orders=[order(1)])

    with pytest.raises(grpc.aio.AioRpcError) as error:
        _ = [ack async for ack in taobao.DockOrders(one())]
    assert "request_id" in rich_error(error.value)["fields"]
    assert await db.fetchval("SELECT count(*) FROM orders") == 0


async def test_TRD_01_PLT_04_the_platform_is_the_callers_tenant_and_only_platforms_dock(stub_for, db):
    [ack] = await dock(stub_for("trading_platform", "jd"), [order(1)])
    assert ack.accepted == 1
    assert await db.fetchval("SELECT platform FROM orders") == "jd"
    for role, tenant in (("merchant", "m-1"), ("trading_platform", ""), ("platform_admin", "")):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await dock(stub_for(role, tenant), [order(2)])
        assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED, role
    assert await db.fetchval("SELECT count(*) FROM orders") == 1


async def test_TRD_01_an_order_of_an_unknown_session_or_product_is_accepted_unlinked(taobao, db):
    [ack] = await dock(taobao, [order(1)])
    assert (ack.accepted, ack.unlinked, list(ack.unlinked_orders)) == (1, 1, ["tb-1"])
    assert await db.fetchval("SELECT linked FROM orders") is False


async def test_TRD_01_an_order_of_a_projected_session_and_product_is_linked_to_the_anchor(taobao, trade_service, probe_js, settings, db):
    js = probe_js  # the sources are other services: the probe publishes their events
    root = settings.subject_root
    await publish_event(js, root, "session", "session.opened", session_events.SessionOpened(session_id="s-1", merchant_id="m-1", anchor_id="an-7"))
    await publish_event(js, root, "product", "product.approved", product_events.ProductApproved(
        listing=product_events.ProductListing(product_id="p-1", merchant_id="m-1")
    ))
    await wait_until_acknowledged(js, settings.stream_for("session"), "trade-from-session", seq=1)
    await wait_until_acknowledged(js, settings.stream_for("product"), "trade-from-product", seq=1)
    [ack] = await dock(taobao, [order(1), order(2, product_id="p-unknown")])
    assert (ack.accepted, ack.unlinked, list(ack.unlinked_orders)) == (2, 1, ["tb-2"])
    row = await db.fetchrow("SELECT linked, anchor_id FROM orders WHERE external_order_id = 'tb-1'")
    assert (row["linked"], row["anchor_id"]) == (True, "an-7")


async def test_TRD_01_the_completed_orders_of_a_batch_are_published_once_as_one_OrdersCompleted(taobao, db):
    paid = order(2, status=pb.ORDER_STATUS_PAID, completed_at=None)
    await dock(taobao, [order(1), paid, order(3, completed_at=stamp(NOW - timedelta(minutes=30)))])
    rows = await db.fetch("SELECT subject, envelope FROM outbox")
    assert len(rows) == 1  # one event for the batch, not one per order
    assert rows[0]["subject"].endswith(".trade.orders.completed")
    envelope = envelope_pb2.EventEnvelope.FromString(rows[0]["envelope"])
    event = events_pb2.OrdersCompleted()
    envelope.payload.Unpack(event)
    assert event.platform == "taobao" and list(event.external_order_ids) == ["tb-1", "tb-3"]  # the paid one is not completed
    assert (list(event.amount_fen), list(event.merchant_ids), list(event.session_ids)) == ([10_001, 10_003], ["m-1", "m-1"], ["s-1", "s-1"])
    assert [t.ToDatetime(UTC) for t in event.completed_at] == [NOW - timedelta(hours=1), NOW - timedelta(minutes=30)]
    docked = {r["external_order_id"]: str(r["order_id"]) for r in await db.fetch("SELECT external_order_id, order_id FROM orders")}
    assert list(event.order_ids) == [docked["tb-1"], docked["tb-3"]] and list(event.anchor_ids) == ["", ""]  # unlinked: no anchor
    await dock(taobao, [order(1), order(3, completed_at=stamp(NOW - timedelta(minutes=30)))])
    assert await completed_published(db) == ["tb-1", "tb-3"]  # a resent batch publishes nothing


async def test_PLT_04_orders_are_read_by_their_platform_and_merchant_only(taobao, stub_for):
    await dock(taobao, [order(1), order(2, merchant_id="m-2")])
    listed = await taobao.ListOrders(pb.ListOrdersRequest())
    assert sorted(o.order.external_order_id for o in listed.orders) == ["tb-1", "tb-2"]
    mine = await stub_for("merchant", "m-1").ListOrders(pb.ListOrdersRequest())
    assert [o.order.external_order_id for o in mine.orders] == ["tb-1"]
    order_id = next(o.order_id for o in listed.orders if o.order.external_order_id == "tb-2")
    got = await taobao.GetOrder(pb.GetOrderRequest(order_id=order_id))
    assert (got.order.platform, got.order.order.amount_fen, got.order.linked) == ("taobao", 10_002, False)
    for stub in (stub_for("trading_platform", "jd"), stub_for("merchant", "m-1")):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await stub.GetOrder(pb.GetOrderRequest(order_id=order_id))
        assert error.value.code() == grpc.StatusCode.NOT_FOUND
    assert await stub_for("trading_platform", "jd").ListOrders(pb.ListOrdersRequest()) == pb.ListOrdersResponse(page={})


async def test_orders_are_listed_in_keyset_pages(taobao):
    await dock(taobao, [order(n, placed_at=stamp(NOW - timedelta(hours=3, minutes=n))) for n in range(5)])
    seen, token = [], ""
    while True:
        page = await taobao.ListOrders(pb.ListOrdersRequest(page={"page_size": 2, "page_token": token}))
        seen += [o.order.external_order_id for o in page.orders]
        token = page.page.next_page_token
        if not token:
            break
    assert seen == [f"tb-{n}" for n in range(5)]  # newest placement first
