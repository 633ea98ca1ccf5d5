"""Requests the complaint tests send: a valid complaint per channel, changed one field at a time."""

from __future__ import annotations

import itertools
import uuid

from livecommerce.complaint.v1 import complaint_pb2 as pb

_ids = itertools.count(1)
PHONE = "13800138000"
NAME = "张三"
EMAIL = "zhang.san@example.cn"


def request_id() -> str:
    return f"r-{uuid.uuid4().hex[:12]}"


def phone_complaint(**changes) -> pb.FileComplaintRequest:
    """A consumer's call, as service staff enter it."""
    fields = dict(
        request_id=request_id(), channel=pb.CHANNEL_PHONE, category="product_quality",
        concern=pb.Concern(product_id="p-1"), description="收到的商品有破损，客服不处理",
        contact=pb.Contact(name=NAME, phone=PHONE),
    )
    fields.update(changes)
    return pb.FileComplaintRequest(**fields)


def online_complaint(**changes) -> pb.FileComplaintRequest:
    fields = dict(
        request_id=request_id(), channel=pb.CHANNEL_ONLINE, category="false_advertising",
        concern=pb.Concern(session_id="s-1"), description="主播宣称的功效与实际不符",
        contact=pb.Contact(name=NAME, consumer_id="u-1001"),
    )
    fields.update(changes)
    return pb.FileComplaintRequest(**fields)


def referral(**changes) -> pb.FileComplaintRequest:
    fields = dict(
        request_id=request_id(), channel=pb.CHANNEL_REGULATOR, category="counterfeit",
        concern=pb.Concern(order_id="tb-1"), description="市场监管局转办：疑似假冒商品",
        contact=pb.Contact(name="市场监管局 李科长", phone="010-12345678"), referral_reference="SAMR-2026-0042",
    )
    fields.update(changes)
    return pb.FileComplaintRequest(**fields)


def email(**changes) -> pb.ReceiveEmailComplaintRequest:
    fields = dict(
        request_id=f"mail-{uuid.uuid4().hex[:16]}", from_address=EMAIL, from_name=NAME,
        subject="投诉：直播间商品质量", body="我在直播间买的商品质量很差。", concern=pb.Concern(product_id="p-1"),
    )
    fields.update(changes)
    return pb.ReceiveEmailComplaintRequest(**fields)


def attachment(n: int) -> pb.Attachment:
    return pb.Attachment(name=f"photo-{n}.jpg", sha256=f"{n:064x}", size_bytes=1000 + n)


def step(complaint_id: str, to: int, note: str = "") -> pb.AdvanceComplaintRequest:
    return pb.AdvanceComplaintRequest(request_id=request_id(), complaint_id=complaint_id, to=to, note=note)


async def walk(stub, complaint_id: str, *steps: tuple[int, str]) -> pb.Complaint:
    """Takes the workflow's steps in turn; the complaint as the last one left it."""
    complaint = None
    for to, note in steps:
        complaint = (await stub.AdvanceComplaint(step(complaint_id, to, note))).complaint
    assert complaint is not None
    return complaint


UPHOLD = (
    (pb.COMPLAINT_STATUS_ACKNOWLEDGED, "已受理"),
    (pb.COMPLAINT_STATUS_INVESTIGATING, "调取直播回放"),
    (pb.COMPLAINT_STATUS_RESOLVED, "经核实，商品与宣传不符"),
)
