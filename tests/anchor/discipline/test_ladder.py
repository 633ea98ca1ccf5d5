"""The sanction ladder (OPS 7.2.3; ANC-07, ANC-08, ANC-09, ANC-12) as pure functions: no database, no clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.runtime.errors import FieldViolation, InvalidArgument, PreconditionFailed
from services.anchor.discipline.ladder import (
    EscalationChoice,
    LadderPolicy,
    LadderState,
    Standing,
    Step,
    Transition,
    TransitionKind,
    add_months,
    blacklist,
    clean_session,
    effective,
    expire,
    go_live_block,
    repair,
    violating_session,
)

POLICY = LadderPolicy()
T0 = datetime(2024, 3, 10, 20, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)
SHANGHAI = timezone(timedelta(hours=8))


def suspended(at: datetime = T0) -> Step:
    """Two consecutive violating sessions, the second at `at`."""
    first = violating_session(LadderState(), at=at - timedelta(days=1), policy=POLICY)
    return violating_session(first.state, at=at, policy=POLICY)


def banned(at: datetime = T0, choice: EscalationChoice | None = None) -> Step:
    """Suspended, the suspension served, then one violating session at `at`."""
    state = suspended(at - timedelta(days=60)).state
    return violating_session(state, at=at, policy=POLICY, choice=choice)


def kinds(step: Step) -> list[TransitionKind]:
    return [t.kind for t in step.transitions]


# ---- ANC-07: two consecutive violating sessions -> suspended for a calendar month


def test_ANC_07_one_violating_session_only_counts():
    step = violating_session(LadderState(), at=T0, policy=POLICY)
    assert step.state == LadderState(Standing.GOOD, None, 1, False)
    assert step.transitions == ()
    assert go_live_block(step.state, now=T0) is None


def test_ANC_07_clean_session_between_violating_sessions_breaks_the_streak():
    state = violating_session(LadderState(), at=T0, policy=POLICY).state
    cleaned = clean_session(state, at=T0 + timedelta(hours=3))
    assert cleaned.state == LadderState() and cleaned.transitions == ()
    again = violating_session(cleaned.state, at=T0 + timedelta(days=1), policy=POLICY)
    assert again.state == LadderState(Standing.GOOD, None, 1, False)
    assert again.transitions == ()


def test_ANC_07_two_consecutive_violating_sessions_suspend_for_a_month():
    first = violating_session(LadderState(), at=T0, policy=POLICY)
    at = T0 + timedelta(days=2, hours=1)
    step = violating_session(first.state, at=at, policy=POLICY)
    until = add_months(at, 1)
    assert until == datetime(2024, 4, 12, 21, 0, tzinfo=UTC)
    assert step.state == LadderState(Standing.SUSPENDED, until, 0, True)
    (moved,) = step.transitions
    assert moved == Transition(
        kind=TransitionKind.SUSPENDED, rule_id="ANC-07", at=at, before=Standing.GOOD, after=Standing.SUSPENDED,
        until=until, notify_regulator=False, choice=None, choice_was_default=False, reason=moved.reason,
    )
    assert moved.reason == "2 consecutive violating sessions: suspended for 1 month until 2024-04-12T21:00:00+00:00"


def test_ANC_07_suspension_from_31_january_ends_on_the_last_day_of_february():
    at = datetime(2023, 1, 31, 9, 30, tzinfo=UTC)
    assert suspended(at).state.until == datetime(2023, 2, 28, 9, 30, tzinfo=UTC)
    leap = datetime(2024, 1, 31, 9, 30, tzinfo=UTC)
    assert suspended(leap).state.until == datetime(2024, 2, 29, 9, 30, tzinfo=UTC)


def test_ANC_07_month_is_counted_on_the_calendar_of_the_moments_timezone():
    # 2024-01-31 20:00 UTC is already 1 February in Beijing: the business calendar decides.
    utc = datetime(2024, 1, 31, 20, 0, tzinfo=UTC)
    beijing = utc.astimezone(SHANGHAI)
    assert suspended(utc).state.until == datetime(2024, 2, 29, 20, 0, tzinfo=UTC)
    assert suspended(beijing).state.until == datetime(2024, 3, 1, 4, 0, tzinfo=SHANGHAI)


def test_ANC_07_threshold_and_length_are_policy():
    policy = LadderPolicy(violating_sessions_to_suspend=3, suspension_months=2)
    state = LadderState()
    for day in range(2):
        step = violating_session(state, at=T0 + timedelta(days=day), policy=policy)
        assert step.transitions == ()
        state = step.state
    assert state.streak == 2
    step = violating_session(state, at=T0 + timedelta(days=2), policy=policy)
    assert step.state.standing is Standing.SUSPENDED
    assert step.state.until == add_months(T0 + timedelta(days=2), 2)
    assert step.transitions[0].reason == (
        f"3 consecutive violating sessions: suspended for 2 months until {step.state.until.isoformat()}")


def test_ANC_07_one_violating_session_suspends_when_policy_says_one():
    step = violating_session(LadderState(), at=T0, policy=LadderPolicy(violating_sessions_to_suspend=1))
    assert step.state.standing is Standing.SUSPENDED and kinds(step) == [TransitionKind.SUSPENDED]


# ---- ANC-09: suspensions and bans block going live, and end exactly at `until`


def test_ANC_09_suspension_holds_until_one_microsecond_before_its_end():
    state = suspended().state
    last = state.until - TICK
    assert effective(state, now=last) == state
    assert expire(state, now=last) == Step(state, ())
    assert go_live_block(state, now=T0) == ("ANC-07", f"the anchor is suspended until {state.until.isoformat()}")
    rule, reason = go_live_block(state, now=last)
    assert rule == "ANC-07" and state.until.isoformat() in reason


def test_ANC_09_suspension_ends_exactly_at_until():
    state = suspended().state
    step = expire(state, now=state.until)
    assert step.state == LadderState(Standing.GOOD, None, 0, True)
    (moved,) = step.transitions
    assert moved.kind is TransitionKind.EXPIRED and moved.rule_id == "ANC-09"
    assert moved.at == state.until
    assert moved.reason == f"the suspended period ended at {state.until.isoformat()}"
    assert (moved.before, moved.after, moved.until) == (Standing.SUSPENDED, Standing.GOOD, None)
    assert not moved.notify_regulator and moved.choice is None and not moved.choice_was_default
    assert effective(state, now=state.until) == step.state
    assert go_live_block(state, now=state.until) is None


def test_ANC_09_expiry_noticed_late_is_stamped_at_until():
    state = suspended().state
    step = expire(state, now=state.until + timedelta(days=40))
    assert step.transitions[0].at == state.until


def test_ANC_09_expiry_compares_instants_across_timezones():
    state = suspended().state
    assert expire(state, now=state.until.astimezone(SHANGHAI)).state.standing is Standing.GOOD
    assert expire(state, now=(state.until - TICK).astimezone(SHANGHAI)).transitions == ()


def test_ANC_09_clean_session_after_a_suspension_reports_its_expiry():
    state = suspended().state
    step = clean_session(state, at=state.until + timedelta(hours=2))
    assert step.state == LadderState(Standing.GOOD, None, 0, True)
    assert kinds(step) == [TransitionKind.EXPIRED]


def test_ANC_09_violating_session_while_suspended_changes_nothing():
    state = suspended().state
    for at in (T0 + timedelta(hours=1), state.until - TICK):
        assert violating_session(state, at=at, policy=POLICY) == Step(state, ())
        assert violating_session(state, at=at, policy=POLICY, choice=EscalationChoice.TERMINATE) == Step(state, ())


def test_ANC_09_clean_session_while_suspended_changes_nothing():
    state = suspended().state
    assert clean_session(state, at=T0 + timedelta(days=3)) == Step(state, ())


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(LadderState(Standing.SUSPENDED, T0 + timedelta(days=30), 1, True), id="suspended"),
        pytest.param(LadderState(Standing.BANNED, T0 + timedelta(days=30), 1, True), id="banned"),
        pytest.param(LadderState(Standing.TERMINATED, None, 1, True), id="terminated"),
        pytest.param(LadderState(Standing.BLACKLISTED, None, 1, False), id="blacklisted"),
    ],
)
def test_ANC_09_clean_session_of_a_sanctioned_anchor_leaves_its_stored_state_alone(state):
    # Whatever streak storage holds for an anchor off the air, a clean session is no state change to write.
    assert clean_session(state, at=T0) == Step(state, ())


def test_ANC_09_ban_holds_until_one_microsecond_before_its_end_and_ends_exactly_there():
    state = banned().state
    rule, reason = go_live_block(state, now=state.until - TICK)
    assert rule == "ANC-08" and "banned" in reason and state.until.isoformat() in reason
    assert expire(state, now=state.until - TICK).transitions == ()
    step = expire(state, now=state.until)
    assert step.state == LadderState(Standing.GOOD, None, 0, True)
    (moved,) = step.transitions
    assert (moved.kind, moved.rule_id, moved.at) == (TransitionKind.EXPIRED, "ANC-09", state.until)
    assert (moved.before, moved.after) == (Standing.BANNED, Standing.GOOD)
    assert moved.reason == f"the banned period ended at {state.until.isoformat()}"
    assert go_live_block(state, now=state.until) is None


def test_ANC_09_violating_session_while_banned_changes_nothing():
    state = banned().state
    assert violating_session(state, at=T0 + timedelta(days=30), policy=POLICY) == Step(state, ())
    assert clean_session(state, at=T0 + timedelta(days=30)) == Step(state, ())


def test_ANC_09_go_live_block_names_the_rule_for_each_standing():
    assert go_live_block(LadderState(), now=T0) is None
    assert go_live_block(LadderState(streak=1, suspended_before=True), now=T0) is None
    assert go_live_block(suspended().state, now=T0)[0] == "ANC-07"
    assert go_live_block(banned().state, now=T0)[0] == "ANC-08"
    terminated = banned(choice=EscalationChoice.TERMINATE).state
    assert go_live_block(terminated, now=T0) == ("ANC-08", "the anchor is contract terminated")
    assert go_live_block(LadderState(Standing.BLACKLISTED), now=T0) == ("ANC-09", "the anchor is blacklisted")


# ---- ANC-08: a violating session after a suspension ended -> ban (6 months) or termination, regulator told


def test_ANC_08_violation_after_suspension_ended_bans_for_six_months_by_default():
    state = suspended().state
    at = state.until + timedelta(days=3)
    step = violating_session(state, at=at, policy=POLICY)
    until = add_months(at, 6)
    assert step.state == LadderState(Standing.BANNED, until, 0, True)
    expired, moved = step.transitions
    assert expired.kind is TransitionKind.EXPIRED and expired.at == state.until
    assert moved == Transition(
        kind=TransitionKind.BANNED, rule_id="ANC-08", at=at, before=Standing.GOOD, after=Standing.BANNED,
        until=until, notify_regulator=True, choice=EscalationChoice.BAN, choice_was_default=True, reason=moved.reason,
    )
    assert moved.reason == (f"violating session after a suspension ended: banned for 6 months until {until.isoformat()} "
                            "(policy default); regulator notified")


def test_ANC_08_violation_at_the_exact_end_of_a_suspension_escalates():
    state = suspended().state
    step = violating_session(state, at=state.until, policy=POLICY)
    assert kinds(step) == [TransitionKind.EXPIRED, TransitionKind.BANNED]


def test_ANC_08_operator_may_terminate_the_contract_instead():
    state = suspended().state
    at = state.until + timedelta(days=3)
    step = violating_session(state, at=at, policy=POLICY, choice=EscalationChoice.TERMINATE)
    assert step.state == LadderState(Standing.TERMINATED, None, 0, True)
    moved = step.transitions[-1]
    assert (moved.kind, moved.rule_id, moved.before, moved.after) == (
        TransitionKind.TERMINATED, "ANC-08", Standing.GOOD, Standing.TERMINATED,
    )
    assert moved.until is None and moved.notify_regulator
    assert moved.choice is EscalationChoice.TERMINATE and not moved.choice_was_default
    assert moved.reason == "violating session after a suspension ended: contract terminated (operator's choice); regulator notified"


def test_ANC_08_operator_may_choose_the_ban_explicitly():
    step = banned(choice=EscalationChoice.BAN)
    moved = step.transitions[-1]
    assert moved.choice is EscalationChoice.BAN and not moved.choice_was_default and moved.notify_regulator
    assert moved.reason.endswith("(operator's choice); regulator notified")


def test_ANC_08_choice_may_arrive_as_its_text():
    step = banned(choice="terminate")  # type: ignore[arg-type]
    assert step.state.standing is Standing.TERMINATED
    assert step.transitions[-1].choice is EscalationChoice.TERMINATE


def test_ANC_08_policy_default_may_be_termination():
    policy = LadderPolicy(default_escalation=EscalationChoice.TERMINATE, ban_months=3)
    state = suspended().state
    step = violating_session(state, at=state.until, policy=policy)
    assert step.state.standing is Standing.TERMINATED
    assert step.transitions[-1].choice_was_default
    assert step.transitions[-1].reason == (
        "violating session after a suspension ended: contract terminated (policy default); regulator notified")
    again = violating_session(state, at=state.until, policy=policy, choice=EscalationChoice.BAN)
    assert again.state.until == add_months(state.until, 3)


def test_ANC_08_clean_sessions_after_a_suspension_do_not_forgive_it():
    state = suspended().state
    ended = state.until
    for day in range(5):
        state = clean_session(state, at=ended + timedelta(days=day)).state
    assert state == LadderState(Standing.GOOD, None, 0, True)
    step = violating_session(state, at=ended + timedelta(days=90), policy=POLICY)
    assert step.state.standing is Standing.BANNED and step.transitions[-1].notify_regulator


def test_ANC_08_first_violation_is_not_escalated_without_a_prior_suspension():
    step = violating_session(LadderState(), at=T0, policy=POLICY, choice=EscalationChoice.TERMINATE)
    assert step.state == LadderState(Standing.GOOD, None, 1, False) and step.transitions == ()


def test_ANC_08_violation_after_a_ban_ended_bans_again():
    state = banned().state
    at = state.until + timedelta(days=1)
    step = violating_session(state, at=at, policy=POLICY)
    assert kinds(step) == [TransitionKind.EXPIRED, TransitionKind.BANNED]
    assert step.state == LadderState(Standing.BANNED, add_months(at, 6), 0, True)
    assert step.transitions[-1].notify_regulator and step.transitions[-1].before is Standing.GOOD


def test_ANC_08_violation_after_a_ban_ended_may_terminate():
    state = banned().state
    step = violating_session(state, at=state.until, policy=POLICY, choice=EscalationChoice.TERMINATE)
    assert kinds(step) == [TransitionKind.EXPIRED, TransitionKind.TERMINATED]
    assert step.state.standing is Standing.TERMINATED


def test_ANC_08_terminated_is_final():
    state = banned(choice=EscalationChoice.TERMINATE).state
    later = T0 + timedelta(days=3650)
    assert expire(state, now=later) == Step(state, ())
    assert violating_session(state, at=later, policy=POLICY) == Step(state, ())
    assert clean_session(state, at=later) == Step(state, ())
    with pytest.raises(PreconditionFailed) as refused:
        repair(state, at=later)
    assert refused.value.rule == "ANC-12" and "terminated" in refused.value.description
    assert go_live_block(state, now=later)[0] == "ANC-08"


# ---- ANC-09: blacklisting


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: LadderState(), id="good"),
        pytest.param(lambda: LadderState(streak=1, suspended_before=True), id="good-with-memory"),
        pytest.param(lambda: suspended().state, id="suspended"),
        pytest.param(lambda: banned().state, id="banned"),
        pytest.param(lambda: banned(choice=EscalationChoice.TERMINATE).state, id="terminated"),
    ],
)
def test_ANC_09_blacklist_from_each_standing(make):
    state = make()
    at = T0 + timedelta(days=1)
    step = blacklist(state, at=at, reason="fraud ruling by the court")
    # The mark of a served suspension is kept: blacklisting ends the ladder, it does not rewrite its history.
    assert step.state == LadderState(Standing.BLACKLISTED, None, 0, state.suspended_before)
    (moved,) = step.transitions
    assert (moved.kind, moved.rule_id, moved.at) == (TransitionKind.BLACKLISTED, "ANC-09", at)
    assert (moved.before, moved.after, moved.until) == (state.standing, Standing.BLACKLISTED, None)
    assert not moved.notify_regulator and moved.choice is None
    assert moved.reason == "blacklisted: fraud ruling by the court"


def test_ANC_09_blacklisting_after_a_suspension_ended_reports_the_expiry_first():
    state = suspended().state
    step = blacklist(state, at=state.until, reason="repeat offender")
    assert kinds(step) == [TransitionKind.EXPIRED, TransitionKind.BLACKLISTED]
    assert step.transitions[1].before is Standing.GOOD


def test_ANC_09_blacklisted_is_final():
    state = blacklist(LadderState(), at=T0, reason="platform blacklist").state
    later = T0 + timedelta(days=3650)
    assert blacklist(state, at=later, reason="again") == Step(state, ())
    assert violating_session(state, at=later, policy=POLICY, choice=EscalationChoice.BAN) == Step(state, ())
    assert clean_session(state, at=later) == Step(state, ())
    assert expire(state, now=later) == Step(state, ())
    with pytest.raises(PreconditionFailed) as refused:
        repair(state, at=later)
    assert refused.value.rule == "ANC-12"
    assert go_live_block(state, now=later) == ("ANC-09", "the anchor is blacklisted")


def test_ANC_09_blacklisting_needs_a_reason():
    with pytest.raises(InvalidArgument) as refused:
        blacklist(LadderState(), at=T0, reason="  ")
    assert refused.value.violations == [FieldViolation("reason", "is required to blacklist an anchor", "ANC-09")]


# ---- ANC-12: credit repair resets the ladder's memory, only in good standing


def test_ANC_12_repair_resets_the_streak_and_the_prior_suspension():
    state = LadderState(Standing.GOOD, None, 1, True)
    step = repair(state, at=T0)
    assert step.state == LadderState()
    # An int, not a bool that compares equal to 0: the API's int32 field refuses a bool.
    assert type(step.state.streak) is int and step.state.suspended_before is False
    (moved,) = step.transitions
    assert (moved.kind, moved.rule_id, moved.at) == (TransitionKind.REPAIRED, "ANC-12", T0)
    assert (moved.before, moved.after, moved.until) == (Standing.GOOD, Standing.GOOD, None)
    assert not moved.notify_regulator
    assert moved.reason == "credit repair approved: violation streak and prior suspension no longer escalate"


def test_ANC_12_repaired_anchor_needs_two_violating_sessions_again_and_is_suspended_not_banned():
    state = suspended().state
    at = state.until + timedelta(days=10)
    state = repair(state, at=at).state
    one = violating_session(state, at=at + timedelta(days=1), policy=POLICY)
    assert one.state == LadderState(Standing.GOOD, None, 1, False) and one.transitions == ()
    two = violating_session(one.state, at=at + timedelta(days=2), policy=POLICY)
    assert two.state.standing is Standing.SUSPENDED
    assert kinds(two) == [TransitionKind.SUSPENDED]
    assert not two.transitions[0].notify_regulator


def test_ANC_12_repair_at_the_exact_end_of_a_suspension_is_allowed_and_reports_the_expiry():
    state = suspended().state
    step = repair(state, at=state.until)
    assert kinds(step) == [TransitionKind.EXPIRED, TransitionKind.REPAIRED]
    assert step.state == LadderState()


@pytest.mark.parametrize(
    ("make", "word"),
    [
        pytest.param(lambda: suspended().state, "suspended", id="suspended"),
        pytest.param(lambda: banned().state, "banned", id="banned"),
        pytest.param(lambda: banned(choice=EscalationChoice.TERMINATE).state, "terminated", id="terminated"),
        pytest.param(lambda: LadderState(Standing.BLACKLISTED), "blacklisted", id="blacklisted"),
    ],
)
def test_ANC_12_repair_is_refused_unless_in_good_standing(make, word):
    state = make()
    at = state.until - TICK if state.until else T0
    with pytest.raises(PreconditionFailed) as refused:
        repair(state, at=at)
    assert (refused.value.rule, refused.value.subject) == ("ANC-12", "anchor")
    end = f" until {state.until.isoformat()}" if state.until else ""
    assert refused.value.description == (
        f"the anchor is {word}{end}; credit repair applies only to an anchor in good standing")


# ---- add_months: calendar months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2023, 1, 31, 8, 15, 30, 123, tzinfo=UTC), 1, datetime(2023, 2, 28, 8, 15, 30, 123, tzinfo=UTC)),
        (datetime(2024, 1, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2024, 2, 29, 23, 59, tzinfo=UTC), 12, datetime(2025, 2, 28, 23, 59, tzinfo=UTC)),
        (datetime(2024, 2, 29, tzinfo=UTC), 48, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2024, 12, 15, 10, tzinfo=UTC), 1, datetime(2025, 1, 15, 10, tzinfo=UTC)),
        (datetime(2024, 12, 31, tzinfo=UTC), 2, datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2024, 8, 31, tzinfo=UTC), 6, datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2024, 7, 1, tzinfo=UTC), 6, datetime(2025, 1, 1, tzinfo=UTC)),
        (datetime(2024, 5, 31, tzinfo=UTC), 1, datetime(2024, 6, 30, tzinfo=UTC)),
        (datetime(2024, 3, 31, tzinfo=UTC), -1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2024, 1, 15, tzinfo=UTC), -1, datetime(2023, 12, 15, tzinfo=UTC)),
        (datetime(2024, 3, 10, tzinfo=UTC), 0, datetime(2024, 3, 10, tzinfo=UTC)),
    ],
)
def test_add_months_counts_calendar_months_and_clamps_the_day(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_keeps_time_of_day_and_timezone():
    start = datetime(2024, 1, 31, 23, 30, 5, 7, tzinfo=SHANGHAI)
    result = add_months(start, 1)
    assert result == datetime(2024, 2, 29, 23, 30, 5, 7, tzinfo=SHANGHAI)
    assert result.tzinfo is SHANGHAI


# ---- input validation


NAIVE = datetime(2024, 3, 10, 20, 0)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: violating_session(LadderState(), at=NAIVE, policy=POLICY), id="violating_session"),
        pytest.param(lambda: clean_session(LadderState(), at=NAIVE), id="clean_session"),
        pytest.param(lambda: blacklist(LadderState(), at=NAIVE, reason="x"), id="blacklist"),
        pytest.param(lambda: repair(LadderState(), at=NAIVE), id="repair"),
        pytest.param(lambda: expire(LadderState(), now=NAIVE), id="expire"),
        pytest.param(lambda: effective(LadderState(), now=NAIVE), id="effective"),
        pytest.param(lambda: go_live_block(LadderState(), now=NAIVE), id="go_live_block"),
        pytest.param(lambda: LadderState(Standing.SUSPENDED, NAIVE), id="state-until"),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"standing": Standing.SUSPENDED}, "a suspended standing needs an end instant"),
        ({"standing": Standing.BANNED}, "a banned standing needs an end instant"),
        ({"standing": Standing.GOOD, "until": T0}, "a good standing has no end instant"),
        ({"standing": Standing.TERMINATED, "until": T0}, "a terminated standing has no end instant"),
        ({"standing": Standing.BLACKLISTED, "until": T0}, "a blacklisted standing has no end instant"),
        ({"streak": -1}, "streak cannot be negative"),
    ],
)
def test_inconsistent_ladder_states_are_refused_saying_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError) as refused:
        LadderState(**kwargs)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("call", "name"),
    [
        pytest.param(lambda: LadderState(Standing.SUSPENDED, NAIVE), "until", id="state-until"),
        pytest.param(lambda: expire(LadderState(), now=NAIVE), "now", id="expire"),
    ],
)
def test_a_naive_datetime_is_refused_naming_the_field(call, name):
    with pytest.raises(ValueError) as refused:
        call()
    assert str(refused.value) == f"{name} must be timezone-aware, got {NAIVE!r}"


class _NoOffset(tzinfo):
    """A tzinfo that knows no offset: Python counts such a datetime as naive."""

    def utcoffset(self, dt: datetime | None) -> None:
        return None


def test_a_datetime_whose_zone_has_no_offset_is_refused_as_naive():
    floating = datetime(2024, 3, 10, 20, 0, tzinfo=_NoOffset())
    with pytest.raises(ValueError, match="^now must be timezone-aware"):
        expire(LadderState(), now=floating)
    with pytest.raises(ValueError, match="^until must be timezone-aware"):
        LadderState(Standing.SUSPENDED, floating)


def test_ladder_state_accepts_the_stored_text_of_a_standing():
    state = LadderState("suspended", T0)  # type: ignore[arg-type]
    assert state.standing is Standing.SUSPENDED
    assert go_live_block(state, now=T0 - TICK)[0] == "ANC-07"


@pytest.mark.parametrize(
    "kwargs", [{"suspension_months": 0}, {"ban_months": 0}, {"violating_sessions_to_suspend": 0}]
)
def test_nonsensical_policies_are_refused(kwargs):
    with pytest.raises(ValueError) as refused:
        LadderPolicy(**kwargs)
    assert str(refused.value) == "ladder policy lengths and thresholds must be at least 1"


# ---- property: random histories keep the ladder's invariants

_KIND_RULE = {
    TransitionKind.SUSPENDED: "ANC-07",
    TransitionKind.BANNED: "ANC-08",
    TransitionKind.TERMINATED: "ANC-08",
    TransitionKind.EXPIRED: "ANC-09",
    TransitionKind.BLACKLISTED: "ANC-09",
    TransitionKind.REPAIRED: "ANC-12",
}

_gaps = st.one_of(
    st.integers(min_value=0, max_value=3 * 86_400).map(lambda s: timedelta(seconds=s)),  # sessions close together
    st.integers(min_value=0, max_value=400 * 86_400).map(lambda s: timedelta(seconds=s)),
    st.sampled_from(["until", "before_until"]),  # land on the boundary instants on purpose
)
# Weighted towards violating sessions, so random histories climb the whole ladder; blacklisting ends one.
_actions = st.sampled_from(["violate"] * 8 + ["clean"] * 3 + ["look", "repair", "blacklist"])
_inputs = st.tuples(_actions, st.sampled_from([None, EscalationChoice.BAN, EscalationChoice.TERMINATE]))
_policies = st.builds(
    LadderPolicy,
    suspension_months=st.integers(1, 3),
    ban_months=st.integers(1, 6),
    violating_sessions_to_suspend=st.integers(1, 3),
    default_escalation=st.sampled_from(list(EscalationChoice)),
)


@settings(max_examples=200, deadline=None)
@given(policy=_policies, history=st.lists(st.tuples(_gaps, _inputs), max_size=40))
def test_ANC_07_08_09_12_random_histories_keep_the_ladder_invariants(policy, history):
    state, now = LadderState(), T0
    last_stamp = now
    suspensions_since_repair = 0
    for gap, (action, choice) in history:
        if gap == "until":
            now = max(now, state.until or now)
        elif gap == "before_until":
            now = max(now, state.until - TICK if state.until else now)
        else:
            now = now + gap
        before = state
        present = effective(before, now=now)
        if action == "violate":
            step = violating_session(before, at=now, policy=policy, choice=choice)
        elif action == "clean":
            step = clean_session(before, at=now)
        elif action == "blacklist":
            step = blacklist(before, at=now, reason="random history")
        elif action == "repair":
            if present.standing is not Standing.GOOD:
                with pytest.raises(PreconditionFailed):
                    repair(before, at=now)
                continue
            step = repair(before, at=now)
        else:
            step = expire(before, now=now)
        state = step.state

        # until is set iff the standing is a timed sanction, and a new sanction ends after its moment.
        assert (state.until is not None) == (state.standing in (Standing.SUSPENDED, Standing.BANNED))
        if state.until is not None:
            assert state.until > now
        # ANC-07: the streak never reaches the threshold; reaching it suspends.
        assert 0 <= state.streak < policy.violating_sessions_to_suspend
        # Final standings never leave, except terminated -> blacklisted.
        if before.standing is Standing.BLACKLISTED:
            assert state == before and step.transitions == ()
        if before.standing is Standing.TERMINATED:
            assert state.standing in (Standing.TERMINATED, Standing.BLACKLISTED)
        # ANC-09: blocked exactly when the effective standing is not good.
        assert (go_live_block(state, now=now) is None) == (effective(state, now=now).standing is Standing.GOOD)

        running = before
        for moved in step.transitions:
            assert moved.before is running.standing
            assert moved.rule_id == _KIND_RULE[moved.kind]
            assert moved.notify_regulator == (moved.rule_id == "ANC-08")
            assert (moved.choice is not None) == (moved.rule_id == "ANC-08")
            assert last_stamp <= moved.at <= now
            last_stamp = moved.at
            if moved.kind in (TransitionKind.BANNED, TransitionKind.TERMINATED):
                # ANC-08 only after a suspension has been served since the last repair.
                assert running.suspended_before and suspensions_since_repair > 0
                assert running.standing is Standing.GOOD
                assert moved.choice_was_default == (choice is None)
                assert moved.choice == (choice or policy.default_escalation)
            if moved.kind is TransitionKind.SUSPENDED:
                suspensions_since_repair += 1
            if moved.kind is TransitionKind.REPAIRED:
                suspensions_since_repair = 0
            if moved.kind is TransitionKind.EXPIRED:
                assert moved.at == running.until
                running = LadderState(moved.after, None, 0, True)
            else:
                running = step.state  # only an expiry is ever followed by another transition in one step
        assert running.standing is state.standing
