"""The complainant's contact (PLT-06) and a whistle-blower's identity (CMP-05): sealed at rest,
opened only for the roles that may see it.

A contact is sealed whole (AES-GCM, bound to its complaint) and stored nowhere else: not in the
history, the events, the request outcomes or the logs. An ordinary complaint's contact opens for
the staff who answer complainants (customer service, compliance officers) and for the platform
system that filed it; other readers see it masked. A whistle-blower's opens for compliance officers
only, and only one complaint at a time (GetComplaint), each opening recorded in the complaint's
history with who opened it (PLT-06: access audited); lists and answers to writes withhold it from
everyone, and every other caller is told it is withheld (CMP-05).
"""

from __future__ import annotations

import json
import uuid

from livecommerce.runtime.identity import Caller
from livecommerce.runtime.pii import FieldCipher, mask_name, mask_phone
from services.complaint.domain import Channel, Contact

ANSWERS_COMPLAINANTS = ("customer_service", "compliance_officer")
WHISTLE_BLOWER_READERS = ("compliance_officer",)


def _context(complaint_id: uuid.UUID) -> str:
    return f"complaint:{complaint_id}:contact"


def seal(cipher: FieldCipher, complaint_id: uuid.UUID, contact: Contact) -> bytes:
    return cipher.seal(json.dumps(vars(contact), ensure_ascii=False), context=_context(complaint_id))


def opens_identity(caller: Caller, *, whistle_blower: bool) -> bool:
    """CMP-05: whether reading one complaint opens its reporter's identity for `caller`."""
    return whistle_blower and caller.role in WHISTLE_BLOWER_READERS


def view(
    cipher: FieldCipher, caller: Caller, *, complaint_id: uuid.UUID, sealed: bytes, whistle_blower: bool, channel: Channel,
    reveal: bool = False,
) -> tuple[Contact | None, bool]:
    """(the contact as `caller` may see it, whether it was withheld). `reveal`: the caller asked
    for this one complaint, and the opening of a reporter's identity has been recorded."""
    if whistle_blower:
        # CMP-05: the reporter's identity opens for compliance officers and nobody else.
        if not (reveal and opens_identity(caller, whistle_blower=True)):
            return None, True
        return open_contact(cipher, complaint_id, sealed), False
    contact = open_contact(cipher, complaint_id, sealed)
    filed_it = caller.role == "integration" and channel in (Channel.ONLINE, Channel.EMAIL)
    if caller.role in ANSWERS_COMPLAINANTS or filed_it:
        return contact, False
    return masked(contact), False


def open_contact(cipher: FieldCipher, complaint_id: uuid.UUID, sealed: bytes) -> Contact:
    """The sealed contact of `complaint_id` (whoever calls this has decided the caller may see it)."""
    return Contact(**json.loads(cipher.open(sealed, context=_context(complaint_id))))


def masked(contact: Contact) -> Contact:
    local, _, domain = contact.email.partition("@")
    return Contact(
        name=mask_name(contact.name), phone=mask_phone(contact.phone) if contact.phone else "",
        email=f"{local[:1]}***@{domain}" if contact.email else "",
        consumer_id=contact.consumer_id[:2] + "*" * max(len(contact.consumer_id) - 2, 0),
    )
