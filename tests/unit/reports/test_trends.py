"""Travel trends' rules: what a reservation adds, how edits, cancellations and deletions retract it, replays."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.reports.trends import apply_delta, contribution, deltas, follow, percentile, row

CREATED = "2026-01-10T09:00:00.000Z"


def reservation(rid: str = "r1", start: str = "2026-03-20T08:30:00+01:00", status: str = "confirmed",
                created: str = CREATED, route: tuple[str, str] = ("FRA", "JFK"), kind: str = "flight") -> dict:
    body = {"id": rid, "type": kind, "status": status, "start": start, "end": start, "created_at": created,
            "version": 1}
    if kind == "flight":
        body["flight"] = {"airline": "LH", "number": "400", "from": route[0], "to": route[1]}
    return body


def event(kind: str, version: int, body: dict | None, n: int | None = None) -> dict:
    return {"event_id": f"e{n or version}", "event_type": f"reservation.{kind}", "reservation_id": "r1",
            "version": version, "occurred_at": f"2026-01-1{version % 10}T10:00:00.000Z",
            "reservation": body}


class Pipeline:
    """The two stages as the agents run them: facts per reservation, then aggregates per key."""

    def __init__(self) -> None:
        self.facts: dict[str, dict] = {}
        self.aggregates: dict[str, dict] = {}
        self.offset = 0

    def feed(self, change: dict, offset: int | None = None, partition: int = 0) -> None:
        if offset is None:
            offset, self.offset = self.offset, self.offset + 1
        rid = change["reservation_id"]
        step = follow(self.facts.get(rid), change, (partition, offset))
        if step.changed:
            self.facts[rid] = step.fact
        for key, delta in step.deltas.items():
            after = apply_delta(self.aggregates.get(key), {**delta, "origin": list(step.origin),
                                                          "at": change["occurred_at"]})
            if after is not None:
                self.aggregates[key] = after

    def rows(self) -> dict[str, dict]:
        return {key: value for key in self.aggregates if (value := row(key, self.aggregates[key]))}


def test_a_flight_adds_its_route_month_and_lead_time_in_minutes():
    # Departs 2026-03-20 07:30 UTC; first seen 2026-01-10 09:00 UTC: 68 days 22.5 hours ahead.
    assert contribution(reservation()) == {"key": "FRA-JFK/2026-03", "lead_minutes": 68 * 1440 + 22 * 60 + 30}


def test_the_month_is_the_departures_local_at_the_origin():
    # 31 March 23:30 in Los Angeles is already April in UTC: the month stays March.
    late = reservation(start="2026-03-31T23:30:00-07:00", route=("LAX", "NRT"))
    assert contribution(late)["key"] == "LAX-NRT/2026-03"


@pytest.mark.parametrize("body", [None, reservation(status="cancelled"), reservation(kind="hotel"),
                                  reservation(kind="car")])
def test_only_flights_not_cancelled_contribute(body):
    assert contribution(body) is None


def test_a_flight_entered_after_it_left_counts_zero_days():
    assert contribution(reservation(created="2026-04-01T00:00:00Z"))["lead_minutes"] == 0


def test_pending_and_held_bookings_count():
    assert contribution(reservation(status="pending")) and contribution(reservation(status="hold"))


def test_deltas_retract_the_old_key_and_add_the_new_one():
    a, b = {"key": "A-B/2026-01", "lead_minutes": 10}, {"key": "A-C/2026-01", "lead_minutes": 20}
    assert deltas(a, a) == {}
    assert deltas(None, a) == {"A-B/2026-01": {"remove": None, "add": 10}}
    assert deltas(a, b) == {"A-B/2026-01": {"remove": 10, "add": None}, "A-C/2026-01": {"remove": None, "add": 20}}
    assert deltas(a, {**a, "lead_minutes": 30}) == {"A-B/2026-01": {"remove": 10, "add": 30}}


def test_counts_and_lead_time_percentiles_over_many_reservations():
    pipeline = Pipeline()
    for day in range(1, 11):   # booked 1..10 days ahead, to the minute
        created = f"2026-03-{20 - day:02d}T07:30:00Z"
        body = reservation(rid=f"r{day}", created=created)
        pipeline.feed({**event("created", 1, body, n=day), "reservation_id": f"r{day}"})
    [(key, value)] = pipeline.rows().items()
    assert key == "FRA-JFK/2026-03" and value["flights"] == 10
    assert value["lead_time_days"] == {"p50": 5, "p90": 9, "mean": 5.5}
    assert (value["origin"], value["destination"], value["month"]) == ("FRA", "JFK", "2026-03")


def test_percentiles_are_nearest_rank_over_whole_days():
    assert percentile({}, 0.5) is None
    assert percentile({"3": 1}, 0.9) == 3
    assert percentile({"1": 9, "40": 1}, 0.9) == 1 and percentile({"1": 8, "40": 2}, 0.9) == 40


def test_an_edit_moving_the_flight_retracts_it_from_its_old_route_month():
    pipeline = Pipeline()
    pipeline.feed(event("created", 1, reservation()))
    pipeline.feed(event("updated", 2, reservation(start="2026-04-02T08:30:00+02:00")))
    assert list(pipeline.rows()) == ["FRA-JFK/2026-04"]
    pipeline.feed(event("updated", 3, reservation(start="2026-04-02T08:30:00+02:00", route=("FRA", "BOS"))))
    assert list(pipeline.rows()) == ["FRA-BOS/2026-04"]
    assert pipeline.rows()["FRA-BOS/2026-04"]["flights"] == 1


def test_a_cancellation_retracts_and_a_reinstatement_adds_again():
    pipeline = Pipeline()
    pipeline.feed(event("created", 1, reservation()))
    pipeline.feed(event("updated", 2, reservation(status="cancelled")))
    assert pipeline.rows() == {}
    assert pipeline.aggregates["FRA-JFK/2026-03"]["lead_days"] == {}   # the histogram let go of it too
    pipeline.feed(event("updated", 3, reservation()))
    assert pipeline.rows()["FRA-JFK/2026-03"]["flights"] == 1


def test_a_deletion_retracts_and_a_new_creation_of_the_same_id_counts_again():
    pipeline = Pipeline()
    pipeline.feed(event("created", 1, reservation()))
    pipeline.feed(event("deleted", 2, None))
    assert pipeline.rows() == {}
    pipeline.feed(event("created", 1, reservation(), n=9))   # an Idempotency-Key reused after deleting
    assert pipeline.rows()["FRA-JFK/2026-03"]["flights"] == 1


def test_a_reservation_changed_into_a_hotel_leaves_the_trends():
    pipeline = Pipeline()
    pipeline.feed(event("created", 1, reservation()))
    pipeline.feed(event("updated", 2, reservation(kind="hotel")))
    assert pipeline.rows() == {}


def test_an_edit_that_leaves_route_month_and_lead_alone_sends_nothing():
    step = follow(None, event("created", 1, reservation()), (0, 0))
    later = follow(step.fact, event("updated", 2, {**reservation(), "notes": "aisle"}), (0, 1))
    assert later.changed and later.deltas == {}


def test_a_hotel_is_never_remembered():
    assert follow(None, event("created", 1, reservation(kind="hotel")), (0, 0)).fact is None


def test_a_replay_of_the_whole_stream_changes_nothing():
    pipeline = Pipeline()
    stream = [event("created", 1, reservation()), event("updated", 2, reservation(start="2026-05-01T10:00:00+02:00")),
              event("updated", 3, reservation(start="2026-05-01T10:00:00+02:00", status="cancelled")),
              event("updated", 4, reservation(start="2026-05-02T10:00:00+02:00"))]
    for offset, change in enumerate(stream):
        pipeline.feed(change, offset)
    before = pipeline.rows()
    for offset, change in enumerate(stream):   # after a crash: the same messages at the same offsets
        pipeline.feed(change, offset)
    assert pipeline.rows() == before == {"FRA-JFK/2026-05": pipeline.rows()["FRA-JFK/2026-05"]}
    assert before["FRA-JFK/2026-05"]["flights"] == 1


def test_an_event_republished_later_in_the_partition_is_not_counted_twice():
    pipeline = Pipeline()
    created = event("created", 1, reservation())
    pipeline.feed(created, 0)
    pipeline.feed(created, 7)   # the producer's retry: a byte-identical copy at a later offset
    assert pipeline.rows()["FRA-JFK/2026-03"]["flights"] == 1


def test_a_delta_lost_in_a_crash_is_sent_again_when_its_event_is_replayed():
    pipeline = Pipeline()
    created = event("created", 1, reservation())
    step = follow(None, created, (0, 0))
    pipeline.facts["r1"] = step.fact   # the fact was written, its delta never reached the aggregate
    pipeline.feed(created, 0)
    assert pipeline.rows()["FRA-JFK/2026-03"]["flights"] == 1


def test_an_older_version_arriving_late_is_ignored():
    pipeline = Pipeline()
    pipeline.feed(event("created", 1, reservation()))
    pipeline.feed(event("updated", 3, reservation(route=("FRA", "ORD"))))
    pipeline.feed(event("updated", 2, reservation(route=("FRA", "SFO"))))
    assert list(pipeline.rows()) == ["FRA-ORD/2026-03"]


def test_each_source_partition_is_deduplicated_on_its_own():
    pipeline = Pipeline()
    for partition in (0, 1):
        change = {**event("created", 1, reservation(rid=f"r{partition}")), "reservation_id": f"r{partition}",
                  "event_id": f"e{partition}"}
        pipeline.feed(change, offset=5, partition=partition)
    assert pipeline.rows()["FRA-JFK/2026-03"]["flights"] == 2


def test_the_row_is_stamped_with_the_latest_events_time():
    pipeline = Pipeline()
    pipeline.feed(event("created", 1, reservation()))
    pipeline.feed({**event("created", 1, reservation(rid="r2")), "reservation_id": "r2", "event_id": "x",
                   "occurred_at": "2026-02-01T00:00:00.000Z"})
    assert pipeline.rows()["FRA-JFK/2026-03"]["updated_at"] == "2026-02-01T00:00:00.000Z"


MONTHS = st.sampled_from(["2026-03-20T08:30:00+01:00", "2026-04-20T08:30:00+02:00", "2026-05-02T23:00:00-04:00"])
ROUTES = st.sampled_from([("FRA", "JFK"), ("CDG", "JFK"), ("FRA", "NRT")])
EDITS = st.lists(st.tuples(st.integers(0, 4), MONTHS, ROUTES, st.sampled_from(["confirmed", "cancelled", "gone"])),
                 min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(edits=EDITS)
def test_the_rows_always_equal_a_recount_of_the_latest_reservations(edits):
    """Any interleaving of creates, moves, cancellations and deletions, replayed halfway: a recount agrees."""
    pipeline, latest, versions, stream = Pipeline(), {}, {}, []
    for n, (index, start, route, status) in enumerate(edits):
        rid = f"r{index}"
        version = versions.get(rid, 0) + 1
        versions[rid] = version
        if status == "gone":
            body, kind = None, "deleted" if version > 1 else "created"
            if version == 1:
                body = reservation(rid=rid, start=start, route=route)
        else:
            body, kind = reservation(rid=rid, start=start, route=route, status=status), \
                "created" if version == 1 else "updated"
        change = {**event(kind, version, body, n=n), "reservation_id": rid, "event_id": f"e{n}"}
        if kind == "deleted":
            versions[rid] = 0   # the ID may be created again, starting at version 1
        stream.append(change)
        latest[rid] = body
    for offset, change in [*enumerate(stream), *list(enumerate(stream))[len(stream) // 2:]]:
        pipeline.feed(change, offset)
    expected: dict[str, int] = {}
    for body in latest.values():
        if (added := contribution(body)) is not None:
            expected[added["key"]] = expected.get(added["key"], 0) + 1
    assert {key: value["flights"] for key, value in pipeline.rows().items()} == expected
