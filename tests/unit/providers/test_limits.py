"""The provider quota: a token bucket with an optional daily cap."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.providers.limits import DAY_S, Quota

NOW = 1_796_130_000.0  # 2026-12-01T13:00:00Z
MIDNIGHT = 1_796_169_600.0  # 2026-12-02T00:00:00Z


def test_a_bucket_allows_its_burst_then_its_rate():
    quota = Quota(2.0, burst=4, now=NOW)
    assert [quota.try_acquire(NOW) for _ in range(5)] == [True, True, True, True, False]
    assert quota.wait_s(NOW) == pytest.approx(0.5)
    assert not quota.try_acquire(NOW + 0.4)
    assert quota.try_acquire(NOW + 0.5)
    assert not quota.try_acquire(NOW + 0.5)
    assert [quota.try_acquire(NOW + 100) for _ in range(5)] == [True, True, True, True, False]  # capped at burst


def test_default_burst_is_one_second_of_rate_and_at_least_one():
    assert Quota(5, now=NOW).burst == 5
    assert Quota(0.1, now=NOW).burst == 1
    with pytest.raises(ValueError):
        Quota(0)


def test_the_daily_cap_waits_for_midnight_utc():
    quota = Quota(100, per_day=3, now=MIDNIGHT - 60)
    assert all(quota.try_acquire(MIDNIGHT - 60) for _ in range(3))
    assert not quota.try_acquire(MIDNIGHT - 1)
    assert quota.wait_s(MIDNIGHT - 60) == 60
    assert quota.try_acquire(MIDNIGHT)
    assert quota.used_today == 1


def test_requests_beyond_the_bucket_or_the_day_never_fit():
    quota = Quota(1, burst=2, per_day=10, now=NOW)
    assert quota.wait_s(NOW, 3) == math.inf
    assert Quota(100, per_day=2, now=NOW).wait_s(NOW, 3) == math.inf
    assert not quota.try_acquire(NOW, 3)


def test_a_clock_stepping_back_neither_refills_nor_breaks():
    quota = Quota(1, burst=1, now=NOW)
    assert quota.try_acquire(NOW)
    assert not quota.try_acquire(NOW - 10)
    assert quota.wait_s(NOW - 10) == pytest.approx(1)
    assert quota.try_acquire(NOW + 1)


@given(st.lists(st.floats(0, 5), min_size=1, max_size=300), st.floats(0.5, 20), st.integers(1, 10),
       st.integers(1, 500))
def test_the_quota_is_never_exceeded(steps, rate, burst, per_day):
    quota = Quota(rate, burst=burst, per_day=per_day, now=NOW)
    now, granted = NOW, []
    for step in steps:
        now += step
        if quota.wait_s(now) == 0:
            assert quota.try_acquire(now)
            granted.append(now)
        else:
            assert not quota.try_acquire(now)
    for i, start in enumerate(granted):
        within = [t for t in granted[i:] if t - start <= 10]
        assert len(within) <= burst + rate * 10 + 1e-6
    days = [int(t // DAY_S) for t in granted]
    assert all(days.count(day) <= per_day for day in set(days))
