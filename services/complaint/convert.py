"""Proto <-> domain for complaints (the incidents' conversions are in `incident_convert`)."""

from __future__ import annotations

from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.runtime.timestamps import stamp
from services.complaint import domain
from services.complaint.store import ComplaintRow

CHANNELS = {
    pb.CHANNEL_PHONE: domain.Channel.PHONE,
    pb.CHANNEL_ONLINE: domain.Channel.ONLINE,
    pb.CHANNEL_EMAIL: domain.Channel.EMAIL,
    pb.CHANNEL_REGULATOR: domain.Channel.REGULATOR,
}
_CHANNEL_PB = {channel: number for number, channel in CHANNELS.items()}
STATUSES = {
    pb.COMPLAINT_STATUS_RECEIVED: domain.Status.RECEIVED,
    pb.COMPLAINT_STATUS_ACKNOWLEDGED: domain.Status.ACKNOWLEDGED,
    pb.COMPLAINT_STATUS_INVESTIGATING: domain.Status.INVESTIGATING,
    pb.COMPLAINT_STATUS_RESOLVED: domain.Status.RESOLVED,
    pb.COMPLAINT_STATUS_REJECTED: domain.Status.REJECTED,
    pb.COMPLAINT_STATUS_FEEDBACK_SENT: domain.Status.FEEDBACK_SENT,
}
_STATUS_PB = {status: number for number, status in STATUSES.items()}


def concern(message: pb.Concern) -> domain.Concern:
    return domain.Concern(message.anchor_id, message.product_id, message.order_id, message.session_id)


def attachments(messages) -> tuple[domain.Attachment, ...]:
    return tuple(domain.Attachment(a.name, a.sha256, a.size_bytes) for a in messages)


def intake(request: pb.FileComplaintRequest) -> domain.Intake:
    c = request.contact
    return domain.Intake(
        channel=CHANNELS.get(request.channel), category=request.category, concern=concern(request.concern),
        description=request.description, contact=domain.Contact(c.name, c.phone, c.email, c.consumer_id),
        attachments=attachments(request.attachments), whistle_blower=request.whistle_blower,
        referral_reference=request.referral_reference,
    )


def email_intake(request: pb.ReceiveEmailComplaintRequest) -> domain.Intake:
    """An email as the gateway parsed it: its sender is the contact, subject and body the description."""
    return domain.Intake(
        channel=domain.Channel.EMAIL, category=request.category or "other", concern=concern(request.concern),
        description="\n\n".join(part for part in (request.subject.strip(), request.body.strip()) if part),
        contact=domain.Contact(name=request.from_name, email=request.from_address),
        attachments=attachments(request.attachments), whistle_blower=request.whistle_blower,
    )


def status(value: int) -> domain.Status | None:
    return STATUSES.get(value)  # type: ignore[call-overload]


def complaint_pb(row: ComplaintRow, contact: domain.Contact | None, withheld: bool) -> pb.Complaint:
    c = row.resolved.concern
    return pb.Complaint(
        complaint_id=str(row.complaint_id), channel=_CHANNEL_PB[row.channel], category=row.category,
        status=_STATUS_PB[row.status],
        concern=pb.Concern(anchor_id=c.anchor_id, product_id=c.product_id, order_id=c.order_id, session_id=c.session_id),
        agency_id=row.resolved.agency_id, merchant_id=row.resolved.merchant_id, unresolved=list(row.resolved.unresolved),
        description=row.description,
        attachments=[pb.Attachment(name=a.name, sha256=a.sha256, size_bytes=a.size_bytes) for a in row.attachments],
        contact=pb.Contact(**vars(contact)) if contact else None, whistle_blower=row.whistle_blower,
        contact_withheld=withheld, received_at=stamp(row.received_at), promised_feedback_by=stamp(row.promised_by),
        escalated_at=stamp(row.escalated_at), version=row.version, referral_reference=row.referral_reference,
        feedback=row.feedback,
    )
