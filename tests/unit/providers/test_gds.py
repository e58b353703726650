"""A GDS against the simulator: each segment of a booking record is a subject of its own."""

from __future__ import annotations

from datetime import date

import aiohttp
import pytest

from devtools.simulator.app import SimulatorConfig, build_app
from integrations.providers import adapter_for

START = date(2026, 12, 1)
TRIP = {
    "kind": "pnr", "record_locator": "RWTEST",
    "segments": [
        {"kind": "flight", "carrier": "LH", "number": "400", "date": "2026-12-01", "from": "FRA", "to": "JFK",
         "departure": "2026-12-01T10:15:00"},
        {"kind": "hotel", "name": "Hotel Riverside", "address": "1 Water St, New York", "zone": "America/New_York",
         "check_in": "2026-12-01", "check_out": "2026-12-04"},
        {"kind": "car", "company": "Hertz", "zone": "America/New_York",
         "pickup": {"location": "JFK Airport", "time": "2026-12-01T14:00:00"},
         "dropoff": {"location": "JFK Airport", "time": "2026-12-04T09:00:00"}},
    ],
}


@pytest.fixture
async def simulator(aiohttp_server):
    return await aiohttp_server(build_app(SimulatorConfig(seed=3, start=START, population=10_000)))


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def gds(session, simulator):
    return adapter_for("gds", session, str(simulator.make_url("/p/gds-sim")), None, 2.0)


async def _post(session, simulator, path, body):
    async with session.post(simulator.make_url(path), json=body) as response:
        assert response.status in (200, 201), await response.text()
        return await response.json()


async def test_a_records_segments_are_served_under_their_own_subjects(session, simulator, gds):
    subject = (await _post(session, simulator, "/control/bookings", TRIP))["subject"]
    assert subject == "pnr/gds-sim/RWTEST"
    found = await gds.fetch_batch(["flight/LH/400/2026-12-01", "hotel/gds-sim/RWTEST-2", "car/gds-sim/RWTEST-3",
                                   "hotel/gds-sim/NOSUCH-1"])
    flight = found["flight/LH/400/2026-12-01"]
    assert flight["departure"]["airport"] == "FRA" and flight["arrival"]["airport"] == "JFK"
    assert flight["departure"]["scheduled"] == {"local": "2026-12-01T10:15:00", "zone": "Europe/Berlin",
                                                "utc": "2026-12-01T09:15:00Z"}
    hotel = found["hotel/gds-sim/RWTEST-2"]
    assert hotel["check_in"]["local"] == "2026-12-01T15:00:00" and hotel["name"] == "Hotel Riverside"
    assert found["car/gds-sim/RWTEST-3"]["pickup"]["time"]["utc"] == "2026-12-01T19:00:00Z"
    assert found["hotel/gds-sim/NOSUCH-1"] is None


async def test_a_segment_change_shows_with_its_time(session, simulator, gds):
    await _post(session, simulator, "/control/bookings", TRIP)
    entry = await _post(session, simulator, "/control/changes",
                        {"subject": "hotel/gds-sim/RWTEST-2", "change": {"type": "room", "room_type": "Suite"}})
    hotel = await gds.fetch_one("hotel/gds-sim/RWTEST-2")
    assert hotel["room_type"] == "Suite" and hotel["provider_changed_at"] == entry["at"]
