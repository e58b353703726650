"""Per-provider circuit breaker as a state machine over time."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.providers.breaker import CLOSED, HALF_OPEN, OPEN, STATES, Breaker

T = 1_796_130_000.0


def tripped(**settings) -> Breaker:
    breaker = Breaker(**{"failure_threshold": 3, "reset_timeout_s": 30, **settings})
    for _ in range(breaker.failure_threshold):
        assert breaker.allow(T)
        breaker.record_failure(T)
    return breaker


def test_a_new_breaker_is_closed_and_lets_calls_through():
    breaker = Breaker()
    assert breaker.state(T) == CLOSED and breaker.allow(T)


def test_it_opens_after_the_threshold_of_failures_in_a_row():
    breaker = Breaker(failure_threshold=3)
    breaker.record_failure(T)
    breaker.record_failure(T)
    breaker.record_success(T)  # a success in between starts the count again
    breaker.record_failure(T)
    breaker.record_failure(T)
    assert breaker.state(T) == CLOSED
    breaker.record_failure(T)
    assert breaker.state(T) == OPEN and not breaker.allow(T)
    assert breaker.state(T + 29.9) == OPEN and breaker.state(T + 30) == HALF_OPEN


def test_after_the_timeout_one_trial_call_goes_through():
    breaker = tripped()
    assert not breaker.allow(T + 29.9)
    assert breaker.state(T + 30) == HALF_OPEN
    assert breaker.allow(T + 30)
    assert not breaker.allow(T + 31)  # the trial is still out


def test_a_successful_trial_closes_it():
    breaker = tripped()
    assert breaker.allow(T + 30)
    breaker.record_success(T + 31)
    assert breaker.state(T + 31) == CLOSED
    assert all(breaker.allow(T + 31) for _ in range(10))
    breaker.record_failure(T + 32)
    breaker.record_failure(T + 32)
    assert breaker.state(T + 32) == CLOSED  # the failure count started afresh


def test_a_failed_trial_opens_it_again_for_a_full_timeout():
    breaker = tripped()
    assert breaker.allow(T + 30)
    breaker.record_failure(T + 31)
    assert breaker.state(T + 31) == OPEN
    assert not breaker.allow(T + 60)
    assert breaker.allow(T + 61)


def test_several_trials_and_successes_when_configured():
    breaker = tripped(half_open_max_calls=2, success_threshold=2)
    assert breaker.allow(T + 30) and breaker.allow(T + 30) and not breaker.allow(T + 30)
    breaker.record_success(T + 31)
    assert breaker.state(T + 31) == HALF_OPEN
    assert breaker.allow(T + 31)  # one trial came back, so one more may go
    breaker.record_success(T + 32)
    assert breaker.state(T + 32) == CLOSED


def test_a_trial_that_never_reports_back_does_not_wedge_it():
    breaker = tripped()
    assert breaker.allow(T + 30)
    assert not breaker.allow(T + 59)
    assert breaker.allow(T + 60)


def test_a_late_success_while_open_proves_nothing():
    breaker = tripped()
    breaker.record_success(T + 1)
    assert breaker.state(T + 1) == OPEN
    breaker.record_failure(T + 2)
    assert breaker.state(T + 29.9) == OPEN and breaker.state(T + 30) == HALF_OPEN  # nor does a late failure


def test_retry_after_opens_at_once_for_at_least_that_long():
    breaker = Breaker(failure_threshold=5, reset_timeout_s=30)
    breaker.record_failure(T, retry_after_s=120)
    assert breaker.state(T) == OPEN
    assert not breaker.allow(T + 119) and breaker.allow(T + 120)
    short = Breaker(reset_timeout_s=30)
    short.record_failure(T, retry_after_s=1)
    assert not short.allow(T + 29.9) and short.allow(T + 30)


@pytest.mark.parametrize("settings", [{"failure_threshold": 0}, {"half_open_max_calls": 0},
                                      {"success_threshold": 0}, {"reset_timeout_s": -1}])
def test_invalid_settings(settings):
    with pytest.raises(ValueError):
        Breaker(**settings)


@given(st.lists(st.tuples(st.floats(0, 20), st.sampled_from(["allow", "ok", "fail", "429"])), max_size=200))
def test_an_open_breaker_never_lets_a_call_through(events):
    breaker, now = Breaker(failure_threshold=3, reset_timeout_s=30), T
    for step, event in events:
        now += step
        before = breaker.state(now)
        assert before in STATES
        if event == "allow":
            allowed = breaker.allow(now)
            assert not (allowed and before == OPEN)
            assert allowed or before != CLOSED
            assert breaker.trials <= breaker.half_open_max_calls
        elif event == "ok":
            breaker.record_success(now)
        else:
            breaker.record_failure(now, 60 if event == "429" else None)
        if breaker.state(now) == OPEN:
            assert not breaker.allow(now) and 0 < breaker.open_until - now <= 60
