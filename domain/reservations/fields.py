"""Validation of a reservation's fields: types, IATA airports, time zones, and times in the place's offset."""

from __future__ import annotations

import re
from datetime import UTC

from domain.common.errors import FieldErrors
from domain.common.places import OutOfRange, airport_zone, is_zone, iso, parse_local

TYPES = ("flight", "hotel", "car")
STATUSES = ("confirmed", "cancelled", "pending", "hold")
SOURCES = ("manual", "email", "provider")

TOP_FIELDS = {
    "type", "status", "confirmation", "provider", "travellers", "start", "end",
    "start_time_zone", "end_time_zone", "source", "notes", "flight", "hotel", "car",
}
SUB_FIELDS = {
    "flight": {"airline", "number", "from", "to", "departure_terminal", "departure_gate",
               "arrival_terminal", "arrival_gate", "seat"},
    "hotel": {"name", "address", "phone"},
    "car": {"company", "pickup_location", "dropoff_location"},
}
REQUIRED_DETAILS = {"flight": ("airline", "number", "from", "to"), "hotel": ("name",), "car": ("company",)}
AIRLINE = re.compile(r"^[A-Z0-9]{2}$")
FLIGHT_NUMBER = re.compile(r"^[0-9]{1,4}[A-Z]?$")
MAX_TEXT = 200
MAX_TRAVELLERS = 20


def check(fields: dict) -> dict:
    """Validate a whole reservation (after defaults and patches); return it normalised.

    Normalised means: codes upper-case, zones filled from airports, ``start``/``end`` in the place's
    own offset. Raises ValidationError listing every bad field.
    """
    errors = FieldErrors()
    out = {name: value for name, value in fields.items() if value is not None}  # null: left out
    for name in sorted(set(out) - TOP_FIELDS):
        errors.add(name, "unknown field")
    kind = out.get("type")
    if kind not in TYPES:
        errors.add("type", f"must be one of {', '.join(TYPES)}")
    if out.get("status", "confirmed") not in STATUSES:
        errors.add("status", f"must be one of {', '.join(STATUSES)}")
    if out.get("source", "manual") not in SOURCES:
        errors.add("source", f"must be one of {', '.join(SOURCES)}")
    for name in ("confirmation", "provider", "notes"):
        _text(out, name, errors, required=False, limit=2000 if name == "notes" else MAX_TEXT)
    _travellers(out, errors)
    if kind in TYPES:  # an unknown type (maybe a list, unhashable) has no details to refuse
        for other in sorted(set(SUB_FIELDS) - {kind}):
            if out.get(other) is not None:
                errors.add(other, f"not allowed on a {kind} reservation")
        _details(out, kind, errors)
        _times(out, kind, errors)
    errors.raise_if_any()
    out.setdefault("status", "confirmed")
    out.setdefault("source", "manual")
    return {k: v for k, v in out.items() if v is not None}


def _text(obj: dict, name: str, errors: FieldErrors, *, required: bool, prefix: str = "",
          limit: int = MAX_TEXT) -> None:
    value = obj.get(name)
    if value is None:
        if required:
            errors.add(prefix + name, "is required")
        return
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        errors.add(prefix + name, "must be a non-empty string")
    elif len(text) > limit:  # what is kept is the trimmed text, so that is what must fit
        errors.add(prefix + name, f"must be at most {limit} characters")
    else:
        obj[name] = text


def _travellers(out: dict, errors: FieldErrors) -> None:
    value = out.get("travellers", [])
    if not isinstance(value, list) or len(value) > MAX_TRAVELLERS:
        errors.add("travellers", f"must be a list of at most {MAX_TRAVELLERS} names")
        return
    for i, name in enumerate(value):
        if not isinstance(name, str) or not 0 < len(name.strip()) <= MAX_TEXT:
            errors.add(f"travellers[{i}]", "must be a non-empty name")
    out["travellers"] = [n.strip() for n in value if isinstance(n, str)]


def _details(out: dict, kind: str, errors: FieldErrors) -> None:
    detail = out.get(kind)
    if not isinstance(detail, dict):
        errors.add(kind, f"is required for a {kind} reservation and must be an object")
        return
    detail = dict(detail)
    out[kind] = detail
    for name in sorted(set(detail) - SUB_FIELDS[kind]):
        errors.add(f"{kind}.{name}", "unknown field")
    required = REQUIRED_DETAILS[kind]
    for name in SUB_FIELDS[kind]:
        _text(detail, name, errors, required=name in required, prefix=f"{kind}.")
    if kind == "flight":
        _flight_codes(detail, errors)
    out[kind] = {k: v for k, v in detail.items() if v is not None}


def _flight_codes(flight: dict, errors: FieldErrors) -> None:
    for name, pattern, what in (("airline", AIRLINE, "a 2-character IATA airline code"),
                                ("number", FLIGHT_NUMBER, "1-4 digits, optionally a letter")):
        if isinstance(flight.get(name), str):
            flight[name] = flight[name].upper()
            if not pattern.match(flight[name]):
                errors.add(f"flight.{name}", f"must be {what}")
    for end in ("from", "to"):
        if isinstance(flight.get(end), str):
            flight[end] = flight[end].upper()
            if airport_zone(flight[end]) is None:
                errors.add(f"flight.{end}", "must be a known IATA airport code")


def _times(out: dict, kind: str, errors: FieldErrors) -> None:
    if kind == "flight" and isinstance(out.get("flight"), dict):
        # The airports decide the zones: a flight's times belong to where it leaves and lands.
        out["start_time_zone"] = airport_zone(out["flight"].get("from", "")) or out.get("start_time_zone")
        out["end_time_zone"] = airport_zone(out["flight"].get("to", "")) or out.get("end_time_zone")
    elif out.get("end_time_zone") is None:
        out["end_time_zone"] = out.get("start_time_zone")
    moments = {}
    for end in ("start", "end"):
        zone = out.get(f"{end}_time_zone")
        if not is_zone(zone):
            if kind != "flight" or zone is not None:
                errors.add(f"{end}_time_zone", "must be an IANA time zone such as Europe/Paris")
            continue
        if out.get(end) is None:
            errors.add(end, "is required")
            continue
        try:
            moments[end] = parse_local(out[end], zone)
        except OutOfRange as exc:
            errors.add(end, str(exc))
            continue
        except (ValueError, TypeError):
            errors.add(end, "must be an ISO 8601 date-time")
            continue
        out[end] = iso(moments[end])
    # In UTC: two times in one ZoneInfo compare by wall clock, which runs backwards in an autumn fold.
    if len(moments) == 2 and moments["end"].astimezone(UTC) < moments["start"].astimezone(UTC):
        errors.add("end", "must not be before start")
