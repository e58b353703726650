"""The provider registry's rules: what an admin may register, and what the API shows of it."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from domain.common.errors import FieldErrors

KINDS = ("standard", "amadeus", "gds")
PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
FIELDS = {"provider_id", "kind", "name", "base_url", "credentials", "quota", "batch_size", "can_push",
          "enabled", "timeout_s", "max_concurrency"}
DEFAULTS = {"quota": {"per_second": 10.0, "per_day": 1_000_000}, "batch_size": 50, "can_push": False,
            "enabled": True, "timeout_s": 10.0, "max_concurrency": 4}
# Never shown by the API: what a provider authenticates us with, and what it signs pushes with.
SECRET = ("credentials", "webhook_secret")


def check(fields: dict, *, creating: bool) -> dict:
    """A validated provider record (defaults filled on create); raises ValidationError listing every field."""
    errors = FieldErrors()
    for name in sorted(set(fields) - FIELDS):
        errors.add(name, "unknown field")
    out = {**DEFAULTS, **fields} if creating else dict(fields)
    if creating or "provider_id" in fields:
        if not isinstance(out.get("provider_id"), str) or not PROVIDER_ID.match(out["provider_id"]):
            errors.add("provider_id", "must be 2-63 lower-case letters, digits and dashes")
    if (creating or "kind" in fields) and out.get("kind") not in KINDS:
        errors.add("kind", f"must be one of {', '.join(KINDS)}")
    if creating or "base_url" in fields:
        url = urlparse(out.get("base_url") or "") if isinstance(out.get("base_url"), str) else None
        if url is None or url.scheme not in ("http", "https") or not url.netloc:
            errors.add("base_url", "must be an http(s) URL")
    if "credentials" in out and not (isinstance(out["credentials"], dict)
                                     and all(isinstance(v, str) for v in out["credentials"].values())):
        errors.add("credentials", "must be an object of strings")
    _numbers(out, errors)
    for flag in ("can_push", "enabled"):
        if flag in out and not isinstance(out[flag], bool):
            errors.add(flag, "must be true or false")
    errors.raise_if_any()
    return out


def _numbers(out: dict, errors: FieldErrors) -> None:
    quota = out.get("quota")
    if "quota" in out:
        if not isinstance(quota, dict) or set(quota) - {"per_second", "per_day"} or not all(
                isinstance(quota.get(k), int | float) and quota[k] > 0 for k in ("per_second", "per_day")):
            errors.add("quota", "must be {per_second > 0, per_day > 0}")
    for name, low, high in (("batch_size", 1, 1000), ("max_concurrency", 1, 64), ("timeout_s", 0.1, 120)):
        value = out.get(name)
        if name in out and (isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high):
            errors.add(name, f"must be a number from {low} to {high}")


def public(record: dict) -> dict:
    """What the admin API shows: everything but secrets (only the credential names)."""
    shown = {k: v for k, v in record.items() if k not in SECRET}
    shown["credential_names"] = sorted(record.get("credentials", {}))
    return shown
