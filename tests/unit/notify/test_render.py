"""Rendering changes as words: each kind of news, each language, times local to each place."""

import re

import pytest

from domain.notify.render import render
from runtime.i18n import SUPPORTED, lang

LANGUAGES = ["en", "es", "de", "fr", "ja", "pt", "es-MX", "en-GB", "pt_BR", "ko", "zz"]
FLIGHT = {
    "id": "r1", "type": "flight", "status": "confirmed", "confirmation": "X7Q2LM",
    "start": "2025-03-04T10:15:00+01:00", "end": "2025-03-04T13:05:00-05:00",
    "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York",
    "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK", "departure_terminal": "1",
               "departure_gate": "B22"},
}
HOTEL = {"id": "r2", "type": "hotel", "start": "2025-03-05T15:00:00-05:00", "end": "2025-03-08T11:00:00-05:00",
         "start_time_zone": "America/New_York", "end_time_zone": "America/New_York",
         "hotel": {"name": "Hotel Chelsea", "address": "222 W 23rd St, New York"}}
CAR = {"id": "r3", "type": "car", "start": "2025-03-08T12:00:00-05:00", "end": "2025-03-09T12:00:00-05:00",
       "start_time_zone": "America/New_York", "end_time_zone": "America/New_York",
       "car": {"company": "Hertz", "pickup_location": "JFK Terminal 4", "dropoff_location": "BOS"}}


def t(local: str, zone: str, utc: str) -> dict:
    return {"local": local, "zone": zone, "utc": utc}


def change(reservation: dict, *items: tuple, severity: str = "major") -> dict:
    return {"change_id": "c1", "reservation_id": reservation["id"], "user_id": "u1", "severity": severity,
            "changes": [{"path": p, "old": o, "new": n, "severity": severity} for p, o, n in items],
            "reservation": reservation}


DELAY = change(FLIGHT, ("departure.scheduled", t("2025-03-04T09:30:00", "Europe/Berlin", "2025-03-04T08:30:00Z"),
                        t("2025-03-04T10:15:00", "Europe/Berlin", "2025-03-04T09:15:00Z")))
KINDS = {
    "delay": DELAY,
    "earlier": change(FLIGHT, ("start", "2025-03-04T10:45:00+01:00", "2025-03-04T10:15:00+01:00")),
    "arrival_time": change(FLIGHT, ("arrival.estimated", "2025-03-04T12:35:00-05:00", "2025-03-04T13:05:00-05:00")),
    "gate": change(FLIGHT, ("departure.gate", "A10", "B22")),
    "gate_assigned": change(FLIGHT, ("flight.departure_gate", None, "B22"), severity="info"),
    "terminal": change(FLIGHT, ("departure.terminal", "2", "1")),
    "cancellation": change(FLIGHT, ("status", "scheduled", "cancelled"), severity="critical"),
    "diversion": change(FLIGHT, ("arrival.airport", "JFK", "BOS"), ("status", "departed", "diverted"),
                        severity="critical"),
    "diverted": change(FLIGHT, ("status", "departed", "diverted"), severity="critical"),
    "hotel_dates": change(HOTEL, ("check_in", t("2025-03-04T15:00:00", "America/New_York", "2025-03-04T20:00:00Z"),
                                  t("2025-03-05T15:00:00", "America/New_York", "2025-03-05T20:00:00Z"))),
    "hotel_cancelled": change(HOTEL, ("status", "confirmed", "cancelled"), severity="critical"),
    "car_location": change(CAR, ("pickup.location", "JFK Terminal 1", "JFK Terminal 4")),
    "car_time": change(CAR, ("pickup.time", "2025-03-08T10:00:00-05:00", "2025-03-08T12:00:00-05:00")),
    "car_cancelled": change(CAR, ("status", "confirmed", "cancelled"), severity="critical"),
    "generic": change(FLIGHT, ("seat", "12A", "14C"), severity="info"),
    "many": change(HOTEL, ("room_type", "Queen", "King"), ("guests", 1, 2), severity="info"),
    "empty": {"change_id": "c9", "reservation_id": "r9", "user_id": "u1", "severity": "info", "changes": [],
              "reservation": None},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_in_every_language_without_blanks(kind, language):
    words = render(KINDS[kind], lang(language))
    for part in (words.title, words.summary, words.text, words.html):
        assert part.strip()
        assert not re.search(r"\{\w*\}|\bNone\b|\(\)", part), part
    assert "<script" not in words.html and words.title in words.html.replace("&#x27;", "'")


@pytest.mark.parametrize(("kind", "title", "summary"), [
    ("delay", "LH 400 to JFK delayed by 45 minutes",
     "Your flight LH 400 to JFK is delayed: now departs 10:15 CET (was 09:30)."),
    ("earlier", "LH 400 to JFK leaves 30 minutes earlier",
     "Your flight LH 400 to JFK now leaves earlier: departs 10:15 CET (was 10:45)."),
    ("arrival_time", "LH 400 to JFK: new arrival time",
     "Your flight LH 400 to JFK now arrives 13:05 EST (was 12:35)."),
    ("gate", "LH 400 to JFK: gate B22", "Gate change for your flight LH 400 to JFK: now gate B22 (was A10)."),
    ("gate_assigned", "LH 400 to JFK: gate B22", "Your flight LH 400 to JFK departs from gate B22."),
    ("terminal", "LH 400 to JFK: terminal 1",
     "Terminal change for your flight LH 400 to JFK: now terminal 1 (was 2)."),
    ("cancellation", "LH 400 to JFK cancelled", "Your flight LH 400 to JFK (Tue 4 Mar) has been cancelled."),
    ("diversion", "LH 400 diverted to BOS", "Your flight LH 400 has been diverted to BOS (it was going to JFK)."),
    ("diverted", "LH 400 to JFK diverted", "Your flight LH 400 to JFK has been diverted."),
    ("hotel_dates", "Hotel Chelsea: new dates",
     "Your stay at Hotel Chelsea has new dates: Wed 5 Mar\u2009–\u2009Sat 8 Mar "
     "(was Tue 4 Mar\u2009–\u2009Sat 8 Mar)."),
    ("hotel_cancelled", "Hotel Chelsea: booking cancelled",
     "Your stay at Hotel Chelsea (Wed 5 Mar) has been cancelled."),
    ("car_location", "Hertz: new pick-up location",
     "The pick-up location for your car from Hertz has changed: now JFK Terminal 4 (was JFK Terminal 1)."),
    ("car_time", "Hertz: new pick-up time",
     "The pick-up time for your car from Hertz has changed: now 12:00 EST (was 10:00)."),
    ("car_cancelled", "Hertz: booking cancelled", "Your car rental with Hertz (Sat 8 Mar) has been cancelled."),
    ("generic", "LH 400 to JFK: booking updated", "Seat: 12A → 14C"),
    ("many", "Hotel Chelsea: 2 updates", "Room type: Queen → King\nGuests: 1 → 2"),
    ("empty", "Booking updated", "There is an update to your booking."),
])
def test_english_messages_read_naturally(kind, title, summary):
    words = render(KINDS[kind], lang("en-GB"))
    assert (words.title, words.summary) == (title, summary)


@pytest.mark.parametrize(("language", "summary"), [
    ("de", "Ihr Flug LH 400 nach JFK ist verspätet: neuer Abflug 10:15 MEZ (bisher 09:30)."),
    ("es", "Tu vuelo LH 400 a JFK tiene retraso. Nueva salida: 10:15 CET (antes: 9:30)."),
    ("es-MX", "Tu vuelo LH 400 a JFK tiene retraso. "
              "Nueva salida: 10:15\u202fa.m. CET (antes: 9:30\u202fa.m.)."),
    ("fr", "Votre vol LH 400 à destination de JFK est retardé\u00a0: "
           "nouveau départ 10:15 CET (au lieu de 09:30)."),
    ("ja", "ご予約のLH 400便（JFK行き）に遅れが出ています。"
           "新しい出発時刻は10:15 CETです（変更前：9:30）。"),
    ("pt_BR", "Seu voo LH 400 para JFK está atrasado: nova partida 10:15 CET "
              "(antes: 09:30)."),
    ("en", "Your flight LH 400 to JFK is delayed: now departs 10:15\u202fAM CET "
           "(was 9:30\u202fAM)."),
])
def test_delay_in_each_language_with_the_departure_zone_named(language, summary):
    assert render(DELAY, lang(language)).summary == summary


def test_a_delay_past_midnight_shows_both_dates():
    late = change(FLIGHT, ("departure.estimated", "2025-03-04T23:30:00+01:00", "2025-03-05T01:10:00+01:00"))
    assert render(late, lang("de")).summary == (
        "Ihr Flug LH 400 nach JFK ist verspätet: neuer Abflug Mi., 5. März, 01:10 MEZ (bisher Di., 4. März, 23:30).")


def test_a_first_estimate_is_compared_with_the_booked_time():
    estimate = change(FLIGHT, ("departure.estimated", None, t("2025-03-04T11:00:00", "Europe/Berlin",
                                                               "2025-03-04T10:00:00Z")))
    assert render(estimate, lang("en-GB")).summary.endswith("now departs 11:00 CET (was 10:15).")


def test_times_are_local_to_each_place_in_the_details():
    text = render(KINDS["gate"], lang("en-GB")).text
    assert "Departure: Tue 4 Mar, 10:15 CET · Frankfurt am Main (FRA) · Terminal 1 · Gate B22" in text
    assert "Arrival: Tue 4 Mar, 13:05 EST · New York (JFK)" in text
    assert "Confirmation: X7Q2LM" in text


def test_summer_time_is_named_as_such():
    summer = {**FLIGHT, "start": "2025-07-04T10:15:00+02:00", "end": "2025-07-04T13:05:00-04:00"}
    text = render(change(summer, ("departure.gate", "A1", "B2")), lang("de")).text
    assert "10:15 MESZ" in text


def test_statuses_and_labels_are_translated():
    confirmed = change(HOTEL, ("status", "pending", "confirmed"), severity="info")
    assert render(confirmed, lang("de")).summary == "Status: ausstehend → bestätigt"
    assert render(confirmed, lang("ja")).summary == "ステータス：手配中 → 確定"


def test_an_unlabelled_field_shows_its_path():
    odd = change(FLIGHT, ("meal.preference", "VGML", "KSML"), severity="info")
    assert render(odd, lang("fr")).summary == "meal.preference\u00a0: VGML → KSML"


def test_html_escapes_provider_text():
    hostile = {**HOTEL, "hotel": {"name": "<script>alert(1)</script> & Spa"}}
    html = render(change(hostile, ("status", "confirmed", "cancelled")), lang("en")).html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Spa" in html


def test_html_declares_the_language():
    assert '<html lang="es-MX">' in render(DELAY, lang("es-MX")).html
    assert '<html lang="ja">' in render(DELAY, lang("ja")).html


def test_unknown_locale_is_english_throughout():
    words = render(DELAY, lang("ko-KR"))
    assert words.locale == "en"
    assert words.title == "LH 400 to JFK delayed by 45 minutes"


@pytest.mark.parametrize(("language", "minutes", "title"), [
    ("en", 1, "LH 400 to JFK delayed by 1 minute"), ("en", 125, "LH 400 to JFK delayed by 125 minutes"),
    ("de", 1, "LH 400 nach JFK: 1 Minute Verspätung"), ("de", 20, "LH 400 nach JFK: 20 Minuten Verspätung"),
    ("es", 1, "LH 400 a JFK: retraso de 1 minuto"), ("es", 20, "LH 400 a JFK: retraso de 20 minutos"),
    ("fr", 1, "LH 400 vers JFK\u00a0: retard de 1\u00a0minute"),
    ("fr", 20, "LH 400 vers JFK\u00a0: retard de 20\u00a0minutes"),
    ("pt", 1, "LH 400 para JFK: atraso de 1 minuto"), ("pt", 20, "LH 400 para JFK: atraso de 20 minutos"),
    ("ja", 1, "LH 400便（JFK行き）：1分の遅延"), ("ja", 20, "LH 400便（JFK行き）：20分の遅延"),
])
def test_a_delay_title_counts_the_minutes_in_the_language_s_plural_forms(language, minutes, title):
    moved = change(FLIGHT, ("departure.estimated", "2025-03-04T09:30:00+01:00",
                            f"2025-03-04T{9 + (30 + minutes) // 60:02d}:{(30 + minutes) % 60:02d}:00+01:00"))
    assert render(moved, lang(language)).title == title


def test_a_delay_of_less_than_a_minute_keeps_the_plain_title():
    moved = change(FLIGHT, ("departure.estimated", "2025-03-04T09:30:00+01:00", "2025-03-04T09:30:20+01:00"))
    assert render(moved, lang("en")).title == "LH 400 to JFK delayed"


def test_the_critical_news_leads_a_collapsed_batch():
    batch = change(FLIGHT, ("departure.gate", "A10", "B22"), ("status", "scheduled", "cancelled"),
                   severity="critical")
    words = render(batch, lang("en-GB"))
    assert words.title == "LH 400 to JFK cancelled"
    assert words.summary.splitlines() == ["Your flight LH 400 to JFK (Tue 4 Mar) has been cancelled.",
                                          "Gate change for your flight LH 400 to JFK: now gate B22 (was A10)."]


def test_every_language_has_its_own_words_for_a_delay():
    titles = {language: render(DELAY, lang(language)).title for language in SUPPORTED}
    assert len(set(titles.values())) == len(SUPPORTED)


def test_the_estimate_speaks_for_a_time_when_the_schedule_moved_too():
    both = change(FLIGHT, ("departure.scheduled", "2025-03-04T09:30:00+01:00", "2025-03-04T09:45:00+01:00"),
                  ("departure.estimated", "2025-03-04T09:30:00+01:00", "2025-03-04T10:15:00+01:00"))
    assert render(both, lang("en-GB")).summary == (
        "Your flight LH 400 to JFK is delayed: now departs 10:15 CET (was 09:30).")


SHARED_TITLES = {
    "en": "Ann’s trip (New York): LH 400 to JFK delayed",
    "de": "Reise von Ann (New York): ",
    "es": "Viaje de Ann (New York): ",
    "fr": "Voyage de Ann (New York)\u00a0: ",
    "pt": "Viagem de Ann (New York): ",
    "ja": "Annさんの旅行（New York）：",
}


@pytest.mark.parametrize("language", sorted(SHARED_TITLES))
def test_a_followers_copy_says_whose_trip_it_is_in_every_language(language):
    shared = {**DELAY, "shared_by": {"owner_id": "o1", "owner_name": "Ann", "trip_id": "t1", "trip_name": "New York"}}
    own, theirs = render(DELAY, lang(language)), render(shared, lang(language))
    assert theirs.title.startswith(SHARED_TITLES[language]) and theirs.title.endswith(own.title)


def test_a_followers_copy_without_the_owners_name_still_names_the_trip():
    shared = {**DELAY, "shared_by": {"owner_id": "o1", "owner_name": None, "trip_id": "t1",
                                     "trip_name": "Picking Ann up"}}
    assert render(shared, lang("en")).title == f"Shared trip (Picking Ann up): {render(DELAY, lang('en')).title}"
