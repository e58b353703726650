"""A shared trip's route, dates and local times as link previews show them."""

from babel import Locale

from domain.trips.preview import dates_text, description, local_time, route


def flight(origin: str, destination: str, start: str, status: str = "confirmed") -> dict:
    return {"type": "flight", "status": status, "start": start, "end": start, "start_time_zone": "Europe/Zurich",
            "end_time_zone": "Europe/Zurich", "flight": {"airline": "LX", "number": "14", "from": origin,
                                                         "to": destination}}


def test_a_return_trip_goes_out_and_comes_back():
    view = {"reservations": [flight("ZRH", "JFK", "2025-07-01T10:00:00+02:00"),
                             {"type": "hotel", "hotel": {"name": "Hotel"}},
                             flight("JFK", "BOS", "2025-07-03T10:00:00-04:00"),
                             flight("BOS", "ZRH", "2025-07-05T18:00:00-04:00")]}
    assert route(view) == ["ZRH", "JFK", "BOS", "ZRH"]


def test_an_open_jaw_shows_both_ends_and_cancelled_flights_are_left_out():
    view = {"reservations": [flight("ZRH", "JFK", "2025-07-01T10:00:00+02:00"),
                             flight("JFK", "ORD", "2025-07-02T10:00:00-04:00", status="cancelled"),
                             flight("BOS", "ZRH", "2025-07-05T18:00:00-04:00")]}
    assert route(view) == ["ZRH", "JFK", "BOS", "ZRH"]


def test_when_every_flight_is_cancelled_they_still_show_the_route():
    view = {"reservations": [flight("ZRH", "JFK", "2025-07-01T10:00:00+02:00", status="cancelled")]}
    assert route(view) == ["ZRH", "JFK"]
    assert route({"reservations": []}) == []


def test_times_are_read_on_the_clocks_of_their_place():
    record = {"start": "2025-07-01T08:00:00+00:00", "start_time_zone": "Asia/Tokyo"}
    assert local_time(record, "start").isoformat() == "2025-07-01T17:00:00+09:00"
    assert local_time({"start": "2025-07-01T08:00:00+00:00", "start_time_zone": "Nowhere/Else"},
                      "start").isoformat() == "2025-07-01T08:00:00+00:00"
    assert local_time({"start": "soon"}, "start") is None
    assert local_time({}, "end") is None


def test_the_dates_follow_each_end_in_its_own_zone():
    # 23:30 in New York on 3 July is already 4 July in UTC: the trip still ends on the 3rd.
    view = {"start": "2025-07-01T08:00:00+00:00", "start_time_zone": "Asia/Tokyo",
            "end": "2025-07-04T03:30:00+00:00", "end_time_zone": "America/New_York",
            "reservations": [flight("HND", "JFK", "2025-07-01T17:00:00+09:00")]}
    assert dates_text(view, Locale("en")) == "Tue, Jul 1\u2009–\u2009Thu, Jul 3"  # CLDR's thin spaces
    assert description(view, Locale("en")) == "Tue, Jul 1\u2009–\u2009Thu, Jul 3 · HND → JFK"
    assert description(view, Locale("ja")) == "7月1日(火)～3日(木) · HND → JFK"
    assert description({"reservations": []}, Locale("en")) == ""
