"""The prohibited-goods list through the API (PRD-06): proposing validates and changes nothing;
publishing delists, in the same step, every listed product the new version prohibits or
restricts without its licence, and each take-down's event reaches a JetStream consumer."""

from __future__ import annotations

import asyncio

import asyncpg
import grpc
import pytest

from livecommerce.common.v1 import envelope_pb2
from livecommerce.product.v1 import events_pb2
from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.product.v1 import prohibited_pb2 as lists
from tests.product.messages import file_licence, listed, rice, rid
from tests.support import rich_error

IVORY = lists.ProhibitedEntry(
    entry_id="ivory", kind=lists.ENTRY_KIND_PROHIBITED, keywords=["象牙"], allow=["象牙白"], basis="《野生动物保护法》"
)
KNIFE = lists.ProhibitedEntry(
    entry_id="controlled-knife", kind=lists.ENTRY_KIND_RESTRICTED, keywords=["管制刀具"], licence_kind="food_production",
    basis="公安部管制刀具认定标准",
)




async def propose(officer_lists, version: str, *entries: lists.ProhibitedEntry) -> lists.ProhibitedListInfo:
    request = lists.ProposeProhibitedListRequest(request_id=rid(), list=lists.ProhibitedList(version=version, entries=list(entries)))
    return (await officer_lists.ProposeProhibitedList(request)).info


async def test_PRD_06_publishing_delists_what_the_new_version_prohibits_and_the_event_is_consumed(merchant, officer, settings, datastores, officer_lists):
    nc = await datastores.nats_client("projection")
    try:
        js = nc.jetstream()
        subscription = await js.pull_subscribe(
            f"{settings.subject_root}.product.product.delisted", durable="projection", stream=settings.stream_name
        )
        carving = await listed(merchant, officer, rice([await file_licence(merchant)], title="手工象 牙雕摆件"))
        bowl = await listed(merchant, officer, rice([await file_licence(merchant)], title="象牙白陶瓷碗装大米"))
        await propose(officer_lists, "2026.12-1", IVORY)
        assert (await merchant.GetProduct(pb.GetProductRequest(product_id=carving.product_id))).product.state == pb.PRODUCT_STATE_LISTED
        published = await officer_lists.PublishProhibitedList(
            lists.PublishProhibitedListRequest(request_id=rid(), version="2026.12-1", reason="新增象牙制品")
        )
        assert [(d.product_id, d.entry_id, d.matched) for d in published.delisted] == [(carving.product_id, "ivory", "象牙")]
        assert published.info.live and published.previous_version == ""
        down = (await merchant.GetProduct(pb.GetProductRequest(product_id=carving.product_id))).product
        assert (down.state, down.delisting.cause, down.delisting.list_version, down.delisting.list_entry_id) == (
            pb.PRODUCT_STATE_DELISTED, pb.DELIST_CAUSE_PROHIBITED, "2026.12-1", "ivory"
        )
        assert (await merchant.GetProduct(pb.GetProductRequest(product_id=bowl.product_id))).product.state == pb.PRODUCT_STATE_LISTED
        async with asyncio.timeout(10):
            while True:
                try:
                    [message] = await subscription.fetch(1, timeout=1)
                    break
                except TimeoutError:
                    continue
        await message.ack()
        envelope = envelope_pb2.EventEnvelope.FromString(message.data)
        event = events_pb2.ProductDelisted()
        envelope.payload.Unpack(event)
        assert (event.product_id, event.rule_id, event.list_version, event.list_entry_id, event.operator.principal) == (
            carving.product_id, "PRD-06", "2026.12-1", "ivory", "officer-wang"
        )
    finally:
        await nc.close()


async def test_PRD_06_a_restricted_entry_takes_down_only_products_without_its_licence(merchant, officer, officer_lists):
    food = await file_licence(merchant)
    unlicensed = await listed(merchant, officer, rice([food], description="附赠管制刀具一把"))
    licensed = await listed(merchant, officer, rice([food, await file_licence(merchant, "food_production")], description="附赠管制刀具一把"))
    await propose(officer_lists, "v2", KNIFE)
    published = await officer_lists.PublishProhibitedList(lists.PublishProhibitedListRequest(request_id=rid(), version="v2", reason="管制刀具"))
    assert [d.product_id for d in published.delisted] == [unlicensed.product_id]
    assert (await merchant.GetProduct(pb.GetProductRequest(product_id=licensed.product_id))).product.state == pb.PRODUCT_STATE_LISTED
    with pytest.raises(grpc.aio.AioRpcError) as refused:  # and a new submission is refused naming the entry
        await merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=rice([food], description="附赠管制刀具")))
    found = rich_error(refused.value)
    assert found["rules"] == ["PRD-06"] and "v2, entry controlled-knife" in found["message"]


async def test_PRD_06_a_retried_publication_answers_the_same_and_delists_nothing_more(merchant, officer, database_url, officer_lists):
    carving = await listed(merchant, officer, rice([await file_licence(merchant)], title="象牙雕"))
    await propose(officer_lists, "v1", IVORY)
    request = lists.PublishProhibitedListRequest(request_id=rid(), version="v1", reason="象牙")
    first = await officer_lists.PublishProhibitedList(request)
    again = await officer_lists.PublishProhibitedList(request)
    assert first == again and [d.product_id for d in again.delisted] == [carving.product_id]
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "product"})
    try:
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE subject LIKE '%.delisted'") == 1
    finally:
        await conn.close()
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await officer_lists.PublishProhibitedList(lists.PublishProhibitedListRequest(request_id=rid(), version="v1", reason="again"))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_PRD_06_a_malformed_or_repeated_version_is_refused_and_changes_nothing(officer, stubs_for, officer_lists):
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await propose(officer_lists, "bad version", lists.ProhibitedEntry(entry_id="x", kind=lists.ENTRY_KIND_PROHIBITED, basis=""))
    found = rich_error(refused.value)
    assert found["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert {"list.version", "list.entries[0]", "list.entries[0].basis"} <= set(found["fields"])
    await propose(officer_lists, "v1", IVORY)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await propose(officer_lists, "v1", KNIFE)
    assert "list.version" in rich_error(refused.value)["fields"]
    got = await officer_lists.GetProhibitedList(lists.GetProhibitedListRequest(version="v1", include_entries=True))
    assert [e.entry_id for e in got.list.entries] == ["ivory"] and not got.info.live
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await officer_lists.GetProhibitedList(lists.GetProhibitedListRequest())
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND  # nothing is live yet, and it says how one becomes live
    assert "(PRD-06): none is live before" in refused.value.details() and "PublishProhibitedList" in refused.value.details()
    merchant_lists = stubs_for("merchant", "m-1").lists
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await merchant_lists.PublishProhibitedList(lists.PublishProhibitedListRequest(request_id=rid(), version="v1", reason="x"))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
