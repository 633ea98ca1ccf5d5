"""A valid phone complaint, as a request: the example `./dev up` prints (livecommerce/suite.py)
and docs/complaints.md walks through."""

from __future__ import annotations

from livecommerce.complaint.v1 import complaint_pb2 as pb


def phone_complaint(*, request_id: str) -> pb.FileComplaintRequest:
    """A consumer's call about a damaged product, as service staff enter it (CMP-01)."""
    return pb.FileComplaintRequest(
        request_id=request_id, channel=pb.CHANNEL_PHONE, category="product_quality", concern=pb.Concern(order_id="tb-1001"),
        description="收到的商品有破损，直播间客服不处理", contact=pb.Contact(name="张三", phone="13800138000"),
    )
