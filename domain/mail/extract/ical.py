"""schema.org items out of iCalendar attachments: KItinerary's embedded markup, else the VEVENT's own fields."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import icalendar

from domain.common.places import airport, is_zone
from domain.mail.extract.common import Unusable
from domain.mail.extract.markup import jsonld_items
from domain.mail.extract.text import AIRPORT_CODE, booking_reference

MAX_EVENTS = 50
KITINERARY_PROPERTY = "X-KDE-KITINERARY-RESERVATION"  # KDE Itinerary keeps its JSON-LD in events it exports
DESIGNATOR = re.compile(r"\b([A-Z][A-Z0-9]|[0-9][A-Z])\s?0*(\d{1,4}[A-Z]?)\b")
_ESCAPE = re.compile(r"\\([\\;,nN])")
CANCELLED = re.compile(r"^\s*(?:cancel+ed|annul+ed|storniert)\b", re.I)
HOTEL = re.compile(r"\b(?:hotel|lodging|check-?in|stay)\b", re.I)
CAR = re.compile(r"\b(?:rental car|car rental|car hire|rent(?:al)?[- ]a[- ]car)\b", re.I)


def calendar_items(content: str) -> tuple[list, list[str]]:
    """The items of every VEVENT; the reasons events or the whole calendar were dropped."""
    try:
        calendars = _parse(content)
    except Exception as exc:  # noqa: BLE001 - icalendar raises anything from ValueError to KeyError on junk
        return [], [f"calendar could not be parsed: {type(exc).__name__}: {str(exc)[:120]}"]
    if not any(c.walk("VEVENT") for c in calendars):
        return [], ["calendar holds no complete event (empty or cut short)"]
    items, reasons = [], []
    for calendar in calendars:
        cancelled = str(calendar.get("METHOD", "")).upper() == "CANCEL"
        for event in calendar.walk("VEVENT")[:MAX_EVENTS]:
            summary = str(event.get("SUMMARY", ""))[:80]
            try:
                items.extend(_event_items(event, cancelled))
            except Unusable as exc:
                reasons.append(f"calendar event {summary!r}: {exc}")
            except Exception as exc:  # noqa: BLE001 - a broken property (icalendar's BrokenCalendarProperty)
                reasons.append(f"calendar event {summary!r} is broken: {type(exc).__name__}: {str(exc)[:120]}")
    return items, reasons


def _parse(content: str) -> list:
    try:
        return icalendar.Calendar.from_ical(content, multiple=True)
    except Exception:  # noqa: BLE001
        # A VTIMEZONE without rules (KItinerary's rentalcar.ics) breaks icalendar; zones can come from
        # IANA TZIDs and places instead, so read the calendar once more without them.
        return icalendar.Calendar.from_ical(_without_vtimezones(content), multiple=True)


def _without_vtimezones(content: str) -> str:
    kept, inside = [], False
    for line in content.splitlines(keepends=True):
        marker = line.strip().upper()
        inside = (inside or marker == "BEGIN:VTIMEZONE") and marker != "END:VTIMEZONE"
        if not inside and marker != "END:VTIMEZONE":
            kept.append(line)
    return "".join(kept)


def _event_items(event: Any, method_cancel: bool) -> list:
    cancelled = method_cancel or str(event.get("STATUS", "")).upper() == "CANCELLED" \
        or bool(CANCELLED.match(str(event.get("SUMMARY", ""))))
    embedded = event.get(KITINERARY_PROPERTY)
    items = jsonld_items(_unescape(str(embedded)))[0] if embedded is not None else []
    items = items or [_event_item(event)]  # broken embedded markup: the event's own fields still tell a lot
    if cancelled:
        items = [{**item, "reservationStatus": "ReservationCancelled"} for item in items]
    return items


def _unescape(value: str) -> str:
    """RFC 5545 TEXT unescaping; icalendar leaves X- properties as they were written."""
    return _ESCAPE.sub(lambda m: "\n" if m[1] in "nN" else m[1], value)


def _event_item(event: Any) -> dict:
    summary, location = str(event.get("SUMMARY", "")), str(event.get("LOCATION", "")) or None
    start, end = _moment(event, "DTSTART"), _moment(event, "DTEND") or _end_from_duration(event)
    if start is None or end is None:
        raise Unusable("no start or end")
    base = {
        "reservationNumber": booking_reference(f"{summary}\n{event.get('DESCRIPTION', '')}"),
        "modifiedTime": _moment(event, "LAST-MODIFIED") or _moment(event, "DTSTAMP"),
    }
    flight = _flight(summary)
    if flight:
        designator, origin, destination = flight
        return {"@type": "FlightReservation", **base, "reservationFor": {
            "@type": "Flight", "flightNumber": designator, "departureTime": start, "arrivalTime": end,
            "departureAirport": {"iataCode": origin}, "arrivalAirport": {"iataCode": destination}}}
    name = summary.split(":", 1)[-1].strip()
    if HOTEL.search(summary):
        return {"@type": "LodgingReservation", **base, "checkinTime": start, "checkoutTime": end,
                "reservationFor": {"@type": "LodgingBusiness", "name": name, "address": location}}
    if CAR.search(summary):
        organizer = event.get("ORGANIZER")
        company = organizer.params.get("CN") if organizer is not None else None
        return {"@type": "RentalCarReservation", **base, "pickupTime": start, "dropoffTime": end,
                "pickupLocation": location, "reservationFor": {"@type": "RentalCar", "rentalCompany": company}}
    raise Unusable("not a flight, hotel or rental car event")


def _flight(summary: str) -> tuple[str, str, str] | None:
    designator = DESIGNATOR.search(summary)
    airports = [c for c in AIRPORT_CODE.findall(summary) if airport(c)]
    if designator is None or len(airports) < 2:
        return None
    return f"{designator[1]}{designator[2]}", airports[0], airports[1]


def _end_from_duration(event: Any) -> dict | str | None:
    if event.get("DURATION") is None:
        return None
    return _as_moment(event.end, None)  # icalendar adds DURATION to DTSTART


def _moment(event: Any, name: str) -> dict | str | None:
    """A calendar time as a QDateTime-like dict marked exact: iCalendar times are computed instants."""
    prop = event.get(name)
    return None if prop is None else _as_moment(prop.dt, prop.params.get("TZID"))


def _as_moment(value: Any, tzid: str | None) -> dict | str | None:
    if isinstance(value, datetime):
        zone = tzid if is_zone(tzid) else getattr(value.tzinfo, "key", None)
        # A floating time (no zone at all) is local time at the place, like a naive time in markup.
        return {"@type": "QDateTime", "@value": value.isoformat(), "timezone": zone,
                "exact": value.tzinfo is not None}
    if isinstance(value, date):
        return value.isoformat()  # an all-day event: that date, time of day unknown
    return None
