"""Micro-benchmark of diff_snapshots: prints diffs per second per case. Run: python -m bench.diff_micro."""

from __future__ import annotations

import copy
import time

from domain.tracking.diff import carry_forward, diff_snapshots
from domain.tracking.snapshots import car_snapshot, flight_snapshot, point, stop, time_from_local

TARGET_PER_S = 35_000


def flight() -> dict:
    return flight_snapshot(
        "LH", "400", "2026-12-01", status="scheduled", aircraft="A388",
        departure=point("FRA", time_from_local("2026-12-01T10:05:00", "Europe/Berlin"), terminal="1", gate="B20"),
        arrival=point("JFK", time_from_local("2026-12-01T13:10:00", "America/New_York"), terminal="1"),
        provider_changed_at="2026-11-30T08:00:00Z")


def cases() -> dict[str, tuple[dict, dict]]:
    base = flight()
    stamped = {**copy.deepcopy(base), "provider_changed_at": "2026-11-30T08:05:00Z"}
    gate = copy.deepcopy(stamped)
    gate["departure"]["gate"] = "B24"
    delay = copy.deepcopy(stamped)
    delay["status"] = "delayed"
    delay["departure"]["estimated"] = time_from_local("2026-12-01T11:00:00", "Europe/Berlin")
    cancelled = {**copy.deepcopy(base), "status": "cancelled"}
    car = car_snapshot(status="confirmed", company="Sixt",
                       pickup=stop("FRA T1", time_from_local("2026-12-01T14:00:00", "Europe/Berlin")))
    car_moved = copy.deepcopy(car)
    car_moved["pickup"]["time"] = time_from_local("2026-12-01T15:00:00", "Europe/Berlin")
    return {
        "no change (equal copy)": (base, copy.deepcopy(base)),
        "no change (new provider_changed_at)": (base, stamped),
        "change: gate": (base, gate),
        "change: delay (status + estimated)": (base, delay),
        "change: cancelled": (base, cancelled),
        "change: car pickup moved": (car, car_moved),
    }


def diff_only(old: dict, new: dict) -> None:
    diff_snapshots(old, new)


def diff_and_keep(old: dict, new: dict) -> None:
    """What the tracking agent does per snapshot: diff, then keep the carried-forward snapshot."""
    diff_snapshots(old, new)
    carry_forward(old, new)


def rate(step, old: dict, new: dict, seconds: float = 0.4) -> float:
    """Best of three timed runs, in calls per second."""
    best = 0.0
    for _ in range(3):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            for _ in range(1000):
                step(old, new)
            count += 1000
        best = max(best, count / elapsed)
    return best


def main() -> None:
    print(f"{'case':40s} {'diff/s':>12s} {'diff+keep/s':>12s}  (target {TARGET_PER_S:,}/s)")
    for name, (old, new) in cases().items():
        alone, kept = rate(diff_only, old, new), rate(diff_and_keep, old, new)
        verdict = "ok" if kept >= TARGET_PER_S else "BELOW TARGET"
        print(f"{name:40s} {alone:>12,.0f} {kept:>12,.0f}  {verdict}")


if __name__ == "__main__":
    main()
