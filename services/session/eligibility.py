"""Whether an anchor may go live at an instant (ANC-09, SES-01), from the session service's own
projection of the anchor service's events: pure, no I/O.

An anchor is eligible when their file is approved, they passed the onboarding training, they are
of age on the day (Beijing calendar) and no sanction is in force. Sanction events may arrive out of
order (the consumer's batches commit in any order), so the projection keeps the last expiry and
a sanction that started before it counts as over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from livecommerce.runtime.clock import platform_date


@dataclass(frozen=True)
class Sanction:
    rule_id: str
    standing: str
    starts_at: datetime
    until: datetime | None
    """Exclusive end; None for terminations and blacklisting, which never end."""

    def in_force(self, at: datetime) -> bool:
        return self.starts_at <= at and (self.until is None or at < self.until)


@dataclass(frozen=True)
class AnchorFacts:
    anchor_id: str
    approved: bool = False
    agency_id: str = ""
    digital_human: bool = False
    adult_on: date | None = None
    onboarded: bool = False
    sanction: Sanction | None = None
    sanction_expired_at: datetime | None = None


@dataclass(frozen=True)
class Ineligible:
    rule_id: str
    reason: str


def ineligibility(facts: AnchorFacts | None, at: datetime) -> Ineligible | None:
    """Why the anchor may not go live at `at` (the first reason found), or None when they may."""
    if facts is None or not facts.approved:
        return Ineligible("ANC-09", "the anchor has no approved registration file")
    if not facts.onboarded:
        return Ineligible("ANC-09", "the anchor has not passed the onboarding training")
    if facts.adult_on is None or platform_date(at) < facts.adult_on:
        return Ineligible("ANC-09", "the anchor is under 18")
    if facts.sanction is not None and facts.sanction.in_force(at):
        until = f" until {facts.sanction.until.isoformat()}" if facts.sanction.until else ""
        return Ineligible(
            "ANC-09", f"the anchor is {facts.sanction.standing}{until} (sanction under {facts.sanction.rule_id})"
        )
    return None


def imposed(facts: AnchorFacts, sanction: Sanction) -> AnchorFacts:
    """The facts after a sanction event: a newer sanction replaces the one held; one that started
    before the last expiry seen, or before the one held, is already over."""
    if facts.sanction_expired_at is not None and sanction.starts_at <= facts.sanction_expired_at:
        return facts
    if facts.sanction is not None and sanction.starts_at < facts.sanction.starts_at:
        return facts
    return replace(facts, sanction=sanction)


def expired(facts: AnchorFacts, at: datetime) -> AnchorFacts:
    """The facts after an expiry at `at`: the sanction held ends if it started no later."""
    last = at if facts.sanction_expired_at is None else max(at, facts.sanction_expired_at)
    keep = facts.sanction if facts.sanction is not None and facts.sanction.starts_at > at else None
    return replace(facts, sanction=keep, sanction_expired_at=last)
