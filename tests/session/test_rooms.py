"""WatchRoom and the projections (SES-01, ANC-09, PRD-10): rooms follow the anchor and product
services' events as soon as they arrive, watchers see every change in order with gap-free
sequences, and a reconnecting watcher misses nothing."""

from __future__ import annotations

import asyncio
import time

import grpc
import pytest

from livecommerce.session.v1 import session_pb2 as pb
from tests.session.messages import live_session, rid


@pytest.fixture
async def world(merchant, upstream):
    await upstream.eligible_anchor("an-1")
    for product_id in ("p-1", "p-2", "p-3"):
        await upstream.listed_product(product_id)


async def next_update(stream) -> pb.RoomUpdate:
    async with asyncio.timeout(5):
        return (await stream.read()).update


async def test_SES_01_a_room_opens_from_the_projection_alone(merchant, world, clock):
    """Neither the anchor nor the product service runs here: only their events were heard."""
    live = await live_session(merchant, clock)
    assert live.status == pb.SESSION_STATUS_LIVE


async def test_ANC_09_a_sanction_is_honoured_within_a_second_and_stops_the_live_session(merchant, world, clock, upstream):
    live = await live_session(merchant, clock)
    stream = merchant.WatchRoom(pb.WatchRoomRequest(session_id=live.session_id))
    assert (await next_update(stream)).state.status == pb.SESSION_STATUS_LIVE
    started = time.monotonic()
    await upstream.sanction("an-1", rule_id="ANC-07")
    stopped = await next_update(stream)
    assert time.monotonic() - started < 1.0
    assert stopped.change.kind == pb.ROOM_CHANGE_KIND_STOPPED and stopped.state.status == pb.SESSION_STATUS_STOPPED
    assert stopped.change.rule_id == "SES-06" and "ANC-07" in stopped.change.reason
    stream.cancel()
    session = (await merchant.GetSession(pb.GetSessionRequest(session_id=live.session_id))).session
    assert session.stop.rule_id == "SES-06" and "ANC-07" in session.stop.reason


async def test_PRD_10_a_delisted_product_leaves_every_watchers_room(merchant, stub_for, world, clock, upstream):
    rooms = [await live_session(merchant, clock, room_id=f"room-{n}", products=("p-1", "p-2")) for n in range(3)]
    watchers = [stub_for("integration").WatchRoom(pb.WatchRoomRequest(session_id=room.session_id)) for room in rooms for _ in range(5)]
    firsts = [await next_update(w) for w in watchers]
    assert {len(f.state.lineup) for f in firsts} == {2} and all(not f.HasField("change") for f in firsts)
    await upstream.delist("p-1")
    removed = [await next_update(w) for w in watchers]
    for first, update in zip(firsts, removed, strict=True):
        assert update.sequence == first.sequence + 1
        assert update.change.kind == pb.ROOM_CHANGE_KIND_PRODUCT_REMOVED and update.change.product_id == "p-1"
        assert [i.product_id for i in update.state.lineup] == ["p-2"]
    for w in watchers:
        w.cancel()


async def test_PRD_05_a_changed_product_is_updated_in_the_room(merchant, world, clock, upstream):
    live = await live_session(merchant, clock)
    stream = merchant.WatchRoom(pb.WatchRoomRequest(session_id=live.session_id))
    await next_update(stream)
    from livecommerce.product.v1 import events_pb2 as product_events

    clock.advance(__import__("datetime").timedelta(seconds=1))
    await upstream.publish("product", "product", "changed", product_events.ProductChanged(
        listing=upstream.listing("p-1", price_fen=4990, version=2), previous_version=1,
    ))  # fmt: skip
    changed = await next_update(stream)
    assert changed.change.kind == pb.ROOM_CHANGE_KIND_PRODUCT_CHANGED
    assert (changed.state.lineup[0].price_fen, changed.state.lineup[0].approved_version) == (4990, 2)
    stream.cancel()


async def test_WatchRoom_resumes_after_the_last_sequence_seen(merchant, officer, world, clock):
    live = await live_session(merchant, clock)
    first = await next_update(merchant.WatchRoom(pb.WatchRoomRequest(session_id=live.session_id)))
    for viewer in ("v-1", "v-2", "v-3"):
        await merchant.MuteViewer(pb.MuteViewerRequest(request_id=rid(), session_id=live.session_id, viewer_id=viewer, reason="刷屏"))
    resumed = merchant.WatchRoom(pb.WatchRoomRequest(session_id=live.session_id, after_sequence=first.sequence))
    updates = [await next_update(resumed) for _ in range(3)]
    assert [u.sequence for u in updates] == [first.sequence + 1, first.sequence + 2, first.sequence + 3]
    assert [u.change.viewer_id for u in updates] == ["v-1", "v-2", "v-3"]
    assert list(updates[-1].state.muted_viewer_ids) == ["v-1", "v-2", "v-3"]
    await officer.StopStream(pb.StopStreamRequest(request_id=rid(), session_id=live.session_id, reason="x"))
    assert (await next_update(resumed)).sequence == first.sequence + 4
    resumed.cancel()


async def test_WatchRoom_of_an_unknown_session_is_not_found(merchant, world):
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await next_update(merchant.WatchRoom(pb.WatchRoomRequest(session_id="00000000-0000-0000-0000-000000000000")))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND


async def test_WatchRoom_catch_up_read_beside_a_newer_commit_resends_nothing_the_watcher_has(merchant, world, clock, db):
    """The session row is read, then another update commits before the log is: the catch-up stays
    within the row's sequence (the newer update comes by the subscription), so a watcher that saw
    the row's last update is not sent that state again (a repeat seen across a failover)."""
    import uuid

    from services.session import store
    from services.session.rooms import catch_up

    live = await live_session(merchant, clock)
    mute = lambda viewer: merchant.MuteViewer(pb.MuteViewerRequest(request_id=rid(), session_id=live.session_id, viewer_id=viewer, reason="刷屏"))  # noqa: E731
    await mute("v-1")
    row = await store.get(db, session_id=uuid.UUID(live.session_id))
    assert row is not None
    await mute("v-2")  # commits after the row was read

    assert await catch_up(db, row, row.room_sequence) == []
    assert [u.sequence for u in await catch_up(db, row, row.room_sequence - 1)] == [row.room_sequence]
