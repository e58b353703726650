"""Listing a user's reservations: query parsing, filters, newest-first order and cursors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.errors import ValidationError
from domain.reservations.fields import STATUSES, TYPES, check
from domain.reservations.listing import DEFAULT_LIMIT, MAX_LIMIT, page, parse_query


def trip(rid: str, start: str, end: str | None = None, status: str = "confirmed", kind: str = "hotel") -> dict:
    return {"id": rid, "type": kind, "status": status, "start": start, **({"end": end} if end else {})}


def errors_of(query: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        parse_query(query)
    return {e["field"]: e["message"] for e in caught.value.errors}


def ids(reservations: list[dict], query: dict) -> list[str]:
    return [r["id"] for r in page(reservations, parse_query(query))[0]]


def cursor_of(value: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode()


def test_defaults():
    assert parse_query({}) == {"limit": DEFAULT_LIMIT}
    # Empty, as a form sends them (?status=&type=&from=&to=&cursor=), the filters are off.
    assert parse_query({"status": "", "type": "", "from": "", "to": "", "cursor": "", "limit": ""}) == \
        {"limit": DEFAULT_LIMIT}
    assert (DEFAULT_LIMIT, MAX_LIMIT) == (50, 200)


def test_unknown_parameters_are_named():
    assert errors_of({"sort": "asc", "page": "2"}) == {"page": "unknown query parameter",
                                                       "sort": "unknown query parameter"}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("kind", TYPES)
def test_status_and_type(status, kind):
    assert parse_query({"status": status, "type": kind}) == {"status": status, "type": kind, "limit": 50}


def test_bad_status_and_type():
    assert errors_of({"status": "CONFIRMED", "type": "boat"}) == {
        "status": "must be one of confirmed, cancelled, pending, hold", "type": "must be one of flight, hotel, car"}


def test_a_date_bounds_the_whole_utc_day():
    query = parse_query({"from": "2025-07-01", "to": "2025-07-31"})
    assert query["from"] == datetime(2025, 7, 1, tzinfo=UTC)
    assert query["to"] == datetime(2025, 7, 31, 23, 59, 59, 999999, tzinfo=UTC)


def test_a_date_time_is_an_instant():
    assert parse_query({"from": "2025-07-01T10:00:00+02:00"})["from"] == datetime(2025, 7, 1, 8, tzinfo=UTC)
    assert parse_query({"to": "2025-07-01T10:00:00"})["to"] == datetime(2025, 7, 1, 10, tzinfo=UTC)
    assert parse_query({"to": "2025-07-01T10:00:00Z"})["to"] == datetime(2025, 7, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize("value", ["2025-13-01", "yesterday", "2025-07-01T25:00", "01/07/2025"])
def test_bad_dates(value):
    assert errors_of({"from": value, "to": value}) == {"from": "must be an ISO 8601 date or date-time",
                                                       "to": "must be an ISO 8601 date or date-time"}


@pytest.mark.parametrize("limit,expected", [("1", 1), ("200", 200), ("007", 7), ("0" * 5000 + "9", 9)])
def test_limit(limit, expected):
    assert parse_query({"limit": limit})["limit"] == expected


@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten", "1.5", " 5", "000", "9" * 5000])
def test_bad_limit(limit):
    assert errors_of({"limit": limit}) == {"limit": "must be 1 to 200"}


@pytest.mark.parametrize("limit", ["²", "5²", "٣", "１０"])
def test_only_ascii_digits_make_a_limit(limit):
    # "²" passes isdigit() but not int(); "٣" and "１０" pass both, but are not what a client sends.
    assert errors_of({"limit": limit}) == {"limit": "must be 1 to 200"}


@pytest.mark.parametrize("value", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00", "9999-12-31",
                                   "1899-12-31", "2201-01-01T00:00:00Z"])
def test_a_bound_out_of_range_is_refused(value):
    assert errors_of({"from": value, "to": value}) == {"from": "must be in the years 1900 to 2200",
                                                       "to": "must be in the years 1900 to 2200"}


def test_bounds_in_the_first_and_last_years_are_accepted():
    query = parse_query({"from": "1900-01-01", "to": "2200-12-31T23:00:00-05:00"})
    assert (query["from"], query["to"]) == (datetime(1900, 1, 1, tzinfo=UTC), datetime(2201, 1, 1, 4, tzinfo=UTC))


@pytest.mark.parametrize("cursor", ["!!!", "abc", base64.urlsafe_b64encode(b"\xff\xfe").decode(),
                                    base64.urlsafe_b64encode(b"{").decode(), cursor_of(5), cursor_of(None)])
def test_cursors_that_are_not_ours_are_refused(cursor):
    assert errors_of({"cursor": cursor}) == {"cursor": "is not a cursor this API returned"}


@pytest.mark.parametrize("value", [[1, 2], "2025-07-01", ["2025-07-01T10:00:00+00:00"], ["a", "b", "c"],
                                   [["a"], "b"], ["a", None], {"a": "b"}, []])
def test_a_forged_cursor_is_refused_before_paging(value):
    # Each would decode, then fail in page() comparing it with a sort key (a 500, not a 422).
    assert errors_of({"cursor": cursor_of(value)}) == {"cursor": "is not a cursor this API returned"}


def test_newest_trip_first_by_instant_not_by_text():
    trips = [trip("paris", "2025-07-01T10:00:00+02:00"), trip("london", "2025-07-01T09:00:00+00:00"),
             trip("tokyo", "2025-07-01T15:00:00+09:00"), trip("later", "2025-07-02T00:00:00-10:00")]
    assert ids(trips, {}) == ["later", "london", "paris", "tokyo"]


def test_the_same_start_is_ordered_by_id():
    trips = [trip(r, "2025-07-01T10:00:00+00:00") for r in ("b", "c", "a")]
    assert ids(trips, {}) == ["c", "b", "a"]


def test_deleted_reservations_are_not_listed():
    assert ids([{"version": 3, "deleted": True}, trip("a", "2025-07-01T10:00:00Z")], {}) == ["a"]


def test_status_and_type_filters():
    trips = [trip("a", "2025-07-01T10:00:00Z", status="cancelled"), trip("b", "2025-07-02T10:00:00Z", kind="car"),
             trip("c", "2025-07-03T10:00:00Z", kind="car", status="cancelled")]
    assert ids(trips, {"status": "cancelled"}) == ["c", "a"]
    assert ids(trips, {"type": "car"}) == ["c", "b"]
    assert ids(trips, {"type": "car", "status": "cancelled"}) == ["c"]
    assert ids(trips, {"type": "flight"}) == []


def test_from_keeps_trips_still_under_way():
    trips = [trip("over", "2025-06-20T10:00:00Z", "2025-06-30T23:59:59Z"),
             trip("under-way", "2025-06-28T10:00:00Z", "2025-07-01T00:00:00+00:00"),
             trip("no-end-before", "2025-06-30T10:00:00Z"), trip("no-end-after", "2025-07-01T10:00:00Z")]
    assert ids(trips, {"from": "2025-07-01"}) == ["no-end-after", "under-way"]


def test_to_keeps_trips_starting_by_the_end_of_that_day():
    trips = [trip("last-minute", "2025-07-31T23:59:59Z"), trip("next-day", "2025-08-01T00:00:00Z"),
             trip("late-local", "2025-07-31T23:30:00-02:00")]
    assert ids(trips, {"to": "2025-07-31"}) == ["last-minute"]
    assert ids(trips, {"from": "2025-07-31", "to": "2025-07-31T23:59:59Z"}) == ["last-minute"]


def test_a_full_last_page_has_no_cursor():
    trips = [trip(r, f"2025-07-0{i + 1}T10:00:00Z") for i, r in enumerate("abc")]
    assert page(trips, parse_query({"limit": "3"}))[1] is None
    items, cursor = page(trips, parse_query({"limit": "2"}))
    assert [r["id"] for r in items] == ["c", "b"] and cursor
    assert page(trips, parse_query({"limit": "2", "cursor": cursor})) == ([trips[0]], None)


def test_every_reservation_check_accepts_can_be_listed():
    # The latest start check() accepts, in the zone furthest behind UTC: its UTC instant is in 2201.
    fields = check({"type": "car", "car": {"company": "Hertz"}, "start_time_zone": "Pacific/Pago_Pago",
                    "start": "2200-12-31T23:00", "end": "2200-12-31T23:30"})
    assert ids([{**fields, "id": "a"}], {"from": "2200-12-31", "to": "2200-12-31T23:59:59-11:00"}) == ["a"]
    with pytest.raises(ValidationError):  # past that, check refuses rather than store what cannot be listed
        check({**fields, "start": "9999-12-31T23:00", "end": "9999-12-31T23:30"})


STARTS = [datetime(2025, 7, 1, 10, tzinfo=UTC) + timedelta(hours=h) for h in (0, 0, 5, 30, 200)]
OFFSETS = [timezone(timedelta(minutes=m)) for m in (-600, -240, 0, 60, 345, 540)]
TRIP = st.tuples(st.sampled_from(STARTS), st.sampled_from(OFFSETS), st.integers(0, 72),
                 st.sampled_from(STATUSES), st.sampled_from(TYPES), st.booleans())
DAYS = st.sampled_from(["2025-06-30", "2025-07-01", "2025-07-02", "2025-07-09", "2025-07-01T12:00:00+02:00"])


def build(rows: list[tuple]) -> list[dict]:
    trips = []
    for i, (start, offset, hours, status, kind, has_end) in enumerate(rows):
        end = (start + timedelta(hours=hours)).astimezone(offset).isoformat() if has_end else None
        trips.append(trip(f"{(i * 7919) % 1000:04d}", start.astimezone(offset).isoformat(), end, status, kind))
    return trips


@given(st.lists(TRIP, max_size=25), st.integers(1, 27), st.fixed_dictionaries(
    {}, optional={"status": st.sampled_from(STATUSES), "type": st.sampled_from(TYPES), "from": DAYS, "to": DAYS}))
def test_paging_visits_every_match_once_newest_first_whatever_the_limit(rows, limit, filters):
    trips = build(rows) + [{"version": 2, "deleted": True}]
    query = parse_query(filters)
    expected = [r for r in trips if "deleted" not in r and all(r[k] == query[k] for k in ("status", "type")
                                                                if k in query)
                and ("from" not in query or datetime.fromisoformat(r.get("end") or r["start"]) >= query["from"])
                and ("to" not in query or datetime.fromisoformat(r["start"]) <= query["to"])]
    expected.sort(key=lambda r: (datetime.fromisoformat(r["start"]), r["id"]), reverse=True)
    seen, cursor = [], None
    while True:
        items, cursor = page(trips, parse_query({**filters, "limit": str(limit),
                                                 **({"cursor": cursor} if cursor else {})}))
        assert len(items) <= limit and (cursor is None or len(items) == limit)
        seen += items
        if cursor is None:
            break
    assert seen == expected
