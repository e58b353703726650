"""Accounts: the key that signs access tokens, and the administrator made at start."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings.fields import setting
from runtime.settings.secret import Secret, generated, token


@dataclass(frozen=True)
class Accounts:
    """Signing and the first administrator."""

    jwt_secret: Secret = setting(
        "ROADWARRIOR_JWT_SECRET", generated("jwt-secret", token), Secret.given,
        doc="signs access tokens and forwarded requests; the same on every worker")
    admin_email: str | None = setting(
        "ROADWARRIOR_ADMIN_EMAIL", None, doc="an administrator created (or kept) at start, with the password below")
    admin_password: str | None = setting(
        "ROADWARRIOR_ADMIN_PASSWORD", None, doc="that administrator's password")
