"""The login, user and session agents, driven through Faust's test_context()."""

from __future__ import annotations

import orjson

from agents.accounts.apply_login_commands import apply_login_commands
from agents.accounts.apply_session_commands import apply_session_commands
from agents.accounts.apply_user_commands import apply_user_commands
from domain.accounts.rules import token_hash
from streams import topics
from streams.replies import replies
from tables.logins import logins
from tables.sessions import sessions
from tables.users import users

PROFILE = {"name": "Ann", "locale": "de", "time_zone": "Europe/Berlin"}


def register(user_id: str, n: int = 1) -> bytes:
    return orjson.dumps({"command_id": f"c{n}", "kind": "register", "user_id": user_id, "password_hash": "$argon2",
                         "role": "traveller", "profile": PROFILE, "issued_at": "2026-11-22T10:00:00.000Z"})


async def test_an_email_is_registered_once_and_the_profile_is_requested(faust_app, sent):
    first, second = replies.expect("c1"), replies.expect("c2")
    async with apply_login_commands.test_context() as agent:
        await agent.put(key="ann@example.com", value=register("u1"))
        await agent.put(key="ann@example.com", value=register("u2", n=2))
    assert first.result()["status"] == 201
    assert second.result() == {"ok": False, "status": 409, "kind": "email-taken",
                               "title": "An account with this e-mail already exists."}
    assert logins["ann@example.com"]["user_id"] == "u1"
    (key, value), = sent.to(topics.user_commands)
    assert key == "u1" and orjson.loads(value)["data"] == {"email": "ann@example.com", "role": "traveller", **PROFILE}


async def test_profiles_are_created_once_and_patched_with_versions(faust_app, sent):
    def user_command(kind: str, n: int, data: dict) -> bytes:
        return orjson.dumps({"command_id": f"c{n}", "kind": kind, "user_id": "u1", "data": data,
                             "issued_at": f"2026-11-22T10:00:0{n}.000Z"})

    async with apply_user_commands.test_context() as agent:
        await agent.put(key="u1", value=user_command("create", 1, {"email": "a@example.com", **PROFILE}))
        await agent.put(key="u1", value=user_command("create", 1, {"email": "a@example.com", **PROFILE}))
        await agent.put(key="u1", value=user_command("update", 2, {"locale": "ja"}))
        await agent.put(key="u1", value=user_command("update", 3, {"locale": "ja"}))  # no change, no version
    assert (users["u1"]["locale"], users["u1"]["version"]) == ("ja", 2)


async def test_a_session_rotates_and_reuse_revokes_it(faust_app, sent):
    def session_command(kind: str, n: int, **fields) -> bytes:
        return orjson.dumps({"command_id": f"c{n}", "kind": kind, "issued_at": "2026-11-22T10:00:00.000Z",
                             **fields})

    opened = {"user_id": "u1", "role": "traveller", "token_hash": token_hash("s1"), "expires_at": 2e9}
    rotated, reused = replies.expect("c2"), replies.expect("c3")
    async with apply_session_commands.test_context() as agent:
        await agent.put(key="f1", value=session_command("open", 1, session=opened))
        await agent.put(key="f1", value=session_command("rotate", 2, presented_hash=token_hash("s1"),
                                                        new_hash=token_hash("s2"), now=1e9))
        await agent.put(key="f1", value=session_command("rotate", 3, presented_hash=token_hash("s1"),
                                                        new_hash=token_hash("s3"), now=1e9))
    assert rotated.result()["outcome"] == "ok" and reused.result()["outcome"] == "reused"
    assert sessions["f1"]["revoked"] is True


async def test_a_failing_handler_dead_letters_and_answers_instead_of_hanging(faust_app, sent, monkeypatch):
    import agents.accounts.apply_user_commands as module

    def explode(current, command):
        raise RuntimeError("boom")

    monkeypatch.setattr(module, "profile_after", explode)
    waiting = replies.expect("c1")
    async with apply_user_commands.test_context() as agent:
        await agent.put(key="u1", value=orjson.dumps({"command_id": "c1", "kind": "create", "user_id": "u1",
                                                      "data": {}, "issued_at": "2026-11-22T10:00:00Z"}))
    assert waiting.result()["status"] == 500
    (key, value), = sent.to(topics.dead_letters)
    assert key == "u1" and orjson.loads(value)["reason"] == "processing failed: RuntimeError: boom"
