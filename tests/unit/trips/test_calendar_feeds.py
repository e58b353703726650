"""Secret feed tokens: the rules, and the agent keeping each token and the digest index (test_context())."""

from __future__ import annotations

import orjson

from agents.trips.apply_feed_commands import apply_feed_commands
from domain.trips.feeds import TOKEN, feed_after, new_token, opens
from domain.trips.sharing import token_digest
from streams import topics
from streams.replies import replies
from tables.calendar_feeds import calendar_feeds, digest_key, user_key


def command(kind: str, n: int, digest: str, user_id: str = "u1") -> dict:
    return {"command_id": f"c{n}", "kind": kind, "user_id": user_id, "digest": digest, "sealed": f"sealed-{n}",
            "issued_at": f"2026-12-01T10:00:0{n}.000Z"}


def test_a_new_token_is_256_random_bits_found_by_its_digest():
    (token, digest), (other, _) = new_token(), new_token()
    assert TOKEN.match(token) and token != other
    assert digest == token_digest(token) and len(digest) == 64 and token not in digest


def test_create_keeps_the_feed_regenerate_replaces_it_and_a_replay_changes_nothing():
    first = feed_after(None, command("create", 1, "d1"))
    assert first == {"digest": "d1", "sealed": "sealed-1", "created_at": "2026-12-01T10:00:01.000Z",
                     "command_id": "c1"}
    assert feed_after(first, command("create", 2, "d2")) is first
    second = feed_after(first, command("regenerate", 3, "d3"))
    assert second["digest"] == "d3" and feed_after(second, command("regenerate", 3, "d3")) is second


def test_only_the_current_token_opens_the_feed():
    token, digest = new_token()
    record = feed_after(None, command("create", 1, digest))
    assert opens(record, token)
    assert not opens(record, new_token()[0]) and not opens(None, token)


async def test_the_agent_indexes_the_digest_and_regenerating_drops_the_old_one(faust_app, sent):
    created, again, regenerated = replies.expect("c1"), replies.expect("c2"), replies.expect("c3")
    async with apply_feed_commands.test_context() as agent:
        for n, kind, digest in ((1, "create", "d1"), (2, "create", "d2"), (3, "regenerate", "d3")):
            await agent.put(key="u1", value=orjson.dumps(command(kind, n, digest)))
    assert created.result()["feed"]["digest"] == again.result()["feed"]["digest"] == "d1"
    assert regenerated.result() == {"ok": True, "status": 200, "feed": calendar_feeds[user_key("u1")]}
    assert calendar_feeds[user_key("u1")]["digest"] == "d3"
    assert calendar_feeds.get(digest_key("d3")) == "u1"
    assert calendar_feeds.get(digest_key("d1")) is None and calendar_feeds.get(digest_key("d2")) is None


async def test_a_command_for_another_user_or_without_its_digest_is_dead_lettered(faust_app, sent):
    async with apply_feed_commands.test_context() as agent:
        await agent.put(key="u2", value=orjson.dumps(command("create", 1, "d1")))
        incomplete = command("create", 3, "d3")
        del incomplete["digest"]
        await agent.put(key="u1", value=orjson.dumps(incomplete))
    reasons = [orjson.loads(value)["reason"] for _, value in sent.to(topics.dead_letters)]
    assert reasons == ["the message key is not its user_id", "missing fields: digest"]
    assert calendar_feeds.get(user_key("u2")) is None and calendar_feeds.get(user_key("u1")) is None
