"""Subjects: what we ask a provider about, e.g. ``flight/LH/400/2026-12-01`` or ``pnr/gds-sim/ABC123``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.tracking.subjects import flight_subject

__all__ = ["Subject", "flight_subject", "parse_subject"]

_FLIGHT = re.compile(r"^flight/([A-Z0-9]{2,3})/([0-9]{1,4}[A-Z]?)/(\d{4}-\d{2}-\d{2})$")
# Parts are URL-quoted by domain.tracking.subjects.booking_subject, so anything but "/" and spaces may appear.
_BOOKING = re.compile(r"^(hotel|car|pnr)/([^/\s]{1,64})/([^/\s]{1,64})$")


@dataclass(frozen=True)
class Subject:
    """A parsed subject; ``provider`` is None for flights, which any flight-status source can answer."""

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
    """Parse a subject string; ValueError when it is not one."""
    text = subject if isinstance(subject, str) else ""
    match = _FLIGHT.match(text)
    if match:
        date.fromisoformat(match.group(3))  # rejects 2026-02-30
        return Subject("flight", None, "/".join(match.groups()))
    match = _BOOKING.match(text)
    if match:
        return Subject(match.group(1), match.group(2), match.group(3))
    raise ValueError(f"not a subject: {str(subject)[:80]!r}")

