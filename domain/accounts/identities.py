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
    """The login record of the identity's e-mail after linking it: (record, "linked" | "created").

    Called only for an e-mail the provider verified: an existing account gets the identity, none means a new
    account without a password."""
    if login is None:
        return {"user_id": new_user_id, "password_hash": None, "role": "traveller", "identities": [identity]}, \
            "created"
    known = login.get("identities", [])
    return ({**login, "identities": [*known, identity]} if identity not in known else login), "linked"
