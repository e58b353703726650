"""Reservations for trip tests: flights, hotels and cars at given UTC hours, and random itineraries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

START = datetime(2025, 1, 6, tzinfo=UTC)
AIRPORTS = ("ZRH", "GVA", "JFK", "BOS", "CDG")
HOME = frozenset({"ZRH"})


def at(hours: float) -> str:
    return (START + timedelta(hours=hours)).isoformat()


def flight(rid: str, origin: str, destination: str, hours: float, length: float = 2, **more) -> dict:
    return {"id": rid, "type": "flight", "status": "confirmed", "start": at(hours), "end": at(hours + length),
            "start_time_zone": "UTC", "end_time_zone": "UTC",
            "flight": {"airline": "LX", "number": "1", "from": origin, "to": destination}, **more}


def stay(rid: str, hours: float, length: float, kind: str = "hotel", **more) -> dict:
    detail = {"hotel": {"name": "Hotel"}} if kind == "hotel" else {"car": {"company": "Hertz"}}
    return {"id": rid, "type": kind, "status": "confirmed", "start": at(hours), "end": at(hours + length),
            "start_time_zone": "UTC", "end_time_zone": "UTC", **detail, **more}


def rid(n: int) -> str:
    return f"{n:032x}"


@st.composite
def itineraries(draw, max_size: int = 12) -> list[dict]:
    """Flights one after another (one traveller is on one plane at a time), hotels and cars anywhere,
    some of them cancelled."""
    reservations, clock = [], 0.0
    for n in range(draw(st.integers(0, max_size))):
        status = draw(st.sampled_from(["confirmed"] * 4 + ["cancelled"]))
        if draw(st.booleans()):
            clock += draw(st.integers(1, 24 * 6))
            length = draw(st.integers(1, 14))
            origin, destination = draw(st.lists(st.sampled_from(AIRPORTS), min_size=2, max_size=2))
            reservations.append(flight(rid(n), origin, destination, clock, length, status=status))
            clock += length
        else:
            start = draw(st.integers(0, 24 * 40))
            kind = draw(st.sampled_from(["hotel", "car"]))
            reservations.append(stay(rid(n), start, draw(st.integers(0, 24 * 8)), kind, status=status))
    return reservations
