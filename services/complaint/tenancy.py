"""Who may do what with complaints (PLT-04, CMP-01, CMP-05): which role files through which
channel, who reads and who works a complaint. The gateway's policy admits roles per method; these
checks hold for a caller that reaches a replica by any path."""

from __future__ import annotations

import uuid

import asyncpg

from livecommerce.runtime.errors import NotFound, PermissionDenied
from livecommerce.runtime.formats import parse_uuid
from livecommerce.runtime.identity import Caller
from services.complaint import store
from services.complaint.domain import FILED_BY, Channel

READERS = ("customer_service", "compliance_officer", "platform_admin", "regulator", "integration")
WORKERS = ("customer_service", "compliance_officer")
SYSTEM_CHANNELS = (Channel.ONLINE, Channel.EMAIL)


def check_filer(caller: Caller, channel: Channel) -> None:
    """CMP-01: a channel's complaints come from its own role (phone: service staff; online and
    email: the platform's systems; regulator referral: a regulator)."""
    if caller.role != FILED_BY[channel]:
        raise PermissionDenied(f"{channel} complaints are filed by role {FILED_BY[channel]}, not {caller.role}", rule="CMP-01")


def may_read(caller: Caller, row: store.ComplaintRow) -> bool:
    if caller.role == "integration":
        return row.channel in SYSTEM_CHANNELS  # the app and the mail gateway read what they filed
    return caller.role in READERS


def check_lister(caller: Caller) -> None:
    """The queue is for staff, administrators and regulators; a platform system reads only what it filed."""
    if caller.role not in READERS or caller.role == "integration":
        raise PermissionDenied("only complaint staff, platform administrators and regulators list complaints")


def check_worker(caller: Caller, row: store.ComplaintRow) -> None:
    """CMP-03, CMP-05: service staff and compliance officers work complaints; a whistle-blower's
    report only compliance officers (its handling would tell others who the reporter is)."""
    if caller.role not in WORKERS:
        raise PermissionDenied("only customer service and compliance officers work complaints", rule="CMP-03")
    if row.whistle_blower and caller.role != "compliance_officer":
        raise PermissionDenied("a whistle-blower's report is handled by compliance officers only", rule="CMP-05")


def parse_complaint_id(text: str, field: str = "complaint_id") -> uuid.UUID:
    return parse_uuid(text, field, "must be a complaint id this service issued (a UUID)")


async def load(conn: asyncpg.Connection, caller: Caller, complaint_id: uuid.UUID, *, for_update: bool = False) -> store.ComplaintRow:
    """Another's complaint and a missing one give the same NOT_FOUND (PLT-04)."""
    row = await store.get(conn, complaint_id, for_update=for_update)
    if row is None or not may_read(caller, row):
        raise NotFound("complaint", str(complaint_id))
    return row
