"""The simulated world without HTTP: determinism by seed, laziness, change rules, faults bookkeeping."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from devtools.simulator.catalogue import PROVIDERS, locator, locator_index
from devtools.simulator.changes import ChangeRejected, apply_change
from devtools.simulator.faults import Faults
from devtools.simulator.world import World
from integrations.providers.shapes import check_snapshot

START = date(2026, 12, 1)
FIXED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
FLIGHT = "flight/LH/401/2026-12-01"


def _world(seed: int = 42, population: int = 10_000) -> World:
    return World(seed=seed, start=START, population=population, clock=lambda: FIXED)


def _sample(world: World) -> list[str]:
    return [world.subject_at(provider, index) for provider in ("airline-sim", "hotel-sim", "car-sim", "gds-sim")
            for index in (0, 17, 4711, 9999)]


def test_same_seed_gives_the_same_world_and_the_same_changes():
    first, second = _world(), _world()
    assert [first.snapshot(s) for s in _sample(first)] == [second.snapshot(s) for s in _sample(second)]
    assert first.advance(300) == second.advance(300)
    assert [first.snapshot(s) for s in _sample(first)] == [second.snapshot(s) for s in _sample(second)]


def test_another_seed_gives_another_world():
    first, second = _world(1), _world(2)
    assert [first.snapshot(s) for s in _sample(first)] != [second.snapshot(s) for s in _sample(second)]
    assert [e["change"] for e in first.advance(50)] != [e["change"] for e in second.advance(50)]


def test_every_sampled_and_changed_snapshot_is_valid():
    world = _world()
    for subject in _sample(world):
        check_snapshot(world.snapshot(subject))
    for entry in world.advance(2000):
        check_snapshot(world.snapshot(entry["subject"]))


def test_a_million_subjects_cost_nothing_until_they_change():
    world = _world(population=1_000_000)
    subjects = [world.subject_at(provider, 999_999 - i) for provider in PROVIDERS for i in range(50)]
    assert len(set(subjects)) == len(subjects)
    assert all(world.snapshot(subject) is not None for subject in subjects)
    assert world.stats()["stored"] == 0
    world.inject(subjects[0], {"type": "gate", "gate": "K1"})
    assert world.stats()["stored"] == 1


@pytest.mark.parametrize("subject", [
    "hotel/hotel-sim/H000010000",   # just past the population of 10,000
    "hotel/hotel-sim/NOSUCH",
    "hotel/car-sim/C000000001",     # a car provider has no hotels
    "hotel/nobody/H000000001",
    "pnr/gds-sim/ZZZZZZ",
    "hotel/gds-sim/AAAAAC-X",
    "flight/LH/401/2026-02-30",
    "not a subject",
])
def test_unknown_subjects_are_not_found(subject):
    assert _world().snapshot(subject) is None


def test_flights_fly_one_route_daily_and_back_on_the_even_number():
    world = _world()
    out, back = world.snapshot("flight/LH/401/2026-12-01"), world.snapshot("flight/LH/402/2026-12-05")
    tomorrow = world.snapshot("flight/LH/401/2026-12-02")
    assert (out["departure"]["airport"], out["arrival"]["airport"]) == (
        back["arrival"]["airport"], back["departure"]["airport"])
    assert out["departure"]["scheduled"]["local"][11:] == tomorrow["departure"]["scheduled"]["local"][11:]


def test_locators_round_trip():
    assert [locator_index(locator(i)) for i in (0, 1, 31, 32, 10**6, 32**6 - 1)] == [0, 1, 31, 32, 10**6, 32**6 - 1]
    assert locator_index("AB1DEF") is None  # 1 is not in the alphabet


def test_injected_change_is_logged_with_its_time():
    world = _world()
    entry = world.inject(FLIGHT, {"type": "delay", "minutes": 30})
    assert entry == {"seq": 1, "subject": FLIGHT, "at": "2026-11-30T12:00:00Z",
                     "change": {"type": "delay", "minutes": 30}, "source": "injected"}
    assert world.changes(FLIGHT) == [entry]
    assert world.snapshot(FLIGHT)["provider_changed_at"] == "2026-11-30T12:00:00Z"


def test_record_changes_include_its_segments():
    world = _world()
    record = world.subject_at("gds-sim", 5)
    segment = world.snapshot(record)["segments"][0]["subject"]
    entry = world.inject(segment, {"type": "patch", "snapshot": {"status": "cancelled"}}
                         if not segment.startswith("flight/") else {"type": "cancel"})
    assert world.changes(record) == [entry]
    assert world.snapshot(record)["provider_changed_at"] == entry["at"]


def test_listeners_hear_every_change():
    world, heard = _world(), []
    world.listeners.append(lambda subject, snapshot, entry: heard.append((subject, snapshot["status"])))
    world.inject(FLIGHT, {"type": "cancel"})
    assert heard == [(FLIGHT, "cancelled")]


def _flight() -> dict:
    return _world().snapshot(FLIGHT)


def test_delay_sets_estimates_and_status():
    delayed = apply_change(_flight(), {"type": "delay", "minutes": 45})
    assert delayed["status"] == "delayed"
    scheduled, estimated = delayed["departure"]["scheduled"], delayed["departure"]["estimated"]
    assert (datetime.fromisoformat(estimated["utc"]) - datetime.fromisoformat(scheduled["utc"])).seconds == 45 * 60
    back = apply_change(delayed, {"type": "delay", "minutes": 0})
    assert back["status"] == "scheduled" and back["departure"]["estimated"] is None


def test_short_delay_keeps_the_flight_scheduled():
    assert apply_change(_flight(), {"type": "delay", "minutes": 10})["status"] == "scheduled"


def test_a_flight_departs_lands_and_can_be_diverted():
    departed = apply_change(_flight(), {"type": "depart"})
    diverted = apply_change(departed, {"type": "divert", "airport": "MUC"})
    assert diverted["status"] == "diverted"
    assert diverted["arrival"]["airport"] == "MUC"
    assert diverted["arrival"]["estimated"]["zone"] == "Europe/Berlin"
    landed = apply_change(diverted, {"type": "land"})
    assert landed["status"] == "diverted" and landed["arrival"]["actual"] == landed["arrival"]["estimated"]


@pytest.mark.parametrize("change", [
    {"type": "land"},                                  # not departed
    {"type": "divert", "airport": "XQX"},              # no such airport
    {"type": "gate", "side": "middle", "gate": "A1"},
    {"type": "room", "room_type": "Suite"},            # a hotel change on a flight
    {"type": "patch", "snapshot": {"status": "boarding"}},
    {"type": "patch", "snapshot": {"wifi": True}},
    {"kind": "delay"},
    "delay",
])
def test_impossible_changes_are_rejected(change):
    with pytest.raises(ChangeRejected):
        apply_change(_flight(), change)


def test_cancelled_cannot_be_cancelled_again():
    with pytest.raises(ChangeRejected):
        apply_change(apply_change(_flight(), {"type": "cancel"}), {"type": "cancel"})


def test_hotel_dates_move_and_keep_the_clock_time():
    world = _world()
    hotel = world.snapshot("hotel/hotel-sim/H000000001")
    moved = apply_change(hotel, {"type": "dates", "check_in": "2026-12-20", "check_out": "2026-12-22"})
    assert moved["check_in"]["local"] == "2026-12-20T15:00:00"
    assert moved["check_out"]["local"] == "2026-12-22T11:00:00"
    shifted = apply_change(moved, {"type": "dates", "shift_days": 1})
    assert shifted["check_in"]["local"] == "2026-12-21T15:00:00"
    with pytest.raises(ChangeRejected):
        apply_change(hotel, {"type": "dates", "check_in": "2026-12-22", "check_out": "2026-12-20"})


def test_car_pickup_moves_and_may_not_pass_dropoff():
    car = _world().snapshot("car/car-sim/C000000001")
    moved = apply_change(car, {"type": "pickup", "location": "Central Station", "time": car["pickup"]["time"][
        "local"][:11] + "06:00:00"})
    assert moved["pickup"]["location"] == "Central Station"
    assert moved["pickup"]["time"]["local"].endswith("T06:00:00")
    with pytest.raises(ChangeRejected):
        apply_change(car, {"type": "pickup", "time": "2099-01-01T00:00:00"})


def test_bookings_with_bad_specs_are_refused():
    world = _world()
    for spec in ({"kind": "boat"}, {"kind": "flight", "carrier": "LH", "number": "1", "date": "2026-12-01",
                                    "from": "XQX"},
                 {"kind": "hotel", "provider": "car-sim"}, {"kind": "hotel", "zone": "Mars/Olympus"}):
        with pytest.raises(ValueError):
            world.create(spec)


def test_faults_expire_by_time_and_by_count():
    now = [100.0]
    faults = Faults(clock=lambda: now[0])
    faults.add({"provider": "hotel-sim", "kind": "5xx", "for_s": 10})
    faults.add({"kind": "429", "count": 1, "retry_after": 3})
    assert faults.take("car-sim").kind == "429"  # "*" matches any provider, once
    assert faults.take("car-sim") is None
    assert faults.take("hotel-sim").kind == "5xx"
    now[0] += 10
    assert faults.take("hotel-sim") is None
    assert faults.active() == []


@pytest.mark.parametrize("spec", [{"kind": "gremlins"}, {"kind": "5xx", "status": 404}, {"kind": "latency",
                                                                                        "for_s": "soon"}])
def test_bad_faults_are_refused(spec):
    with pytest.raises(ValueError):
        Faults().add(spec)
