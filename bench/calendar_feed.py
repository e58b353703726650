"""How long a traveller's calendar feed takes to build, as GET /calendar/<token>.ics builds it.

Run: python -m bench.calendar_feed [--reservations 500]. Prints the best and median of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from domain.reservations.fields import check
from domain.trips.calendar import feed

ROUTES = [("FRA", "JFK"), ("JFK", "LAX"), ("LAX", "NRT"), ("NRT", "SYD"), ("SYD", "LHR"), ("LHR", "FRA")]
HOTEL_ZONES = ["America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney", "Europe/London"]


def reservations(count: int, first: date) -> list[dict]:
    """Flights, hotels and cars over a few years, in ten zones: a frequent traveller's history and plans."""
    out = []
    for n in range(count):
        day = (first + timedelta(days=2 * n)).isoformat()
        if n % 3 == 0:
            origin, destination = ROUTES[n % len(ROUTES)]
            fields = {"type": "flight", "confirmation": f"C{n:05d}", "travellers": ["Ann"], "start": f"{day}T09:00",
                      "end": f"{day}T23:00", "flight": {"airline": "LH", "number": str(n % 9000 + 1),
                                                        "from": origin, "to": destination}}
        elif n % 3 == 1:
            fields = {"type": "hotel", "start": f"{day}T15:00", "end": f"{day}T23:00",
                      "start_time_zone": HOTEL_ZONES[n % len(HOTEL_ZONES)], "hotel": {"name": f"Hotel {n}"}}
        else:
            fields = {"type": "car", "start": f"{day}T08:00", "end": f"{day}T20:00",
                      "start_time_zone": HOTEL_ZONES[n % len(HOTEL_ZONES)], "car": {"company": "Sixt"}}
        out.append({"id": f"{n:032x}", "version": 1 + n % 4, "updated_at": "2026-01-01T00:00:00Z", **check(fields)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reservations", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    items = reservations(args.reservations, date(2026, 1, 1))
    now, times = datetime.now(UTC), []
    for _ in range(args.runs):
        start = time.perf_counter()
        document = feed(items, now)
        times.append(time.perf_counter() - start)
    print(f"{args.reservations} reservations -> {len(document):,} bytes; "
          f"best {min(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms ({args.runs} runs)")


if __name__ == "__main__":
    main()
