"""Secret feed tokens: the rules, and the agent keeping each user's token through test_context()."""

from __future__ import annotations

import orjson

from agents.trips.apply_feed_commands import apply_feed_commands
from domain.trips.feeds import feed_after, new_token, opens, split_token
from domain.trips.sharing import token_digest
from streams import topics
from streams.replies import replies
from tables.calendar_feeds import calendar_feeds

ANN = "a" * 32


def command(kind: str, n: int, digest: str, user_id: str = ANN) -> dict:
    return {"command_id": f"c{n}", "kind": kind, "user_id": user_id, "digest": digest, "sealed": f"sealed-{n}",
            "issued_at": f"2026-12-01T10:00:0{n}.000Z"}


def test_a_token_names_its_user_and_256_random_bits_kept_only_as_a_digest():
    (token, digest), (other, _) = new_token(ANN), new_token(ANN)
    user_id, secret = split_token(token)
    assert user_id == ANN and len(secret) == 43 and token != other
    assert digest == token_digest(secret) and secret not in digest


def test_anything_but_a_user_id_and_a_secret_is_no_token():
    secret = new_token(ANN)[0].split(".")[1]
    for token in ("", ANN, f"{ANN}.", f"{ANN}.{secret}x", f"{ANN.upper()}.{secret}", f"{ANN}.{secret[:-1]}/",
                  f"{ANN}/{secret}", f"../{ANN}.{secret}"):
        assert split_token(token) is None, token


def test_create_keeps_the_feed_regenerate_replaces_it_and_a_replay_changes_nothing():
    first = feed_after(None, command("create", 1, "d1"))
    assert first == {"digest": "d1", "sealed": "sealed-1", "created_at": "2026-12-01T10:00:01.000Z",
                     "command_id": "c1"}
    assert feed_after(first, command("create", 2, "d2")) is first
    second = feed_after(first, command("regenerate", 3, "d3"))
    assert second["digest"] == "d3" and feed_after(second, command("regenerate", 3, "d3")) is second


def test_only_the_current_secret_opens_the_feed():
    token, digest = new_token(ANN)
    secret = split_token(token)[1]
    record = feed_after(None, command("create", 1, digest))
    assert opens(record, secret)
    assert not opens(record, split_token(new_token(ANN)[0])[1]) and not opens(None, secret)


async def test_the_agent_makes_the_feed_once_and_regenerating_replaces_its_digest(faust_app, sent):
    created, again, regenerated = replies.expect("c1"), replies.expect("c2"), replies.expect("c3")
    async with apply_feed_commands.test_context() as agent:
        for n, kind, digest in ((1, "create", "d1"), (2, "create", "d2"), (3, "regenerate", "d3")):
            await agent.put(key=ANN, value=orjson.dumps(command(kind, n, digest)))
    assert created.result()["feed"]["digest"] == again.result()["feed"]["digest"] == "d1"
    assert regenerated.result() == {"ok": True, "status": 200, "feed": calendar_feeds[ANN]}
    assert calendar_feeds[ANN]["digest"] == "d3"


async def test_a_command_for_another_user_or_without_its_digest_is_dead_lettered(faust_app, sent):
    async with apply_feed_commands.test_context() as agent:
        await agent.put(key="b" * 32, value=orjson.dumps(command("create", 1, "d1")))
        incomplete = command("create", 3, "d3")
        del incomplete["digest"]
        await agent.put(key=ANN, value=orjson.dumps(incomplete))
    reasons = [orjson.loads(value)["reason"] for _, value in sent.to(topics.dead_letters)]
    assert reasons == ["the message key is not its user_id", "missing fields: digest"]
    assert calendar_feeds.get("b" * 32) is None and calendar_feeds.get(ANN) is None
