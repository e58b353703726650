"""Fixtures the trip tests share: the trips' clock before the itinerary, and the owner's trip of it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tables.logins import logins
from tables.trips import trips
from tests.unit.trips.itineraries import START
from tests.unit.trips.serving import set_clock
from tests.unit.trips.test_agents import BACK, FRIEND, HOTEL, OUT, USER, arrive


@pytest.fixture
def clock(monkeypatch):
    """The trips' clock two days before the itinerary, then moved as a test says."""
    return set_clock(monkeypatch, START - timedelta(days=2))


@pytest.fixture
async def trip_id(faust_app, sent) -> str:
    """The owner's one trip (out, hotel, back), and a registered friend's address to share it with."""
    await arrive(OUT, HOTEL, BACK)
    logins.data["friend@example.com"] = {"user_id": FRIEND, "password_hash": "x", "role": "traveller"}
    (only,) = trips[USER]["trips"]
    return only
