"""Provider calls counted in memory between summaries: calls, errors by kind, latency histogram per month.

The provider gate counts every request here; a timer drains it every few seconds into one summary per
provider and month (never a message per call). Each summary gets its ID when drained, so a resend of it
carries the same ID and the aggregation counts it once.
"""

from __future__ import annotations

import uuid

from domain.reports import histogram
from domain.reports.vendor_keys import month_of


class CallTally:
    """Calls per (provider, month) since the last drain."""

    def __init__(self) -> None:
        self._open: dict[tuple[str, str], dict] = {}

    def record(self, provider: str, at: float, latency_ms: float, error: str | None) -> None:
        entry = self._open.setdefault((provider, month_of(at)), {"calls": 0, "errors": {}, "latency_ms": {}})
        entry["calls"] += 1
        if error is not None:
            entry["errors"][error] = entry["errors"].get(error, 0) + 1
        histogram.add(entry["latency_ms"], latency_ms)

    def drain(self) -> list[tuple[str, dict]]:
        """(provider, summary) for everything counted since the last drain; the tally starts again."""
        drained, self._open = self._open, {}
        return [(provider, {"schema_version": 1, "summary_id": str(uuid.uuid4()), "provider": provider,
                            "month": month, **entry})
                for (provider, month), entry in drained.items()]

    def __len__(self) -> int:
        return len(self._open)
