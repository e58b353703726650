"""Tracking subjects: what a provider is asked about, so that one provider call serves every traveller on it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from domain.common.places import is_zone, parse_local

_NUMBER = re.compile(r"^0*(\d+)([A-Z]?)$")
# schemas/provider-standard-interface.json's subject pattern. Booking parts are URL-quoted by
# booking_subject, so anything but "/" and white space may appear in them.
_FLIGHT = re.compile(r"^flight/([A-Z0-9]{2,3})/([0-9]{1,4}[A-Z]?)/(\d{4}-\d{2}-\d{2})$")
_BOOKING = re.compile(r"^(hotel|car|pnr)/([^/\s]{1,64})/([^/\s]{1,64})$")


def flight_subject(carrier: str, number: str, date: str) -> str:
    """``flight/LH/400/2026-12-01``: one flight instance, by its local departure date.

    Leading zeros go ("LH 0400" and "LH 400" are one flight).
    """
    number = number.strip().upper()
    match = _NUMBER.match(number)
    if match:
        number = match.group(1) + match.group(2)
    return f"flight/{carrier.strip().upper()}/{number}/{date}"


def booking_subject(kind: str, provider: str, confirmation: str) -> str:
    """``hotel/<provider>/<confirmation>``; parts are URL-quoted so a "/" in a code stays inside its part.

    The provider name is case-folded (it is our name for them); the confirmation is kept as typed,
    because some providers' codes are case-sensitive.
    """
    return f"{kind}/{quote(provider.strip().lower(), safe='')}/{quote(confirmation.strip(), safe='')}"


def subject_of(reservation: Mapping) -> str | None:
    """The subject a canonical reservation is tracked under; None when no provider can be asked about it."""
    kind = reservation.get("type")
    if kind == "flight":
        flight = reservation.get("flight") or {}
        day = _local_date(reservation.get("start"), reservation.get("start_time_zone"))
        if not flight.get("airline") or not flight.get("number") or day is None:
            return None
        return flight_subject(flight["airline"], flight["number"], day)
    if kind in ("hotel", "car"):
        provider, confirmation = reservation.get("provider"), reservation.get("confirmation")
        if not provider or not confirmation or not provider.strip() or not confirmation.strip():
            return None
        return booking_subject(kind, provider, confirmation)
    return None


def _local_date(start: object, zone: object) -> str | None:
    """The departure's calendar date where the flight leaves (not in UTC, not where the traveller lives)."""
    if not isinstance(start, str):
        return None
    try:
        moment = parse_local(start, zone) if is_zone(zone) else datetime.fromisoformat(start)
    except ValueError:
        return None
    return moment.date().isoformat()


@dataclass(frozen=True)
class Subject:
    """A parsed subject; ``provider`` is None for flights, which any flight-status source can answer.

    The parts are as the subject writes them (URL-quoted), so ``str()`` gives the subject back.
    """

    kind: str
    provider: str | None
    ref: str

    def __str__(self) -> str:
        if self.provider is None:
            return f"{self.kind}/{self.ref}"
        return f"{self.kind}/{self.provider}/{self.ref}"

    @property
    def flight(self) -> tuple[str, str, str]:
        """(carrier, number, local departure date) of a flight subject."""
        carrier, number, day = self.ref.split("/")
        return carrier, number, day


def parse_subject(subject: str) -> Subject:
    """The parts of a subject, checked against the provider interface's subject pattern; ValueError otherwise.

    ``pnr/<provider>/<locator>`` is a GDS booking record: providers answer for it, reservations never
    carry one.
    """
    text = subject if isinstance(subject, str) else ""
    match = _FLIGHT.match(text)
    if match:
        date.fromisoformat(match.group(3))  # rejects 2026-02-30
        return Subject("flight", None, "/".join(match.groups()))
    match = _BOOKING.match(text)
    if match:
        return Subject(match.group(1), match.group(2), match.group(3))
    raise ValueError(f"not a subject: {str(subject)[:80]!r}")
