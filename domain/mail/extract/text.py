"""Last resort for mail without markup: a booking reference, flight numbers, airports and times in plain text."""

from __future__ import annotations

import re
from datetime import datetime
from itertools import islice

from domain.common.places import airport

MAX_TEXT_CHARS = 200_000  # confirmation texts are short; a longer one is read up to here
MAX_FLIGHTS = 20
_LABEL = r"(?i:booking\s+(?:reference|ref\.?|code|number)|confirmation\s+(?:number|code|no\.?)|" \
         r"reservation\s+(?:number|code|no\.?)?|record\s+locator|pnr|reference)"
BOOKING_REFERENCE = re.compile(_LABEL + r"\s*[:#]?\s*#?\s*([A-Z0-9]{5,12})\b")
# "Flight UA 110", "Flight: UA110", "flight number LH 400"; the word "flight" keeps ZIP codes ("CA 94102") out.
FLIGHT = re.compile(r"(?i:flight)\s*(?i:no\.?|number|#)?\s*:?\s*([A-Z][A-Z0-9]|[0-9][A-Z])\s?0*(\d{1,4}[A-Z]?)\b")
AIRPORT_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{3})(?![A-Za-z0-9])")
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = r"(?P<iso>\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)?)"
# Word boundaries and bounded month names keep these linear on hostile text (long runs of letters).
_DAY_MONTH = r"\b(?P<d1>\d{1,2})\.?\s+(?P<m1>[A-Za-z]{3})[a-z]{0,7}\.?,?\s+(?P<y1>\d{4}),?\s+(?:at\s+)?"
_MONTH_DAY = r"\b(?P<m2>[A-Za-z]{3})[a-z]{0,7}\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4}),?\s+(?:at\s+)?"
_CLOCK = r"(?P<h>\d{1,2}):(?P<mi>\d\d)\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
DATE_TIME = re.compile(rf"{_ISO}|(?:{_DAY_MONTH}|{_MONTH_DAY}){_CLOCK}")


def booking_reference(content: str) -> str | None:
    match = BOOKING_REFERENCE.search(content)
    return match[1] if match else None


def text_items(content: str) -> tuple[list, list[str]]:
    """schema.org FlightReservations for each "Flight XX 123" with two airports and two times after it."""
    content = content[:MAX_TEXT_CHARS]
    matches = list(islice(FLIGHT.finditer(content), MAX_FLIGHTS))
    if not matches:
        return [], ["plain text names no flight number with an airline code"]
    reference = booking_reference(content)
    items, reasons = [], []
    for match, following in zip(matches, matches[1:] + [None], strict=True):
        block = content[match.end(): following.start() if following else len(content)]
        airports = [c for c in AIRPORT_CODE.findall(block) if airport(c)]
        times = [t for t in map(_moment, DATE_TIME.finditer(block)) if t]
        designator = f"{match[1]}{match[2]}"
        if len(airports) < 2 or len(times) < 2:
            reasons.append(f"plain text flight {designator}: no two airport codes and two times after it")
            continue
        items.append(_flight_item(reference, designator, airports, times))
    return items, reasons


def _flight_item(reference: str | None, designator: str, airports: list[str], times: list[str]) -> dict:
    return {
        "@type": "FlightReservation",
        "reservationNumber": reference,
        "reservationFor": {
            "@type": "Flight", "flightNumber": designator,
            "departureAirport": {"@type": "Airport", "iataCode": airports[0]},
            "arrivalAirport": {"@type": "Airport", "iataCode": airports[1]},
            "departureTime": times[0], "arrivalTime": times[1],
        },
    }


def _moment(match: re.Match) -> str | None:
    """ISO 8601 text as it stands; a written date and clock as naive ISO (local time at the airport)."""
    if match["iso"]:
        return match["iso"]
    day, month, year = (match["d1"], match["m1"], match["y1"]) if match["d1"] else \
        (match["d2"], match["m2"], match["y2"])
    hour, ampm = int(match["h"]), (match["ampm"] or "").replace(".", "").lower()
    if ampm:
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        moment = datetime(int(year), MONTHS[month.lower()], int(day), hour, int(match["mi"]))
    except (KeyError, ValueError):
        return None
    return moment.isoformat()
