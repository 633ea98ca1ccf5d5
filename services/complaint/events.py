"""Events of complaints and incidents (events.proto), written in the transaction of the change
they describe. None carries a complainant's contact or a reporter's identity (CMP-05): they name
the complaint, what it concerns and its category only.

- ComplaintUpheld on `<root>.complaint.complaint.upheld`: a complaint resolved as justified feeds
  the credit archives of the anchor, agency and merchant it concerns (CMP-04);
- ComplaintEscalated on `<root>.complaint.complaint.escalated`: past its promised time (CMP-02);
- IncidentOpened on `<root>.complaint.incident.opened` (CMP-06).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from livecommerce.complaint.v1 import events_pb2
from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from services.complaint.store import ComplaintRow


async def upheld(conn: asyncpg.Connection, events: EventWriter, row: ComplaintRow, *, at: datetime) -> None:
    concern = row.resolved.concern
    await events.add(
        conn, noun="complaint", verb="upheld", subject_id=str(row.complaint_id),
        payload=events_pb2.ComplaintUpheld(
            complaint_id=str(row.complaint_id), anchor_id=concern.anchor_id, agency_id=row.resolved.agency_id,
            merchant_id=row.resolved.merchant_id, session_id=concern.session_id, order_id=concern.order_id,
            category=row.category, upheld_at=stamp(at),
        ),
    )


async def escalated(conn: asyncpg.Connection, events: EventWriter, rows: Sequence[ComplaintRow]) -> None:
    await events.add_many(conn, noun="complaint", verb="escalated", events=[
        (
            events_pb2.ComplaintEscalated(
                complaint_id=str(r.complaint_id), channel=r.channel.value, category=r.category, status=r.status.value,
                promised_feedback_by=stamp(r.promised_by), escalated_at=stamp(r.escalated_at),
            ),
            str(r.complaint_id),
        )
        for r in rows
    ])  # fmt: skip


async def incident_opened(
    conn: asyncpg.Connection, events: EventWriter, *, incident_id: str, incident_type: str, plan_version: int,
    complaint_id: str, session_id: str, at: datetime,
) -> None:
    await events.add(
        conn, noun="incident", verb="opened", subject_id=incident_id,
        payload=events_pb2.IncidentOpened(
            incident_id=incident_id, incident_type=incident_type, plan_version=plan_version, complaint_id=complaint_id,
            session_id=session_id, opened_at=stamp(at),
        ),
    )
