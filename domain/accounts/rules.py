"""Accounts: sign-up and profile validation, and refresh-token families with reuse detection."""

from __future__ import annotations

import hashlib
import re

from domain.common.errors import FieldErrors, ValidationError
from domain.common.places import is_zone
from domain.notify.locales import SUPPORTED, language_tag
from domain.trips.home import resolve_home

ROLES = ("traveller", "support", "admin")
LOCALES = SUPPORTED  # the languages the words come in; a profile's tag may add a region (de-DE)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD, MAX_PASSWORD = 10, 256
PROFILE_FIELDS = ("name", "locale", "time_zone")
DEFAULTS = {"locale": "en", "time_zone": "UTC"}
# A family keeps the hashes of tokens it already rotated away from: seeing one again means a
# stolen token is being replayed, and the whole family is revoked (OAuth 2.0 Security BCP 4.14).
REMEMBERED_TOKENS = 50


def normalise_email(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    email = value.strip().lower()
    return email if len(email) <= 254 and EMAIL.match(email) else None


def check_signup(body: dict) -> dict:
    """Validated sign-up fields (email normalised); raises ValidationError listing every bad field."""
    errors = FieldErrors()
    for name in sorted(set(body) - {"email", "password", "invitation", *PROFILE_FIELDS}):
        errors.add(name, "unknown field")
    email = normalise_email(body.get("email"))
    if email is None:
        errors.add("email", "must be an e-mail address")
    password = body.get("password")
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        errors.add("password", f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    invitation = body.get("invitation")   # the claim token of a trip shared with this address (its e-mail)
    if invitation is not None and not (isinstance(invitation, str) and 0 < len(invitation) <= 128):
        errors.add("invitation", "must be the token of an invitation e-mail")
    # Left out or null, the language and zone take their defaults.
    defaults = {name: value for name, value in DEFAULTS.items() if body.get(name) is None}
    profile = _check_profile({**body, **defaults}, errors, required=True)
    errors.raise_if_any()
    claim = {"invitation": invitation} if invitation else {}
    return {"email": email, "password": password, **claim, **profile}


def check_profile_patch(body: dict) -> dict:
    """The profile fields a patch changes. ``home`` (IATA codes or a city) is kept as its airports, sorted;
    unlike the other fields, null clears it."""
    errors = FieldErrors()
    for name in sorted(set(body) - {*PROFILE_FIELDS, "home"}):
        errors.add(name, "unknown field (only name, locale, time_zone and home can change)")
    profile = _check_profile(body, errors, required=False)
    if "home" in body:
        try:
            profile["home"] = None if body["home"] is None else sorted(resolve_home(body["home"]))
        except ValidationError as exc:
            errors.items += exc.errors
    errors.raise_if_any()
    return profile


def _check_profile(body: dict, errors: FieldErrors, *, required: bool) -> dict:
    out = {}
    name = body.get("name")
    if name is not None or required:
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            errors.add("name", "must be a non-empty string of at most 200 characters")
        else:
            out["name"] = name.strip()
    locale = body.get("locale")
    if locale is not None:
        tag = language_tag(locale)
        if tag is None:
            errors.add("locale", f"must be a language tag for one of {', '.join(LOCALES)}, "
                                 "a region may follow (de-DE, pt-BR)")
        else:
            out["locale"] = tag
    zone = body.get("time_zone")
    if zone is not None:
        if not is_zone(zone):
            errors.add("time_zone", "must be an IANA time zone such as Europe/Paris")
        else:
            out["time_zone"] = zone
    return out


def token_hash(secret: str) -> str:
    """Refresh tokens are stored hashed: a leaked table does not leak sessions."""
    return hashlib.sha256(secret.encode()).hexdigest()


def rotate(family: dict | None, presented_hash: str, new_hash: str, now: float) -> tuple[dict | None, str]:
    """Rotate a refresh-token family: (new state, outcome) with outcome ok|unknown|expired|revoked|reused."""
    if family is None:
        return None, "unknown"
    if family["revoked"]:
        return family, "revoked"
    if family["expires_at"] <= now:
        return family, "expired"
    if presented_hash != family["token_hash"]:
        if presented_hash in family["previous_hashes"]:
            return {**family, "revoked": True, "revoked_reason": "reuse"}, "reused"
        return family, "unknown"
    previous = (family["previous_hashes"] + [family["token_hash"]])[-REMEMBERED_TOKENS:]
    return {**family, "token_hash": new_hash, "previous_hashes": previous, "rotated_at": now}, "ok"
