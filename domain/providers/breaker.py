"""Per-provider circuit breaker: a pure state machine over ``now`` that leaves a failing provider alone for a while.

Not pybreaker, aiobreaker or purgatory: they wrap the call and read the wall clock themselves (pybreaker
runs sync, or async only through Tornado), and none opens for as long as a provider's Retry-After asks.
Here the provider loop asks the breaker before each attempt, as it asks its quota, and the tests drive
it with their own clock.
"""

from __future__ import annotations

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"
STATES = (CLOSED, OPEN, HALF_OPEN)


class Breaker:
    """closed -> (``failure_threshold`` failures in a row) -> open -> (``reset_timeout_s``) -> half_open.

    Half-open lets ``half_open_max_calls`` trial calls through: ``success_threshold`` successes close it,
    one failure opens it again. Count as failures what says the provider is unwell (timeouts, 5xx,
    refused connections, 429), not answers such as "not found". Times are seconds since the epoch.
    """

    def __init__(self, failure_threshold: int = 5, reset_timeout_s: float = 30.0,
                 half_open_max_calls: int = 1, success_threshold: int = 1) -> None:
        if failure_threshold < 1 or half_open_max_calls < 1 or success_threshold < 1 or reset_timeout_s < 0:
            raise ValueError("thresholds must be at least 1 and the timeout not negative")
        self.failure_threshold = failure_threshold
        self.reset_timeout_s = reset_timeout_s
        self.half_open_max_calls = half_open_max_calls
        self.success_threshold = success_threshold
        self._state = CLOSED
        self.failures = 0
        self.successes = 0
        self.open_until = 0.0
        self.trials = 0
        self.trial_started = 0.0

    def state(self, now: float) -> str:
        """The state at ``now``; an open breaker whose wait is over is half-open."""
        if self._state == OPEN and now >= self.open_until:
            self._state, self.trials, self.successes = HALF_OPEN, 0, 0
        return self._state

    def allow(self, now: float) -> bool:
        """Whether a call may go now; in half-open this books one of the trial calls."""
        state = self.state(now)
        if state == CLOSED:
            return True
        if state == OPEN:
            return False
        if self.trials and now - self.trial_started >= self.reset_timeout_s:
            self.trials = 0  # the trial's outcome never came back (worker crash): let another one try
        if self.trials >= self.half_open_max_calls:
            return False
        self.trials += 1
        self.trial_started = now
        return True

    def record_success(self, now: float) -> None:
        state = self.state(now)
        if state == CLOSED:
            self.failures = 0
        elif state == HALF_OPEN:
            self.trials = max(0, self.trials - 1)
            self.successes += 1
            if self.successes >= self.success_threshold:
                self._state, self.failures, self.successes, self.trials = CLOSED, 0, 0, 0
        # While open, a success can only be a call let through before it opened: it proves nothing.

    def record_failure(self, now: float, retry_after_s: float | None = None) -> None:
        """Count a failure; one carrying a Retry-After (a 429 or 503 naming when to come back) opens at once.

        The breaker then stays open for the longer of ``reset_timeout_s`` and that wait.
        """
        state = self.state(now)
        if state == HALF_OPEN:
            self._open(now, retry_after_s)
        elif state == CLOSED:
            self.failures += 1
            if self.failures >= self.failure_threshold or retry_after_s is not None:
                self._open(now, retry_after_s)

    def _open(self, now: float, retry_after_s: float | None) -> None:
        self._state = OPEN
        self.open_until = now + max(self.reset_timeout_s, retry_after_s or 0.0)
        self.failures = self.successes = self.trials = 0
