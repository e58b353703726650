"""Trips on a real broker and worker: reservations made through the API land in named trips, a move by hand
sticks, and the test clock ends a trip, which leaves the dashboard and shows under status=past."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.integration.conftest import TRIP_DAY, Api, eventually, flight

pytestmark = pytest.mark.integration
DAY = date.fromisoformat(TRIP_DAY)


def on(days: int, clock: str) -> str:
    return f"{DAY + timedelta(days=days)}T{clock}"


def hotel(days: int, nights: int, zone: str, name: str) -> dict:
    return {"type": "hotel", "start": on(days, "15:00"), "end": on(days + nights, "11:00"),
            "start_time_zone": zone, "hotel": {"name": name}}


@pytest.fixture
def clocked_worker(cluster):
    one = cluster.worker("w1", ROADWARRIOR_TRIPS_TEST_CLOCK="1", ROADWARRIOR_TRIPS_TICK_S="0.5").start()
    one.wait_ready()
    return one


async def trips(api: Api, query: str = "") -> list[dict]:
    status, page, _ = await api.call("GET", f"/api/v1/trips{query}")
    assert status == 200, page
    return page["items"]


async def test_reservations_form_trips_a_move_sticks_and_the_clock_ends_a_trip(clocked_worker, http):
    api = Api(http, clocked_worker.url)
    await api.sign_up_and_log_in("Ann")
    status, me, _ = await api.call("PATCH", "/api/v1/me", {"home": "FRA"})
    assert status == 200 and me["home"] == ["FRA"]
    made = {}
    for key, body in [("out", flight()), ("stay", hotel(0, 3, "America/New_York", "Hotel Example")),
                      ("back", flight(start=on(3, "18:00"), end=on(4, "08:00"),
                                      flight={"airline": "LH", "number": "401", "from": "JFK", "to": "FRA"})),
                      ("paris", flight(start=on(20, "07:00"), end=on(20, "08:15"),
                                       flight={"airline": "LH", "number": "1028", "from": "FRA", "to": "CDG"})),
                      ("paris-hotel", hotel(20, 2, "Europe/Paris", "Hôtel Exemple"))]:
        status, created, _ = await api.call("POST", "/api/v1/reservations", body)
        assert status == 201, created
        made[key] = created["id"]

    listed = await eventually(lambda: _named(api, {"New York", "Paris"}))
    new_york, paris = (next(t for t in listed if t["name"] == name) for name in ("New York", "Paris"))
    assert new_york["reservation_ids"] == [made["out"], made["stay"], made["back"]]
    assert [r["id"] for r in new_york["reservations"]] == new_york["reservation_ids"]
    assert new_york["start_time_zone"] == "Europe/Berlin" and new_york["end_time_zone"] == "Europe/Berlin"
    assert new_york["status"] == "upcoming" and new_york["reservations"][0]["latest_change"] is None

    bob = Api(api.http, clocked_worker.url)
    await bob.sign_up_and_log_in("Bob")
    for method, path, body in [("GET", "", None), ("PATCH", "", {"name": "Mine"}), ("DELETE", "", None),
                               ("POST", "/merge", {"trip_id": paris["id"]})]:
        status, problem, _ = await bob.call(method, f"/api/v1/trips/{new_york['id']}{path}", body)
        assert status == 404 and problem["type"].endswith("/not-found"), (method, path, problem)

    status, moved, _ = await api.call("POST", f"/api/v1/trips/{paris['id']}/reservations",
                                      {"reservation_id": made["stay"]})
    assert status == 200 and made["stay"] in moved["reservation_ids"], moved
    # A new reservation regroups the New York trip; the hotel stays where the traveller put it.
    status, car, _ = await api.call("POST", "/api/v1/reservations", {
        "type": "car", "start": on(3, "13:00"), "end": on(3, "17:30"), "start_time_zone": "America/New_York",
        "car": {"company": "Example Rentals"}})
    assert status == 201, car
    status, again, _ = await api.call("GET", f"/api/v1/trips/{new_york['id']}")
    assert status == 200 and car["id"] in again["reservation_ids"] and made["stay"] not in again["reservation_ids"]
    status, paris_now, _ = await api.call("GET", f"/api/v1/trips/{paris['id']}")
    assert made["stay"] in paris_now["reservation_ids"]

    # The New York trip is over 12 hours after landing in Frankfurt, on Frankfurt's clocks; Paris is not.
    over = datetime.fromisoformat(again["end"]) + timedelta(hours=13)
    status, moved_clock, _ = await api.call("POST", "/api/v1/test-clock", {
        "advance_s": (over - datetime.now(UTC)).total_seconds()})
    assert status == 200, moved_clock
    await eventually(lambda: _without(api, new_york["id"]))
    (past,) = await trips(api, "?status=past")
    assert past["id"] == new_york["id"] and past["status"] == "past"
    assert [t["id"] for t in await trips(api)] == [paris["id"]]


async def _named(api: Api, names: set[str]) -> list[dict] | None:
    listed = await trips(api)
    return listed if {t["name"] for t in listed} == names and len(listed) == len(names) else None


async def _without(api: Api, trip_id: str) -> bool:
    return trip_id not in {t["id"] for t in await trips(api)}
