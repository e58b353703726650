"""Marks of tracked reservations: each reservation counted once a month for its vendor, never per snapshot.

The diff stage sees every tracked reservation's snapshot every cycle. The row key a reservation was last
marked under is kept in its tracking record (``"marked"``); a snapshot handled in a month (UTC) whose key
differs adds the reservation to that cycle's marks, grouped by row key: one message per key per batch.
"""

from __future__ import annotations

from domain.reports.vendor_keys import month_of, row_key, vendor_of


def mark_key(state: dict | None, subject: str, now: float) -> str | None:
    """The row key to mark the reservation under now; None when it is marked already (or not tracked here)."""
    if state is None or state.get("subject") != subject:
        return None
    vendor = vendor_of(subject)
    if vendor is None:
        return None
    key = row_key(*vendor, month_of(now))
    return None if state.get("marked") == key else key


class Marks:
    """One batch's marks, grouped by row key."""

    def __init__(self) -> None:
        self.by_key: dict[str, dict] = {}

    def add(self, key: str, reservation_id: str, user_id: str, provider: str | None) -> None:
        group = self.by_key.setdefault(key, {"kind": "marks", "provider": provider, "marks": []})
        group["marks"].append([reservation_id, user_id])
        group["provider"] = provider or group["provider"]
