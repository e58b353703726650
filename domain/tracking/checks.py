"""When each subject's provider last answered, as the diff stage sees the snapshots go by: "last checked".

A poll that changes nothing writes nothing (the tracking record keeps only the fetch time of the snapshot that
last changed it), so the time of the latest answer is kept here, in the memory of the worker that diffs the
subject's reservations and serves GET /api/v1/reservations/{id} for them. Only answers arrive here (a failed
fetch never reaches the diff stage), so the time shown is a real answer, never a mere schedule. After a restart
or a rebalance the memory is empty until the next cycle, and the record's own fetch time, older but true,
stands in.
"""

from __future__ import annotations

from collections.abc import Mapping


class LastChecks:
    """subject -> the fetch time (epoch seconds) of the latest answer about it seen by this worker."""

    def __init__(self, keep_s: float) -> None:
        self.keep_s = keep_s
        self._at: dict[str, float] = {}
        self._pruned_at = 0.0

    def __len__(self) -> int:
        return len(self._at)

    def seen(self, snapshots: Mapping[str, Mapping], now: float) -> None:
        """A provider-snapshots batch's entries (subject -> {fetched_at, ...}) went by at ``now``."""
        at = self._at
        for subject, entry in snapshots.items():
            fetched = entry.get("fetched_at")
            if isinstance(fetched, (int, float)) and fetched > at.get(subject, 0.0):
                at[subject] = float(fetched)
        if now - self._pruned_at >= self.keep_s:
            self._prune(now)

    def of(self, subject: str | None) -> float | None:
        return self._at.get(subject) if subject else None

    def forget(self) -> None:
        self._at.clear()

    def _prune(self, now: float) -> None:
        # Subjects no longer polled (their trips are over) would otherwise stay for the worker's life. Dropping
        # an entry only makes "last checked" fall back to the record's older time, never claim a check.
        self._pruned_at = now
        self._at = {s: t for s, t in self._at.items() if t >= now - self.keep_s}


def last_checked(record: Mapping | None, remembered: float | None) -> float | None:
    """The latest time the provider answered about the tracked reservation: remembered or kept in its record."""
    if record is None:
        return None
    times = [t for t in (record.get("fetched_at"), remembered) if isinstance(t, (int, float))]
    return max(times) if times else None
