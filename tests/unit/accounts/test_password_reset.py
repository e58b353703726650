"""Password reset: the token's rules, the credentials agent, the logins agent's new hash, and the reset e-mail."""

from __future__ import annotations

import asyncio
import dataclasses
import email
import logging
from datetime import UTC, datetime, timedelta
from email import policy

import orjson
import pytest

import agents.accounts.mail_password_resets as mailer
from agents.accounts.apply_credential_commands import apply_credential_commands
from agents.accounts.apply_login_commands import apply_login_commands
from domain.accounts.reset import MAX_SESSIONS, opened, redeem, remember_session, reset_link, seal
from domain.accounts.rules import token_hash
from domain.notify.password_reset import password_reset
from faust_app import settings
from runtime.i18n import lang
from streams import topics
from streams.replies import replies
from tables.account_sessions import account_sessions
from tables.logins import logins
from tables.password_resets import password_resets
from tables.users import users
from tests.unit.trips.test_invitations import smtp_port  # noqa: F401 (a fixture for the tests here)
from web.accounts.sessions import start_session

ANN = "ann@example.com"
SECRET = settings.accounts.jwt_secret.value
RESET_ID = "ab" * 16


def test_a_token_names_its_account_only_to_us_and_is_the_same_each_time():
    token = seal(SECRET, ANN, RESET_ID)
    assert token == seal(SECRET, ANN, RESET_ID) and ANN not in token and RESET_ID not in token
    assert opened(SECRET, token) == (ANN, RESET_ID)
    assert seal(SECRET, ANN, "cd" * 16) != token
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for bad in (tampered, "", "not base64!", None, 42, "x" * 2000):
        assert opened(SECRET, bad) is None
    assert opened("another server's secret", token) is None
    assert reset_link("https://app.example/", token) == f"https://app.example/reset-password?token={token}"


def test_a_reset_works_once_before_it_expires():
    pending = {"token_hash": token_hash("t"), "expires_at": 1000.0}
    assert redeem(pending, token_hash("t"), 999.0) == "ok"
    assert redeem(pending, token_hash("t"), 1000.0) == "expired"
    assert redeem(pending, token_hash("other"), 999.0) == "unknown"
    assert redeem(None, token_hash("t"), 999.0) == "unknown"   # used (deleted) or never asked for


def test_expired_sessions_are_forgotten_and_the_oldest_beyond_the_cap_ended():
    kept, ended = remember_session([["old", 50.0], ["s1", 500.0]], "s2", 600.0, now=100.0)
    assert (kept, ended) == ([["s1", 500.0], ["s2", 600.0]], [])
    many = [[f"s{n}", 1e9] for n in range(MAX_SESSIONS)]
    kept, ended = remember_session(many, "new", 1e9, now=100.0)
    assert ended == ["s0"] and len(kept) == MAX_SESSIONS and kept[-1] == ["new", 1e9]


def credential(kind: str, n: int, **fields) -> bytes:
    return orjson.dumps({"command_id": f"c{n}", "kind": kind, "issued_at": "2026-11-22T10:00:00.000Z", **fields})


async def test_a_reset_is_mailed_only_for_an_account_and_stored_as_a_hash(faust_app, sent):
    logins.data[ANN] = {"user_id": "u1", "password_hash": "$old", "role": "traveller"}
    async with apply_credential_commands.test_context() as agent:
        await agent.put(key="nobody@example.com", value=credential("request-reset", 1, reset_id="cd" * 16,
                                                                   expires_at=2e9))
        await agent.put(key=ANN, value=credential("request-reset", 2, reset_id=RESET_ID, expires_at=2e9))
    assert list(password_resets.data) == [ANN]
    assert password_resets[ANN] == {"token_hash": token_hash(seal(SECRET, ANN, RESET_ID)), "user_id": "u1",
                                    "expires_at": 2e9}
    (key, value), = sent.to(topics.password_reset_mails)
    assert key == "u1" and orjson.loads(value) == {"user_id": "u1", "email": ANN, "reset_id": RESET_ID,
                                                   "expires_at": 2e9}


async def test_a_confirmed_reset_ends_every_session_sets_the_password_and_dies(faust_app, sent):
    logins.data[ANN] = {"user_id": "u1", "password_hash": "$old", "role": "traveller"}
    token_of = token_hash(seal(SECRET, ANN, RESET_ID))
    first, again = replies.expect("c3"), replies.expect("c4")
    async with apply_credential_commands.test_context() as agent:
        for n, session_id in enumerate(("f1", "f2")):
            await agent.put(key=ANN, value=credential("session-opened", n, session_id=session_id, expires_at=2e9,
                                                      now=1e9))
        await agent.put(key=ANN, value=credential("request-reset", 2, reset_id=RESET_ID, expires_at=2e9))
        await agent.put(key=ANN, value=credential("confirm-reset", 3, token_hash=token_of, password_hash="$new",
                                                  now=1e9))
        await agent.put(key=ANN, value=credential("confirm-reset", 4, token_hash=token_of, password_hash="$x",
                                                  now=1e9))
    assert not first.done()   # the logins agent answers once it has set the hash
    assert again.result() == {"ok": False, "status": 400, "kind": "reset-token-invalid",
                              "title": "This reset link is not valid, or was already used; ask for a new one."}
    assert ANN not in password_resets.data and ANN not in account_sessions.data
    revoked = [(key, orjson.loads(value)["kind"]) for key, value in sent.to(topics.session_commands)]
    assert revoked == [("f1", "revoke"), ("f2", "revoke")]
    (key, value), = sent.to(topics.login_commands)
    set_password = orjson.loads(value)
    assert key == ANN and set_password["kind"] == "set-password" and set_password["command_id"] == "c3"
    async with apply_login_commands.test_context() as agent:
        await agent.put(key=ANN, value=value)
    assert first.result() == {"ok": True, "status": 204} and logins[ANN]["password_hash"] == "$new"
    assert logins[ANN]["email_verified"]   # the reset link proved the address: an identity now links as usual


async def test_a_session_however_opened_is_remembered_by_its_account_for_a_reset_to_end(faust_app, sent):
    # The password login and the OpenID callback both sign in through start_session.
    tokens = await start_session(ANN, "u1", "traveller")
    session_id = tokens["refresh_token"].split(".")[0]
    assert [key for key, _ in sent.to(topics.session_commands)] == [session_id]
    (key, value), = sent.to(topics.credential_commands)
    assert key == ANN and orjson.loads(value)["kind"] == "session-opened"
    async with apply_credential_commands.test_context() as agent:
        await agent.put(key=key, value=value)
        await agent.put(key=ANN, value=credential("end-sessions", 2))
    assert [(key, orjson.loads(value)["kind"]) for key, value in sent.to(topics.session_commands)][1:] == [
        (session_id, "revoke")]
    assert ANN not in account_sessions.data


async def test_an_expired_reset_is_refused(faust_app, sent):
    logins.data[ANN] = {"user_id": "u1", "password_hash": "$old", "role": "traveller"}
    refused = replies.expect("c2")
    async with apply_credential_commands.test_context() as agent:
        await agent.put(key=ANN, value=credential("request-reset", 1, reset_id=RESET_ID, expires_at=1000.0))
        await agent.put(key=ANN, value=credential("confirm-reset", 2, password_hash="$new", now=1000.0,
                                                  token_hash=token_hash(seal(SECRET, ANN, RESET_ID))))
    assert refused.result()["title"] == "This reset link has expired; ask for a new one."
    assert logins[ANN]["password_hash"] == "$old" and sent.to(topics.login_commands) == []


@pytest.mark.parametrize(("locale", "title"), [("de-DE", "Ihr Road-Warrior-Passwort zurücksetzen"),
                                               ("ja", "Road Warrior のパスワードの再設定"), (None, "Reset your Road "
                                                                                    "Warrior password")])
def test_the_reset_mail_speaks_the_accounts_language(locale, title):
    now = datetime(2026, 12, 7, tzinfo=UTC)
    note = password_reset(ANN, RESET_ID, lang(locale), "https://app.example/reset-password?token=t", now,
                          timedelta(hours=1))
    assert note.title == title and "https://app.example/reset-password?token=t" in note.text
    assert "https://app.example/reset-password?token=t" in note.html and note.target == {"email": ANN}
    assert note.expires_at == "2026-12-07T01:00:00Z"


async def test_the_mailer_sends_the_link_through_smtp(faust_app, sent, smtp_port, monkeypatch, caplog):  # noqa: F811
    mailbox, port = smtp_port
    notify = dataclasses.replace(settings.notify, smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none")
    web = dataclasses.replace(settings.web, public_url="https://app.example")
    monkeypatch.setattr(mailer, "settings", dataclasses.replace(settings, notify=notify, web=web))
    users.data["u1"] = {"id": "u1", "email": ANN, "locale": "fr"}
    with caplog.at_level(logging.INFO, logger=mailer.__name__):
        async with mailer.mail_password_resets.test_context() as agent:
            await agent.put(key="u1", value=orjson.dumps({"user_id": "u1", "email": ANN, "reset_id": RESET_ID,
                                                          "expires_at": 2e9}))
            async with asyncio.timeout(5):
                while "e-mailed" not in caplog.text:
                    await asyncio.sleep(0.01)
    [(recipients, raw)] = mailbox.messages
    message = email.message_from_bytes(raw, policy=policy.default)
    assert recipients == [ANN] and message["Subject"] == "Réinitialisez votre mot de passe Road Warrior"
    link = reset_link("https://app.example", seal(SECRET, ANN, RESET_ID))
    assert link in message.get_body(("plain",)).get_content()
    assert caplog.messages == ["password reset for u1 e-mailed"]   # no address, no token
