"""Reservation commands: create, update, delete, replays, versions, If-Match, ownership and events."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.errors import ValidationError
from domain.reservations.commands import (
    PRIVATE,
    READ_ONLY,
    REMEMBERED_COMMANDS,
    apply,
    check_api_input,
    etag,
    merge_patch,
    to_api,
)

RID, ALICE, BOB = "a" * 32, "user-alice", "user-bob"
T0, T1, T2 = "2025-06-01T08:00:00Z", "2025-06-02T08:00:00Z", "2025-06-03T08:00:00Z"
FLIGHT = {"type": "flight", "confirmation": "ABC123", "start": "2025-07-01T10:00", "end": "2025-07-01T12:30",
          "flight": {"airline": "AF", "number": "22", "from": "CDG", "to": "JFK"}}


def command(kind: str, data: dict | None = None, **extra) -> dict:
    return {"command_id": uuid.uuid4().hex, "kind": kind, "reservation_id": RID, "user_id": ALICE,
            "data": data if data is not None else {}, **extra}


def created(data: dict = FLIGHT, digest: str = "d1") -> dict:
    return apply(None, command("create", data, request_digest=digest), T0).state


def test_check_api_input_refuses_every_read_only_field():
    with pytest.raises(ValidationError) as caught:
        check_api_input({"notes": "x", "version": 3, "id": "b", "source": "email"})
    assert caught.value.errors == [{"field": f, "message": "is read-only"} for f in ("id", "source", "version")]
    body = {"notes": "x", "status": "hold"}
    assert check_api_input(body) is body
    assert set(READ_ONLY) == {"id", "version", "created_at", "updated_at", "source"}


def test_create():
    cmd = command("create", FLIGHT, request_digest="d1")
    outcome = apply(None, cmd, T0)
    state = outcome.state
    assert state["id"] == RID and state["user_id"] == ALICE and state["source"] == "manual"
    assert (state["version"], state["created_at"], state["updated_at"]) == (1, T0, T0)
    assert state["commands"] == [cmd["command_id"]] and state["request_digest"] == "d1"
    assert state["start"] == "2025-07-01T10:00:00+02:00" and state["end_time_zone"] == "America/New_York"
    assert outcome.reply == {"ok": True, "status": 201, "reservation": to_api(state), "version": 1}
    assert outcome.event["event_type"] == "reservation.created"


def test_create_keeps_a_source_given_by_an_internal_producer():
    assert apply(None, command("create", {**FLIGHT, "source": "email"}), T0).state["source"] == "email"


def test_to_api_and_etag():
    state = created()
    api = to_api(state)
    assert not set(api) & set(PRIVATE)
    assert api == {k: v for k, v in state.items() if k not in ("user_id", "commands", "request_digest")}
    assert etag(state) == '"1"'


def test_invalid_create_is_a_field_level_error_reply():
    outcome = apply(None, command("create", {**FLIGHT, "colour": "red", "status": "maybe"}), T0)
    assert (outcome.state, outcome.event) == (None, None)
    assert outcome.reply["ok"] is False and outcome.reply["status"] == 422
    assert outcome.reply["kind"] == "validation-error"
    assert {e["field"] for e in outcome.reply["errors"]} == {"colour", "status"}


def test_a_retried_create_with_the_same_request_gets_the_first_result():
    state = created(digest="d1")
    outcome = apply(state, command("create", FLIGHT, request_digest="d1"), T1)
    assert outcome.state is state and outcome.event is None
    assert outcome.reply == {"ok": True, "status": 201, "reservation": to_api(state), "version": 1}


def test_the_same_idempotency_key_with_another_request_is_a_conflict():
    state = created(digest="d1")
    outcome = apply(state, command("create", {**FLIGHT, "notes": "other"}, request_digest="d2"), T1)
    assert outcome.state is state and outcome.event is None
    assert (outcome.reply["status"], outcome.reply["kind"]) == (409, "conflict")


def test_update_merges_the_patch_and_bumps_the_version():
    state = created()
    cmd = command("update", {"notes": "aisle please", "flight": {"seat": "12a"}})
    outcome = apply(state, cmd, T1)
    new = outcome.state
    assert new["notes"] == "aisle please" and new["flight"]["seat"] == "12a" and new["flight"]["airline"] == "AF"
    assert (new["version"], new["created_at"], new["updated_at"]) == (2, T0, T1)
    assert new["commands"] == state["commands"] + [cmd["command_id"]]
    assert (new["user_id"], new["request_digest"], new["id"]) == (ALICE, "d1", RID)
    assert outcome.event["changed_fields"] == ["flight", "notes"]
    assert outcome.reply == {"ok": True, "status": 200, "reservation": to_api(new), "version": 2}


def test_null_in_a_patch_removes_the_field():
    state = apply(created(), command("update", {"notes": "x"}), T1).state
    outcome = apply(state, command("update", {"notes": None}), T2)
    assert "notes" not in outcome.state and outcome.event["changed_fields"] == ["notes"]


def test_changing_the_arrival_airport_moves_the_arrival_zone():
    outcome = apply(created(), command("update", {"flight": {"to": "LHR"}}), T1)
    assert outcome.state["end_time_zone"] == "Europe/London"
    assert outcome.state["end"] == "2025-07-01T17:30:00+01:00"  # the same instant, at the new place
    assert outcome.event["changed_fields"] == ["end", "end_time_zone", "flight"]


def test_changing_type_needs_the_old_details_removed():
    state = created()
    hotel = {"type": "hotel", "hotel": {"name": "Ritz"}, "start_time_zone": "Europe/Paris"}
    refused = apply(state, command("update", hotel), T1)
    assert refused.reply["status"] == 422 and refused.state is state
    assert {"field": "flight", "message": "not allowed on a hotel reservation"} in refused.reply["errors"]
    outcome = apply(state, command("update", {**hotel, "flight": None, "end_time_zone": None}), T1)
    assert outcome.state["type"] == "hotel" and "flight" not in outcome.state
    assert outcome.state["end_time_zone"] == "Europe/Paris"


@pytest.mark.parametrize("patch", [{}, {"notes": None}, {"confirmation": "ABC123"},
                                   {"start": "2025-07-01T08:00:00Z"}, {"flight": {"from": "cdg"}}])
def test_an_update_that_changes_nothing_is_a_no_op_that_remembers_its_command(patch):
    state = created()
    cmd = command("update", patch)
    outcome = apply(state, cmd, T1)
    # A new state (so the agent stores it), differing only in the commands remembered: no version, no event.
    assert outcome.state is not state and outcome.event is None
    assert outcome.state == {**state, "commands": state["commands"] + [cmd["command_id"]]}
    assert outcome.reply == {"ok": True, "status": 200, "reservation": to_api(state), "version": 1}
    assert apply(outcome.state, cmd, T2).state is outcome.state


def test_update_refuses_unknown_and_invalid_fields_field_by_field():
    state = created()
    unknown = apply(state, command("update", {"colour": "red", "id": "x"}), T1)
    assert unknown.reply["errors"] == [{"field": "colour", "message": "unknown field"},
                                       {"field": "id", "message": "unknown field"}]
    invalid = apply(state, command("update", {"flight": {"to": "ZZZ"}, "end": "soon", "status": "gone"}), T1)
    assert invalid.state is state and invalid.event is None and invalid.reply["status"] == 422
    assert {e["field"] for e in invalid.reply["errors"]} == {"flight.to", "end", "status"}


@pytest.mark.parametrize("kind", ["update", "delete"])
def test_if_match(kind):
    state = apply(created(), command("update", {"notes": "x"}), T1).state
    stale = apply(state, command(kind, {"notes": "y"}, if_match=1), T2)
    assert stale.state is state and stale.event is None
    assert (stale.reply["status"], stale.reply["kind"]) == (412, "precondition-failed")
    assert "version 2, not 1" in stale.reply["title"]
    for if_match in (2, None):
        assert apply(state, command(kind, {"notes": "y"}, if_match=if_match), T2).reply["ok"] is True


@pytest.mark.parametrize("kind", ["create", "update", "delete"])
def test_another_users_reservation_is_not_found(kind):
    state = created()
    outcome = apply(state, {**command(kind, {"notes": "mine"}, request_digest="d1"), "user_id": BOB}, T1)
    assert outcome.state is state and outcome.event is None
    assert (outcome.reply["status"], outcome.reply["kind"]) == (404, "not-found")


@pytest.mark.parametrize("kind", ["update", "delete"])
def test_a_missing_reservation_is_not_found(kind):
    outcome = apply(None, command(kind, {"notes": "x"}), T1)
    assert (outcome.state, outcome.event, outcome.reply["status"]) == (None, None, 404)


def test_delete():
    state = apply(created(), command("update", {"notes": "x"}), T1).state
    cmd = command("delete")
    outcome = apply(state, cmd, T2)
    assert outcome.state is None and outcome.reply == {"ok": True, "status": 204}
    assert outcome.event == {"schema_version": 1, "event_id": cmd["command_id"], "event_type": "reservation.deleted",
                             "reservation_id": RID, "user_id": ALICE, "version": 3, "occurred_at": T2,
                             "changed_fields": [], "reservation": None}


def test_events_carry_what_the_data_team_needs():
    cmd = command("create", FLIGHT)
    event = apply(None, cmd, T0).event
    assert event == {"schema_version": 1, "event_id": cmd["command_id"], "event_type": "reservation.created",
                     "reservation_id": RID, "user_id": ALICE, "version": 1, "occurred_at": T0,
                     "changed_fields": [], "reservation": event["reservation"]}
    assert event["reservation"]["start"] == "2025-07-01T10:00:00+02:00"
    assert not set(event["reservation"]) & set(PRIVATE)


@pytest.mark.parametrize("patch", [{"notes": "x"}, {"status": "cancelled"}])
def test_a_replayed_update_is_a_no_op(patch):
    cmd = command("update", patch)
    state = apply(created(), cmd, T1).state
    later = apply(state, command("update", {"travellers": ["Ada"]}), T1).state
    outcome = apply(later, cmd, T2)
    assert outcome.state is later and outcome.event is None
    assert outcome.reply == {"ok": True, "status": 200, "reservation": to_api(later), "version": 3}


def test_a_replayed_create_is_a_no_op():
    cmd = command("create", FLIGHT, request_digest="d1")
    state = apply(None, cmd, T0).state
    state = apply(state, command("update", {"notes": "x"}), T1).state
    outcome = apply(state, cmd, T2)
    assert outcome.state is state and outcome.event is None and outcome.reply["version"] == 2
    assert outcome.reply["status"] == 201


def test_a_replayed_create_answers_like_the_first_time():
    cmd = command("create", FLIGHT, request_digest="d1")
    first = apply(None, cmd, T0)
    assert apply(first.state, cmd, T0).reply == first.reply


def test_a_delete_redelivered_after_the_reservation_is_gone_is_not_found():
    # Nothing is left to remember the delete's command ID by: 404 (see domain/reservations/commands.py _delete).
    cmd = command("delete")
    assert apply(created(), cmd, T1).reply == {"ok": True, "status": 204}
    assert apply(None, cmd, T2).reply["status"] == 404


def test_only_the_most_recent_commands_are_remembered():
    state = created()
    first = state["commands"][0]
    updates = [command("update", {"notes": f"n{i}"}) for i in range(REMEMBERED_COMMANDS)]
    for cmd in updates:
        state = apply(state, cmd, T1).state
    assert state["commands"] == [c["command_id"] for c in updates]
    assert first not in state["commands"]
    assert apply(state, updates[0], T2).state is state


NOTES = st.one_of(st.none(), st.sampled_from(["a", "b", "c"]))
STEP = st.one_of(st.builds(lambda n: ("update", {"notes": n}), NOTES),
                 st.builds(lambda s: ("update", {"status": s}), st.sampled_from(["confirmed", "hold", "pending"])),
                 st.builds(lambda i: ("replay", i), st.integers(0, 50)),
                 st.builds(lambda v: ("stale", v), st.sampled_from([-1, 1])))


@given(st.lists(STEP, max_size=25))
def test_versions_only_increase_one_per_event_and_replays_change_nothing(steps):
    first = command("create", FLIGHT)
    outcome = apply(None, first, T0)
    state, applied, versions = outcome.state, [first], [outcome.event["version"]]
    for what, arg in steps:
        if what == "replay":
            cmd = applied[arg % len(applied)]  # any command accepted before, whether it changed something or not
        elif what == "stale":
            cmd = command("update", {"notes": "zzz"}, if_match=state["version"] + arg)
        else:
            cmd = command(what, arg)
        before = state
        outcome = apply(state, cmd, T1)
        state = outcome.state
        if what in ("replay", "stale"):
            assert state is before and outcome.event is None
        elif outcome.event is None:
            assert state == {**before, "commands": before["commands"] + [cmd["command_id"]]}
            applied.append(cmd)
        else:
            assert state["version"] == before["version"] + 1 == outcome.event["version"]
            assert outcome.event["changed_fields"]
            versions.append(outcome.event["version"])
            applied.append(cmd)
        assert outcome.reply["status"] == 412 if what == "stale" else outcome.reply["version"] == state["version"]
    assert versions == list(range(1, len(versions) + 1))


def test_a_replayed_no_op_update_stays_a_no_op():
    confirm, cancel = command("update", {"status": "confirmed"}), command("update", {"status": "cancelled"})
    state = apply(created(), confirm, T1).state  # already confirmed: nothing to do
    state = apply(state, cancel, T1).state
    # After a crash the table may be ahead of the committed offset: both commands come again, in order.
    replayed = apply(state, confirm, T2)
    assert replayed.state is state and replayed.event is None
    assert apply(replayed.state, cancel, T2).state["status"] == "cancelled"


@pytest.mark.parametrize("patch", [{"type": ["hotel"]}, {"type": {"a": 1}}, {"start": "9999-12-31T23:00:00-05:00"},
                                   {"end": "0001-01-01T00:00:00+01:00"}])
def test_apply_never_raises_for_a_bad_patch(patch):
    state = created()
    outcome = apply(state, command("update", patch), T1)
    assert outcome.reply["status"] == 422 and outcome.state is state and outcome.event is None


def test_a_patch_changes_only_what_it_names_even_near_a_dst_gap():
    car = {"type": "car", "car": {"company": "Hertz"}, "start_time_zone": "Europe/Paris",
           "start": "2025-03-30T02:30", "end": "2025-03-30T08:00"}
    state = created(car)
    assert state["start"] == "2025-03-30T03:30:00+02:00"
    outcome = apply(state, command("update", {"notes": "x"}), T1)
    assert outcome.event["changed_fields"] == ["notes"]


RFC_7396 = [  # RFC 7396 appendix A, the object cases
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize("target,patch,result", RFC_7396)
def test_merge_patch_rfc_examples(target, patch, result):
    assert merge_patch(target, patch) == result


def test_merge_patch_merges_an_object_onto_a_non_object_member_as_onto_an_empty_one():
    assert merge_patch({"a": "x"}, {"a": {"b": None, "c": {"d": None, "e": 1}}}) == {"a": {"c": {"e": 1}}}
    assert merge_patch({"a": [1]}, {"a": {}}) == {"a": {}}
    assert merge_patch({}, {"a": [{"b": None}]}) == {"a": [{"b": None}]}  # arrays replace as they are


def json_values(leaves):
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=2)
                        | st.dictionaries(st.sampled_from("abc"), inner, max_size=3), max_leaves=8)


SCALARS = st.booleans() | st.integers() | st.text(max_size=3)
TARGETS = st.dictionaries(st.sampled_from("abcd"), json_values(st.none() | SCALARS), max_size=4)
PATCHES = st.dictionaries(st.sampled_from("abcd"), json_values(st.none() | SCALARS), max_size=4)


@given(TARGETS, PATCHES)
def test_merge_patch_laws(target, patch):
    target_before, patch_before = repr(target), repr(patch)
    once = merge_patch(target, patch)
    assert merge_patch(once, patch) == once
    assert (repr(target), repr(patch)) == (target_before, patch_before)
    assert merge_patch(target, {}) == target
    for key, value in patch.items():
        if value is None:
            assert key not in once
        elif not isinstance(value, dict):
            assert once[key] == value
        else:
            assert once[key] == merge_patch(target[key] if isinstance(target.get(key), dict) else {}, value)
    assert {k: v for k, v in target.items() if k not in patch} == {k: v for k, v in once.items() if k not in patch}
