"""Backoff with jitter, the wait before a retry, and Retry-After headers."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.retry import backoff, parse_retry_after, retry_delay

NOW = 1_796_130_000.0  # 2026-12-01T13:00:00Z


@pytest.mark.parametrize(("retry", "ceiling"), [(0, 1), (1, 2), (2, 4), (5, 32), (8, 256), (9, 300), (50, 300)])
def test_backoff_ceiling_doubles_up_to_the_cap(retry, ceiling):
    assert backoff(retry, lambda: 0.5) == ceiling / 2
    assert backoff(retry, lambda: 0.0) == 0.0


def test_backoff_takes_its_base_cap_and_randomness_from_the_caller():
    assert backoff(3, lambda: 0.25, base_s=2.0, cap_s=10.0) == 2.5
    assert backoff(10_000, lambda: 1 - 1e-12) < 300
    assert backoff(-3, lambda: 0.5) == 0.5


def test_full_jitter_spreads_over_the_whole_range():
    rng = random.Random(7)
    delays = [backoff(6, rng.random) for _ in range(2000)]
    assert all(0 <= d < 64 for d in delays)
    assert min(delays) < 2 and max(delays) > 62  # the whole range, not clustered near the ceiling
    assert 28 < sum(delays) / len(delays) < 36
    again = random.Random(7)
    assert [backoff(6, again.random) for _ in range(2000)] == delays


@given(st.integers(0, 80), st.floats(0, 1, exclude_max=True), st.floats(0, 1))
def test_a_partial_jitter_stays_in_the_top_share_of_the_ceiling(retry, drawn, jitter):
    ceiling = backoff(retry, lambda: 1.0, base_s=30, cap_s=3600, jitter=0)
    assert ceiling == min(3600, 30 * 2.0 ** retry)
    assert ceiling * (1 - jitter) <= backoff(retry, lambda: drawn, base_s=30, cap_s=3600, jitter=jitter) <= ceiling


def test_retry_delay_honours_retry_after():
    assert retry_delay(0, lambda: 0.5, retry_after_s=120) == 120
    assert retry_delay(8, lambda: 0.5, retry_after_s=3) == 128
    assert retry_delay(8, lambda: 0.5) == 128
    assert retry_delay(1, lambda: 0.5, base_s=30, cap_s=3600, jitter=0.2) == 60 * 0.9


@pytest.mark.parametrize(("header", "seconds"), [
    ("120", 120.0), (" 7 ", 7.0), ("0", 0.0), ("007", 7.0),
    ("Tue, 01 Dec 2026 13:02:00 GMT", 120.0),
    ("Tuesday, 01-Dec-26 13:00:30 GMT", 30.0),
    ("Tue Dec  1 13:01:00 2026", 60.0),
    ("Tue, 01 Dec 2026 12:00:00 GMT", 0.0),
    (None, None), ("", None), (" ", None), ("soon", None), ("-5", None), ("1.5", None), ("1.5e3", None),
    ("١٢", None), ("²", None), ("9" * 5000, None),
])
def test_parse_retry_after(header, seconds):
    assert parse_retry_after(header, NOW) == seconds
