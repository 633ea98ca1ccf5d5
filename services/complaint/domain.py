"""The rules of complaints, pure (no I/O): what a complaint must carry at intake and which channel
takes it from whom (CMP-01), the promised feedback time (CMP-02), the workflow's steps (CMP-03)."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE, SHA256, SHA256_RULE
from services.complaint.rules_config import ComplaintRules, IntakeRules


class Channel(enum.StrEnum):
    PHONE = "phone"
    ONLINE = "online"
    EMAIL = "email"
    REGULATOR = "regulator"


class Status(enum.StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    RESOLVED = "resolved"
    """Upheld: the investigation found the complaint justified (CMP-04)."""
    REJECTED = "rejected"
    FEEDBACK_SENT = "feedback_sent"


# CMP-03: the only steps the workflow takes; anything else is refused naming the rule.
NEXT: dict[Status, tuple[Status, ...]] = {
    Status.RECEIVED: (Status.ACKNOWLEDGED,),
    Status.ACKNOWLEDGED: (Status.INVESTIGATING,),
    Status.INVESTIGATING: (Status.RESOLVED, Status.REJECTED),
    Status.RESOLVED: (Status.FEEDBACK_SENT,),
    Status.REJECTED: (Status.FEEDBACK_SENT,),
    Status.FEEDBACK_SENT: (),
}
NEEDS_NOTE = {Status.RESOLVED: "the finding", Status.REJECTED: "the finding", Status.FEEDBACK_SENT: "the feedback given"}
MAX_NOTE_CHARS = 4000

# CMP-01: who files through which channel (PLT-04). The consumer app's backend and the email
# gateway are platform systems (role integration); a consumer has no certificate of its own.
FILED_BY = {Channel.PHONE: "customer_service", Channel.ONLINE: "integration", Channel.EMAIL: "integration", Channel.REGULATOR: "regulator"}

_PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{1,63}$")
MAX_NAME_CHARS = 100


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""
    consumer_id: str = ""

    @property
    def empty(self) -> bool:
        return not (self.phone or self.email or self.consumer_id)


@dataclass(frozen=True)
class Concern:
    anchor_id: str = ""
    product_id: str = ""
    order_id: str = ""
    session_id: str = ""

    def named(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value}


@dataclass(frozen=True)
class Attachment:
    name: str
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class Intake:
    """A complaint as a channel delivers it."""

    channel: Channel | None
    category: str
    concern: Concern
    description: str
    contact: Contact
    attachments: tuple[Attachment, ...] = ()
    whistle_blower: bool = False
    referral_reference: str = ""


@dataclass(frozen=True)
class Resolved:
    """What the projections made of a complaint's references (CMP-01)."""

    concern: Concern
    agency_id: str = ""
    merchant_id: str = ""
    unresolved: tuple[str, ...] = field(default=())


def check_intake(intake: Intake, rules: IntakeRules) -> None:
    """CMP-01: every fault of the complaint at once, each naming its field; nothing is written."""
    faults: list[FieldViolation] = []
    if intake.channel is None:
        faults.append(FieldViolation("channel", "must be PHONE, ONLINE, EMAIL or REGULATOR", "CMP-01"))
    if intake.category not in rules.categories:
        faults.append(FieldViolation("category", f"must be one of {', '.join(rules.categories)}", "CMP-01"))
    faults += _contact_faults(intake)
    if not intake.concern.named() and not intake.description.strip():
        faults.append(FieldViolation("concern", "name the anchor, product, order or session concerned, or describe the complaint", "CMP-01"))
    for name, value in intake.concern.named().items():
        if not ID_TOKEN.match(value):
            faults.append(FieldViolation(f"concern.{name}", ID_TOKEN_RULE, "CMP-01"))
    if len(intake.description) > rules.max_description_chars:
        faults.append(FieldViolation("description", f"must be at most {rules.max_description_chars} characters", "CMP-01"))
    faults += _attachment_faults(intake.attachments, rules)
    if intake.channel is Channel.REGULATOR and not ID_TOKEN.match(intake.referral_reference):
        faults.append(FieldViolation("referral_reference", "a regulator's referral names its case number: " + ID_TOKEN_RULE, "CMP-01"))
    if faults:
        raise InvalidArgument(faults)


def _contact_faults(intake: Intake) -> list[FieldViolation]:
    contact, faults = intake.contact, []
    if contact.empty:
        faults.append(FieldViolation("contact", "needs a phone, an email or the consumer's app id: feedback must reach someone", "CMP-01"))
    if contact.phone and not _PHONE.match(contact.phone):
        faults.append(FieldViolation("contact.phone", "must be 5-20 digits, optionally with +, spaces or hyphens", "CMP-01"))
    if contact.email and not _EMAIL.match(contact.email):
        faults.append(FieldViolation("contact.email", "must be an email address", "CMP-01"))
    if contact.consumer_id and not ID_TOKEN.match(contact.consumer_id):
        faults.append(FieldViolation("contact.consumer_id", ID_TOKEN_RULE, "CMP-01"))
    if len(contact.name) > MAX_NAME_CHARS:
        faults.append(FieldViolation("contact.name", f"must be at most {MAX_NAME_CHARS} characters", "CMP-01"))
    if intake.channel is Channel.ONLINE and not contact.consumer_id:
        faults.append(FieldViolation("contact.consumer_id", "an online complaint names the app's signed-in consumer", "CMP-01"))
    return faults


def _attachment_faults(attachments: Sequence[Attachment], rules: IntakeRules) -> list[FieldViolation]:
    if len(attachments) > rules.max_attachments:
        return [FieldViolation("attachments", f"at most {rules.max_attachments} attachments, not {len(attachments)}", "CMP-01")]
    faults = []
    for i, a in enumerate(attachments):
        if not a.name.strip() or len(a.name) > 255:
            faults.append(FieldViolation(f"attachments[{i}].name", "must be 1-255 characters", "CMP-01"))
        if not SHA256.match(a.sha256):
            faults.append(FieldViolation(f"attachments[{i}].sha256", SHA256_RULE, "CMP-01"))
        if not 0 < a.size_bytes <= rules.max_attachment_bytes:
            faults.append(FieldViolation(f"attachments[{i}].size_bytes", f"must be 1 to {rules.max_attachment_bytes} bytes", "CMP-01"))
    return faults


def promised_by(intake: Intake, received_at: datetime, rules: ComplaintRules) -> datetime:
    """CMP-02: feedback is promised by receipt plus the channel's hours for the category."""
    assert intake.channel is not None
    return received_at + rules.promised.promised(intake.channel, intake.category)


def check_step(current: Status, to: Status | None, note: str, *, field_name: str = "to") -> None:
    """CMP-03: only the workflow's next steps, each with what was said where it needs it."""
    if to is None:
        raise InvalidArgument([FieldViolation(field_name, "must be a complaint status", "CMP-03")])
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidArgument([FieldViolation("note", f"must be at most {MAX_NOTE_CHARS} characters", "CMP-03")])
    if to in NEEDS_NOTE and not note.strip():
        raise InvalidArgument([FieldViolation("note", f"is required: {NEEDS_NOTE[to]}", "CMP-03")])
    if to not in NEXT[current]:
        allowed = ", ".join(NEXT[current]) or "nothing (the workflow is complete)"
        raise PreconditionFailed(
            "CMP-03", "complaint", f"a {current} complaint cannot become {to}; next: {allowed}", field=field_name
        )
