"""Snapshot diff properties over widely varying snapshots, checked against a plain reading of the rules."""

import copy
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.tracking.diff import RANK, SEVERITIES, carry_forward, change_id, diff_snapshots, overall_severity
from domain.tracking.snapshots import (
    SECTION_FIELDS,
    SECTIONS,
    TOP_FIELDS,
    car_snapshot,
    flight_snapshot,
    hotel_snapshot,
    minutes_between,
    point,
    stop,
    time_from_utc,
)

BASE = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
TIME_KEYS = {"scheduled", "estimated", "actual", "check_in", "check_out", "time"}
INFO_KEYS = {"gate", "terminal", "aircraft", "seat", "location", "room_type", "guests", "name", "address",
             "company"}


def opt(strategy):
    return st.one_of(st.none(), strategy)


times = st.builds(lambda minutes, days, zone: time_from_utc(BASE + timedelta(days=days, minutes=minutes), zone),
                  st.sampled_from([0, 5, 14, 15, 16, 30, 90, -14, -15, -20]), st.sampled_from([0, 0, 0, 1]),
                  st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kathmandu"]))
words = st.sampled_from(["A1", "B2", "1"])
points = st.builds(point, opt(st.sampled_from(["FRA", "JFK"])), opt(times), opt(times), opt(times), opt(words),
                   opt(words))
flights = st.builds(flight_snapshot, st.sampled_from(["LH", "UA"]), st.sampled_from(["400", "401"]),
                    st.sampled_from(["2026-12-01", "2026-12-02"]),
                    status=st.sampled_from(["scheduled", "delayed", "departed", "landed", "cancelled", "diverted",
                                            "unknown"]),
                    departure=points, arrival=points, aircraft=opt(words), seat=opt(words),
                    provider_changed_at=opt(st.sampled_from(["2026-12-01T07:00:00Z", "2026-12-01T08:00:00Z"])))
statuses = opt(st.sampled_from(["confirmed", "cancelled", "pending", "hold"]))
hotels = st.builds(hotel_snapshot, status=statuses, name=opt(words), address=opt(words), check_in=opt(times),
                   check_out=opt(times), room_type=opt(words), guests=opt(st.integers(1, 3)))
cars = st.builds(car_snapshot, status=statuses, company=opt(words), pickup=st.builds(stop, opt(words), opt(times)),
                 dropoff=st.builds(stop, opt(words), opt(times)))
KINDS = {"flight": flights, "hotel": hotels, "car": cars}
snapshots = st.one_of(*KINDS.values())
pairs = st.sampled_from(sorted(KINDS)).flatmap(lambda kind: st.tuples(KINDS[kind], KINDS[kind]))


def paths(kind: str):
    yield from ((None, key) for key in TOP_FIELDS[kind])
    yield from ((section, key) for section in SECTIONS[kind] for key in SECTION_FIELDS[section])


def value(snapshot: dict, section, key):
    holder = snapshot if section is None else (snapshot.get(section) or {})
    return holder.get(key)


def expected_paths(old: dict, new: dict) -> list[str]:
    """Every field the new snapshot states differently, read straight off the rules."""
    found = []
    for section, key in paths(new["kind"]):
        before, after = value(old, section, key), value(new, section, key)
        if after is None or after == before or (key == "status" and after == "unknown"):
            continue
        if key in TIME_KEYS and before is not None and before["utc"] == after["utc"]:
            continue
        found.append(f"{section}.{key}" if section else key)
    return found


def expected_severity(old: dict, change: dict) -> str:
    section, _, key = change["path"].rpartition(".")
    new = change["new"]
    if key == "status":
        bad = ("cancelled", "diverted") if old["kind"] == "flight" else ("cancelled",)
        return "critical" if new in bad else "info"
    if key == "airport":
        return "critical" if change["old"] is not None else "info"
    if key in ("carrier", "number", "date"):
        return "major" if change["old"] is not None else "info"
    if key in ("check_in", "check_out"):
        before = change["old"]
        return "major" if before and before["local"][:10] != new["local"][:10] else "info"
    if key in TIME_KEYS:
        holder = old if not section else (old.get(section) or {})
        fallbacks = {"estimated": ["scheduled"], "actual": ["estimated", "scheduled"]}.get(key, [])
        reference = next((v for v in [change["old"], *(holder.get(f) for f in fallbacks)] if v), None)
        return "major" if reference and abs(minutes_between(reference, new)) >= 15 else "info"
    assert key in INFO_KEYS
    return "info"


@given(snapshots)
def test_a_snapshot_against_itself_is_no_change(snapshot):
    assert diff_snapshots(snapshot, snapshot) == []
    assert diff_snapshots(snapshot, copy.deepcopy(snapshot)) == []
    assert diff_snapshots(None, snapshot) == []


@given(snapshots, st.data())
def test_removing_fields_never_yields_changes(snapshot, data):
    stripped = copy.deepcopy(snapshot)
    for section, key in paths(snapshot["kind"]):
        holder = stripped if section is None else stripped.get(section)
        if holder is not None and data.draw(st.booleans()):
            if data.draw(st.booleans()):
                holder[key] = None
            else:
                holder.pop(key)
    for section in SECTIONS[snapshot["kind"]]:
        if data.draw(st.integers(0, 4)) == 0:
            stripped[section] = data.draw(st.sampled_from([None, {}]))
    assert diff_snapshots(snapshot, stripped) == []


@settings(max_examples=300)
@given(pairs)
def test_changes_are_exactly_the_restated_fields_with_the_rule_severity(pair):
    old, new = pair
    changes = diff_snapshots(old, new)
    assert [c["path"] for c in changes] == expected_paths(old, new)
    for change in changes:
        assert change["severity"] in SEVERITIES
        assert change["new"] is not None
        assert change["severity"] == expected_severity(old, change), change
    worst = max((RANK[c["severity"]] for c in changes), default=None)
    assert overall_severity(changes) == (None if worst is None else SEVERITIES[worst])


@given(pairs)
def test_a_replayed_or_thinned_snapshot_after_carry_forward_is_no_change(pair):
    old, new = pair
    kept = carry_forward(old, new)
    assert diff_snapshots(kept, new) == []
    assert diff_snapshots(kept, copy.deepcopy(kept)) == []
    thinned = {**new, **{key: None for key in TOP_FIELDS[new["kind"]]}}
    assert diff_snapshots(kept, thinned) == []


@given(pairs)
def test_carry_forward_only_adds_what_was_unsaid(pair):
    old, new = pair
    kept = carry_forward(old, new)
    for section, key in paths(new["kind"]):
        stated = value(new, section, key)
        if stated is not None and not (key == "status" and stated == "unknown" and value(old, None, key)):
            assert value(kept, section, key) == stated
        elif value(old, section, key) is not None:
            assert value(kept, section, key) == value(old, section, key)


@given(pairs, st.text(min_size=1, max_size=20))
def test_change_ids_are_deterministic(pair, reservation_id):
    old, new = pair
    changes = diff_snapshots(old, new)
    again = diff_snapshots(copy.deepcopy(old), copy.deepcopy(new))
    assert change_id(reservation_id, changes, "f") == change_id(reservation_id, again, "f")
    assert change_id(reservation_id, changes, "f") != change_id(reservation_id + "x", changes, "f")
