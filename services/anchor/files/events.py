"""Events of anchors' registration files: registered, revised, approved, rejected, training
recorded (architecture.md, Events).

Subjects are `<root>.anchor.<noun>.<past_verb>`; payloads carry facts other services decide on
(the session service's go-live projection), never personal information in clear (PLT-06).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from livecommerce.anchor.v1 import events_pb2
from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from services.anchor.files.domain import CheckedProfile, TrainingKind


async def anchor_registered(
    conn: asyncpg.Connection, events: EventWriter, *, anchor_id: uuid.UUID, checked: CheckedProfile
) -> None:
    payload = events_pb2.AnchorRegistered(
        anchor_id=str(anchor_id),
        agency_id=checked.profile.agency_id,
        version=1,
        digital_human=checked.profile.digital_human,
        adult_on=checked.adult_on.isoformat(),
    )
    await events.add(conn, noun="anchor", verb="registered", payload=payload, subject_id=str(anchor_id))


async def file_revised(conn: asyncpg.Connection, events: EventWriter, *, anchor_id: uuid.UUID, version: int) -> None:
    payload = events_pb2.AnchorFileRevised(anchor_id=str(anchor_id), version=version)
    await events.add(conn, noun="file", verb="revised", payload=payload, subject_id=str(anchor_id))


async def file_approved(
    conn: asyncpg.Connection,
    events: EventWriter,
    *,
    anchor_id: uuid.UUID,
    version: int,
    checked: CheckedProfile,
    reviewer: str,
) -> None:
    payload = events_pb2.AnchorFileApproved(
        anchor_id=str(anchor_id),
        version=version,
        agency_id=checked.profile.agency_id,
        digital_human=checked.profile.digital_human,
        adult_on=checked.adult_on.isoformat(),
        reviewer=reviewer,
    )
    await events.add(conn, noun="file", verb="approved", payload=payload, subject_id=str(anchor_id))


async def file_rejected(
    conn: asyncpg.Connection, events: EventWriter, *, anchor_id: uuid.UUID, version: int, reason: str, reviewer: str
) -> None:
    payload = events_pb2.AnchorFileRejected(anchor_id=str(anchor_id), version=version, reason=reason, reviewer=reviewer)
    await events.add(conn, noun="file", verb="rejected", payload=payload, subject_id=str(anchor_id))


async def training_recorded(
    conn: asyncpg.Connection,
    events: EventWriter,
    *,
    anchor_id: uuid.UUID,
    training_id: uuid.UUID,
    course_id: str,
    kind: TrainingKind,
    passed: bool,
    completed_at: datetime,
) -> None:
    payload = events_pb2.TrainingRecorded(
        anchor_id=str(anchor_id),
        training_id=str(training_id),
        course_id=course_id,
        onboarding=kind is TrainingKind.ONBOARDING,
        passed=passed,
        completed_at=stamp(completed_at),
    )
    await events.add(conn, noun="training", verb="recorded", payload=payload, subject_id=str(anchor_id))
