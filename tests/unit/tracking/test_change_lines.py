"""The history's wording: each tracked change read as one line with its field, old and new value."""

from __future__ import annotations

from domain.tracking.change_lines import change_lines

PARIS = "Europe/Paris"


def t(local: str, utc: str, zone: str = PARIS) -> dict:
    return {"local": local, "zone": zone, "utc": utc}


def test_a_gate_change_reads_as_the_departure_gate_from_old_to_new():
    entry = {"changes": [{"path": "departure.gate", "old": "B12", "new": "C3", "severity": "info"}]}
    assert change_lines(entry, "flight") == [{"field": "departure.gate", "path": "departure.gate", "kind": "text",
                                              "old": "B12", "new": "C3", "with_date": False}]


def test_an_estimated_departure_keeps_both_instants_and_the_airport_zone():
    entry = {"changes": [{"path": "departure.estimated", "severity": "major",
                          "old": t("2027-03-01T14:05:00", "2027-03-01T13:05:00Z"),
                          "new": t("2027-03-01T14:50:00", "2027-03-01T13:50:00Z")}]}
    (line,) = change_lines(entry, "flight")
    assert line["kind"] == "time" and line["field"] == "departure.estimated"
    assert line["old"] == {"utc": "2027-03-01T13:05:00Z", "zone": PARIS}
    assert line["new"] == {"utc": "2027-03-01T13:50:00Z", "zone": PARIS}
    assert line["with_date"] is False


def test_a_time_that_moves_past_local_midnight_shows_its_date():
    entry = {"changes": [{"path": "arrival.estimated", "severity": "major",
                          "old": t("2027-03-01T23:30:00", "2027-03-01T22:30:00Z"),
                          "new": t("2027-03-02T00:40:00", "2027-03-01T23:40:00Z")}]}
    assert change_lines(entry, "flight")[0]["with_date"] is True


def test_a_first_known_time_has_no_old_value():
    entry = {"changes": [{"path": "departure.estimated", "old": None, "severity": "info",
                          "new": t("2027-03-01T14:50:00", "2027-03-01T13:50:00Z")}]}
    (line,) = change_lines(entry, "flight")
    assert line["old"] is None and line["new"]["utc"] == "2027-03-01T13:50:00Z"


def test_status_and_verification_are_status_words_for_the_template_to_translate():
    entry = {"changes": [{"path": "status", "old": "scheduled", "new": "cancelled", "severity": "critical"},
                         {"path": "verification", "old": "verified", "new": "unverifiable", "severity": "major"}]}
    lines = change_lines(entry, "flight")
    assert [(line["field"], line["kind"], line["new"]) for line in lines] == [
        ("status", "status", "cancelled"), ("verification", "status", "unverifiable")]


def test_hotel_stays_are_labelled_as_the_hotels_check_in_and_out():
    entry = {"changes": [{"path": "check_in", "severity": "major",
                          "old": t("2027-03-01T15:00:00", "2027-03-01T14:00:00Z"),
                          "new": t("2027-03-02T15:00:00", "2027-03-02T14:00:00Z")}]}
    (line,) = change_lines(entry, "hotel")
    assert line["field"] == "hotel.check_in" and line["with_date"] is True


def test_unknown_fields_read_as_plain_text_and_lists_are_joined():
    entry = {"changes": [{"path": "loyalty.tier", "old": None, "new": "gold", "severity": "info"},
                         {"path": "guests", "old": ["Ann"], "new": ["Ann", "Bo"], "severity": "info"}]}
    lines = change_lines(entry, "hotel")
    assert lines[0] == {"field": "other", "path": "loyalty.tier", "kind": "text", "old": None, "new": "gold",
                        "with_date": False}
    assert (lines[1]["field"], lines[1]["old"], lines[1]["new"]) == ("guests", "Ann", "Ann, Bo")


def test_malformed_items_are_skipped_and_an_empty_entry_has_no_lines():
    assert change_lines({"changes": [{"old": 1, "new": 2}, {"path": ""}]}) == []
    assert change_lines({}) == []
