"""Accounts: sign-up and profile validation, e-mail normalisation, refresh-token rotation and reuse."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.accounts.rules import (
    LOCALES,
    REMEMBERED_TOKENS,
    check_profile_patch,
    check_signup,
    normalise_email,
    rotate,
    token_hash,
)
from domain.common.errors import ValidationError

SIGNUP = {"email": "Ada@Example.com", "password": "correct horse", "name": "Ada Lovelace"}
NOW = 1_750_000_000.0


def errors_of(check, body: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        check(body)
    return {e["field"]: e["message"] for e in caught.value.errors}


@pytest.mark.parametrize("raw,email", [("Ada@Example.COM", "ada@example.com"),
                                       ("  ada@example.com\n", "ada@example.com"),
                                       ("a.b+trips@mail.example.co.uk", "a.b+trips@mail.example.co.uk")])
def test_normalise_email(raw, email):
    assert normalise_email(raw) == email


@pytest.mark.parametrize("raw", ["ada", "ada@", "@example.com", "ada@example", "ada@example.c", "a da@example.com",
                                 "ada@@example.com", "ada@exa mple.com", "x" * 65 + "@example.com",
                                 "ada@" + "x" * 247 + ".com", "", None, 42, ["ada@example.com"]])
def test_normalise_email_refuses_what_is_not_an_address(raw):
    assert normalise_email(raw) is None


def test_normalise_email_limits():
    assert normalise_email("x" * 64 + "@example.com") == "x" * 64 + "@example.com"
    assert normalise_email("ada@" + "x" * 246 + ".com") is not None  # 254 characters


@given(st.emails())
def test_normalise_email_is_idempotent(email):
    normal = normalise_email(email)
    assert normal is None or normalise_email(normal) == normal == normal.lower()


def test_check_signup():
    assert check_signup({**SIGNUP, "name": "  Ada Lovelace "}) == {
        "email": "ada@example.com", "password": "correct horse", "name": "Ada Lovelace", "locale": "en",
        "time_zone": "UTC"}
    assert check_signup({**SIGNUP, "locale": "ja", "time_zone": "Asia/Tokyo"})["time_zone"] == "Asia/Tokyo"


def test_a_password_is_kept_as_typed():
    assert check_signup({**SIGNUP, "password": "  spaced   "})["password"] == "  spaced   "


@pytest.mark.parametrize("length,ok", [(9, False), (10, True), (256, True), (257, False)])
def test_password_length(length, ok):
    body = {**SIGNUP, "password": "p" * length}
    if ok:
        assert check_signup(body)["password"] == "p" * length
    else:
        assert errors_of(check_signup, body) == {"password": "must be 10 to 256 characters"}


@pytest.mark.parametrize("field", ["email", "password", "name"])
def test_signup_requires(field):
    body = {k: v for k, v in SIGNUP.items() if k != field}
    assert set(errors_of(check_signup, body)) == {field}


@pytest.mark.parametrize("body,field", [({"password": 1234567890}, "password"), ({"email": "ada"}, "email"),
                                        ({"name": " "}, "name"), ({"name": "n" * 201}, "name"),
                                        ({"name": 7}, "name"), ({"locale": "xx"}, "locale"),
                                        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
                                        ({"role": "admin"}, "role")])
def test_signup_refuses_bad_fields(body, field):
    assert set(errors_of(check_signup, {**SIGNUP, **body})) == {field}


def test_signup_reports_every_bad_field_at_once():
    errors = errors_of(check_signup, {"email": "nope", "password": "short", "locale": "tlh", "role": "admin",
                                      "user_id": "u1"})
    assert set(errors) == {"email", "password", "name", "locale", "role", "user_id"}
    assert errors["role"] == "unknown field"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale(locale):
    assert check_profile_patch({"locale": locale}) == {"locale": locale}


def test_signup_language_and_zone_default_when_left_out_or_null():
    for body in (SIGNUP, {**SIGNUP, "locale": None, "time_zone": None}):
        profile = check_signup(body)
        assert (profile["locale"], profile["time_zone"]) == ("en", "UTC")
    assert set(errors_of(check_signup, {**SIGNUP, "locale": "", "time_zone": ""})) == {"locale", "time_zone"}


@pytest.mark.parametrize("tag,stored", [("de-DE", "de-DE"), ("pt_BR", "pt-BR"), ("en-GB", "en-GB"),
                                        ("es-419", "es-419"), ("fr_CA.UTF-8", "fr-CA"), ("ja-jp", "ja-JP")])
def test_a_device_language_tag_is_kept_with_its_region(tag, stored):
    # What a browser or phone sends (navigator.language, Accept-Language), in BCP 47 form.
    assert check_profile_patch({"locale": tag}) == {"locale": stored}
    assert check_signup({**SIGNUP, "locale": tag})["locale"] == stored


@pytest.mark.parametrize("tag", ["zh-TW", "xx-XX", "de DE", "en-", 5, ""])
def test_a_language_without_words_is_refused(tag):
    assert set(errors_of(check_profile_patch, {"locale": tag})) == {"locale"}


def test_check_profile_patch():
    assert check_profile_patch({}) == {}
    assert check_profile_patch({"name": " Grace "}) == {"name": "Grace"}
    assert check_profile_patch({"time_zone": "America/Chicago"}) == {"time_zone": "America/Chicago"}


def test_a_home_is_kept_as_its_airports_and_null_clears_it():
    assert check_profile_patch({"home": ["zrh", "BSL"]}) == {"home": ["BSL", "ZRH"]}
    assert "LHR" in check_profile_patch({"home": "London, GB"})["home"]
    assert check_profile_patch({"home": None}) == {"home": None}
    assert set(errors_of(check_profile_patch, {"home": "Atlantis"})) == {"home"}


def test_a_profile_patch_cannot_change_anything_else():
    errors = errors_of(check_profile_patch, {"email": "x@example.com", "role": "admin", "password": "p" * 12,
                                             "name": ""})
    assert errors == {f: "unknown field (only name, locale, time_zone and home can change)"
                      for f in ("email", "password", "role")} | {
        "name": "must be a non-empty string of at most 200 characters"}


def test_token_hash():
    assert token_hash("s3cret") == hashlib.sha256(b"s3cret").hexdigest()
    assert token_hash("s3cret") != token_hash("s3cret2")
    assert "s3cret" not in token_hash("s3cret")


def family(current: str = "h0", **changes) -> dict:
    return {"user_id": "u1", "role": "traveller", "token_hash": current, "previous_hashes": [], "revoked": False,
            "created_at": NOW, "expires_at": NOW + 3600, **changes}


def test_rotate_unknown_family():
    assert rotate(None, "h0", "h1", NOW) == (None, "unknown")


def test_rotate_ok():
    before = family()
    state, outcome = rotate(before, "h0", "h1", NOW + 10)
    assert outcome == "ok"
    assert state == {**before, "token_hash": "h1", "previous_hashes": ["h0"], "rotated_at": NOW + 10}
    assert before == family()  # the stored state is not changed in place


def test_rotate_with_a_token_never_issued_changes_nothing():
    before = family(previous_hashes=["hx"])
    state, outcome = rotate(before, "forged", "h1", NOW)
    assert (state, outcome) == (before, "unknown") and state is before


@pytest.mark.parametrize("expires_at", [NOW, NOW - 1])
def test_rotate_expired(expires_at):
    before = family(expires_at=expires_at)
    assert rotate(before, "h0", "h1", NOW) == (before, "expired")


def test_rotate_revoked():
    before = family(revoked=True)
    assert rotate(before, "h0", "h1", NOW) == (before, "revoked")


def test_reuse_revokes_the_whole_family():
    state, _ = rotate(family(), "h0", "h1", NOW)  # the thief rotates first
    state, outcome = rotate(state, "h0", "h2", NOW + 1)  # then the owner presents the old token
    assert outcome == "reused"
    assert state["revoked"] is True and state["revoked_reason"] == "reuse"
    assert rotate(state, "h1", "h3", NOW + 2) == (state, "revoked")  # the thief's token dies too


@given(st.integers(1, REMEMBERED_TOKENS + 15), st.data())
def test_any_rotated_away_token_within_memory_is_reuse(rotations, data):
    state = family("t0")
    for i in range(rotations):
        state, outcome = rotate(state, f"t{i}", f"t{i + 1}", NOW + i)
        assert outcome == "ok" and state["token_hash"] == f"t{i + 1}"
    assert len(state["previous_hashes"]) == min(rotations, REMEMBERED_TOKENS)
    age = data.draw(st.integers(1, rotations), label="rotations ago")
    after, outcome = rotate(state, f"t{rotations - age}", "fresh", NOW + rotations)
    if age <= REMEMBERED_TOKENS:
        assert outcome == "reused" and after["revoked"]
    else:
        assert (after, outcome) == (state, "unknown")
