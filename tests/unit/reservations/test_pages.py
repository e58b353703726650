"""The reservation pages rendered with hand-made data: fields, the API's messages, local times, history in words,
and user text (a hotel's name) escaped."""

from __future__ import annotations

from domain.tracking.change_lines import change_lines
from domain.trips.itinerary import tracked_status
from web.pages import environment
from web.reservations.forms import body_of, values_of

XSS = "<img src=x onerror=alert(1)>"
RID = "a" * 32
HOTEL = {"id": RID, "type": "hotel", "hotel": {"name": XSS, "address": XSS}, "version": 3,
         "start": "2027-03-01T15:00:00+01:00", "end": "2027-03-03T11:00:00+01:00",
         "start_time_zone": "Europe/Paris", "end_time_zone": "Europe/Paris", "confirmation": XSS}
FLIGHT = {"id": RID, "type": "flight", "version": 2, "start_time_zone": "Europe/Berlin",
          "end_time_zone": "America/New_York", "start": "2027-03-01T10:00:00+01:00",
          "end": "2027-03-01T13:00:00-05:00", "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK",
                                                         "departure_gate": "B12"}}
PAGE = {"csrf_token": "tok", "signed_in": True, "path": "/x", "profile": None}


def render(template: str, language: str = "en", **context) -> str:
    return environment(language).get_template(template).render(**PAGE, **context)


def detail(reservation: dict, history: list[dict], **extra) -> str:
    shown = {**reservation, "tracked": tracked_status(reservation), "day_mark": 0}
    lines = [{**e, "lines": change_lines(e, reservation["type"])} for e in history]
    return render("reservations/detail.html", r=shown, history=lines, next_cursor=None, history_failed=False,
                  first_page=True, **extra)


def test_a_malicious_hotel_name_renders_as_text_on_the_detail_page_and_the_form():
    page = detail({**HOTEL, "tracking": {"tracked": False, "verification": None, "last_checked_at": None}}, [])
    assert XSS not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    form = render("reservations/form.html", kind="hotel", values=values_of(HOTEL), errors={}, message=None,
                  reservation=HOTEL)
    assert XSS not in form and 'value="&lt;img src=x onerror=alert(1)&gt;"' in form


def test_the_apis_messages_stand_next_to_their_fields_and_its_title_in_an_alert():
    page = render("reservations/form.html", kind="flight", values={"from": "XXX"}, reservation=None,
                  errors={"from": "must be a known IATA airport code"}, message="The reservation is invalid.")
    assert 'aria-describedby="e-from"' in page and '<p class="error" id="e-from">must be a known IATA' in page
    assert '<p class="alert" role="alert">The reservation is invalid.</p>' in page
    assert '<label for="f-start">Departure (local time at the airport)</label>' in page
    assert 'name="type" value="flight"' in page and 'action="/reservations/new"' in page


def test_the_edit_form_posts_the_version_it_was_read_at():
    page = render("reservations/form.html", kind="flight", values=values_of(FLIGHT), errors={}, message=None,
                  reservation=FLIGHT)
    assert 'name="version" value="2"' in page and f'action="/reservations/{RID}/edit"' in page
    assert 'value="2027-03-01T10:00"' in page   # the airport's wall clock, as datetime-local shows it


def test_the_history_reads_as_the_traveller_would_say_it_in_the_airports_zone():
    entry = {"seq": 1, "severity": "major", "detected_at": "2027-02-28T10:00:00Z", "changes": [
        {"path": "departure.gate", "old": "B12", "new": "C3", "severity": "info"},
        {"path": "departure.estimated", "severity": "major",
         "old": {"local": "2027-03-01T14:05:00", "zone": "Europe/Paris", "utc": "2027-03-01T13:05:00Z"},
         "new": {"local": "2027-03-01T14:50:00", "zone": "Europe/Paris", "utc": "2027-03-01T13:50:00Z"}}]}
    page = detail({**FLIGHT, "tracking": {"tracked": True, "verification": "verified",
                                          "last_checked_at": "2027-02-28T10:05:00Z"}}, [entry])
    assert "Departure gate B12 → C3" in page
    assert "Estimated departure 2:05\u202fPM CET → 2:50\u202fPM CET" in page
    assert "Last checked with the provider: Sun, Feb 28, 11:05\u202fAM CET" in page   # in the departure airport's zone
    assert "On time" in page   # checked, and no change handed to the badge (the page passes the latest one)


def test_a_changed_value_from_the_provider_is_escaped_too():
    entry = {"seq": 1, "severity": "info", "detected_at": "2027-02-28T10:00:00Z",
             "changes": [{"path": "name", "old": "Old", "new": XSS, "severity": "info"}]}
    page = detail({**HOTEL, "tracking": None}, [entry])
    assert XSS not in page and "Name Old → &lt;img" in page


def test_a_form_becomes_the_apis_body_and_an_emptied_field_is_removed_by_the_patch():
    form = {"name": " Hôtel Nord ", "address": "", "start": "2027-03-01T15:00", "end": "2027-03-03T11:00",
            "start_time_zone": "Europe/Paris", "confirmation": ""}
    assert body_of("hotel", form) == {"type": "hotel", "start": "2027-03-01T15:00", "end": "2027-03-03T11:00",
                                      "start_time_zone": "Europe/Paris", "hotel": {"name": "Hôtel Nord"}}
    patch = body_of("hotel", form, patch=True)
    assert patch["hotel"] == {"name": "Hôtel Nord", "address": None} and patch["confirmation"] is None


def test_the_type_choice_offers_the_three_kinds_with_labels():
    page = render("reservations/choose.html")
    for kind, label in (("flight", "A flight"), ("hotel", "A hotel"), ("car", "A car")):
        assert f'<label for="type-{kind}">{label}</label>' in page


def test_a_form_read_before_a_change_comes_back_at_the_current_version_with_a_word_why():
    page = render("reservations/form.html", kind="flight", values=values_of(FLIGHT), errors={}, reservation=FLIGHT,
                  message="The reservation is at version 2, not 1.", stale=True)
    assert "changed while you were editing it" in page and 'name="version" value="2"' in page


def test_a_new_reservations_form_carries_its_idempotency_key_and_an_edit_form_none():
    new = render("reservations/form.html", kind="car", values={}, errors={}, message=None, reservation=None,
                 idempotency_key="k-1")
    assert '<input type="hidden" name="idempotency_key" value="k-1">' in new
    edit = render("reservations/form.html", kind="flight", values=values_of(FLIGHT), errors={}, message=None,
                  reservation=FLIGHT, idempotency_key="k-2")
    assert "idempotency_key" not in edit
