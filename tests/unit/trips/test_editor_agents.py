"""An editor's trip commands through the trips agent: the share is checked in the owner's book when applied."""

from __future__ import annotations

import orjson
import pytest

from agents.trips.apply_trip_commands import apply_trip_commands
from streams import topics
from streams.replies import replies
from tables.trips import trips
from tests.unit.trips.test_agents import BACK, HOTEL, OUT, USER, arrive
from tests.unit.trips.test_share_agents import FRIEND, share_command

pytestmark = pytest.mark.usefixtures("clock")


def as_editor(trip_id: str, n: int, **data) -> dict:
    return {"command_id": f"e{n}", "kind": "update", "user_id": USER, "actor_id": FRIEND,
            "issued_at": f"2025-01-01T00:00:0{n}.000Z", "data": {"trip_id": trip_id, **data}}


def shared_with_friend(trip_id: str, role: str) -> bytes:
    command = share_command(trip_id, "friend@example.com")
    return orjson.dumps({**command, "data": {**command["data"], "role": role, "follower_id": FRIEND}})


async def test_an_editors_rename_is_applied_and_a_viewers_refused(faust_app, sent):
    await arrive(OUT, HOTEL, BACK)
    (trip_id,) = trips[USER]["trips"]
    renamed, refused = replies.expect("e2"), replies.expect("e3")
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=shared_with_friend(trip_id, "editor"))
        await agent.put(key=USER, value=orjson.dumps(as_editor(trip_id, 2, name="Picking Ann up")))
        await agent.put(key=USER, value=shared_with_friend(trip_id, "viewer"))   # the same address: new role
        await agent.put(key=USER, value=orjson.dumps(as_editor(trip_id, 3, name="Mine")))
    assert renamed.result()["trip"]["name"] == "Picking Ann up"
    assert refused.result()["status"] == 403
    assert trips[USER]["trips"][trip_id]["name"] == "Picking Ann up"


async def test_a_share_withdrawn_just_before_lets_no_rename_through(faust_app, sent):
    """The view saw the share; the withdrawal was applied first: the book, not the view, decides."""
    await arrive(OUT, HOTEL, BACK)
    (trip_id,) = trips[USER]["trips"]
    withdraw = {"command_id": "w1", "kind": "withdraw-share", "user_id": USER, "issued_at": "2025-01-01T00:00:02Z",
                "data": {"trip_id": trip_id, "share_id": f"{1:032x}"}}
    refused = replies.expect("e3")
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=shared_with_friend(trip_id, "editor"))
        await agent.put(key=USER, value=orjson.dumps(withdraw))
        await agent.put(key=USER, value=orjson.dumps(as_editor(trip_id, 3, name="Mine")))
    assert refused.result()["status"] == 404
    assert trips[USER]["trips"][trip_id]["name"] is None


async def test_an_editors_reservation_change_goes_on_as_the_owners_and_not_after_a_withdrawal(faust_app, sent):
    await arrive(OUT, HOTEL, BACK)
    (trip_id,) = trips[USER]["trips"]
    patch = {"notes": "Terminal 1, by the pharmacy"}
    changing = {**as_editor(trip_id, 2), "kind": "change-reservation",
                "data": {"trip_id": trip_id, "reservation_id": HOTEL["id"], "patch": patch, "if_match": 1}}
    withdraw = {"command_id": "w1", "kind": "withdraw-share", "user_id": USER, "issued_at": "2025-01-01T00:00:03Z",
                "data": {"trip_id": trip_id, "share_id": f"{1:032x}"}}
    refused = replies.expect("e4")
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=shared_with_friend(trip_id, "editor"))
        await agent.put(key=USER, value=orjson.dumps(changing))
        await agent.put(key=USER, value=orjson.dumps(withdraw))
        await agent.put(key=USER, value=orjson.dumps({**changing, "command_id": "e4"}))
    ((key, value),) = sent.to(topics.reservation_commands)
    assert key == HOTEL["id"] and refused.result()["status"] == 404
    assert orjson.loads(value) == {"command_id": "e2", "kind": "update", "reservation_id": HOTEL["id"],
                                   "user_id": USER, "data": patch, "if_match": 1,
                                   "issued_at": changing["issued_at"]}


async def test_an_editors_deletion_goes_on_as_the_owners_only_for_the_trips_reservations(faust_app, sent):
    await arrive(OUT, HOTEL, BACK)
    (trip_id,) = trips[USER]["trips"]
    deleting = {**as_editor(trip_id, 2), "kind": "delete-reservation",
                "data": {"trip_id": trip_id, "reservation_id": HOTEL["id"], "if_match": None}}
    withdraw = {"command_id": "w1", "kind": "withdraw-share", "user_id": USER, "issued_at": "2025-01-01T00:00:03Z",
                "data": {"trip_id": trip_id, "share_id": f"{1:032x}"}}
    outside, refused = replies.expect("e3"), replies.expect("e4")
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=shared_with_friend(trip_id, "editor"))
        await agent.put(key=USER, value=orjson.dumps(deleting))
        await agent.put(key=USER, value=orjson.dumps(
            {**deleting, "command_id": "e3", "data": {**deleting["data"], "reservation_id": "d" * 32}}))
        await agent.put(key=USER, value=orjson.dumps(withdraw))
        await agent.put(key=USER, value=orjson.dumps({**deleting, "command_id": "e4"}))
    ((key, value),) = sent.to(topics.reservation_commands)
    assert outside.result()["status"] == 404 and refused.result()["status"] == 404
    assert key == HOTEL["id"] and orjson.loads(value) == {
        "command_id": "e2", "kind": "delete", "reservation_id": HOTEL["id"], "user_id": USER, "data": {},
        "if_match": None, "issued_at": deleting["issued_at"]}
