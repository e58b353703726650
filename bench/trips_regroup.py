"""What regrouping costs per reservation event for a frequent traveller, and how big their trip book gets.

    python -m bench.trips_regroup [--reservations 1000] [--changes 200] [--sizes 100,1000,5000,10000] [--every-trip]

Runs domain/trips/book.py's settle() as regroup_trips runs it (the traveller's whole book regrouped around
each event), then the agent itself through Faust's test_context() on in-memory tables. The traveller lives
in Frankfurt and takes a trip a week for years: out, a hotel, a car or a second hotel, back (4 reservations a
trip), arriving in a shuffled order. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import orjson

from domain.common.places import airport_zone
from domain.reservations.fields import check
from domain.trips.book import empty_book, settle

HOME = "FRA"
PLACES = [("JFK", 9), ("LHR", 2), ("CDG", 1.5), ("NRT", 12), ("SFO", 11.5), ("BCN", 2), ("SIN", 12.5),
          ("ORD", 9.5), ("DXB", 6), ("MAD", 2.5), ("ARN", 2), ("YUL", 8.5)]
BROKER_MESSAGE_LIMIT = 1_048_576   # Kafka's default message.max.bytes


def _flight(n: int, origin: str, destination: str, day: date, hours: float) -> dict:
    leaves = datetime(day.year, day.month, day.day, 8, tzinfo=ZoneInfo(airport_zone(origin)))
    lands = (leaves + timedelta(hours=hours)).astimezone(ZoneInfo(airport_zone(destination)))
    return {"type": "flight", "confirmation": f"C{n:05d}", "travellers": ["Ann Example"],
            "start": leaves.strftime("%Y-%m-%dT%H:%M"), "end": lands.strftime("%Y-%m-%dT%H:%M"),
            "flight": {"airline": "LH", "number": str(100 + n % 900), "from": origin, "to": destination}}


def _stay(kind: str, place: str, first: date, last: date, name: str) -> dict:
    detail = {"hotel": {"name": name}} if kind == "hotel" else {"car": {"company": name}}
    return {"type": kind, "start": f"{first}T15:00", "end": f"{last}T10:00",
            "start_time_zone": airport_zone(place), **detail}


def bookings(count: int, first: date, seed: int = 14) -> list[dict]:
    """``count`` bookings as a traveller enters them (POST /api/v1/reservations bodies), one trip from home
    a week from ``first``, in the order they arrive (shuffled, as e-mails and providers bring them)."""
    out = []
    for trip in range((count + 3) // 4):
        place, hours = PLACES[trip % len(PLACES)]
        day, nights = first + timedelta(days=7 * trip), 2 + trip % 4
        back = day + timedelta(days=nights)
        second = (_stay("hotel", place, day + timedelta(days=1), back, f"Hotel {trip}b") if trip % 3 == 0
                  else _stay("car", place, day + timedelta(days=1), back, "Sixt"))
        out += [_flight(2 * trip, HOME, place, day, hours), _stay("hotel", place, day, back, f"Hotel {trip}"),
                second, _flight(2 * trip + 1, place, HOME, back, hours)]
    arriving = out[:count]
    random.Random(seed).shuffle(arriving)
    return arriving


def itinerary(count: int, first: date) -> list[dict]:
    """The same bookings as stored: checked, with IDs and versions."""
    return [{"id": f"{n:032x}", "version": 1, **check(fields)} for n, fields in enumerate(bookings(count, first))]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def figures(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"{label}: n={len(ms)}  p50={percentile(ms, 50):.1f} ms  p99={percentile(ms, 99):.1f} ms"
            f"  max={max(ms):.1f} ms  mean={statistics.mean(ms):.1f} ms")


def changed(reservation: dict, n: int) -> dict:
    """The reservation after a provider's schedule change: its times 30 minutes later, the next version."""
    later = {key: (datetime.fromisoformat(reservation[key]) + timedelta(minutes=30)).isoformat()
             for key in ("start", "end")}
    return {**reservation, **later, "version": reservation["version"] + 1, "notes": f"change {n}"}


def _settle(book: dict, reservations: list[dict], now: datetime, n: int,
            changed: set[str] | None = None) -> tuple[dict, float]:
    """The book after one event, as regroup_trips settles it, and the seconds it took."""
    start = time.perf_counter()
    settled, _ = settle(book, book, reservations, now, f"2026-01-01T00:00:{n % 60:02d}.000Z", changed)
    return settled, time.perf_counter() - start


def traveller() -> dict:
    """An empty trip book of a traveller whose home is Frankfurt airport."""
    return {**empty_book("u" * 32), "home": [HOME], "language": "en"}


def pure(count: int, changes: int, first: date, now: datetime, every_trip: bool) -> tuple[dict, dict]:
    """Reservations arriving one by one, then schedule changes to random ones of the full book; each event
    summarises only its reservation's trips, as regroup_trips does, or every trip (``every_trip``, as a
    traveller's command does)."""
    arriving, book, spent = itinerary(count, first), traveller(), []
    for n in range(count):
        book, seconds = _settle(book, arriving[: n + 1], now, n, None if every_trip else {arriving[n]["id"]})
        spent.append(seconds)
    summarised = "every trip" if every_trip else "the changed reservation's trips"
    print(f"{len(book['trips'])} trips from {count} reservations, built in {sum(spent):.1f} s"
          f" ({summarised} summarised at each event)")
    print(figures(f"  arriving, book at {count - count // 10}-{count}", spent[-(count // 10):]))
    pick, current, spent = random.Random(1), {r["id"]: r for r in arriving}, []
    for n in range(changes):
        rid = pick.choice(arriving)["id"]
        current[rid] = changed(current[rid], n)
        book, seconds = _settle(book, list(current.values()), now, n, None if every_trip else {rid})
        spent.append(seconds)
    print(figures(f"  a change to one of {count}", spent))
    return book, current


def event(reservation: dict, user_id: str) -> dict:
    """A reservation.updated event (schemas/reservation-events.json) as regroup_trips reads it."""
    return {"schema_version": 1, "event_id": f"e{reservation['id']}{reservation['version']}",
            "event_type": "reservation.updated", "reservation_id": reservation["id"], "user_id": user_id,
            "version": reservation["version"], "occurred_at": "2026-01-01T00:00:00.000Z",
            "changed_fields": ["start", "end"], "reservation": reservation}


async def through_agent(book: dict, current: dict, changes: int, data_dir: str) -> None:
    """Schedule changes put to regroup_trips under test_context(): the table read and write, the scan of
    the traveller's reservations, the trip events' JSON (sends go nowhere). The tables are in memory, so the
    worker's RocksDB prefix scan and decoding of the traveller's index entries are not in it."""
    # The app is configured from the environment when first imported: tables in memory, data in a temp dir.
    os.environ["ROADWARRIOR_STORE"] = "memory://"
    os.environ.setdefault("ROADWARRIOR_DATA_DIR", data_dir)
    from agents.trips.regroup_trips import regroup_trips
    from faust_app import app
    from streams import topics
    from tables.trips import trips
    from tables.user_reservations import entry_key, user_reservations

    app.loop = asyncio.get_running_loop()
    app.finalize()
    app.flow_control.resume()   # otherwise put() never arrives
    for name in dir(topics):
        if hasattr(topic := getattr(topics, name), "get_topic_name"):
            topic.send = _nowhere
    user_id = book["user_id"]
    trips.data[user_id] = book   # .data: Faust refuses a table write outside an agent's stream
    for rid, reservation in current.items():
        user_reservations.data[entry_key(user_id, rid)] = reservation
    pick, spent = random.Random(2), []
    async with regroup_trips.test_context() as agent:
        for n in range(changes):
            reservation = changed(current[pick.choice(list(current))], n)
            current[reservation["id"]] = user_reservations.data[entry_key(user_id, reservation["id"])] = reservation
            start = time.perf_counter()
            await agent.put(key=user_id, value=orjson.dumps(event(reservation, user_id)))
            spent.append(time.perf_counter() - start)
    print(figures(f"  through regroup_trips, a change to one of {len(current)}", spent))


async def _nowhere(**_) -> asyncio.Future:
    delivered = asyncio.get_running_loop().create_future()
    delivered.set_result(None)
    return delivered


def sizes(counts: list[int], first: date, now: datetime) -> None:
    """The trips table's changelog record (the book as JSON) for travellers of each size."""
    for count in counts:
        book, seconds = _settle(traveller(), itinerary(count, first), now, 0)
        size = len(orjson.dumps(book))
        print(f"book of {count:6} reservations: {len(book['trips']):5} trips, {size:10,} bytes"
              f" ({size / count:.0f} per reservation; {size / BROKER_MESSAGE_LIMIT:.0%} of 1 MiB)"
              f", settled from nothing in {seconds * 1000:.0f} ms")
    print(f"at {size / count:.0f} bytes a reservation, a book passes 1 MiB at ~{BROKER_MESSAGE_LIMIT * count // size:,}"
          " reservations (without tracked changes, which add to it)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reservations", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--sizes", default="100,1000,5000,10000")
    parser.add_argument("--every-trip", action="store_true",
                        help="summarise every trip at each event (before regroup_trips named the changed reservation)")
    args = parser.parse_args()
    # Four years back and one ahead: past, current and upcoming trips, whatever day it runs.
    now = datetime.now(UTC)
    first = now.date() - timedelta(days=4 * 365)
    book, current = pure(args.reservations, args.changes, first, now, args.every_trip)
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as data_dir:
        asyncio.run(through_agent(book, current, args.changes, data_dir))
    sizes([int(n) for n in args.sizes.split(",")], first, now)


if __name__ == "__main__":
    main()
