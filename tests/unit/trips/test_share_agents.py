"""Sharing through the agents: the address lookup, the owner's share commands and the followers' index."""

from __future__ import annotations

import orjson
import pytest

from agents.notify.publish_notifications import publish_notifications
from agents.trips.apply_trip_commands import apply_trip_commands
from agents.trips.attach_invitations import attach_invitations
from agents.trips.index_shared_trips import index_shared_trips
from agents.trips.resolve_share_addresses import resolve_share_addresses
from agents.trips.tell_followers import tell_followers
from domain.trips.shares import claim_token
from faust_app import settings
from streams import topics
from streams.replies import replies
from tables.logins import logins
from tables.notifications import notifications
from tables.share_invitations import share_invitations
from tables.shared_trips import shared_trips
from tables.trips import trips
from tables.users import users
from tests.unit.trips.test_agents import BACK, HOTEL, OUT, USER, arrive

FRIEND = "f" * 32
pytestmark = pytest.mark.usefixtures("clock")   # the trips' clock before the itinerary


def share_command(trip_id: str, email: str, n: int = 1) -> dict:
    return {"command_id": f"s{n}", "kind": "share", "user_id": USER, "issued_at": "2025-01-01T00:00:01.000Z",
            "data": {"trip_id": trip_id, "share_id": f"{n:032x}", "email": email, "role": "viewer"}}


async def resolve(command: dict) -> dict:
    """The share command as the lookup agent hands it on to the owner's trip commands."""
    async with resolve_share_addresses.test_context() as agent:
        await agent.put(key=command["data"]["email"], value=orjson.dumps(command))


async def test_a_registered_address_is_resolved_to_its_account_and_sent_to_the_owner(faust_app, sent):
    logins.data["friend@example.com"] = {"user_id": FRIEND, "password_hash": "x", "role": "user"}
    await resolve(share_command("t" * 32, "friend@example.com"))
    await resolve(share_command("t" * 32, "nobody@example.com", 2))
    handed = [(key, orjson.loads(value)) for key, value in sent.to(topics.trip_commands)]
    assert [key for key, _ in handed] == [USER, USER]
    assert [value["data"]["follower_id"] for _, value in handed] == [FRIEND, None]
    assert handed[0][1]["command_id"] == "s1"   # the view waits on the owner's worker for this reply
    assert list(share_invitations) == ["nobody@example.com"]   # kept for its sign-up


async def test_a_sign_up_with_the_e_mailed_token_attaches_the_share_once(faust_app, sent):
    share_invitations.data["new@example.com"] = {"1" * 32: {"owner_id": USER, "trip_id": "t" * 32,
                                                            "invited_at": "2025-01-01T00:00:01.000Z"}}
    token = claim_token(settings.accounts.jwt_secret.value, "1" * 32, "new@example.com")
    register = {"command_id": "r1", "kind": "register", "user_id": FRIEND, "password_hash": "x", "role": "traveller",
                "profile": {}, "issued_at": "2025-01-02T00:00:00.000Z", "invitation": token}
    async with attach_invitations.test_context() as agent:
        await agent.put(key="new@example.com", value=orjson.dumps(register))
        await agent.put(key="new@example.com", value=orjson.dumps({**register, "user_id": "b" * 32}))
    ((key, value),) = sent.to(topics.trip_commands)
    attach = orjson.loads(value)
    assert key == USER and attach["kind"] == "attach-share"
    assert attach["data"] == {"trip_id": "t" * 32, "share_id": "1" * 32, "follower_id": FRIEND}
    assert "new@example.com" not in share_invitations


async def test_sharing_then_withdrawing_answers_the_owner_and_updates_the_followers_index(faust_app, sent):
    await arrive(OUT, HOTEL, BACK)
    (trip_id,) = trips[USER]["trips"]
    shared, withdrawn = replies.expect("s1"), replies.expect("w1")
    command = share_command(trip_id, "friend@example.com")
    withdraw = {"command_id": "w1", "kind": "withdraw-share", "user_id": USER, "issued_at": "2025-01-01T00:00:02Z",
                "data": {"trip_id": trip_id, "share_id": f"{1:032x}"}}
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=orjson.dumps({**command, "data": {**command["data"], "follower_id": FRIEND}}))
        await agent.put(key=USER, value=orjson.dumps(withdraw))
    assert shared.result()["share"]["status"] == "active" and withdrawn.result()["status"] == 204
    told = sent.to(topics.share_events)
    assert [(key, orjson.loads(value)["kind"]) for key, value in told] == [(FRIEND, "shared"), (FRIEND, "withdrawn")]
    async with index_shared_trips.test_context() as agent:
        await agent.put(key=told[0][0], value=told[0][1])
        assert shared_trips[FRIEND] == {trip_id: {
            "owner_id": USER, "role": "viewer", "shared_at": "2025-01-01T00:00:01.000Z", "name": "New York",
            "start": "2025-01-06T00:00:00+00:00", "start_time_zone": "Europe/Berlin",
            "end": "2025-01-08T14:00:00+00:00", "end_time_zone": "Europe/Berlin"}}
        await agent.put(key=told[1][0], value=told[1][1])
    assert shared_trips[FRIEND] == {}


async def test_a_change_on_a_shared_trip_goes_to_its_follower_and_no_further(faust_app, sent):
    await arrive(OUT, HOTEL, BACK)
    (trip_id,) = trips[USER]["trips"]
    command = share_command(trip_id, "friend@example.com")
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=orjson.dumps({**command, "data": {**command["data"], "follower_id": FRIEND}}))
    change = {"change_id": "c1", "reservation_id": OUT["id"], "user_id": USER, "severity": "major", "source": "poll",
              "changes": [{"path": "departure.gate", "old": "A1", "new": "B2", "severity": "major"}],
              "detected_at": "2025-01-05T10:00:00.000Z"}
    users.data[USER] = {"id": USER, "email": "ann@example.com", "name": "Ann", "locale": "en", "version": 1}
    async with tell_followers.test_context() as agent:
        await agent.put(key=USER, value=orjson.dumps({"kind": "change", "user_id": USER, "change": change}))
        ((key, copy),) = sent.to(topics.user_changes)
        await agent.put(key=key, value=copy)   # the follower's copy comes back on the same topic
    assert len(sent.to(topics.user_changes)) == 1
    told = orjson.loads(copy)
    assert key == FRIEND and told["user_id"] == FRIEND and told["change"]["user_id"] == FRIEND
    assert told["change"]["shared_by"]["trip_id"] == trip_id and told["change"]["reservation"]["id"] == OUT["id"]
    users.data[FRIEND] = {"id": FRIEND, "email": "friend@example.com", "locale": "en", "time_zone": "UTC", "version": 1}
    async with publish_notifications.test_context() as agent:   # the follower's own notifier
        await agent.put(key=FRIEND, value=copy)
    (item,) = notifications[FRIEND]["items"]
    assert item["title"].startswith("Ann’s trip (New York): ") and "B2" in item["title"]


async def test_a_renamed_trip_keeps_its_place_in_shared_with_me_under_its_new_name(faust_app, sent):
    await arrive(OUT, HOTEL, BACK)
    (trip_id,) = trips[USER]["trips"]
    command = share_command(trip_id, "friend@example.com")
    rename = {"command_id": "n1", "kind": "update", "user_id": USER, "issued_at": "2025-01-02T00:00:00.000Z",
              "data": {"trip_id": trip_id, "name": "Picking Ann up"}}
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=orjson.dumps({**command, "data": {**command["data"], "follower_id": FRIEND}}))
        await agent.put(key=USER, value=orjson.dumps(rename))
    async with index_shared_trips.test_context() as agent:
        for key, value in sent.to(topics.share_events):
            await agent.put(key=key, value=value)
    listed = shared_trips[FRIEND][trip_id]
    assert listed["name"] == "Picking Ann up" and listed["shared_at"] == "2025-01-01T00:00:01.000Z"


@pytest.mark.parametrize("token", [None, "0" * 64, "claim-of-another-address"])
async def test_a_sign_up_without_the_right_token_attaches_nothing(faust_app, sent, token):
    """Sign-up verifies no address: registering the invited one must not be enough to get the trip."""
    waiting = {"1" * 32: {"owner_id": USER, "trip_id": "t" * 32, "invited_at": "2025-01-01T00:00:01.000Z"}}
    share_invitations.data["new@example.com"] = waiting
    if token == "claim-of-another-address":
        token = claim_token(settings.accounts.jwt_secret.value, "1" * 32, "other@example.com")
    register = {"command_id": "r1", "kind": "register", "user_id": FRIEND, "password_hash": "x", "role": "traveller",
                "profile": {}, "issued_at": "2025-01-02T00:00:00.000Z", "invitation": token}
    async with attach_invitations.test_context() as agent:
        await agent.put(key="new@example.com", value=orjson.dumps(register))
    assert sent.to(topics.trip_commands) == [] and share_invitations["new@example.com"] == waiting
