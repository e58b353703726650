"""Identity claims, linking rules, and the identity and login agents linking or creating accounts once."""

from __future__ import annotations

import orjson
import pytest

from agents.accounts.apply_credential_commands import apply_credential_commands
from agents.accounts.apply_identity_commands import apply_identity_commands
from agents.accounts.apply_login_commands import apply_login_commands
from domain.accounts.identities import email_proven, linked, new_profile
from integrations.identity.claims import MICROSOFT_CONSUMERS, expected_issuer, identity, issuer_matches
from streams import topics
from streams.replies import replies
from tables.account_sessions import account_sessions
from tables.identities import identities
from tables.logins import logins

NOW = "2026-11-22T10:00:00.000Z"
MS = "https://login.microsoftonline.com"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.mark.parametrize(("claims", "verified"), [
    ({"email_verified": True}, True), ({"email_verified": "true"}, True), ({"email_verified": False}, False),
    ({}, False), ({"xms_edov": True}, True), ({"tid": MICROSOFT_CONSUMERS}, True), ({"tid": TENANT}, False),
])
def test_an_email_counts_as_verified_only_when_the_provider_says_so(claims, verified):
    assert identity({"sub": "s", "email": "A@B.example", **claims}).email_verified is verified


def test_no_email_is_never_verified_and_blank_fields_are_none():
    person = identity({"sub": 7, "email": " ", "email_verified": True, "name": "  "})
    assert (person.subject, person.email, person.email_verified, person.name) == ("7", None, False, None)


def test_microsofts_tenant_template_matches_its_own_endpoints_and_tokens_their_tenant():
    template = f"{MS}/{{tenantid}}/v2.0"
    assert issuer_matches(f"{MS}/common/v2.0", template) and issuer_matches(f"{MS}/organizations/v2.0", template)
    assert not issuer_matches("https://evil.example/common/v2.0", template)
    assert issuer_matches("https://accounts.google.com", "https://accounts.google.com")
    assert not issuer_matches("https://accounts.google.com", "https://accounts.google.com.evil")
    assert expected_issuer(template, {"tid": TENANT}) == f"{MS}/{TENANT}/v2.0"
    assert expected_issuer(template, {"tid": "../x"}) is None


def test_a_first_sign_ins_profile_takes_the_providers_name_and_a_language_we_speak():
    assert new_profile("Ann", "ann@x.example", "de-AT") == {"name": "Ann", "locale": "de-AT", "time_zone": "UTC"}
    assert new_profile(None, "bob@x.example", "ko") == {"name": "bob", "locale": "en", "time_zone": "UTC"}


def test_linking_adds_the_identity_once_or_makes_a_passwordless_account():
    login = {"user_id": "u1", "password_hash": "$argon2", "role": "traveller", "email_verified": True}
    once, outcome = linked(login, "google/1", "new")
    assert outcome == "linked" and once == {**login, "identities": ["google/1"]}
    assert linked(once, "google/1", "new") == (once, "linked")
    assert linked(None, "google/1", "u9") == ({"user_id": "u9", "password_hash": None, "role": "traveller",
                                               "identities": ["google/1"], "email_verified": True}, "created")


def test_a_verified_owner_takes_over_an_account_whose_email_was_never_proven():
    signed_up = {"user_id": "u1", "password_hash": "$attackers", "role": "traveller"}
    taken, outcome = linked(signed_up, "google/1", "new")
    assert outcome == "taken-over" and taken == {"user_id": "u1", "password_hash": None, "role": "traveller",
                                                 "identities": ["google/1"], "email_verified": True}
    # Proven now: the owner's second provider, or a password set later by a reset, links as usual.
    again, outcome = linked({**taken, "password_hash": "$owners"}, "microsoft/2", "new")
    assert outcome == "linked" and again["password_hash"] == "$owners"
    # An identity linked before the flag existed proves the address as well.
    legacy = {**signed_up, "identities": ["google/1"]}
    assert linked(legacy, "microsoft/2", "new")[1] == "linked"
    assert linked(email_proven(signed_up), "google/1", "new")[0]["password_hash"] == "$attackers"


def sign_in(n: int, verified: bool = True, user_id: str = "u-new") -> bytes:
    return orjson.dumps({"command_id": f"c{n}", "kind": "sign-in", "email": "ann@example.com",
                         "email_verified": verified, "user_id": user_id, "issued_at": NOW,
                         "profile": {"name": "Ann", "locale": "de", "time_zone": "UTC"}})


async def test_a_new_subject_goes_to_its_emails_partition_and_the_answer_signs_it_in(faust_app, sent):
    answered = replies.expect("c1")
    async with apply_identity_commands.test_context() as agent:
        await agent.put(key="google/1", value=sign_in(1))
    (email, value), = sent.to(topics.login_commands)
    asked = orjson.loads(value)
    assert email == "ann@example.com" and asked["kind"] == "link-identity" and asked["identity"] == "google/1"
    assert not answered.done()
    async with apply_login_commands.test_context() as agent:
        await agent.put(key=email, value=value)
    assert logins[email] == {"user_id": "u-new", "password_hash": None, "role": "traveller",
                             "identities": ["google/1"], "email_verified": True}
    (user_id, created), = sent.to(topics.user_commands)
    assert user_id == "u-new" and orjson.loads(created)["command_id"] == "c1-profile"
    (key, linked_msg), = sent.to(topics.identity_commands)
    async with apply_identity_commands.test_context() as agent:
        await agent.put(key=key, value=linked_msg)
    assert answered.result() == {"ok": True, "status": 200, "user_id": "u-new", "role": "traveller",
                                 "email": "ann@example.com", "outcome": "created"}
    assert identities["google/1"]["user_id"] == "u-new"


async def test_a_verified_email_of_an_existing_account_links_it_without_a_new_profile(faust_app, sent):
    logins.data["ann@example.com"] = {"user_id": "u1", "password_hash": "$argon2", "role": "admin",
                                      "email_verified": True}
    link = orjson.loads(sign_in(1)) | {"kind": "link-identity", "identity": "google/1", "password_hash": None,
                                       "role": "traveller"}
    async with apply_login_commands.test_context() as agent:
        await agent.put(key="ann@example.com", value=orjson.dumps(link))
    assert logins["ann@example.com"]["identities"] == ["google/1"]
    assert logins["ann@example.com"]["password_hash"] == "$argon2"
    assert sent.to(topics.user_commands) == []
    (_, value), = sent.to(topics.identity_commands)
    answer = orjson.loads(value)
    assert (answer["kind"], answer["user_id"], answer["role"], answer["outcome"]) == ("linked", "u1", "admin", "linked")
    assert sent.to(topics.credential_commands) == []   # the proven owner's sessions go on


async def test_a_verified_sign_in_takes_over_an_unproven_sign_up_and_ends_its_sessions(faust_app, sent):
    logins.data["ann@example.com"] = {"user_id": "u1", "password_hash": "$attackers", "role": "traveller"}
    account_sessions.data["ann@example.com"] = [["s-attacker", 2e9]]
    link = orjson.loads(sign_in(1)) | {"kind": "link-identity", "identity": "google/1", "password_hash": None,
                                       "role": "traveller"}
    async with apply_login_commands.test_context() as agent:
        await agent.put(key="ann@example.com", value=orjson.dumps(link))
    assert logins["ann@example.com"]["password_hash"] is None   # the attacker's password no longer signs in
    assert logins["ann@example.com"]["identities"] == ["google/1"]
    (email, ending), = sent.to(topics.credential_commands)
    async with apply_credential_commands.test_context() as agent:
        await agent.put(key=email, value=ending)
    assert [(k, orjson.loads(v)["kind"]) for k, v in sent.to(topics.session_commands)] == [("s-attacker", "revoke")]
    assert "ann@example.com" not in account_sessions.data
    (_, value), = sent.to(topics.identity_commands)
    answer = orjson.loads(value)
    assert (answer["user_id"], answer["outcome"]) == ("u1", "taken-over")   # the link proceeds into the account


async def test_a_known_subject_signs_in_and_an_unverified_new_one_is_refused(faust_app, sent):
    identities.data["google/1"] = {"user_id": "u1", "role": "traveller", "email": "ann@example.com"}
    known, unverified = replies.expect("c1"), replies.expect("c2")
    async with apply_identity_commands.test_context() as agent:
        await agent.put(key="google/1", value=sign_in(1, verified=False))   # known: its e-mail no longer matters
        await agent.put(key="google/2", value=sign_in(2, verified=False))
    assert known.result()["user_id"] == "u1" and known.result()["outcome"] == "signed-in"
    assert unverified.result()["status"] == 403 and unverified.result()["kind"] == "email-unverified"
    assert sent.to(topics.login_commands) == []


async def test_two_racing_first_sign_ins_end_in_one_account(faust_app, sent):
    first, second = replies.expect("c1"), replies.expect("c2")
    async with apply_identity_commands.test_context() as agent:
        await agent.put(key="google/1", value=sign_in(1, user_id="u-a"))
        await agent.put(key="google/1", value=sign_in(2, user_id="u-b"))
    async with apply_login_commands.test_context() as agent:
        for email, value in sent.to(topics.login_commands):
            await agent.put(key=email, value=value)
    async with apply_identity_commands.test_context() as agent:
        for key, value in sent.to(topics.identity_commands):
            await agent.put(key=key, value=value)
    assert first.result()["user_id"] == second.result()["user_id"] == "u-a"
    assert [k for k, _ in sent.to(topics.user_commands)] == ["u-a"]
