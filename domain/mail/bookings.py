"""Mail read from a mailbox -> reservation commands: create, update or cancel, never a duplicate, replay-safe."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

import orjson

from domain.mail.extract.schema import BookingCancellation
from domain.mail.merge import merge_decision

# Fixed forever: reservation and command IDs derived from it must come out the same on every replay.
RESERVATIONS = uuid.UUID("0d7c5b64-3f0e-4c47-9a53-5c1e2f8a6b21")
COMMANDS = uuid.UUID("9b2f6a0e-8d41-4c1f-b3a7-2e6d5c4f1a90")


def reservation_id(user_id: str, email_key: str) -> str:
    """The one reservation a user's booking segment becomes, whichever mail about it came first."""
    return uuid.uuid5(RESERVATIONS, f"{user_id}:{email_key}").hex


def command_id(poll_id: str, ref: str, rid: str, decision: str) -> str:
    """Deterministic from the poll result and the mail: the same poll replayed sends the same commands."""
    return uuid.uuid5(COMMANDS, f"{poll_id}:{ref}:{rid}:{decision}").hex


@dataclass
class Planned:
    """What one poll result does: the user's new booking stamps and the reservation commands to send."""

    bookings: dict
    commands: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {"create": 0, "update": 0, "cancel": 0, "ignore": 0})


def plan(bookings: Mapping | None, found: list[dict], *, user_id: str, poll_id: str, issued_at: str) -> Planned:
    """Merge every found mail (in the order read) into the user's bookings.

    ``found`` items: ``{ref, extracted: [ExtractedReservation fields], cancellations: [BookingCancellation
    fields]}``. Each stamp keeps the stamp it replaced (``base``) and the poll that replaced it, so when the
    same poll result is applied again (at-least-once delivery) every decision is taken again from the
    same base and yields the same command IDs, which the reservations agent recognises as replays.
    """
    result = Planned(dict(bookings or {}))
    touched: set[str] = set()
    for item in found:
        for extracted in item.get("extracted", ()):
            _merge(result, touched, extracted["email_key"], extracted, item["ref"], user_id, poll_id, issued_at)
        for fields in item.get("cancellations", ()):
            cancellation = BookingCancellation(**fields)
            for key in [k for k in result.bookings if cancellation.matches(k)]:
                incoming = {"status": "cancelled", "modified_time": cancellation.modified_time,
                            "message_date": cancellation.message_date}
                _merge(result, touched, key, incoming, item["ref"], user_id, poll_id, issued_at)
    return result


def _merge(result: Planned, touched: set[str], key: str, incoming: dict, ref: str, user_id: str,
           poll_id: str, issued_at: str) -> None:
    kept = result.bookings.get(key)
    existing = kept if key in touched or not kept or kept.get("poll_id") != poll_id else kept.get("base")
    decision = merge_decision(_stamp_only(existing), incoming)
    result.counts[decision] += 1
    if decision == "ignore":
        return
    rid = reservation_id(user_id, key)
    result.commands.append(_command(decision, rid, incoming, ref, user_id, poll_id, issued_at))
    base = (kept.get("base") if key in touched else _stamp_only(existing)) if kept else None
    reservation = incoming.get("reservation") or {}
    result.bookings[key] = {"reservation_id": rid, "status": reservation.get("status", incoming.get("status")),
                            "modified_time": incoming.get("modified_time"),
                            "message_date": incoming.get("message_date"), "poll_id": poll_id, "base": base}
    touched.add(key)


def _stamp_only(stamp: Mapping | None) -> dict | None:
    if not stamp:
        return None
    return {k: stamp.get(k) for k in ("reservation_id", "status", "modified_time", "message_date")}


def _command(decision: str, rid: str, incoming: dict, ref: str, user_id: str, poll_id: str,
             issued_at: str) -> dict:
    command = {"command_id": command_id(poll_id, ref, rid, decision), "reservation_id": rid, "user_id": user_id,
               "issued_at": issued_at}
    if decision == "cancel":
        return {**command, "kind": "update", "data": {"status": "cancelled"}}
    data = {**incoming["reservation"], "source": "email"}
    if decision == "update":
        return {**command, "kind": "update", "data": data}
    digest = hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return {**command, "kind": "create", "data": data, "request_digest": digest}
