"""The retry schedule for failed deliveries, and when to dead-letter."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.channels.errors import ChannelCredentialsRejected, DeviceTokenInvalid, PermanentError, RetryableError
from integrations.channels.retry import CAP_S, MAX_ATTEMPTS, next_step

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def busy(retry_after: float | None = None) -> RetryableError:
    return RetryableError("fcm: 503", channel="fcm", reason="UNAVAILABLE", status=503, retry_after=retry_after)


def wait(attempt: int, key: str = "", retry_after: float | None = None) -> float:
    return (next_step(busy(retry_after), attempt, NOW, key).retry_at - NOW).total_seconds()


@given(attempt=st.integers(1, MAX_ATTEMPTS - 1), key=st.text(max_size=20))
def test_the_wait_doubles_from_30_s_less_up_to_a_fifth(attempt, key):
    schedule = min(CAP_S, 30 * 2 ** (attempt - 1))     # 30 s, 1, 2, 4, 8, 16, 32 min
    assert schedule * 0.8 <= wait(attempt, key) <= schedule


def test_jitter_is_reproducible_per_key_and_differs_between_keys():
    assert wait(3, "n-1") == wait(3, "n-1")
    assert len({wait(3, f"n-{i}") for i in range(20)}) == 20


def test_a_retryable_error_is_retried_on_schedule():
    decision = next_step(busy(), 1, NOW, "n-1")
    assert not decision.dead_letter
    assert 24 <= (decision.retry_at - NOW).total_seconds() <= 30
    assert decision.reason == "UNAVAILABLE"


def test_retry_after_wins_when_longer():
    assert wait(1, retry_after=600) == 600
    assert wait(3, "k", retry_after=1) == wait(3, "k")


@pytest.mark.parametrize("error", [
    PermanentError("x", channel="email", reason="smtp-554"),
    DeviceTokenInvalid("x", channel="apns", reason="Unregistered"),
    ChannelCredentialsRejected("x", channel="fcm", reason="invalid_grant"),
])
def test_permanent_errors_dead_letter_at_once(error):
    decision = next_step(error, 1, NOW)
    assert decision.dead_letter and decision.retry_at is None and decision.reason == error.reason


def test_the_last_attempt_dead_letters():
    assert not next_step(busy(), MAX_ATTEMPTS - 1, NOW).dead_letter
    decision = next_step(busy(), MAX_ATTEMPTS, NOW)
    assert decision.dead_letter and "gave up after 8 attempts" in decision.reason


def test_a_retry_after_expiry_dead_letters():
    decision = next_step(busy(), 5, NOW, expires_at=NOW + timedelta(minutes=5))
    assert decision.dead_letter and decision.reason.startswith("expired")
    assert not next_step(busy(), 1, NOW, expires_at=NOW + timedelta(hours=1)).dead_letter
