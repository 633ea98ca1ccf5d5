"""Requests the session tests send, and a scheduled-to-live walk they share."""

from __future__ import annotations

import uuid
from datetime import timedelta

from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import session_pb2 as pb

ALL_ITEMS = [pb.CHECKLIST_ITEM_EQUIPMENT, pb.CHECKLIST_ITEM_NETWORK, pb.CHECKLIST_ITEM_SYSTEM_TEST]


def rid() -> str:
    return f"req-{uuid.uuid4().hex[:16]}"


def schedule(clock, *, anchor_id: str = "an-1", room_id: str = "room-m-1-main", products=("p-1",), minutes: int = 20) -> pb.ScheduleSessionRequest:
    return pb.ScheduleSessionRequest(
        request_id=rid(), anchor_id=anchor_id, room_id=room_id, title="双十一大米专场",
        planned_start=stamp(clock.now() + timedelta(minutes=minutes)), product_ids=list(products),
    )


async def live_session(merchant, clock, **kwargs) -> pb.Session:
    """Scheduled 20 minutes ahead, checklist done, room open."""
    session = (await merchant.ScheduleSession(schedule(clock, **kwargs))).session
    await merchant.CompleteChecklist(pb.CompleteChecklistRequest(request_id=rid(), session_id=session.session_id, items=ALL_ITEMS))
    return (await merchant.OpenRoom(pb.OpenRoomRequest(request_id=rid(), session_id=session.session_id))).session
