"""The trip pages rendered with hand-made data: the trip's tools, its choices, trip names escaped, paging."""

from __future__ import annotations

import re

from web.pages import environment
from web.trips.pages import itinerary

XSS = "<img src=x onerror=alert(1)>"
PAGE = {"csrf_token": "tok", "signed_in": True, "path": "/x", "profile": None}
FLIGHT = {"id": "c" * 32, "type": "flight", "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"},
          "start": "2027-03-01T10:00:00+01:00", "end": "2027-03-01T13:00:00-05:00",
          "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York", "latest_change": None}
HOTEL = {"id": "a" * 32, "type": "hotel", "hotel": {"name": XSS}, "start": "2027-03-01T15:00:00-05:00",
         "end": "2027-03-03T11:00:00-05:00", "start_time_zone": "America/New_York",
         "end_time_zone": "America/New_York", "latest_change": None}
TRIP = {"id": "b" * 32, "name": XSS, "named_by_traveller": True, "private": False, "status": "upcoming",
        "start": FLIGHT["start"], "start_time_zone": "Europe/Berlin", "end": HOTEL["end"],
        "end_time_zone": "America/New_York", "reservations": [FLIGHT, HOTEL]}
OTHER = {**TRIP, "id": "d" * 32, "name": "Rome " + XSS, "reservations": [{**FLIGHT, "id": "e" * 32}]}


def render(template: str, **context) -> str:
    return environment("en").get_template(template).render(**PAGE, **context)


def trip_page(trip=TRIP, others=(OTHER,), **extra) -> str:
    elsewhere = [(t, r) for t in others for r in t["reservations"]]
    return render("trips/trip.html", trip=itinerary(trip), other_trips=list(others), elsewhere=elsewhere,
                  errors=extra.pop("errors", {}), message=extra.pop("message", None))


def test_a_malicious_trip_name_and_hotel_name_render_as_text_everywhere_on_the_trip_page():
    page = trip_page()
    assert XSS not in page
    assert "<h1 id=\"trip-title\">&lt;img src=x onerror=alert(1)&gt;</h1>" in page
    assert 'value="&lt;img src=x onerror=alert(1)&gt;"' in page   # the rename field
    assert "Rome &lt;img" in page   # a choice naming another trip


def test_the_trip_page_offers_each_change_with_labelled_controls_and_csrf():
    page = trip_page()
    for action in ("edit", "move", "split", "merge", "delete"):
        assert f'action="/trips/{"b" * 32}/{action}"' in page
    assert page.count('name="csrf_token" value="tok"') >= 7   # six forms and the log-out
    for control in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', page):
        assert f'<label for="{control}"' in page, control
    assert '<option value="none">No trip</option>' in page   # out of this trip, into none
    assert f'<option value="{"e" * 32}">Flight LH 400 FRA → JFK' in page   # in from another trip
    assert 'data-confirm="Delete this trip? Its reservations stay."' in page
    assert "sharing/trip_sharing.html" not in page   # included when that template exists, silent otherwise


def test_a_trip_with_one_reservation_and_no_other_trip_offers_neither_split_nor_merge():
    page = trip_page({**TRIP, "reservations": [FLIGHT]}, others=())
    assert "/split" not in page and "/merge" not in page and "Bring a reservation" not in page


def test_the_apis_refusal_shows_on_the_trip_page():
    page = trip_page(message="The request is invalid.", errors={"reservation_ids": "must be a list"})
    assert '<p class="alert" role="alert">The request is invalid.</p>' in page and "must be a list" in page


def test_the_list_by_status_links_the_next_page_and_escapes_names():
    page = render("trips/list.html", trips=[itinerary(TRIP)], next_cursor="a/b=", status_shown="past",
                  statuses=("upcoming", "current", "past"))
    assert XSS not in page and "<h1>Past trips</h1>" in page
    assert 'href="/trips?status=past&amp;cursor=a/b%3D">More</a>' in page
    assert '<a href="/trips?status=past" aria-current="page">' in page


def test_the_dashboard_items_carry_where_to_read_when_they_were_last_checked():
    page = render("trips/dashboard.html", trips=[itinerary(TRIP)])
    assert f'data-last-checked="{"c" * 32}"' in page and 'data-text="Last checked %(when)s"' in page


def test_a_reservation_checked_with_no_change_reads_on_time_and_one_never_checked_does_not():
    checked = itinerary({**TRIP, "reservations": [{**FLIGHT, "tracking": {"last_checked_at": "2027-02-01T00:00Z"}}]})
    assert checked["reservations"][0]["tracked"]["kind"] == "on-time"
    assert itinerary(TRIP)["reservations"][0]["tracked"]["kind"] == "not-tracked"
