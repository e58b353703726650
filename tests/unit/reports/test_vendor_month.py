"""The vendor-month aggregation's pure rules: percentiles, marks, changes, replays, late changes, closing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.reports import histogram
from domain.reports.vendor_api import apply_summary, new_api, report_row
from domain.reports.vendor_changes import delay_minutes, vendor_input
from domain.reports.vendor_keys import month_of, split_key, valid_month, vendor_of
from domain.reports.vendor_month import accepts, apply_change, closes_at, due, mark, new_fact, new_row

KEY = "airline/LH/2026-03"


def change(change_id: str, rid: str = "r1", *, items: list[dict], detected_at: str = "2026-03-10T10:00:00.000Z",
           subject: str = "flight/LH/400/2026-03-10", changed_at: str | None = None) -> dict:
    severities = [i["severity"] for i in items]
    worst = max(severities, key=["info", "major", "critical"].index)
    return {"schema_version": 1, "change_id": change_id, "reservation_id": rid, "user_id": "u-" + rid,
            "subject": subject, "provider": "airline-sim", "source": "poll", "severity": worst, "changes": items,
            "detected_at": detected_at, "provider_changed_at": changed_at}


def at(utc: str) -> dict:
    return {"local": utc[:19], "zone": "UTC", "utc": utc}


def estimated(minutes_late: int, old: dict | None = None) -> dict:
    hour, minute = divmod(8 * 60 + minutes_late, 60)
    return {"path": "departure.estimated", "old": old, "new": at(f"2026-03-10T{hour:02d}:{minute:02d}:00Z"),
            "severity": "major"}


SCHEDULED = "2026-03-10T08:00:00Z"
NOON = "2026-03-10T12:00:00Z"


def routed(event: dict) -> dict:
    key, message = vendor_input(event, SCHEDULED)
    assert key == KEY
    return message


def test_percentiles_are_nearest_rank_and_exact_below_a_thousand():
    counts = histogram.of(range(1, 101))
    assert histogram.percentile(counts, 50) == 50
    assert histogram.percentile(counts, 90) == 90
    assert histogram.percentile(counts, 99) == 99
    assert histogram.maximum(counts) == 100
    assert histogram.percentile({}, 50) is None


def test_large_values_keep_three_significant_figures_within_half_a_percent():
    assert histogram.bucket(123_456) == 123_000
    assert histogram.bucket(1_005) in (1_000, 1_010)
    for value in (1_234, 56_789, 9_999_999):
        assert abs(histogram.bucket(value) - value) <= value * 0.005


def test_histograms_merge_by_adding_counts():
    assert histogram.merge(histogram.of([1, 2]), histogram.of([2, 3])) == {"1": 1, "2": 2, "3": 1}


def test_vendors_and_months_come_from_the_subject_and_the_utc_instant():
    assert vendor_of("flight/LH/400/2026-03-10") == ("airline", "LH")
    assert vendor_of("hotel/grand%2Fhotels/ABC") == ("hotel", "grand/hotels")
    assert vendor_of("car/sixt/X1") == ("car", "sixt")
    assert vendor_of("pnr/amadeus/X") is None
    assert month_of("2026-03-31T23:59:59Z") == "2026-03"
    assert month_of(datetime(2026, 4, 1, tzinfo=UTC).timestamp()) == "2026-04"
    assert split_key("hotel/a/b/2026-03") == ("hotel", "a/b", "2026-03")
    assert valid_month("2026-12") and not valid_month("2026-13") and not valid_month("26-01")


def test_a_reservation_is_counted_once_a_month_and_travellers_once():
    row, first, second = new_row(KEY), new_fact(), new_fact()
    assert mark(row, first, False, "airline-sim")
    assert not mark(row, first, True, "airline-sim")   # a replayed mark
    assert mark(row, second, True, None)                # another reservation of the same traveller
    assert (row["reservations"], row["travellers"], row["provider"]) == (2, 1, "airline-sim")


def test_changes_count_by_kind_and_severity_and_a_replay_counts_nothing():
    row, fact = new_row(KEY), new_fact()
    gate = {"path": "departure.gate", "old": "A1", "new": "B2", "severity": "info"}
    message = routed(change("c1", items=[gate, estimated(30)], changed_at="2026-03-10T09:59:00Z"))
    assert apply_change(row, fact, message)
    assert not apply_change(row, fact, message)
    report = report_row(row, None)
    assert report["changes"] == {"total": 1, "by_kind": {"gate": 1, "time": 1},
                                 "by_severity": {"info": 0, "major": 1, "critical": 0}}
    assert report["freshness_s"] == {"p50": 60, "p99": 60}
    assert report["delay_minutes"] == {"p50": 30, "p90": 30, "max": 30}


def test_a_reservations_delay_is_its_latest_not_the_sum_of_its_readings():
    row, fact = new_row(KEY), new_fact()
    apply_change(row, fact, routed(change("c1", items=[estimated(30)], detected_at="2026-03-10T06:00:00.000Z")))
    apply_change(row, fact, routed(change("c2", items=[estimated(90, at("2026-03-10T08:30:00Z"))],
                                          detected_at="2026-03-10T07:00:00.000Z")))
    # An older reading delivered late does not undo the newer one.
    apply_change(row, fact, routed(change("c0", items=[estimated(10)], detected_at="2026-03-10T05:00:00.000Z")))
    other = new_fact()
    apply_change(row, other, routed(change("c3", "r2", items=[estimated(20)])))
    report = report_row(row, None)
    assert report["delay_minutes"] == {"p50": 20, "p90": 90, "max": 90}


def test_a_delay_is_measured_from_the_schedule_the_change_moves_or_the_one_kept():
    moved = {"departure.scheduled": at("2026-03-10T09:00:00Z"), "departure.estimated": at("2026-03-10T09:45:00Z")}
    assert delay_minutes(moved, SCHEDULED) == 45
    assert delay_minutes({"departure.actual": at("2026-03-10T07:50:00Z")}, SCHEDULED) == 0
    assert delay_minutes({"departure.gate": "B1"}, SCHEDULED) is None


def test_cancellations_and_diversions_count_reservations_once():
    row, fact = new_row(KEY), new_fact()
    cancelled = {"path": "status", "old": "scheduled", "new": "cancelled", "severity": "critical"}
    apply_change(row, fact, routed(change("c1", items=[cancelled])))
    apply_change(row, fact, routed(change("c2", items=[cancelled])))   # said again by a later snapshot
    diverted = {"path": "arrival.airport", "old": "JFK", "new": "EWR", "severity": "critical"}
    apply_change(row, new_fact(), routed(change("c3", "r2", items=[diverted])))
    first_airport = {"path": "arrival.airport", "old": None, "new": "JFK", "severity": "critical"}
    apply_change(row, new_fact(), routed(change("c4", "r3", items=[first_airport])))
    assert (row["cancellations"], row["diversions"]) == (1, 1)


def test_a_late_change_goes_to_the_month_it_was_detected_in():
    key, _ = vendor_input(change("c1", items=[estimated(5)], detected_at="2026-03-31T23:59:30.000Z"), None)
    assert key == KEY


def test_a_month_closes_after_its_end_plus_the_grace_and_takes_nothing_after():
    end = datetime(2026, 4, 1, tzinfo=UTC).timestamp()
    assert closes_at("2026-03", 3600) == end + 3600
    row = new_row(KEY)
    assert accepts(row, "2026-03", end + 3599, 3600)
    assert not accepts(None, "2026-03", end + 3600, 3600)
    assert due(row, end + 3600, 3600, 30) == "close"
    row["closed"] = True
    assert not accepts(row, "2026-03", end, 3600) and due(row, end + 7200, 3600, 30) is None


def test_open_rows_are_published_at_most_every_publish_interval():
    row = new_row(KEY)
    row["published_at"], row["dirty"] = 1000.0, True
    assert due(row, 1010.0, 3600, 30) is None
    assert due(row, 1030.0, 3600, 30) == "publish"
    row["dirty"] = False
    assert due(row, 2000.0, 3600, 30) is None


def test_api_summaries_add_once_and_give_the_error_rate_and_latency_percentiles():
    api = new_api("api/airline-sim/2026-03")
    summary = {"summary_id": "s1", "calls": 4, "errors": {"timeout": 1}, "latency_ms": histogram.of([10, 20, 30, 400])}
    assert apply_summary(api, summary) and not apply_summary(api, summary)
    row = new_row(KEY)
    figures = report_row(row, api)["api"]
    assert figures == {"calls": 4, "errors": 1, "error_rate": 0.25, "latency_ms": {"p50": 20, "p99": 400}}
    assert report_row(row, None)["api"]["error_rate"] is None


@pytest.mark.parametrize("reservations,expected", [(0, None), (4, 0.25)])
def test_changes_per_reservation(reservations, expected):
    row = new_row(KEY)
    row["reservations"], row["changes"]["total"] = reservations, 1
    assert report_row(row, None)["changes_per_reservation"] == expected


def test_the_published_value_matches_its_schema():
    import json
    from pathlib import Path

    from jsonschema import Draft202012Validator

    from domain.reports.vendor_api import stats_value

    schema = json.loads((Path(__file__).parents[3] / "schemas" / "vendor-month-stats.json").read_text())
    Draft202012Validator.check_schema(schema)
    row, api = new_row(KEY), new_api("api/airline-sim/2026-03")
    mark(row, new_fact(), False, "airline-sim")
    apply_change(row, new_fact(), routed(change("c1", items=[estimated(30)], changed_at="2026-03-10T09:59:00Z")))
    apply_summary(api, {"summary_id": "s", "calls": 2, "errors": {"timeout": 1}, "latency_ms": {"100": 2}})
    for value in (stats_value(row, api, "2026-03-10T10:00:00.000Z"), stats_value(new_row(KEY), None, NOON)):
        errors = list(Draft202012Validator(schema).iter_errors(value))
        assert not errors, errors
