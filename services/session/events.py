"""Events the session service publishes (events.proto), on `<root>.session.<noun>.<past_verb>`,
written in the command's transaction so an event leaves exactly when its change commits. The
anchor service's ladder reads `SessionEnded` and `SessionViolationConfirmed` (ANC-06..08), the
product service `ProductTakeDownRequested` (PRD-10), the trade service `PromiseRecorded` (SES-10).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

import asyncpg

from livecommerce.common.v1 import conduct_pb2, identity_pb2
from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import events_pb2
from livecommerce.session.v1 import session_pb2 as pb
from services.session import domain
from services.session.store import SessionRow


def violation(
    violation_id: str, *, session_id: str, category: str, severity: str, description: str, evidence_key: str, at: datetime
) -> events_pb2.SessionViolation:
    """A violation as the anchor service's ladder takes it (ANC-06): its evidence is the session's
    record of it, named by URI with the digest of that record's key."""
    evidence = conduct_pb2.EvidenceRef(
        uri=f"session://{session_id}/{evidence_key}", sha256=hashlib.sha256(evidence_key.encode()).hexdigest(),
        description="the session service's record",
    )
    report = conduct_pb2.ViolationReport(
        category=conduct_pb2.ViolationCategory.Value(f"VIOLATION_CATEGORY_{category}"),
        severity=conduct_pb2.ViolationSeverity.Value(f"VIOLATION_SEVERITY_{severity}"),
        description=description[: domain.MAX_REASON_CHARS], evidence=[evidence], occurred_at=stamp(at),
    )
    return events_pb2.SessionViolation(violation_id=violation_id, report=report)


async def opened(conn: asyncpg.Connection, events: EventWriter, row: SessionRow) -> None:
    payload = events_pb2.SessionOpened(
        session_id=str(row.session_id), merchant_id=row.merchant_id, anchor_id=row.anchor_id, room_id=row.room_id,
        product_ids=[item.product_id for item in row.room.lineup], opened_at=stamp(row.opened_at),
    )
    await events.add(conn, noun="session", verb="opened", payload=payload, subject_id=str(row.session_id))


async def ended(
    conn: asyncpg.Connection, events: EventWriter, row: SessionRow, violations: Sequence[events_pb2.SessionViolation]
) -> None:
    """ANC-07: every violation of the session; none means a clean one."""
    payload = events_pb2.SessionEnded(
        session_id=str(row.session_id), anchor_id=row.anchor_id, room_id=row.room_id, started_at=stamp(row.opened_at),
        ended_at=stamp(row.ended_at), violations=list(violations),
    )
    await events.add(conn, noun="session", verb="ended", payload=payload, subject_id=str(row.session_id))


async def stopped(conn: asyncpg.Connection, events: EventWriter, row: SessionRow, stop: pb.Stop) -> None:
    payload = events_pb2.SessionStopped(session_id=str(row.session_id), anchor_id=row.anchor_id, stop=stop)
    await events.add(conn, noun="session", verb="stopped", payload=payload, subject_id=str(row.session_id))


async def take_down_requested(
    conn: asyncpg.Connection, events: EventWriter, row: SessionRow, *, request_id: str, product_id: str, reason: str,
    operator: identity_pb2.Actor, at: datetime,
) -> None:
    payload = events_pb2.ProductTakeDownRequested(
        request_id=request_id, session_id=str(row.session_id), product_id=product_id, merchant_id=row.merchant_id,
        reason=reason, operator=operator, requested_at=stamp(at),
    )
    await events.add(conn, noun="takedown", verb="requested", payload=payload, subject_id=product_id)


async def violation_confirmed(
    conn: asyncpg.Connection, events: EventWriter, row: SessionRow, found: events_pb2.SessionViolation
) -> None:
    payload = events_pb2.SessionViolationConfirmed(session_id=str(row.session_id), anchor_id=row.anchor_id, violation=found)
    await events.add(conn, noun="violation", verb="confirmed", payload=payload, subject_id=str(row.session_id))


async def promise_recorded(conn: asyncpg.Connection, events: EventWriter, row: SessionRow, promise: pb.Promise) -> None:
    payload = events_pb2.PromiseRecorded(promise=promise, merchant_id=row.merchant_id, anchor_id=row.anchor_id)
    await events.add(conn, noun="promise", verb="recorded", payload=payload, subject_id=str(row.session_id))
