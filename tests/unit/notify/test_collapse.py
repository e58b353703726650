"""Collapsing several changes to one reservation into one message, given the clock."""

import json
from datetime import UTC, datetime, timedelta

from domain.notify.collapse import REMEMBERED_CHANGES, add, due_at, flush_due

T0 = datetime(2025, 6, 11, 8, 0, tzinfo=UTC)


def change(change_id: str, *items: tuple, severity: str = "major") -> dict:
    return {"change_id": change_id, "reservation_id": "r1", "user_id": "u1", "severity": severity,
            "detected_at": "2025-06-11T08:00:00Z", "provider_changed_at": None,
            "changes": [{"path": p, "old": o, "new": n, "severity": s} for p, o, n, s in items],
            "reservation": {"id": "r1", "version": change_id}}


GATE = ("departure.gate", "A1", "B2", "info")
DELAY = ("departure.estimated", "09:00", "09:40", "major")


def test_a_lone_change_waits_for_its_window_then_goes_out():
    state, ready = add(None, change("c1", GATE), T0)
    assert ready == []
    assert due_at(state) == T0 + timedelta(minutes=2)
    assert flush_due(state, T0 + timedelta(seconds=119))[1] == []
    state, ready = flush_due(state, T0 + timedelta(minutes=2))
    assert [b["change_ids"] for b in ready] == [["c1"]]
    assert ready[0]["change_id"] == "c1" and ready[0]["changes"][0]["new"] == "B2"
    assert due_at(state) is None


def test_changes_within_the_window_become_one_message():
    state, _ = add(None, change("c1", GATE, severity="info"), T0)
    state, ready = add(state, change("c2", DELAY), T0 + timedelta(seconds=90))
    assert ready == []
    _, ready = flush_due(state, T0 + timedelta(minutes=2))
    assert len(ready) == 1
    batch = ready[0]
    assert batch["change_id"] == "c1" and batch["change_ids"] == ["c1", "c2"]
    assert batch["severity"] == "major"
    assert [c["path"] for c in batch["changes"]] == ["departure.gate", "departure.estimated"]
    assert batch["reservation"]["version"] == "c2"  # the latest reservation


def test_the_window_is_fixed_from_the_first_change_so_news_is_never_held_longer():
    state, _ = add(None, change("c1", GATE), T0)
    state, _ = add(state, change("c2", DELAY), T0 + timedelta(seconds=110))
    assert due_at(state) == T0 + timedelta(minutes=2)


def test_a_change_after_the_window_closes_the_old_batch_and_opens_a_new_one():
    state, _ = add(None, change("c1", GATE), T0)
    state, ready = add(state, change("c2", DELAY), T0 + timedelta(minutes=5))  # the timer was late
    assert [b["change_ids"] for b in ready] == [["c1"]]
    assert state["pending"]["change_ids"] == ["c2"]
    assert due_at(state) == T0 + timedelta(minutes=7)


def test_the_same_field_changing_twice_reads_from_first_old_to_last_new():
    state, _ = add(None, change("c1", ("departure.gate", "A1", "B2", "info")), T0)
    state, _ = add(state, change("c2", ("departure.gate", "B2", "C3", "major")), T0 + timedelta(seconds=30))
    _, ready = flush_due(state, T0 + timedelta(minutes=2))
    assert ready[0]["changes"] == [{"path": "departure.gate", "old": "A1", "new": "C3", "severity": "major"}]


def test_a_change_undone_within_the_window_sends_nothing():
    state, _ = add(None, change("c1", ("departure.gate", "A1", "B2", "info")), T0)
    state, _ = add(state, change("c2", ("departure.gate", "B2", "A1", "info")), T0 + timedelta(seconds=30))
    state, ready = flush_due(state, T0 + timedelta(minutes=2))
    assert ready == [] and state["pending"] is None


def test_severity_is_recomputed_when_an_undone_change_drops_out():
    state, _ = add(None, change("c1", ("departure.gate", "A1", "B2", "major"), ("seat", "1A", "2B", "info")), T0)
    state, _ = add(state, change("c2", ("departure.gate", "B2", "A1", "major")), T0 + timedelta(seconds=30))
    _, ready = flush_due(state, T0 + timedelta(minutes=2))
    assert ready[0]["severity"] == "info"
    assert [c["path"] for c in ready[0]["changes"]] == ["seat"]


def test_critical_news_goes_out_at_once_with_whatever_was_waiting():
    state, _ = add(None, change("c1", GATE), T0)
    state, ready = add(state, change("c2", ("status", "scheduled", "cancelled", "critical"), severity="critical"),
                       T0 + timedelta(seconds=10))
    assert [b["change_ids"] for b in ready] == [["c1", "c2"]]
    assert ready[0]["severity"] == "critical"
    assert state["pending"] is None


def test_a_redelivered_change_is_taken_once():
    state, _ = add(None, change("c1", GATE), T0)
    state, ready = add(state, change("c1", GATE), T0 + timedelta(seconds=5))
    assert ready == [] and state["pending"]["change_ids"] == ["c1"]
    state, ready = flush_due(state, T0 + timedelta(minutes=2))
    state, ready = add(state, change("c1", GATE), T0 + timedelta(minutes=10))  # after it was sent
    assert ready == [] and state["pending"] is None


def test_memory_of_taken_changes_is_bounded():
    state = None
    for i in range(REMEMBERED_CHANGES + 10):
        state, _ = add(state, change(f"c{i}", GATE), T0 + timedelta(minutes=3 * i))
    assert len(state["seen"]) == REMEMBERED_CHANGES
    assert state["seen"][-1] == f"c{REMEMBERED_CHANGES + 9}"


def test_state_survives_a_json_round_trip():
    state, _ = add(None, change("c1", GATE), T0)
    state = json.loads(json.dumps(state))
    _, ready = flush_due(state, T0 + timedelta(minutes=2))
    assert ready[0]["change_ids"] == ["c1"]


def test_a_custom_window():
    state, _ = add(None, change("c1", GATE), T0, window=timedelta(seconds=30))
    assert flush_due(state, T0 + timedelta(seconds=30), window=timedelta(seconds=30))[1] != []
