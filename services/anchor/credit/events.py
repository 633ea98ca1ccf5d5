"""Events of credit archives (architecture.md, Events): what they publish (a changed score, a
warning, a repair applied for or decided) and what they do when the complaint and trade services'
events arrive.

- complaint `ComplaintUpheld`: counts against the anchor and the agency it names (CMP-04, ANC-10);
- trade `OrderCompleted` / `ReturnCompleted`: give the return rate (TRD-06, ANC-10);
- trade `ReturnRateExceeded`: the trade service's windowed warning, recorded in the anchor's archive (TRD-06).
A warning and a repair travel as the same message the API returns, built here once.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import TYPE_CHECKING

import asyncpg

from livecommerce.anchor.v1 import credit_pb2, events_pb2
from livecommerce.complaint.v1 import events_pb2 as complaint_events
from livecommerce.runtime.clock import Clock
from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import read, stamp
from livecommerce.trade.v1 import events_pb2 as trade_events
from services.anchor.convert import LEVELS_PB, actor_pb, subject_pb
from services.anchor.credit.domain import CreditItemKind, RepairStatus, Subject, subjects_of
from services.anchor.credit.store import RepairRow, WarningRow
from services.anchor.files import store as anchors
from services.anchor.vocabulary import RiskLevel, SubjectKind

if TYPE_CHECKING:  # the archives publish through this module's builders
    from services.anchor.credit.archives import CreditArchives

_REPAIR_STATUSES = {
    RepairStatus.PENDING: credit_pb2.REPAIR_STATUS_PENDING,
    RepairStatus.APPROVED: credit_pb2.REPAIR_STATUS_APPROVED,
    RepairStatus.REJECTED: credit_pb2.REPAIR_STATUS_REJECTED,
}


def warning_pb(row: WarningRow) -> credit_pb2.CreditWarning:
    return credit_pb2.CreditWarning(
        warning_id=str(row.warning_id), subject=subject_pb(row.subject.kind.value, row.subject.id),
        threshold_id=row.threshold_id, rule_id=row.rule_id, description=row.description, value=row.value,
        limit=row.limit, responsible_roles=row.responsible_roles, raised_at=stamp(row.raised_at),
    )


def repair_pb(row: RepairRow) -> credit_pb2.CreditRepair:
    return credit_pb2.CreditRepair(
        repair_id=str(row.repair_id), subject=subject_pb(row.subject.kind.value, row.subject.id),
        status=_REPAIR_STATUSES[row.status], statement=row.statement, applied_at=stamp(row.applied_at),
        applied_by=actor_pb(row.applied_by), decided_at=stamp(row.decided_at),
        decided_by=actor_pb(row.decided_by) if row.decided_by else None, reason=row.reason,
    )


async def credit_score_changed(
    conn: asyncpg.Connection, events: EventWriter, *, subject: Subject, old: tuple[float, RiskLevel],
    new: tuple[float, RiskLevel], cause: str,
) -> None:
    payload = events_pb2.CreditScoreChanged(
        subject=subject_pb(subject.kind.value, subject.id), old_score=old[0], new_score=new[0],
        old_level=LEVELS_PB[old[1].value], new_level=LEVELS_PB[new[1].value], cause=cause,
    )
    await events.add(conn, noun="credit", verb="changed", payload=payload, subject_id=subject.id)


async def warning_raised(conn: asyncpg.Connection, events: EventWriter, *, warning: WarningRow) -> None:
    payload = events_pb2.CreditWarningRaised(warning=warning_pb(warning))
    await events.add(conn, noun="warning", verb="raised", payload=payload, subject_id=warning.subject.id)


async def repair_applied(conn: asyncpg.Connection, events: EventWriter, *, repair: RepairRow) -> None:
    payload = events_pb2.CreditRepairApplied(repair=repair_pb(repair))
    await events.add(conn, noun="repair", verb="applied", payload=payload, subject_id=repair.subject.id)


async def repair_decided(conn: asyncpg.Connection, events: EventWriter, *, repair: RepairRow) -> None:
    payload = events_pb2.CreditRepairDecided(repair=repair_pb(repair))
    await events.add(conn, noun="repair", verb="decided", payload=payload, subject_id=repair.subject.id)


class CreditEventHandlers:
    """Handlers of the complaint and trade services' events; each runs in the consumer's
    transaction, whose inbox row makes a redelivery count nothing twice."""

    def __init__(self, *, clock: Clock, archives: CreditArchives) -> None:
        self._clock, self._archives = clock, archives

    def handlers(self) -> dict:
        """Event type -> (payload message, handler)."""
        return {
            "livecommerce.complaint.v1.ComplaintUpheld": (complaint_events.ComplaintUpheld, self.complaint_upheld),
            "livecommerce.trade.v1.OrdersCompleted": (trade_events.OrdersCompleted, self.orders_completed),
            # Published one per order before OrdersCompleted; still read, for events already in the stream.
            "livecommerce.trade.v1.OrderCompleted": (trade_events.OrderCompleted, self.order_completed),
            "livecommerce.trade.v1.ReturnCompleted": (trade_events.ReturnCompleted, self.return_completed),
            "livecommerce.trade.v1.ReturnRateExceeded": (trade_events.ReturnRateExceeded, self.return_rate_exceeded),
        }

    @staticmethod
    async def _anchor(conn: asyncpg.Connection, anchor_id: str) -> anchors.AnchorRow | None:
        try:
            return await anchors.get(conn, anchor_id=uuid.UUID(anchor_id))
        except ValueError:
            return None

    async def complaint_upheld(self, conn: asyncpg.Connection, event: complaint_events.ComplaintUpheld) -> None:
        """CMP-04: the complaint counts against the anchor and the agency it names (or the anchor's agency)."""
        anchor = await self._anchor(conn, event.anchor_id) if event.anchor_id else None
        subjects = subjects_of(str(anchor.anchor_id), anchor.agency_id) if anchor else []
        if event.agency_id and Subject(SubjectKind.AGENCY, event.agency_id) not in subjects:
            subjects.append(Subject(SubjectKind.AGENCY, event.agency_id))
        await self._archives.record(
            conn, subjects, kind=CreditItemKind.UPHELD_COMPLAINT, at=read(event, "upheld_at") or self._clock.now(),
            source=f"complaint:{event.complaint_id}", cause="upheld_complaint",
            detail=f"complaint {event.complaint_id} upheld ({event.category or 'uncategorised'})",
        )

    async def order_completed(self, conn: asyncpg.Connection, event: trade_events.OrderCompleted) -> None:
        await self._count(conn, event.anchor_id, orders=1, returns=0, detail=f"order {event.order_id} completed")

    async def orders_completed(self, conn: asyncpg.Connection, event: trade_events.OrdersCompleted) -> None:
        """A docked batch's completed orders: counted per anchor, once for each anchor of the batch."""
        for anchor_id, orders in Counter(a for a in event.anchor_ids if a).items():
            await self._count(conn, anchor_id, orders=orders, returns=0, detail=f"{orders} order(s) of {event.platform} completed")

    async def return_completed(self, conn: asyncpg.Connection, event: trade_events.ReturnCompleted) -> None:
        await self._count(conn, event.anchor_id, orders=0, returns=1, detail=f"order {event.order_id} returned")

    async def return_rate_exceeded(self, conn: asyncpg.Connection, event: trade_events.ReturnRateExceeded) -> None:
        """TRD-06: the trade service's warning about an anchor we keep an archive for, recorded once."""
        anchor = await self._anchor(conn, event.subject_id) if event.subject_kind == "anchor" else None
        if anchor is None:
            return  # a merchant's rate, or an anchor not ours
        await self._archives.record(
            conn, [Subject(SubjectKind.ANCHOR, str(anchor.anchor_id))], kind=CreditItemKind.RETURN_RATE_WARNING,
            at=read(event, "at") or self._clock.now(), source=f"trade-return-rate:{event.warning_id}", cause="return_rate_warning",
            detail=f"TRD-06: return rate {event.rate:.1%} over {event.window_days} days ({event.returns} of {event.orders} orders),"
            f" above {event.threshold:.0%}",
        )  # fmt: skip

    async def _count(self, conn: asyncpg.Connection, anchor_id: str, *, orders: int, returns: int, detail: str) -> None:
        """TRD-06: orders and returns of an anchor we keep an archive for; others' are not ours to count."""
        anchor = await self._anchor(conn, anchor_id)
        if anchor is None:
            return
        await self._archives.count_trade(
            conn, subjects_of(str(anchor.anchor_id), anchor.agency_id), orders=orders, returns=returns, at=self._clock.now(), detail=detail
        )

