"""Reservation commands applied to reservation state: versions, ETags, replays and the events they emit."""

from __future__ import annotations

from dataclasses import dataclass

from domain.common.errors import Conflict, DomainError, NotFound, PreconditionFailed, ValidationError
from domain.reservations.fields import TOP_FIELDS, check
from domain.tracking.updates import KIND as PROVIDER_UPDATE
from domain.tracking.updates import provider_patch

# How many recent command IDs a reservation remembers, so a command replayed after a crash
# (at-least-once delivery) is recognised and not applied twice.
REMEMBERED_COMMANDS = 32
PRIVATE = ("user_id", "commands", "idempotency_key", "request_digest")
KINDS = ("create", "update", "delete", PROVIDER_UPDATE)
READ_ONLY = ("id", "version", "created_at", "updated_at", "source")


def check_api_input(body: dict) -> dict:
    """What a client may send on POST/PATCH: no read-only fields (the server owns those)."""
    read_only = sorted(set(body) & set(READ_ONLY))
    if read_only:
        raise ValidationError("Read-only fields.", [{"field": f, "message": "is read-only"} for f in read_only])
    return body


@dataclass(frozen=True)
class Outcome:
    """What applying one command did: the new state (None = deleted), the event, and the reply."""

    state: dict | None
    event: dict | None
    reply: dict


def to_api(state: dict) -> dict:
    """The public representation: everything but bookkeeping."""
    return {k: v for k, v in state.items() if k not in PRIVATE}


def etag(state: dict) -> str:
    return f'"{state["version"]}"'


def merge_patch(target: dict, patch: dict) -> dict:
    """RFC 7396 JSON Merge Patch: null removes, objects merge, anything else replaces."""
    result = dict(target)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict):
            # Merged even onto a missing or non-object member, so nulls inside are removed there too.
            member = result.get(key)
            result[key] = merge_patch(member if isinstance(member, dict) else {}, value)
        else:
            result[key] = value
    return result


def apply(current: dict | None, command: dict, now: str) -> Outcome:
    """Apply a validated command; rule violations come back as an error reply, never raise."""
    if current is not None and command["command_id"] in current.get("commands", ()):
        # A replay of a command already applied answers as the first time did.
        return Outcome(current, None, _ok(current, 201 if command["kind"] == "create" else 200))
    try:
        if current is not None and current["user_id"] != command["user_id"]:
            raise NotFound("No such reservation.")
        if command["kind"] == PROVIDER_UPDATE:  # tracking's news as a merge patch (domain/tracking/updates.py)
            command = {**command, "kind": "update", "data": provider_patch(current, command["data"])}
        handler = {"create": _create, "update": _update, "delete": _delete}[command["kind"]]
        return handler(current, command, now)
    except DomainError as exc:
        return Outcome(current, None, {"ok": False, "status": exc.status, "kind": exc.kind,
                                       "title": exc.title, "errors": exc.errors})


def _create(current: dict | None, command: dict, now: str) -> Outcome:
    if current is not None:
        # Same ID means the same Idempotency-Key: a retried POST gets the first result.
        if current.get("request_digest") == command.get("request_digest"):
            return Outcome(current, None, _ok(current, 201))
        raise Conflict("This Idempotency-Key was already used with a different request.")
    fields = check({"source": "manual", **command["data"]})
    state = {
        "id": command["reservation_id"], **fields, "version": 1, "created_at": now, "updated_at": now,
        "user_id": command["user_id"], "commands": [command["command_id"]],
        "request_digest": command.get("request_digest"),
    }
    return Outcome(state, _event("reservation.created", state, command, now), _ok(state, 201))


def _update(current: dict | None, command: dict, now: str) -> Outcome:
    if current is None:
        raise NotFound("No such reservation.")
    _check_version(current, command)
    unknown = sorted(set(command["data"]) - TOP_FIELDS)
    if unknown:
        raise ValidationError("Unknown fields.", [{"field": f, "message": "unknown field"} for f in unknown])
    editable = {k: v for k, v in current.items() if k in TOP_FIELDS}
    fields = check(merge_patch(editable, command["data"]))
    if fields == editable:
        # Nothing to change, but the command ID is kept: replayed after a crash behind later commands,
        # it must stay a no-op rather than be applied again on top of them.
        state = {**current, "commands": _remember(current, command)}
        return Outcome(state, None, _ok(state))
    state = {**{k: current[k] for k in ("id", "created_at", *PRIVATE) if k in current}, **fields,
             "version": current["version"] + 1, "updated_at": now, "commands": _remember(current, command)}
    changed = sorted(k for k in set(fields) | set(editable) if fields.get(k) != editable.get(k))
    event = {**_event("reservation.updated", state, command, now, changed), "previous": to_api(current)}
    return Outcome(state, event, _ok(state))


def _delete(current: dict | None, command: dict, now: str) -> Outcome:
    if current is None:
        # A delete redelivered after a crash lands here too and answers 404, not the first 204: the
        # reservation and the command IDs it remembered are gone, so a replay cannot be told apart
        # from a delete of something that never existed (or is another user's), and 404 is true of both.
        raise NotFound("No such reservation.")
    _check_version(current, command)
    gone = {**current, "version": current["version"] + 1, "updated_at": now}
    event = _event("reservation.deleted", gone, command, now)
    return Outcome(None, event, {"ok": True, "status": 204})


def _check_version(current: dict, command: dict) -> None:
    expected = command.get("if_match")
    if expected is not None and expected != current["version"]:
        raise PreconditionFailed(f"The reservation is at version {current['version']}, not {expected}.")


def _remember(current: dict, command: dict) -> list[str]:
    return (current.get("commands", []) + [command["command_id"]])[-REMEMBERED_COMMANDS:]


def _ok(state: dict, status: int = 200) -> dict:
    return {"ok": True, "status": status, "reservation": to_api(state), "version": state["version"]}


def _event(kind: str, state: dict, command: dict, now: str, changed: list[str] | None = None) -> dict:
    """A reservation event for the data team (schemas/reservation-events.json)."""
    return {
        "schema_version": 1,
        "event_id": command["command_id"],
        "event_type": kind,
        "reservation_id": state["id"],
        "user_id": state["user_id"],
        "version": state["version"],
        "occurred_at": now,
        "changed_fields": changed or [],
        "reservation": None if kind == "reservation.deleted" else to_api(state),
    }
