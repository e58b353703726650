"""The reservations and per-user index agents, driven through Faust's test_context()."""

from __future__ import annotations

import orjson

from agents.reservations.apply_reservation_commands import apply_reservation_commands
from agents.reservations.index_user_reservations import index_user_reservations
from streams import topics
from streams.replies import replies
from tables.reservations import reservations
from tables.user_reservations import reservations_of, user_reservations

FLIGHT = {"type": "flight", "start": "2026-12-01T08:30", "end": "2026-12-01T11:05",
          "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}}


def command(kind: str, rid: str = "r1", user: str = "u1", data=None, n: int = 1, **extra) -> dict:
    return {"command_id": f"c{n}", "kind": kind, "reservation_id": rid, "user_id": user,
            "data": FLIGHT if data is None and kind == "create" else (data or {}),
            "issued_at": f"2026-11-22T10:00:0{n}.000Z", **extra}


async def put(agent, value: dict, key: str = "r1"):
    await agent.put(key=key, value=orjson.dumps(value))


async def test_a_create_is_stored_published_twice_and_answered(faust_app, sent):
    waiting = replies.expect("c1")
    async with apply_reservation_commands.test_context() as agent:
        await put(agent, command("create"))
    stored = reservations["r1"]
    assert stored["version"] == 1 and stored["user_id"] == "u1" and stored["start"] == "2026-12-01T08:30:00+01:00"
    reply = waiting.result()
    assert reply["status"] == 201 and reply["reservation"]["id"] == "r1" and "user_id" not in reply["reservation"]
    (key, value), = sent.to(topics.reservation_events)
    assert key == "r1" and orjson.loads(value)["event_type"] == "reservation.created"
    (user_key, user_value), = sent.to(topics.user_reservation_events)
    assert user_key == "u1" and user_value == value


async def test_update_delete_and_stale_versions(faust_app, sent):
    async with apply_reservation_commands.test_context() as agent:
        await put(agent, command("create"))
        stale = replies.expect("c3")
        await put(agent, command("update", data={"notes": "window"}, n=2, if_match=1))
        await put(agent, command("update", data={"notes": "aisle"}, n=3, if_match=1))
        assert stale.result()["status"] == 412 and reservations["r1"]["notes"] == "window"
        await put(agent, command("delete", n=4, if_match=2))
    assert "r1" not in reservations
    kinds = [orjson.loads(v)["event_type"] for _, v in sent.to(topics.reservation_events)]
    assert kinds == ["reservation.created", "reservation.updated", "reservation.deleted"]


async def test_a_replayed_command_changes_nothing_and_publishes_nothing(faust_app, sent):
    async with apply_reservation_commands.test_context() as agent:
        await put(agent, command("create"))
        await put(agent, command("update", data={"notes": "x"}, n=2))
        await put(agent, command("create"))            # redelivered after a crash
        await put(agent, command("update", data={"notes": "x"}, n=2))
    assert reservations["r1"]["version"] == 2
    assert len(sent.to(topics.reservation_events)) == 2


async def test_another_users_command_is_refused_as_not_found(faust_app, sent):
    async with apply_reservation_commands.test_context() as agent:
        await put(agent, command("create"))
        refused = replies.expect("c2")
        await put(agent, command("update", user="intruder", data={"notes": "mine"}, n=2))
    assert refused.result()["status"] == 404 and "notes" not in reservations["r1"]


async def test_bad_messages_go_to_the_dead_letter_topic_and_the_agent_goes_on(faust_app, sent):
    async with apply_reservation_commands.test_context() as agent:
        await agent.put(key="r1", value=b"{truncated")
        await put(agent, {"kind": "create"})
        await put(agent, command("explode"))
        await put(agent, command("create"))
    reasons = [orjson.loads(v)["reason"] for _, v in sent.to(topics.dead_letters)]
    assert reasons[0].startswith("unparseable JSON") and reasons[1].startswith("missing fields")
    assert "unknown command kind" in reasons[2]
    assert reservations["r1"]["version"] == 1


async def test_invalid_data_is_an_error_reply_not_a_crash(faust_app, sent):
    refused = replies.expect("c1")
    async with apply_reservation_commands.test_context() as agent:
        await put(agent, command("create", data={**FLIGHT, "flight": {**FLIGHT["flight"], "to": "XXX"}}))
    reply = refused.result()
    assert reply["status"] == 422 and reply["errors"] == [{"field": "flight.to",
                                                           "message": "must be a known IATA airport code"}]
    assert "r1" not in reservations and sent.to(topics.reservation_events) == []


async def test_the_user_index_follows_events_and_ignores_older_replays(faust_app, sent):
    def event(kind: str, version: int, notes: str | None = None) -> bytes:
        body = {"id": "r1", "start": "2026-12-01T08:30:00+01:00", "version": version, "notes": notes}
        return orjson.dumps({"event_type": kind, "reservation_id": "r1", "user_id": "u1", "version": version,
                             "reservation": None if kind.endswith("deleted") else body})

    async with index_user_reservations.test_context() as agent:
        await agent.put(key="u1", value=event("reservation.created", 1))
        await agent.put(key="u1", value=event("reservation.updated", 2, "aisle"))
        await agent.put(key="u1", value=event("reservation.created", 1))  # replayed: older
        assert user_reservations["u1/r1"]["notes"] == "aisle"
        await agent.put(key="u1", value=event("reservation.deleted", 3))
        await agent.put(key="u1", value=event("reservation.updated", 2, "aisle"))  # replayed
    assert user_reservations["u1/r1"] == {"version": 3, "deleted": True}
    assert reservations_of("u1") == [{"version": 3, "deleted": True}]


async def test_each_reservation_is_its_own_index_entry(faust_app, sent):
    """A write costs the same however many reservations the traveller has; other users' never show."""
    async with index_user_reservations.test_context() as agent:
        for user, rid in (("u1", "r1"), ("u1", "r2"), ("u10", "r3")):
            body = {"id": rid, "version": 1}
            await agent.put(key=user, value=orjson.dumps({"event_type": "reservation.created", "reservation_id": rid,
                                                          "user_id": user, "version": 1, "reservation": body}))
    assert sorted(r["id"] for r in reservations_of("u1")) == ["r1", "r2"]
    assert [r["id"] for r in reservations_of("u10")] == ["r3"]
