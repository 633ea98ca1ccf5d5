"""The sanction ladder of OPS 7.2.3 (ANC-07, ANC-08, ANC-09, ANC-12) as a pure state machine.

连续违规 2 次以上的，应停播一个月；停播后重新开播仍违规的，应禁播半年或解除合约. The ladder counts
violating *sessions*: the caller reports a session once, when it first becomes violating, and
reports every session that ends clean. Each function takes the state and the moment it reasons
about and returns the new state with the transitions that led to it, so the command layer can
persist both in one transaction and the tests can drive the calendar. No I/O, no clock reads.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed


class Standing(StrEnum):
    GOOD = "good"
    SUSPENDED = "suspended"  # ANC-07: 停播一个月
    BANNED = "banned"  # ANC-08: 禁播半年
    TERMINATED = "terminated"  # ANC-08: 解除合约; final
    BLACKLISTED = "blacklisted"  # ANC-09: final


class EscalationChoice(StrEnum):
    """ANC-08 leaves the second step to the operator: a six-month ban or the end of the contract."""

    BAN = "ban"
    TERMINATE = "terminate"


class TransitionKind(StrEnum):
    SUSPENDED = "suspended"
    BANNED = "banned"
    TERMINATED = "terminated"
    EXPIRED = "expired"
    BLACKLISTED = "blacklisted"
    REPAIRED = "repaired"


_TIMED = frozenset({Standing.SUSPENDED, Standing.BANNED})
_FINAL = frozenset({Standing.TERMINATED, Standing.BLACKLISTED})


@dataclass(frozen=True)
class LadderPolicy:
    suspension_months: int = 1
    """ANC-07: length of a suspension, in calendar months."""
    ban_months: int = 6
    """ANC-08: length of a ban, in calendar months."""
    violating_sessions_to_suspend: int = 2
    """ANC-07: consecutive violating sessions that suspend."""
    default_escalation: EscalationChoice = EscalationChoice.BAN
    """ANC-08: applied when the caller gives no choice (automated events); a ban is the reversible one."""

    def __post_init__(self) -> None:
        if self.suspension_months < 1 or self.ban_months < 1 or self.violating_sessions_to_suspend < 1:
            raise ValueError("ladder policy lengths and thresholds must be at least 1")


@dataclass(frozen=True)
class LadderState:
    standing: Standing = Standing.GOOD
    until: datetime | None = None
    """Exclusive end of a suspension or ban; None for every other standing."""
    streak: int = 0
    """Consecutive violating sessions since the last clean session or sanction."""
    suspended_before: bool = False
    """A suspension was imposed: a violating session after it ends escalates (ANC-08)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "standing", Standing(self.standing))  # accept the stored text form
        # A state loaded from storage that breaks these would make the ladder reason wrongly; refuse it.
        if (self.until is not None) != (self.standing in _TIMED):
            needs = "needs an" if self.standing in _TIMED else "has no"
            raise ValueError(f"a {self.standing.value} standing {needs} end instant")
        if self.until is not None:
            _aware(self.until, "until")
        if self.streak < 0:
            raise ValueError("streak cannot be negative")


@dataclass(frozen=True)
class Transition:
    kind: TransitionKind
    rule_id: str
    at: datetime
    """The input's moment; for EXPIRED the `until` instant itself."""
    before: Standing
    after: Standing
    until: datetime | None
    """End of the new sanction, if any."""
    notify_regulator: bool
    """ANC-08: the anchor's record goes to the market regulator (并同步主播信息至市场监管部门)."""
    choice: EscalationChoice | None
    choice_was_default: bool
    reason: str


@dataclass(frozen=True)
class Step:
    state: LadderState
    transitions: tuple[Transition, ...]


def _aware(moment: datetime, name: str) -> None:
    # A naive time would compare against `until` in whatever zone the server happens to run in.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment!r}")


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months in the moment's own timezone; the day is clamped to the target month's end.

    "一个月" from 31 January ends on the last day of February, not in March. Pass moments in the
    business timezone when its calendar, not UTC's, should decide where a month ends."""
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _transition(kind: TransitionKind, rule_id: str, at: datetime, before: LadderState, after: LadderState, reason: str,
                *, choice: EscalationChoice | None = None, choice_was_default: bool = False) -> Transition:
    return Transition(
        kind=kind, rule_id=rule_id, at=at, before=before.standing, after=after.standing, until=after.until,
        notify_regulator=rule_id == "ANC-08", choice=choice, choice_was_default=choice_was_default, reason=reason,
    )


def expire(state: LadderState, *, now: datetime) -> Step:
    """ANC-09: a suspension or ban whose end has come is over; the end instant itself is free."""
    _aware(now, "now")
    if state.standing not in _TIMED or state.until is None or now < state.until:
        return Step(state, ())
    # The anchor has served an off-air sanction, so the next violating session escalates (ANC-08);
    # the streak restarts because the sanction already answered the sessions that caused it.
    after = LadderState(Standing.GOOD, None, 0, True)
    reason = f"the {state.standing.value} period ended at {state.until.isoformat()}"
    return Step(after, (_transition(TransitionKind.EXPIRED, "ANC-09", state.until, state, after, reason),))


def effective(state: LadderState, *, now: datetime) -> LadderState:
    return expire(state, now=now).state


def violating_session(
    state: LadderState, *, at: datetime, policy: LadderPolicy, choice: EscalationChoice | None = None
) -> Step:
    """One live session became violating (reported once per session, however many violations it held)."""
    expired = expire(state, now=at)
    current = expired.state
    if current.standing is not Standing.GOOD:
        # Already off the air (or for good): a late review of an earlier session adds no rung;
        # the caller still archives the violation itself (ANC-06).
        return expired
    if current.suspended_before:
        # ANC-08: 停播后重新开播仍违规 -> ban for six months or terminate, and tell the regulator.
        applied = EscalationChoice(choice) if choice is not None else policy.default_escalation
        was_default = choice is None
        how = "policy default" if was_default else "operator's choice"
        if applied is EscalationChoice.BAN:
            until = add_months(at, policy.ban_months)
            after = LadderState(Standing.BANNED, until, 0, True)
            kind = TransitionKind.BANNED
            reason = (f"violating session after a suspension ended: banned for {policy.ban_months} months "
                      f"until {until.isoformat()} ({how}); regulator notified")
        else:
            after = LadderState(Standing.TERMINATED, None, 0, True)
            kind = TransitionKind.TERMINATED
            reason = f"violating session after a suspension ended: contract terminated ({how}); regulator notified"
        moved = _transition(kind, "ANC-08", at, current, after, reason, choice=applied, choice_was_default=was_default)
        return Step(after, (*expired.transitions, moved))
    streak = current.streak + 1
    if streak < policy.violating_sessions_to_suspend:
        return Step(replace(current, streak=streak), expired.transitions)
    # ANC-07: 连续违规 -> suspended for a calendar month; the suspension consumes the streak.
    until = add_months(at, policy.suspension_months)
    after = LadderState(Standing.SUSPENDED, until, 0, True)
    reason = (f"{streak} consecutive violating sessions: suspended for {policy.suspension_months} "
              f"month{'s' if policy.suspension_months != 1 else ''} until {until.isoformat()}")
    moved = _transition(TransitionKind.SUSPENDED, "ANC-07", at, current, after, reason)
    return Step(after, (*expired.transitions, moved))


def clean_session(state: LadderState, *, at: datetime) -> Step:
    """A session ended with no violation: ANC-07 wants *consecutive* violating sessions, so the streak breaks."""
    expired = expire(state, now=at)
    current = expired.state
    if current.standing is not Standing.GOOD or current.streak == 0:
        return expired
    return Step(replace(current, streak=0), expired.transitions)


def blacklist(state: LadderState, *, at: datetime, reason: str) -> Step:
    """ANC-09: any standing -> blacklisted, for good (a terminated contract may still be blacklisted)."""
    if not reason.strip():
        raise InvalidArgument([FieldViolation("reason", "is required to blacklist an anchor", "ANC-09")])
    # Expiry first, so the transition's `before` is the standing that was really in force.
    expired = expire(state, now=at)
    current = expired.state
    if current.standing is Standing.BLACKLISTED:
        return expired
    after = LadderState(Standing.BLACKLISTED, None, 0, current.suspended_before)
    moved = _transition(TransitionKind.BLACKLISTED, "ANC-09", at, current, after, f"blacklisted: {reason.strip()}")
    return Step(after, (*expired.transitions, moved))


def repair(state: LadderState, *, at: datetime) -> Step:
    """ANC-12: approved credit repair wipes the ladder's memory, never a sanction still in force.

    The violations and sanctions stay in the credit archive (history is kept, not erased); only
    the streak and the "suspended before" mark that would escalate the next session are reset."""
    expired = expire(state, now=at)
    current = expired.state
    if current.standing is not Standing.GOOD:
        end = f" until {current.until.isoformat()}" if current.until else ""
        raise PreconditionFailed(
            "ANC-12", "anchor",
            f"the anchor is {current.standing.value}{end}; credit repair applies only to an anchor in good standing",
        )
    after = LadderState(Standing.GOOD, None, 0, False)
    moved = _transition(TransitionKind.REPAIRED, "ANC-12", at, current, after,
                        "credit repair approved: violation streak and prior suspension no longer escalate")
    return Step(after, (*expired.transitions, moved))


_BLOCK_RULE = {
    Standing.SUSPENDED: "ANC-07",
    Standing.BANNED: "ANC-08",
    Standing.TERMINATED: "ANC-08",
    Standing.BLACKLISTED: "ANC-09",
}


def go_live_block(state: LadderState, *, now: datetime) -> tuple[str, str] | None:
    """ANC-09: the rule keeping the anchor off the air now, with a reason; None when free to go live."""
    current = effective(state, now=now)
    if current.standing is Standing.GOOD:
        return None
    what = "contract terminated" if current.standing is Standing.TERMINATED else current.standing.value
    end = f" until {current.until.isoformat()}" if current.until else ""
    return _BLOCK_RULE[current.standing], f"the anchor is {what}{end}"
