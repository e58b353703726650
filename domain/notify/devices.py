"""Devices a user registered for push (FCM and APNs tokens, Web Push subscriptions) and where each channel sends."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from domain.common.errors import FieldErrors

KINDS = ("fcm", "apns", "webpush")
MAX_DEVICES = 20  # per user; registering one more forgets the longest-unused
TOKEN = re.compile(r"^[A-Za-z0-9_:.\-]{16,4096}$")
APNS_TOKEN = re.compile(r"^[0-9a-fA-F]{64,200}$")
B64URL = re.compile(r"^[A-Za-z0-9_\-]+=*$")


def parse_device(body: object) -> dict:
    """A registration ``{kind, token}`` or ``{kind: "webpush", subscription: {endpoint, keys}}``, checked.

    Returns the device record without its ID; raises ValidationError listing every bad field.
    """
    errors = FieldErrors()
    if not isinstance(body, dict):
        errors.add("", "must be an object")
        errors.raise_if_any()
    kind = body.get("kind")
    allowed = {"kind", "name", "subscription" if kind == "webpush" else "token"}
    for name in sorted(set(body) - allowed):
        errors.add(name, "unknown field")
    name = body.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > 100):
        errors.add("name", "must be text of at most 100 characters")
    if kind not in KINDS:
        errors.add("kind", f"must be one of {', '.join(KINDS)}")
    elif kind == "webpush":
        _check_subscription(body.get("subscription"), errors)
    else:
        token = body.get("token")
        pattern = APNS_TOKEN if kind == "apns" else TOKEN
        if not isinstance(token, str) or not pattern.match(token):
            errors.add("token", "must be the device token the platform gave the app")
    errors.raise_if_any()
    record = {"kind": kind, "name": name}
    if kind == "webpush":
        sub = body["subscription"]
        record["subscription"] = {"endpoint": sub["endpoint"], "keys": {k: sub["keys"][k] for k in ("p256dh", "auth")}}
    else:
        record["token"] = body["token"]
    return record


def _check_subscription(sub: object, errors: FieldErrors) -> None:
    if not isinstance(sub, dict):
        errors.add("subscription", "must be the browser's PushSubscription (JSON)")
        return
    endpoint = sub.get("endpoint")
    parts = urlsplit(endpoint) if isinstance(endpoint, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc or len(endpoint) > 2000:
        errors.add("subscription.endpoint", "must be the push service's URL")
    keys = sub.get("keys")
    for key in ("p256dh", "auth"):
        value = keys.get(key) if isinstance(keys, dict) else None
        if not isinstance(value, str) or not B64URL.match(value) or len(value) > 200:
            errors.add(f"subscription.keys.{key}", "must be base64url text")


def device_id(record: dict) -> str:
    """The same token or endpoint always names the same device: registering twice is one device."""
    secret = record.get("token") or record.get("subscription", {}).get("endpoint", "")
    return hashlib.sha256(f"{record['kind']}\x1f{secret}".encode()).hexdigest()[:32]


def add(devices: dict | None, record: dict, now: str) -> tuple[dict, dict]:
    """The devices with ``record`` registered (or refreshed), and the stored device."""
    devices = dict(devices or {})
    key = device_id(record)
    stored = {**record, "id": key, "created_at": (devices.get(key) or {}).get("created_at", now), "updated_at": now}
    devices[key] = stored
    while len(devices) > MAX_DEVICES:
        del devices[min(devices, key=lambda k: devices[k]["updated_at"])]
    return devices, stored


def public(device: dict) -> dict:
    """What the API shows of a device: never the token or the subscription's keys."""
    return {k: device.get(k) for k in ("id", "kind", "name", "created_at", "updated_at")}


def targets(profile: dict | None, devices: dict | None) -> dict[str, list[dict]]:
    """Destinations per delivery channel: the profile's e-mail, and each registered device."""
    out: dict[str, list[dict]] = {"email": [], "fcm": [], "apns": [], "webpush": []}
    email = (profile or {}).get("email")
    if email:
        out["email"].append({"email": email})
    for key, device in sorted((devices or {}).items()):
        if device.get("kind") == "webpush":
            out["webpush"].append({"subscription": device["subscription"], "device": key})
        elif device.get("kind") in ("fcm", "apns"):
            out[device["kind"]].append({"token": device["token"], "device": key})
    return out
