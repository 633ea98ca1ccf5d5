"""The viewer counter's rules, pure (SES-08): exact sets, duplicate joins, unknown leaves, the
order within a message, timeouts by generation, peaks that only rise and freeze at the end, the
batch checks; and a random walk against a plain model of the same rules."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from livecommerce.runtime.errors import InvalidArgument
from services.session.audience.domain import Applied, Audience, NotLive, check_batch, generation

T0 = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
S1, S2 = uuid.UUID(int=1), uuid.UUID(int=2)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def audience() -> Audience:
    counter = Audience(timeout_seconds=30)
    counter.add_session(S1, live=True)
    counter.add_session(S2, live=True)
    return counter


def test_SES_08_a_viewer_who_joins_twice_counts_once(audience):
    done = audience.apply(S1, joins=["v1", "v2", "v1"], now=T0)
    assert done == Applied(joined=2, duplicate_joins=1)
    done = audience.apply(S1, joins=["v2", "v3"], now=T0)
    assert done == Applied(joined=1, duplicate_joins=1)
    assert audience.session(S1).current == 3 and audience.platform().current == 3


def test_SES_08_a_leave_for_an_unknown_viewer_is_ignored_and_counted(audience):
    audience.apply(S1, joins=["v1", "v2"], now=T0)
    done = audience.apply(S1, leaves=["v1", "ghost", "v1"], now=T0)
    assert done == Applied(left=1, unknown_leaves=2)
    counts = audience.session(S1)
    assert (counts.current, counts.unknown_leaves) == (1, 2)
    assert audience.session(S2).unknown_leaves == 0


def test_SES_08_within_a_message_joins_then_heartbeats_then_leaves(audience):
    done = audience.apply(S1, joins=["a", "b"], heartbeats=["c", "a"], leaves=["b", "c"], now=T0)
    assert done == Applied(joined=2, heartbeats=2, heartbeat_joins=1, left=2)
    assert audience.session(S1).current == 1  # a


def test_SES_08_counts_per_session_and_platform_wide(audience):
    audience.apply(S1, joins=["v1", "v2"], now=T0)
    audience.apply(S2, joins=["v1", "v3", "v4"], now=T0)  # one viewer in two rooms counts in each
    assert [audience.session(s).current for s in (S1, S2)] == [2, 3]
    assert audience.platform().current == 5


def test_SES_08_peaks_only_rise_and_say_when(audience):
    audience.apply(S1, joins=["a", "b", "c"], now=at(1))
    audience.apply(S1, leaves=["a", "b"], now=at(2))
    audience.apply(S1, joins=["d"], now=at(3))
    counts = audience.session(S1)
    assert (counts.current, counts.peak, counts.peak_at) == (2, 3, at(1))
    audience.apply(S1, joins=["e", "f"], now=at(4))
    assert (audience.session(S1).peak, audience.session(S1).peak_at) == (4, at(4))
    assert (audience.platform().peak, audience.platform().peak_at) == (4, at(4))


def test_SES_08_the_platform_peak_is_of_the_sum_at_one_moment(audience):
    audience.apply(S1, joins=["a", "b"], now=at(1))
    audience.apply(S1, leaves=["a", "b"], now=at(2))
    audience.apply(S2, joins=["c", "d", "e"], now=at(3))
    assert audience.platform().peak == 3  # never 5: S1's two had gone before S2's three came


def test_SES_08_an_ended_session_counts_nobody_and_its_peak_is_frozen(audience):
    audience.apply(S1, joins=["a", "b"], now=T0)
    audience.apply(S2, joins=["c"], now=T0)
    audience.end(S1)
    counts = audience.session(S1)
    assert (counts.current, counts.peak, counts.live) == (0, 2, False)
    assert audience.platform().current == 1 and audience.platform().peak == 3
    with pytest.raises(NotLive):
        audience.apply(S1, joins=["d"], now=T0)
    assert audience.session(S1).peak == 2
    audience.end(S1)  # twice: nothing more
    assert audience.platform().current == 1


def test_SES_08_unknown_and_not_live_sessions_take_no_viewers(audience):
    audience.add_session(uuid.UUID(int=3), live=False, peak=7)
    for session_id in (uuid.UUID(int=3), uuid.UUID(int=4)):
        with pytest.raises(NotLive):
            audience.apply(session_id, heartbeats=["a"], now=T0)
    assert audience.platform().current == 0 and audience.session(uuid.UUID(int=3)).peak == 7


def test_SES_08_a_silent_viewer_times_out_after_the_timeout_and_not_before(audience):
    audience.apply(S1, joins=["quiet", "chatty"], now=at(0.5))
    for second in (10, 20, 30):
        audience.apply(S1, heartbeats=["chatty"], now=at(second + 0.5))
    assert audience.sweep(at(30.999)) == 0  # seen in second 0; second 30 is not more than 30 later
    assert audience.session(S1).current == 2
    assert audience.sweep(at(31)) == 1
    counts = audience.session(S1)
    assert (counts.current, counts.timed_out, counts.peak) == (1, 1, 2)
    assert audience.platform().current == 1
    assert audience.sweep(at(60.9)) == 0
    assert audience.sweep(at(61)) == 1  # chatty's last heartbeat was in second 30
    assert audience.session(S1).current == 0


def test_SES_08_a_heartbeat_brings_back_a_viewer_the_counter_lost(audience):
    audience.apply(S1, joins=["v"], now=at(0))
    audience.sweep(at(40))
    done = audience.apply(S1, heartbeats=["v"], now=at(41))
    assert done == Applied(heartbeats=1, heartbeat_joins=1)
    assert audience.session(S1).current == 1
    assert audience.sweep(at(71)) == 0 and audience.sweep(at(72)) == 1


def test_SES_08_a_viewer_who_left_and_came_back_is_timed_out_from_its_last_sign_only(audience):
    audience.apply(S1, joins=["v"], now=at(0))
    audience.apply(S1, leaves=["v"], now=at(5))
    audience.apply(S1, joins=["v"], now=at(20))
    assert audience.sweep(at(45)) == 0  # the stale entry of second 0 is dropped, not the viewer
    assert audience.session(S1).current == 1
    assert audience.sweep(at(51)) == 1


def test_SES_08_a_sweep_looks_only_at_expired_generations(audience):
    audience.apply(S1, joins=[f"old-{i}" for i in range(5)], now=at(0))
    audience.apply(S2, joins=[f"new-{i}" for i in range(5)], now=at(25))
    assert audience.sweep(at(31)) == 5
    assert list(audience._due) == [generation(at(25))]  # what remains to expire, by generation


def test_SES_08_risen_peaks_are_handed_out_once_and_given_back_on_failure(audience):
    assert not audience.has_risen()
    audience.apply(S1, joins=["a", "b"], now=at(1))
    sessions, platform = audience.take_risen()
    assert sessions == [(S1, 2, at(1))] and platform is not None and platform.peak == 2
    assert audience.take_risen() == ([], None) and not audience.has_risen()
    audience.give_back(sessions, platform)
    assert audience.take_risen() == (sessions, platform)
    audience.apply(S1, leaves=["a"], now=at(2))
    assert not audience.has_risen()  # falling is nothing to store


def test_SES_08_restored_peaks_are_kept_until_beaten(audience):
    audience.add_session(uuid.UUID(int=5), live=True, peak=3, peak_at=at(0))
    audience.restore_platform_peak(10, at(0))
    audience.apply(uuid.UUID(int=5), joins=["a", "b"], now=at(1))
    assert audience.session(uuid.UUID(int=5)).peak == 3 and audience.platform().peak == 10
    audience.apply(uuid.UUID(int=5), joins=["c", "d"], now=at(2))
    assert (audience.session(uuid.UUID(int=5)).peak, audience.session(uuid.UUID(int=5)).peak_at) == (4, at(2))
    audience.restore_platform_peak(5, at(3))
    assert audience.platform().peak == 10


def test_SES_08_a_batch_above_the_limit_is_refused_naming_the_rule():
    check_batch(["a"] * 3, ["b"] * 3, ["c"] * 4, max_batch=10)
    with pytest.raises(InvalidArgument) as refused:
        check_batch(["a"] * 3, ["b"] * 3, ["c"] * 5, max_batch=10)
    violation = refused.value.violations[0]
    assert violation.rule == "SES-08" and "at most 10" in violation.description and "not 11" in violation.description


@pytest.mark.parametrize(
    "bad", ["", "x" * 65, "has space", "换行", "a\nb", "tab\t", "slash/", "semi;colon"],
)
@pytest.mark.parametrize("field", ["joins", "heartbeats", "leaves"])
def test_SES_08_a_malformed_viewer_id_is_refused_naming_its_place(bad, field):
    ids = {"joins": [], "heartbeats": [], "leaves": []}
    ids[field] = ["ok-1", "ok.2:x_Y", bad, "ok-3"]
    with pytest.raises(InvalidArgument) as refused:
        check_batch(ids["joins"], ids["heartbeats"], ids["leaves"], max_batch=100)
    violation = refused.value.violations[0]
    assert (violation.field, violation.rule) == (f"{field}[2]", "SES-08")


def test_SES_08_well_formed_ids_at_the_bounds_pass():
    check_batch(["a", "Z" * 64, "0._:-"], [], [], max_batch=3)
    check_batch([], [], [], max_batch=1)


def test_SES_08_a_random_walk_matches_a_plain_model():
    rng = random.Random(8)
    audience = Audience(timeout_seconds=5)
    sessions = [uuid.UUID(int=n) for n in range(1, 4)]
    for s in sessions:
        audience.add_session(s, live=True)
    model: dict[uuid.UUID, dict[str, int]] = {s: {} for s in sessions}
    peaks = dict.fromkeys(sessions, 0)
    platform_peak = 0
    for step in range(3000):
        now = at(step * 0.37)
        second = int(now.timestamp())
        if step % 7 == 0:
            audience.sweep(now)
            for seen in model.values():
                for viewer in [v for v, last in seen.items() if last < second - 5]:
                    del seen[viewer]
        else:
            s = rng.choice(sessions)
            pool = [f"v{n}" for n in range(40)]
            joins, beats, leaves = (rng.sample(pool, rng.randint(0, 6)) for _ in range(3))
            audience.apply(s, joins=joins, heartbeats=beats, leaves=leaves, now=now)
            for viewer in joins + beats:
                model[s][viewer] = second
            for viewer in leaves:
                model[s].pop(viewer, None)
        for s in sessions:
            peaks[s] = max(peaks[s], len(model[s]))
            assert audience.session(s).current == len(model[s]) and audience.session(s).peak == peaks[s]
        total = sum(len(seen) for seen in model.values())
        platform_peak = max(platform_peak, total)
        assert audience.platform().current == total and audience.platform().peak == platform_peak
