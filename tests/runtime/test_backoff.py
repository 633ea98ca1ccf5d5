"""The one retry delay: grows, is capped, is jittered, and resets."""

import pytest

from livecommerce.runtime.backoff import Backoff


def test_delays_grow_to_the_cap_with_jitter_below_each_ceiling():
    backoff = Backoff(initial=0.1, maximum=0.8)
    delays = [backoff.next() for _ in range(6)]
    ceilings = [0.1, 0.2, 0.4, 0.8, 0.8, 0.8]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings)), delays


def test_jitter_spreads_replicas_that_failed_together():
    firsts = {Backoff(initial=1.0, maximum=1.0).next() for _ in range(50)}
    assert len(firsts) > 40


def test_reset_starts_over():
    backoff = Backoff(initial=0.1, maximum=10)
    for _ in range(5):
        backoff.next()
    backoff.reset()
    assert backoff.next() <= 0.1


@pytest.mark.parametrize("initial, maximum, multiplier", [(0, 1, 2), (2, 1, 2), (0.1, 1, 0.5)])
def test_nonsense_is_refused(initial, maximum, multiplier):
    with pytest.raises(ValueError):
        Backoff(initial=initial, maximum=maximum, multiplier=multiplier)
