"""Credit archives of anchors and agencies (ANC-10): facts in, score out, on the event.

Every fact (a violation, a sanction, a training, an upheld complaint, an order or a return)
is added and the archive refreshed in the transaction that learned it: the score and level are
recomputed with the documented formula (`credit/domain.py`), the change goes into the
archive's history with its cause, and a threshold that fires raises a warning once per repair
epoch (ANC-11, RSK-02). An anchor's facts count for its agency's archive too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from livecommerce.runtime.outbox import EventWriter
from services.anchor.credit import events
from services.anchor.credit import store as archive_store
from services.anchor.credit.domain import (
    CreditFacts,
    CreditItemKind,
    ScoreConfig,
    Subject,
    WarningConfig,
    fired_thresholds,
    score,
    subjects_of,
)
from services.anchor.credit.store import ArchiveRow
from services.anchor.files import store as anchors
from services.anchor.vocabulary import RiskLevel, Severity, SubjectKind, ViolationCategory

__all__ = ["CreditArchives", "CreditRules", "subjects_of"]

# RSK-02: who a warning is for. Compliance officers see every warning; an agency its own and its
# anchors'; an anchor its own.
RESPONSIBLE_ROLES = {
    SubjectKind.ANCHOR: ["compliance_officer", "agency", "anchor"],
    SubjectKind.AGENCY: ["compliance_officer", "agency"],
}


@dataclass(frozen=True)
class CreditRules:
    """The configurable parts of the credit archive (defaults documented in docs/credit.md)."""

    score: ScoreConfig = field(default_factory=ScoreConfig)
    warnings: WarningConfig = field(default_factory=WarningConfig)
    repair_observation_days: int = 90
    risk_window_days: int = 365


class CreditArchives:
    def __init__(self, events_writer: EventWriter, rules: CreditRules) -> None:
        self._events, self.rules = events_writer, rules

    async def facts(self, conn: asyncpg.Connection, subject: Subject, archive: ArchiveRow | None = None) -> CreditFacts:
        archive = archive or await archive_store.get_archive(conn, subject=subject)
        return CreditFacts(
            items=await archive_store.items(conn, subject=subject),
            orders=archive.orders if archive else 0,
            returns=archive.returns if archive else 0,
            repaired_at=archive.repaired_at if archive else None,
        )

    async def record(
        self, conn: asyncpg.Connection, subjects: list[Subject], *, kind: CreditItemKind, at: datetime, source: str,
        cause: str, detail: str, severity: Severity | None = None, category: ViolationCategory | None = None,
    ) -> None:
        """ANC-10: one fact into each subject's archive, then the archive is refreshed."""
        for subject in subjects:
            if await archive_store.add_item(conn, subject=subject, kind=kind, at=at, source=source, severity=severity, category=category):
                await self.refresh(conn, subject, at=at, cause=cause, detail=detail)

    async def count_trade(self, conn: asyncpg.Connection, subjects: list[Subject], *, orders: int, returns: int, at: datetime, detail: str) -> None:
        """TRD-06 inputs: one completed order or one return (the consumer's inbox makes each count once)."""
        for subject in subjects:
            await self.refresh(
                conn, subject, at=at, cause="order" if orders else "return", detail=detail, orders=orders, returns=returns
            )

    async def refresh(
        self, conn: asyncpg.Connection, subject: Subject, *, at: datetime, cause: str, detail: str,
        orders: int = 0, returns: int = 0, repaired_at: datetime | None = None,
    ) -> None:
        base = score(CreditFacts(), self.rules.score)
        archive = await archive_store.ensure_archive(conn, subject=subject, score=base.value, level=base.level, at=at)
        facts = await self.facts(conn, subject, archive)
        facts = CreditFacts(
            items=facts.items, orders=facts.orders + orders, returns=facts.returns + returns,
            repaired_at=repaired_at or facts.repaired_at,
        )
        new = score(facts, self.rules.score)
        parts = [{"name": p.name, "points": p.points} for p in new.parts]
        await archive_store.save_archive(
            conn, subject=subject, score=new.value, level=new.level, parts=parts, at=at, orders=orders, returns=returns, repaired_at=repaired_at
        )
        old = (archive.score, archive.level)
        await archive_store.add_history(conn, subject=subject, at=at, cause=cause, detail=detail, old=old, new=(new.value, new.level))
        if old != (new.value, new.level):
            await events.credit_score_changed(conn, self._events, subject=subject, old=old, new=(new.value, new.level), cause=cause)
        epoch = archive.repair_epoch + (1 if repaired_at else 0)
        agency_id = subject.id if subject.kind is SubjectKind.AGENCY else await self._agency_of(conn, subject.id)
        for fired in fired_thresholds(facts, self.rules.warnings):
            warning = await archive_store.add_warning(
                conn, subject=subject, agency_id=agency_id, fired=fired, epoch=epoch, roles=RESPONSIBLE_ROLES[subject.kind], at=at
            )
            if warning is not None:
                await events.warning_raised(conn, self._events, warning=warning)

    @staticmethod
    async def _agency_of(conn: asyncpg.Connection, anchor_id: str) -> str:
        return await anchors.agency_of(conn, anchor_id=uuid.UUID(anchor_id))

    async def current(self, conn: asyncpg.Connection, subject: Subject) -> tuple[ArchiveRow | None, CreditFacts, float, RiskLevel, list]:
        """The archive as stored, or as the formula gives it for a subject with no facts yet."""
        archive = await archive_store.get_archive(conn, subject=subject)
        facts = await self.facts(conn, subject, archive)
        if archive is not None:
            return archive, facts, archive.score, archive.level, archive.parts
        computed = score(facts, self.rules.score)
        return None, facts, computed.value, computed.level, [{"name": p.name, "points": p.points} for p in computed.parts]
