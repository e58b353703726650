"""Flight status: provider codes and words normalised to one vocabulary, and the status the times imply."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from domain.common.numbers import whole_number
from domain.tracking.snapshots import minutes_between

STATUSES = ("scheduled", "delayed", "departed", "landed", "cancelled", "diverted", "unknown")
# TripIt's own threshold: 301 On Time is "estimated - scheduled departure <= 14 min", 401 Delayed >= 15.
DELAY_MINUTES = 15
FINAL = ("cancelled", "diverted")
PROGRESS = {"unknown": 0, "scheduled": 1, "delayed": 2, "departed": 3, "landed": 4}

# TripIt API v1 Pro `flight_status` (doc/v1 "Pro Data"). 405 "Possibly Delayed" counts as delayed: the
# traveller wants the warning, and a later on-time estimate moves it back.
TRIPIT = {
    100: "unknown", 200: "unknown", 300: "scheduled", 301: "scheduled", 302: "departed", 303: "landed",
    400: "cancelled", 401: "delayed", 402: "departed", 403: "landed", 404: "diverted", 405: "delayed",
    406: "departed", 407: "landed", 408: "unknown",
}
CODES = {
    # Cirium/FlightStats one- and two-letter codes; there "D" is Diverted and "R" Redirected.
    "S": "scheduled", "A": "departed", "L": "landed", "C": "cancelled", "D": "diverted", "R": "diverted",
    "NO": "cancelled", "U": "unknown", "DN": "unknown",
    # IATA AIDX-style operational codes.
    "SCH": "scheduled", "SKD": "scheduled", "ONT": "scheduled", "BRD": "scheduled", "GCL": "scheduled",
    "GTO": "scheduled", "DLY": "delayed", "DEL": "delayed", "DEP": "departed", "OFB": "departed",
    "AIR": "departed", "ENR": "departed", "LND": "landed", "ARR": "landed", "ONB": "landed",
    "CNL": "cancelled", "CXL": "cancelled", "CAN": "cancelled", "DIV": "diverted",
    # Amadeus timing qualifiers, when a provider reports the latest one as its status.
    "STD": "scheduled", "STA": "scheduled", "ETD": "scheduled", "ETA": "scheduled",
    "ATD": "departed", "ATA": "landed",
}
WORDS = {
    "scheduled": "scheduled", "on time": "scheduled", "ontime": "scheduled", "planned": "scheduled",
    "confirmed": "scheduled", "expected": "scheduled", "estimated": "scheduled", "boarding": "scheduled",
    "now boarding": "scheduled", "gate open": "scheduled", "gate closed": "scheduled",
    "final call": "scheduled", "check in": "scheduled", "go to gate": "scheduled",
    "not departed": "scheduled", "delayed": "delayed", "delay": "delayed", "late": "delayed",
    "postponed": "delayed", "possibly delayed": "delayed", "departed": "departed", "en route": "departed",
    "enroute": "departed", "in flight": "departed", "in air": "departed", "airborne": "departed",
    "active": "departed", "took off": "departed", "taxiing": "departed", "off block": "departed",
    "landed": "landed", "arrived": "landed", "on block": "landed", "touched down": "landed",
    "cancelled": "cancelled", "canceled": "cancelled", "cancellation": "cancelled",
    "diverted": "diverted", "diversion": "diverted", "redirected": "diverted",
    "unknown": "unknown", "not monitored": "unknown", "not monitorable": "unknown", "no status": "unknown",
    "n a": "unknown", "": "unknown",
}
# For phrases like "Arrived - Late" or "Delayed 45 min": first match wins, so the later stage beats
# the delay it mentions ("In Flight - Late" is departed).
KEYWORDS = (
    ("cancelled", (" cancel",)), ("diverted", (" divert", " redirect")),
    ("landed", (" landed", " arrived", " touched down")),
    ("departed", (" departed", " en route", " in flight", " in air", " airborne", " took off")),
    ("delayed", (" delay", " late ")), ("scheduled", (" schedul", " on time", " boarding")),
)
_NOISE = re.compile(r"[^a-z0-9]+")


def normalise(raw: object) -> str:
    """One of STATUSES for a provider's status code or words; anything unrecognised is "unknown"."""
    if isinstance(raw, bool) or raw is None:
        return "unknown"
    if isinstance(raw, int):
        return TRIPIT.get(raw, "unknown")
    if not isinstance(raw, str):
        return "unknown"
    return _from_text(raw.strip())


@lru_cache(maxsize=4096)
def _from_text(text: str) -> str:
    number = whole_number(text)
    if number is not None:
        return TRIPIT.get(number, "unknown")
    code = CODES.get(text.upper())
    if code is not None:
        return code
    words = _NOISE.sub(" ", text.lower()).strip()
    if words in WORDS:
        return WORDS[words]
    padded = f" {words} "
    if " not " in padded or " no " in padded:
        return "unknown"  # a negated phrase we have not listed: guessing would invert it
    for status, keys in KEYWORDS:
        if any(key in padded for key in keys):
            return status
    return "unknown"


def is_late(departure: Mapping | None) -> bool:
    """True when the estimated departure is DELAY_MINUTES or more after the scheduled one."""
    if not departure:
        return False
    scheduled, estimated = departure.get("scheduled"), departure.get("estimated")
    if not scheduled or not estimated:
        return False
    return minutes_between(scheduled, estimated) >= DELAY_MINUTES


def derive(status: str, departure: Mapping | None = None, arrival: Mapping | None = None) -> str:
    """The provider's status, moved on by what the times show (actual arrival, actual departure, delay).

    Cancelled and diverted are final; otherwise the later stage of the two wins.
    """
    if status not in PROGRESS and status not in FINAL:
        status = normalise(status)
    if status in FINAL:
        return status
    if arrival and arrival.get("actual"):
        implied = "landed"
    elif departure and departure.get("actual"):
        implied = "departed"
    elif is_late(departure):
        implied = "delayed"
    else:
        implied = "unknown"
    return max(status, implied, key=PROGRESS.__getitem__)
