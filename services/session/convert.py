"""Stored session data <-> `livecommerce.session.v1` messages, in one place for the API, the room
log and the events."""

from __future__ import annotations

from datetime import datetime

from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.runtime.actors import actor_pb
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import patrol_pb2
from livecommerce.session.v1 import session_pb2 as pb
from services.session.domain import ChecklistItem, Status
from services.session.patrol import Grade, Source

STATUS_PB = {
    "scheduled": pb.SESSION_STATUS_SCHEDULED,
    "ready": pb.SESSION_STATUS_READY,
    "live": pb.SESSION_STATUS_LIVE,
    "ended": pb.SESSION_STATUS_ENDED,
    "stopped": pb.SESSION_STATUS_STOPPED,
}
STATUSES = {value: Status(key) for key, value in STATUS_PB.items()}
CHECKLIST_PB = {
    ChecklistItem.EQUIPMENT: pb.CHECKLIST_ITEM_EQUIPMENT,
    ChecklistItem.NETWORK: pb.CHECKLIST_ITEM_NETWORK,
    ChecklistItem.SYSTEM_TEST: pb.CHECKLIST_ITEM_SYSTEM_TEST,
}
CHECKLIST_ITEMS = {value: key for key, value in CHECKLIST_PB.items()}
PROMISE_KIND_PB = {
    "free_gift": pb.PROMISE_KIND_FREE_GIFT,
    "shipping_time": pb.PROMISE_KIND_SHIPPING_TIME,
    "price_guarantee": pb.PROMISE_KIND_PRICE_GUARANTEE,
    "after_sales": pb.PROMISE_KIND_AFTER_SALES,
    "other": pb.PROMISE_KIND_OTHER,
}
PROMISE_KINDS = {value: key for key, value in PROMISE_KIND_PB.items()}
RESPONSIBLE_PB = {"merchant": pb.RESPONSIBLE_PARTY_MERCHANT, "agency": pb.RESPONSIBLE_PARTY_AGENCY}
SOURCE_PB = {
    Source.ANCHOR_SPEECH: patrol_pb2.CHUNK_SOURCE_ANCHOR_SPEECH,
    Source.PRODUCT_INFO: patrol_pb2.CHUNK_SOURCE_PRODUCT_INFO,
    Source.USER_COMMENT: patrol_pb2.CHUNK_SOURCE_USER_COMMENT,
    Source.DANMAKU: patrol_pb2.CHUNK_SOURCE_DANMAKU,
}
GRADE_PB = {
    Grade.A: patrol_pb2.PATROL_GRADE_A_STOP_STREAM,
    Grade.B: patrol_pb2.PATROL_GRADE_B_CORRECT_IMMEDIATELY,
    Grade.C: patrol_pb2.PATROL_GRADE_C_GUIDE_BEFORE_END,
    Grade.D: patrol_pb2.PATROL_GRADE_D_NOTE_FOR_REVIEW,
    Grade.HIDE: patrol_pb2.PATROL_GRADE_HIDE_MESSAGE,
}


def lineup_item(listing: product_events.ProductListing) -> pb.LineupItem:
    """A product as the room shows it, from the product service's listing (PRD-05, PRD-09)."""
    return pb.LineupItem(
        product_id=listing.product_id, approved_version=listing.approved_version, title=listing.title,
        price_fen=listing.price_fen, crossed_out_price_fen=listing.crossed_out_price_fen,
        link=listing.link, perishable=listing.perishable,
    )


def actor_dict(caller) -> dict:
    """A `Caller` as the JSON columns hold it (the shape of `actors.actor_json`)."""
    return {"principal": caller.principal, "role": caller.role, "tenant": caller.tenant}


def stop_dict(*, rule_id: str, reason: str, operator: dict, at: datetime) -> dict:
    return {"rule_id": rule_id, "reason": reason, "operator": operator, "at": at.isoformat()}


def stop_pb(stop: dict) -> pb.Stop:
    return pb.Stop(
        rule_id=stop["rule_id"], reason=stop["reason"], operator=actor_pb(stop["operator"]),
        at=stamp(datetime.fromisoformat(stop["at"])),
    )


def session_pb(row) -> pb.Session:
    """`row` is a store.SessionRow (typed loosely: the store imports this module's neighbours)."""
    return pb.Session(
        session_id=str(row.session_id), merchant_id=row.merchant_id, anchor_id=row.anchor_id, agency_id=row.agency_id,
        room_id=row.room_id, title=row.title, planned_start=stamp(row.planned_start), status=STATUS_PB[row.status.value],
        lineup=list(row.room.lineup), labels=list(row.room.labels),
        checklist=[
            pb.ChecklistEntry(
                item=CHECKLIST_PB[ChecklistItem(entry["item"])], done_at=stamp(datetime.fromisoformat(entry["at"])),
                done_by=actor_pb(entry["by"]),
            )
            for entry in row.checklist
        ],
        opened_at=stamp(row.opened_at), ended_at=stamp(row.ended_at), stop=stop_pb(row.stop) if row.stop else None,
        scheduled_at=stamp(row.scheduled_at),
    )


def promise_pb(row) -> pb.Promise:
    """`row` is a store.PromiseRow."""
    return pb.Promise(
        promise_id=str(row.promise_id), session_id=str(row.session_id), kind=PROMISE_KIND_PB[row.kind], text=row.text,
        product_id=row.product_id, responsible=RESPONSIBLE_PB[row.responsible], responsible_id=row.responsible_id,
        made_at=stamp(row.made_at), recorded_by=actor_pb(row.recorded_by),
    )


def hit_pb(row) -> pb.SessionHit:
    """`row` is a hits.HitRow."""
    return pb.SessionHit(
        hit_id=str(row.hit_id), session_id=str(row.session_id), chunk_id=row.chunk_id, source=SOURCE_PB[Source(row.source)],
        term=row.term, category=row.category, grade=GRADE_PB[Grade(row.grade)], lexicon_version=row.lexicon_version,
        at=stamp(row.at), violation_id=str(row.violation_id) if row.violation_id else "",
    )
