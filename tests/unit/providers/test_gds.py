"""The GDS adapter against the simulator: booking records split into per-segment snapshots."""

from __future__ import annotations

from datetime import date

import aiohttp
import pytest

from devtools.simulator.app import SimulatorConfig, build_app
from integrations.providers.errors import MalformedResponse, UnknownSubject
from integrations.providers.gds import GdsProvider, segments_of

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
    return GdsProvider(session, str(simulator.make_url("/p/gds-sim")), None, 2.0)


async def _post(session, simulator, path, body):
    async with session.post(simulator.make_url(path), json=body) as response:
        assert response.status in (200, 201), await response.text()
        return await response.json()


async def test_created_record_splits_into_its_segments(session, simulator, gds):
    subject = (await _post(session, simulator, "/control/bookings", TRIP))["subject"]
    assert subject == "pnr/gds-sim/RWTEST"
    segments = await gds.fetch_segments(subject)
    assert list(segments) == ["flight/LH/400/2026-12-01", "hotel/gds-sim/RWTEST-2", "car/gds-sim/RWTEST-3"]
    flight = segments["flight/LH/400/2026-12-01"]
    assert flight["departure"]["airport"] == "FRA" and flight["arrival"]["airport"] == "JFK"
    assert flight["departure"]["scheduled"] == {"local": "2026-12-01T10:15:00", "zone": "Europe/Berlin",
                                                "utc": "2026-12-01T09:15:00Z"}
    hotel = segments["hotel/gds-sim/RWTEST-2"]
    assert hotel["check_in"]["local"] == "2026-12-01T15:00:00" and hotel["name"] == "Hotel Riverside"
    assert segments["car/gds-sim/RWTEST-3"]["pickup"]["time"]["utc"] == "2026-12-01T19:00:00Z"


async def test_a_segment_change_shows_in_the_record_with_its_time(session, simulator, gds):
    subject = (await _post(session, simulator, "/control/bookings", TRIP))["subject"]
    entry = await _post(session, simulator, "/control/changes",
                        {"subject": "hotel/gds-sim/RWTEST-2", "change": {"type": "room", "room_type": "Suite"}})
    record = await gds.fetch_record(subject)
    assert record["provider_changed_at"] == entry["at"]
    segments = segments_of(record)
    assert segments["hotel/gds-sim/RWTEST-2"]["room_type"] == "Suite"
    assert segments["hotel/gds-sim/RWTEST-2"]["provider_changed_at"] == entry["at"]
    assert segments["flight/LH/400/2026-12-01"]["provider_changed_at"] == entry["at"]  # the record's time


async def test_cancelled_record_cancels_every_segment(session, simulator, gds):
    subject = (await _post(session, simulator, "/control/bookings", TRIP))["subject"]
    await _post(session, simulator, "/control/changes", {"subject": subject, "change": {"type": "cancel"}})
    segments = await gds.fetch_segments(subject)
    assert {snapshot["status"] for snapshot in segments.values()} == {"cancelled"}


async def test_removed_segment_is_gone_from_the_record(session, simulator, gds):
    subject = (await _post(session, simulator, "/control/bookings", TRIP))["subject"]
    await _post(session, simulator, "/control/changes",
                {"subject": subject, "change": {"type": "remove_segment", "subject": "car/gds-sim/RWTEST-3"}})
    assert "car/gds-sim/RWTEST-3" not in await gds.fetch_segments(subject)


async def test_derived_records_are_served_and_unknown_ones_not(gds):
    found = await gds.fetch_segments_batch(["pnr/gds-sim/AAAAAC", "pnr/gds-sim/ZZZZZZ"])
    segments = found["pnr/gds-sim/AAAAAC"]
    assert segments and all(s.startswith(("flight/", "hotel/gds-sim/", "car/gds-sim/")) for s in segments)
    assert found["pnr/gds-sim/ZZZZZZ"] is None  # outside the population of 10,000
    with pytest.raises(UnknownSubject):
        await gds.fetch_record("pnr/gds-sim/ZZZZZZ")


async def test_a_derived_trip_is_coherent(gds):
    segments = await gds.fetch_segments("pnr/gds-sim/AAAAAC")
    flights = [s for subject, s in segments.items() if subject.startswith("flight/")]
    out = flights[0]
    for subject, snapshot in segments.items():
        if subject.startswith("hotel/"):
            assert snapshot["check_in"]["zone"] == out["arrival"]["scheduled"]["zone"]
    if len(flights) == 2:
        assert flights[1]["departure"]["airport"] == out["arrival"]["airport"]
        assert flights[1]["arrival"]["airport"] == out["departure"]["airport"]


async def test_a_segment_subject_alone_is_not_a_record(gds):
    segments = await gds.fetch_segments("pnr/gds-sim/AAAAAC")
    with pytest.raises(MalformedResponse):
        await gds.fetch_record(next(iter(segments)))
