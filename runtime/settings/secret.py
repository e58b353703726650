"""Secrets every worker must share: the configured one, or in development one generated when first read.

A generated secret is kept in ``secrets/`` beside the data dir (``var/secrets`` by default, never in the repo),
so a restarted worker signs and seals with the same one. Nothing is written until a secret's value is read:
importing the app, or building settings in a test, leaves the disk alone.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from runtime.settings.fields import Derived


class Secret:
    """A secret whose ``value`` is made on first read; its repr never shows it."""

    def __init__(self, make: Callable[[], str], source: str) -> None:
        self._make, self.source = make, source

    @classmethod
    def given(cls, value: str) -> Secret:
        """The parser of a secret's variable: the value as set."""
        return cls(lambda: value, "set")

    @cached_property
    def value(self) -> str:
        return self._make()

    def __repr__(self) -> str:
        return f"Secret({self.source})"


def generated(name: str, make: Callable[[Path], str]) -> Derived:
    """The default of a secret's setting: made by ``make`` in development, kept as ``secrets/<name>``."""

    def secret(values: Mapping[str, Any]) -> Secret:
        path = values["ROADWARRIOR_DATA_DIR"].parent / "secrets" / name
        return Secret(lambda: make(path), f"generated, kept in {path}")

    return Derived(secret, f"generated on first read, kept in `var/secrets/{name}`")


def kept(path: Path, make: Callable[[], str]) -> str:
    """The secret in ``path``, made and written first if there is none (owner-only, and whole or not at all)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        draft.write_text(make())
        draft.chmod(0o600)
        try:
            os.link(draft, path)   # two workers starting together: the first one's secret wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def token(path: Path) -> str:
    """A random URL-safe token of 48 bytes."""
    return kept(path, lambda: secrets.token_urlsafe(48))


def sealing_key(path: Path) -> str:
    """A key for sealing mailbox secrets: 32 bytes derived from a generated token."""
    digest = hashlib.sha256(token(path).encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def vapid_key(path: Path) -> str:
    """A VAPID private key (P-256, base64url of the raw private value)."""
    return kept(path, _new_vapid_key)


def _new_vapid_key() -> str:
    from cryptography.hazmat.primitives.asymmetric import ec

    raw = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value.to_bytes(32, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
