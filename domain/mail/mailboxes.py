"""A user's mailbox connections: the connect request, the stored record, its status, and what a poll changes."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from domain.common.errors import FieldErrors
from domain.common.ids import HEX_ID as MAILBOX_ID

OAUTH_PROVIDERS = ("gmail", "outlook")
IMAP_PROVIDERS = ("icloud", "imap")
PROVIDERS = OAUTH_PROVIDERS + IMAP_PROVIDERS
ICLOUD_HOST, IMAPS_PORT = "imap.mail.me.com", 993
CONSENT_TTL_S = 600  # how long an OAuth consent started may take to come back
RECENT_SKIPS = 20  # skipped messages remembered per mailbox, newest last
STATUSES = ("connecting", "connected", "auth_expired", "unavailable", "error")
HOST_NAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                   r"[A-Za-z0-9])?)*$")


def check_connect(body: object, *, allow_local_hosts: bool = False) -> dict:
    """POST /me/mailboxes: ``{provider}`` for OAuth, or IMAP ``{provider, username, app_password, host?, port?}``."""
    errors = FieldErrors()
    if not isinstance(body, dict):
        errors.add("", "must be an object")
        errors.raise_if_any()
    provider = body.get("provider")
    if provider not in PROVIDERS:
        errors.add("provider", f"must be one of {', '.join(PROVIDERS)}")
        errors.raise_if_any("The mailbox connection has invalid fields.")
    allowed = {"provider"} | ({"username", "app_password", "host", "port"} if provider in IMAP_PROVIDERS else set())
    for name in sorted(set(body) - allowed):
        errors.add(name, "unknown field")
    if provider in OAUTH_PROVIDERS:
        errors.raise_if_any("The mailbox connection has invalid fields.")
        return {"provider": provider}
    out = {"provider": provider, "username": _text(body, "username", errors, 320),
           "app_password": _text(body, "app_password", errors, 1024)}
    host = ICLOUD_HOST if provider == "icloud" else body.get("host")
    out["host"] = _host(host, errors, allow_local_hosts) if provider == "imap" else host
    port = body.get("port", IMAPS_PORT) if provider == "imap" else IMAPS_PORT
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        errors.add("port", "must be a port number")
    out["port"] = port
    errors.raise_if_any("The mailbox connection has invalid fields.")
    return out


def _text(body: dict, name: str, errors: FieldErrors, limit: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit or any(c in value for c in "\r\n\0"):
        errors.add(name, f"is required: a string of at most {limit} characters on one line")
        return ""
    return value.strip() if name == "username" else value


def _host(host: object, errors: FieldErrors, allow_local: bool) -> str:
    if not isinstance(host, str) or not HOST_NAME.match(host):
        errors.add("host", "is required for imap: a host name or IP address")
        return ""
    # Literal addresses and names only: a name resolving to a private address is not caught here.
    try:
        local = ipaddress.ip_address(host).is_private
    except ValueError:
        local = host.lower() == "localhost" or host.lower().endswith(".localhost")
    if local and not allow_local:
        errors.add("host", "must be a public mail server")
    return host.lower()


def new_record(mailbox_id: str, mailbox: Mapping, secret: str, status: str, now: str) -> dict:
    """A mailbox as stored: what it is, its sealed secret, and empty counters."""
    return {"id": mailbox_id, "provider": mailbox["provider"], "account": mailbox.get("account"),
            "host": mailbox.get("host"), "port": mailbox.get("port"), "secret": secret, "status": status,
            "detail": None, "connected_at": now, "last_polled_at": None, "last_success_at": None,
            "client_state": None, "messages_seen": 0, "reservations_found": 0, "errors_in_row": 0,
            "last_poll_id": None, "skipped": []}


def reconnected(record: Mapping, secret: str, status: str, now: str) -> dict:
    """The same mailbox with new credentials: its sync position and counters stay."""
    return {**record, "secret": secret, "status": status, "detail": None, "connected_at": now, "errors_in_row": 0}


def same_account(record: Mapping, mailbox: Mapping) -> bool:
    return all(record.get(k) == mailbox.get(k) for k in ("provider", "account", "host", "port")) and \
        mailbox.get("account") is not None


def after_poll(record: Mapping, result: Mapping, *, found: int, skipped: list[dict], now: str) -> dict:
    """The record after a poll: sync position, status, counters and the newest skip reasons."""
    updated = {**record, "last_polled_at": now, "last_poll_id": result["poll_id"]}
    if result.get("secret"):
        updated["secret"] = result["secret"]  # the provider rotated the refresh token
    if result["outcome"] == "ok":
        updated.update(status="connected", detail=None, last_success_at=now, errors_in_row=0,
                       client_state=result.get("client_state"),
                       messages_seen=record.get("messages_seen", 0) + result.get("messages", 0),
                       reservations_found=record.get("reservations_found", 0) + found)
        updated["skipped"] = (list(record.get("skipped", [])) + skipped)[-RECENT_SKIPS:]
    else:
        status = result.get("status") if result.get("status") in STATUSES else "error"
        updated.update(status=status, detail=str(result.get("detail") or "")[:300],
                       errors_in_row=record.get("errors_in_row", 0) + 1)
    return updated


def status_text(record: Mapping) -> str:
    """What the traveller sees: ``connected``, ``connecting``, ``auth expired`` or ``error: …``."""
    status = record.get("status")
    if status in ("connected", "connecting"):
        return status
    if status == "auth_expired":
        return "auth expired"
    retrying = " (retrying)" if status == "unavailable" else ""
    return f"error: {record.get('detail') or 'the last poll failed'}{retrying}"


def public(record: Mapping, next_poll_at: str | None = None) -> dict:
    """The API representation: never the secret or the provider's sync state."""
    return {"id": record["id"], "provider": record["provider"], "account": record.get("account"),
            "host": record.get("host"), "port": record.get("port"), "status": status_text(record),
            "connected_at": record.get("connected_at"), "last_polled_at": record.get("last_polled_at"),
            "last_success_at": record.get("last_success_at"), "next_poll_at": next_poll_at,
            "messages_seen": record.get("messages_seen", 0),
            "reservations_found": record.get("reservations_found", 0),
            "skipped": list(record.get("skipped", []))}


def polls(record: Mapping) -> bool:
    """Whether the poller should keep polling it: not once the provider refused the credentials."""
    return record.get("status") != "auth_expired"


def state_token(user_id: str, nonce: str) -> str:
    """The OAuth ``state``: the user (so the callback reaches the worker holding the consent) and the nonce."""
    return f"{user_id}.{nonce}"


def parse_state(state: object) -> tuple[str, str] | None:
    if not isinstance(state, str) or state.count(".") != 1:
        return None
    user_id, nonce = state.split(".")
    return (user_id, nonce) if MAILBOX_ID.fullmatch(user_id) and 20 <= len(nonce) <= 128 else None


def live_consents(pending: Mapping | None, now_s: float) -> dict:
    """Consents still waiting for their callback."""
    return {nonce: entry for nonce, entry in (pending or {}).items() if entry.get("expires_at", 0) > now_s}
