"""What a new mail about a booking does to what an earlier mail created: create, update, cancel or ignore."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from domain.mail.extract.reservations import ExtractedReservation
from domain.mail.extract.schema import BookingCancellation
from domain.mail.extract.times import utc_stamp

Decision = Literal["create", "update", "cancel", "ignore"]


def merge_decision(existing: Mapping | ExtractedReservation | None,
                   incoming: ExtractedReservation | BookingCancellation | Mapping) -> Decision:
    """Newer wins: a later modifiedTime, or when either lacks one, a later mail; a cancelled status cancels.

    ``existing`` is what was kept for the email_key (ExtractedReservation.stamp(), or None when nothing was);
    ``incoming`` is the new mail's reservation, a booking-wide cancellation, or a stamp. A mail that cannot be
    ordered against the kept one (no times on either side) counts as newer: mail mostly arrives in order.
    """
    new = _stamp(incoming)
    if existing is None:
        return "ignore" if new["status"] == "cancelled" else "create"
    old = _stamp(existing)
    newer = _is_newer(new, old)
    if newer is False:
        return "ignore"
    if newer is None and _same_times(new, old):
        return "ignore"  # the same mail again (redelivery, or a copy forwarded into the mailbox)
    if new["status"] == "cancelled":
        return "ignore" if old["status"] == "cancelled" else "cancel"
    return "update"


def _stamp(value: Any) -> dict:
    if isinstance(value, ExtractedReservation):
        return value.stamp()
    if isinstance(value, BookingCancellation):
        return {"status": "cancelled", "modified_time": value.modified_time, "message_date": value.message_date}
    status = value.get("status") or (value.get("reservation") or {}).get("status") or "confirmed"
    return {"status": status, "modified_time": value.get("modified_time"), "message_date": value.get("message_date")}


def _is_newer(new: dict, old: dict) -> bool | None:
    """True or False when the times tell; None when they are equal or missing."""
    for name in ("modified_time", "message_date"):
        if new.get(name) and old.get(name) and new[name] != old[name]:
            return (utc_stamp(new[name]) or "") > (utc_stamp(old[name]) or "")  # UTC ISO sorts as text
    return None


def _same_times(new: dict, old: dict) -> bool:
    return any(new.get(n) and new.get(n) == old.get(n) for n in ("modified_time", "message_date"))
