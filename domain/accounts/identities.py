"""Accounts reached through an identity provider: the identity's key, the new account's profile, and linking."""

from __future__ import annotations

from domain.accounts.rules import DEFAULTS
from domain.notify.locales import language_tag


def identity_key(provider: str, subject: str) -> str:
    """The identities table's key: a subject is unique only within its provider."""
    return f"{provider}/{subject}"


def new_profile(name: str | None, email: str, locale: str | None) -> dict:
    """A first sign-in's profile: the provider's name (else the address's local part) and its language when we
    speak it."""
    return {"name": (name or email.split("@")[0])[:200], "locale": language_tag(locale) or DEFAULTS["locale"],
            "time_zone": DEFAULTS["time_zone"]}


def linked(login: dict | None, identity: str, new_user_id: str) -> tuple[dict, str]:
    """The login record of the identity's e-mail after linking it: (record, "linked" | "taken-over" | "created").

    Called only for an e-mail the provider verified: none means a new account without a password; an account
    whose e-mail was proven (an earlier identity, a completed reset) gets the identity. One whose e-mail was never
    proven may have been signed up by someone else to wait for its owner: the owner takes it over, and the
    password they never chose is cleared (the caller ends its sessions)."""
    if login is None:
        return {"user_id": new_user_id, "password_hash": None, "role": "traveller", "identities": [identity],
                "email_verified": True}, "created"
    known = login.get("identities", [])
    if identity in known:
        return login, "linked"
    record = {**login, "identities": [*known, identity], "email_verified": True}
    # Identities linked before the flag existed were all verified ones: they prove the address too.
    if login.get("email_verified") or known:
        return record, "linked"
    return {**record, "password_hash": None}, "taken-over"


def email_proven(login: dict) -> dict:
    """The login once its owner proved the address (a reset link followed): a later identity links as usual."""
    return {**login, "email_verified": True}
