"""The anchor service's events: subjects and payloads (architecture.md, Events).

Subjects are `<root>.anchor.<noun>.<past_verb>`; payloads carry facts other services decide on,
never personal information in clear (PLT-06). What the service consumes is in `intake.py`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from google.protobuf import timestamp_pb2

from livecommerce.anchor.v1 import credit_pb2, discipline_pb2, events_pb2
from livecommerce.common.v1 import conduct_pb2
from livecommerce.runtime.outbox import EventWriter
from services.anchor.domain import CheckedProfile, TrainingKind


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
    completed = timestamp_pb2.Timestamp()
    completed.FromDatetime(completed_at)
    payload = events_pb2.TrainingRecorded(
        anchor_id=str(anchor_id),
        training_id=str(training_id),
        course_id=course_id,
        onboarding=kind is TrainingKind.ONBOARDING,
        passed=passed,
        completed_at=completed,
    )
    await events.add(conn, noun="training", verb="recorded", payload=payload, subject_id=str(anchor_id))


def timestamp(moment: datetime | None) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    if moment is not None:
        stamp.FromDatetime(moment)
    return stamp


STANDINGS_PB = {
    "good": discipline_pb2.STANDING_GOOD,
    "suspended": discipline_pb2.STANDING_SUSPENDED,
    "banned": discipline_pb2.STANDING_BANNED,
    "terminated": discipline_pb2.STANDING_TERMINATED,
    "blacklisted": discipline_pb2.STANDING_BLACKLISTED,
}
CHOICES_PB = {
    None: discipline_pb2.ESCALATION_CHOICE_UNSPECIFIED,
    "ban": discipline_pb2.ESCALATION_CHOICE_BAN_SIX_MONTHS,
    "terminate": discipline_pb2.ESCALATION_CHOICE_TERMINATE_CONTRACT,
}
CATEGORIES_PB = {name.removeprefix("VIOLATION_CATEGORY_").lower(): number for name, number in conduct_pb2.ViolationCategory.items() if number}
SEVERITIES_PB = {name.removeprefix("VIOLATION_SEVERITY_").lower(): number for name, number in conduct_pb2.ViolationSeverity.items() if number}
LEVELS_PB = {"low": credit_pb2.RISK_LEVEL_LOW, "medium": credit_pb2.RISK_LEVEL_MEDIUM, "high": credit_pb2.RISK_LEVEL_HIGH}
SUBJECT_KINDS_PB = {"anchor": credit_pb2.SUBJECT_KIND_ANCHOR, "agency": credit_pb2.SUBJECT_KIND_AGENCY}


def subject_pb(kind: str, subject_id: str) -> credit_pb2.CreditSubject:
    return credit_pb2.CreditSubject(kind=SUBJECT_KINDS_PB[kind], id=subject_id)


def warning_pb(row) -> credit_pb2.CreditWarning:
    """A credit_warnings row as the API and the event show it."""
    return credit_pb2.CreditWarning(
        warning_id=str(row["warning_id"]), subject=subject_pb(row["subject_kind"], row["subject_id"]),
        threshold_id=row["threshold_id"], rule_id=row["rule_id"], description=row["description"], value=row["value"],
        limit=row["limit_value"], responsible_roles=list(row["responsible_roles"]), raised_at=timestamp(row["raised_at"]),
    )


async def agency_registered(conn: asyncpg.Connection, events: EventWriter, *, agency_id: str, legal_name: str) -> None:
    payload = events_pb2.AgencyRegistered(agency_id=agency_id, legal_name=legal_name)
    await events.add(conn, noun="agency", verb="registered", payload=payload, subject_id=agency_id)


async def violation_recorded(conn: asyncpg.Connection, events: EventWriter, *, violation, agency_id: str) -> None:
    payload = events_pb2.ViolationRecorded(
        violation_id=str(violation.violation_id), anchor_id=str(violation.anchor_id), agency_id=agency_id,
        session_id=violation.session_id, category=CATEGORIES_PB[violation.category.value],
        severity=SEVERITIES_PB[violation.severity.value], occurred_at=timestamp(violation.occurred_at),
    )
    await events.add(conn, noun="violation", verb="recorded", payload=payload, subject_id=str(violation.anchor_id))


async def sanction_imposed(conn: asyncpg.Connection, events: EventWriter, *, change, agency_id: str) -> None:
    payload = events_pb2.SanctionImposed(
        change_id=str(change.change_id), anchor_id=str(change.anchor_id), agency_id=agency_id,
        standing=STANDINGS_PB[change.after.value], rule_id=change.rule_id, starts_at=timestamp(change.at),
        until=timestamp(change.until) if change.until else None, choice=CHOICES_PB[change.choice.value if change.choice else None],
        choice_was_default=change.choice_was_default, session_id=change.session_id or "", reason=change.reason,
    )
    await events.add(conn, noun="sanction", verb="imposed", payload=payload, subject_id=str(change.anchor_id))


async def sanction_expired(conn: asyncpg.Connection, events: EventWriter, *, change) -> None:
    payload = events_pb2.SanctionExpired(
        change_id=str(change.change_id), anchor_id=str(change.anchor_id), standing_before=STANDINGS_PB[change.before.value],
        expired_at=timestamp(change.at),
    )
    await events.add(conn, noun="sanction", verb="expired", payload=payload, subject_id=str(change.anchor_id))


async def regulator_notified(conn: asyncpg.Connection, events: EventWriter, *, notification_id: uuid.UUID, change) -> None:
    payload = events_pb2.RegulatorNotified(
        notification_id=str(notification_id), anchor_id=str(change.anchor_id), change_id=str(change.change_id), rule_id=change.rule_id
    )
    await events.add(conn, noun="regulator", verb="notified", payload=payload, subject_id=str(change.anchor_id))


async def credit_score_changed(conn: asyncpg.Connection, events: EventWriter, *, subject, old, new, cause: str) -> None:
    payload = events_pb2.CreditScoreChanged(
        subject=subject_pb(subject.kind.value, subject.id), old_score=old[0], new_score=new[0],
        old_level=LEVELS_PB[old[1].value], new_level=LEVELS_PB[new[1].value], cause=cause,
    )
    await events.add(conn, noun="credit", verb="changed", payload=payload, subject_id=subject.id)


async def warning_raised(conn: asyncpg.Connection, events: EventWriter, *, warning) -> None:
    payload = events_pb2.CreditWarningRaised(warning=warning_pb(warning))
    await events.add(conn, noun="warning", verb="raised", payload=payload, subject_id=warning["subject_id"])


async def repair_applied(conn: asyncpg.Connection, events: EventWriter, *, repair: credit_pb2.CreditRepair) -> None:
    await events.add(conn, noun="repair", verb="applied", payload=events_pb2.CreditRepairApplied(repair=repair), subject_id=repair.subject.id)


async def repair_decided(conn: asyncpg.Connection, events: EventWriter, *, repair: credit_pb2.CreditRepair) -> None:
    await events.add(conn, noun="repair", verb="decided", payload=events_pb2.CreditRepairDecided(repair=repair), subject_id=repair.subject.id)
