"""The trips dashboard over HTTP: a traveller whose reservations predate trips still finds them grouped."""

from __future__ import annotations

from tables.trips import trips
from tests.unit.trips.itineraries import rid
from tests.unit.trips.test_link_views import ANN, call, client  # noqa: F401, F811 (fixture)


async def test_reservations_made_before_trips_existed_are_grouped_when_the_dashboard_is_first_read(client):  # noqa: F811
    assert trips.get(ANN) is None   # two reservations in the per-user index, no trip book yet
    status, listed = await call(client, "GET", "/api/v1/trips")
    assert status == 200, listed
    (trip,) = listed["items"]
    assert trip["reservation_ids"] == [rid(1), rid(2)] and trip["name"]
    assert trips.get(ANN) is not None   # built by the trips agent, not a view of the index on read
