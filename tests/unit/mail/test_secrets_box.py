"""Sealing mailbox secrets at rest: round trips, context binding, tampering, and key rotation."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.mail.secrets_box import SecretsBox, SecretsError, key_id, parse_keys

OLD, NEW = bytes(range(32)), bytes(range(32, 64))


def test_a_sealed_secret_opens_only_in_its_context_and_hides_the_plaintext():
    box = SecretsBox([NEW])
    sealed = box.seal("1//0refresh-token", context="user-1/gmail/refresh_token")
    assert sealed.startswith(f"rw1.{key_id(NEW)}.") and "refresh-token" not in sealed
    assert box.open(sealed, context="user-1/gmail/refresh_token") == "1//0refresh-token"
    with pytest.raises(SecretsError):
        box.open(sealed, context="user-2/gmail/refresh_token")
    assert box.seal("same", "c") != box.seal("same", "c")  # a fresh nonce every time


def test_an_altered_or_foreign_value_does_not_open():
    box = SecretsBox([NEW])
    sealed = box.seal("app-specific-password")
    prefix, kid, body = sealed.split(".")
    blob = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    blob[-1] ^= 1
    tampered = f"{prefix}.{kid}.{base64.urlsafe_b64encode(bytes(blob)).rstrip(b'=').decode()}"
    for bad in (tampered, "rw1.nokey.AAAA", "plaintext", "rw2." + sealed[4:], f"rw1.{kid}.***"):
        with pytest.raises(SecretsError):
            box.open(bad)
    with pytest.raises(SecretsError, match="no longer configured"):
        SecretsBox([OLD]).open(sealed)


def test_rotation_reseals_under_the_newest_key_while_old_values_still_open():
    old_sealed = SecretsBox([OLD]).seal("imap-password", "u1/imap")
    rotating = SecretsBox([NEW, OLD])
    assert rotating.open(old_sealed, "u1/imap") == "imap-password" and rotating.needs_rotation(old_sealed)
    fresh = rotating.rotate(old_sealed, "u1/imap")
    assert not rotating.needs_rotation(fresh) and rotating.rotate(fresh, "u1/imap") == fresh
    assert SecretsBox([NEW]).open(fresh, "u1/imap") == "imap-password"


def test_keys_come_from_the_environment_as_comma_separated_base64():
    unpadded = base64.urlsafe_b64encode(NEW).decode().rstrip("=")
    assert parse_keys(f" {unpadded} , {base64.urlsafe_b64encode(OLD).decode()}") == [NEW, OLD]
    for bad in ("", " , ", "not base64!", base64.urlsafe_b64encode(b"short").decode()):
        with pytest.raises(ValueError):
            parse_keys(bad)
    with pytest.raises(ValueError):
        SecretsBox([])
    assert "keys=2" in repr(SecretsBox([NEW, OLD])) and str(NEW) not in repr(SecretsBox([NEW]))


@given(st.text(max_size=300), st.text(max_size=40))
def test_any_text_round_trips(plaintext, context):
    box = SecretsBox([NEW, OLD])
    assert box.open(box.seal(plaintext, context), context) == plaintext
