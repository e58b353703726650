"""Asking one provider: its adapter, a concurrency limit, its quota, retries with jittered backoff, a breaker.

Every request is one batch of subjects (at most the provider's batch size). A failure (timeout, 5xx, 429,
a malformed or truncated body) is retried with full-jitter backoff, never sooner than a Retry-After, up
to MAX_ATTEMPTS; a failure is never a snapshot, so it can never look like a change. Failures open the
provider's circuit breaker (a Retry-After opens it at once, for that long); while it is open the
provider is not called and the subjects wait for their next slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import aiohttp

from domain.common.retry import retry_delay
from domain.providers.breaker import STATES, Breaker
from domain.providers.limits import Quota
from domain.reports.call_tally import CallTally
from domain.tracking import metrics
from integrations.providers import ProviderCredentialsRejected, ProviderError, RateLimited, adapter_for

MAX_ATTEMPTS = 3
FAILURE_THRESHOLD = 5
RESET_TIMEOUT_S = 30.0
MAX_QUOTA_WAIT_S = 60.0     # beyond this (a daily cap reached) the slot is given up, not waited for

# Every request of this worker's gates, drained into per-provider summaries by agents/reports/send_call_stats.py.
tally = CallTally()


@dataclass
class Fetched:
    """A batch's outcome: snapshots by subject, subjects the provider does not know, or why it failed."""

    found: dict[str, dict] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    failed: str | None = None


class ProviderGate:
    """One registered provider (tables/providers.py record), called within its limits."""

    def __init__(self, record: dict, session: aiohttp.ClientSession, *, clock: Callable[[], float],
                 sleep: Callable[[float], Awaitable[None]], rand: Callable[[], float],
                 max_backoff_s: float = 60.0, reset_timeout_s: float = RESET_TIMEOUT_S) -> None:
        self.record = record
        self.provider_id = record["provider_id"]
        self.adapter = adapter_for(record["kind"], session, record["base_url"], record.get("credentials"),
                                   float(record.get("timeout_s", 10.0)))
        self.batch_size = max(1, min(int(record.get("batch_size", 50)), self.adapter.batch_size))
        self._limit = asyncio.Semaphore(int(record.get("max_concurrency", 4)))
        quota = record.get("quota") or {}
        self.quota = Quota(float(quota.get("per_second", 10.0)), per_day=quota.get("per_day"), now=clock())
        self.breaker = Breaker(FAILURE_THRESHOLD, reset_timeout_s)
        self._clock, self._sleep, self._rand = clock, sleep, rand
        self._max_backoff_s = max_backoff_s
        self._publish_state()

    async def fetch(self, subjects: Sequence[str]) -> Fetched:
        """Snapshots of up to ``batch_size`` subjects, within the quota and the breaker, with retries."""
        error, started = "unavailable", self._clock()
        for attempt in range(MAX_ATTEMPTS):
            try:
                async with self._limit:   # the breaker and the quota are asked when the request can go
                    if not self.breaker.allow(self._clock()):
                        return Fetched(failed="circuit_open")
                    if not await self._take_quota():
                        return Fetched(failed="quota")
                    started = self._clock()
                    results = await self.adapter.fetch_batch(list(subjects))
            except ProviderError as exc:
                error = _kind(exc)
                retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
                self._failed(error, retry_after)
                self._tally(started, error)
                if isinstance(exc, ProviderCredentialsRejected) or attempt == MAX_ATTEMPTS - 1:
                    break
                await self._sleep(retry_delay(attempt, self._rand, retry_after, cap_s=self._max_backoff_s))
                continue
            self._succeeded()
            self._tally(started, None)
            return Fetched(found={s: snap for s, snap in results.items() if snap is not None},
                           missing=[s for s, snap in results.items() if snap is None])
        return Fetched(failed=error)

    async def _take_quota(self) -> bool:
        while True:
            wait = self.quota.wait_s(self._clock())
            if wait > MAX_QUOTA_WAIT_S:
                return False
            if wait <= 0 and self.quota.try_acquire(self._clock()):
                return True
            await self._sleep(max(wait, 0.001))

    def _succeeded(self) -> None:
        self.breaker.record_success(self._clock())
        metrics.PROVIDER_CALLS.labels(provider=self.provider_id, outcome="ok").inc()
        self._publish_state()

    def _failed(self, kind: str, retry_after: float | None) -> None:
        self.breaker.record_failure(self._clock(), retry_after)
        metrics.PROVIDER_CALLS.labels(provider=self.provider_id, outcome="error").inc()
        metrics.PROVIDER_ERRORS.labels(provider=self.provider_id, kind=kind).inc()
        self._publish_state()

    def _tally(self, started: float, error: str | None) -> None:
        now = self._clock()
        tally.record(self.provider_id, now, max(0.0, now - started) * 1000, error)

    def _publish_state(self) -> None:
        metrics.set_circuit_state(self.provider_id, self.breaker.state(self._clock()), STATES)


def _kind(exc: ProviderError) -> str:
    if isinstance(exc, ProviderCredentialsRejected):
        return "auth"
    return exc.error if exc.error != "not_found" else "unexpected_not_found"

