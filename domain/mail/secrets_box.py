"""Mailbox tokens and passwords sealed at rest with AES-256-GCM, under a list of keys so keys can be rotated."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "rw1"
KEY_BYTES = 32
NONCE_BYTES = 12  # random per seal: 2^32 seals under one key keep the collision odds negligible


class SecretsError(Exception):
    """A sealed value could not be opened: unknown key, tampered, or sealed for another context."""


def parse_keys(text: str) -> list[bytes]:
    """Keys from an environment value: comma-separated URL-safe base64, the current key first."""
    keys = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            key = base64.urlsafe_b64decode(item + "=" * (-len(item) % 4))
        except (binascii.Error, ValueError):
            raise ValueError("a secrets key is not URL-safe base64") from None
        if len(key) != KEY_BYTES:
            raise ValueError(f"a secrets key must be {KEY_BYTES} bytes, not {len(key)}")
        keys.append(key)
    if not keys:
        raise ValueError("no secrets key given")
    return keys


def key_id(key: bytes) -> str:
    """A short public name for a key, stored beside each sealed value so the right key opens it."""
    return _b64(hashlib.sha256(b"roadwarrior-secrets-key-id\0" + key).digest()[:6])


class SecretsBox:
    """Seals with the first key and opens with any: add a new key in front, re-seal, then drop the old one."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ValueError("no secrets key given")
        if any(len(key) != KEY_BYTES for key in keys):
            raise ValueError(f"secrets keys must be {KEY_BYTES} bytes")
        self._current = key_id(keys[0])
        self._keys = {key_id(key): AESGCM(key) for key in keys}

    def __repr__(self) -> str:
        return f"SecretsBox(current={self._current!r}, keys={len(self._keys)})"

    def seal(self, plaintext: str, context: str = "") -> str:
        """``rw1.<key id>.<nonce + ciphertext>``. ``context`` (say "user-1/gmail/refresh_token") is bound in:
        a value copied to another user's record or field will not open there."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._keys[self._current].encrypt(nonce, plaintext.encode(), _aad(self._current, context))
        return f"{PREFIX}.{self._current}.{_b64(nonce + sealed)}"

    def open(self, sealed: str, context: str = "") -> str:
        kid, blob = _split(sealed)
        aead = self._keys.get(kid)
        if aead is None:
            raise SecretsError("sealed with a key that is no longer configured")
        try:
            plaintext = aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(kid, context))
        except InvalidTag:
            raise SecretsError("sealed value was altered or belongs to another context") from None
        return plaintext.decode()

    def needs_rotation(self, sealed: str) -> bool:
        """Whether ``sealed`` was made with an older key (re-seal it with ``rotate``)."""
        return _split(sealed)[0] != self._current

    def rotate(self, sealed: str, context: str = "") -> str:
        """The same secret sealed under the current key; unchanged when it already is."""
        return self.seal(self.open(sealed, context), context) if self.needs_rotation(sealed) else sealed


def _split(sealed: str) -> tuple[str, bytes]:
    prefix, _, rest = sealed.partition(".")
    kid, _, body = rest.partition(".")
    if prefix != PREFIX or not kid or not body:
        raise SecretsError("not a sealed value")
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise SecretsError("not a sealed value") from None
    if len(blob) < NONCE_BYTES + 16:
        raise SecretsError("not a sealed value")
    return kid, blob


def _aad(kid: str, context: str) -> bytes:
    return f"{PREFIX}\0{kid}\0{context}".encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
