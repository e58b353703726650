"""One booked thing (a Flight, a LodgingBusiness, a rental Car) in schema.org markup -> reservation fields."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from domain.common.places import airport, airport_zone, iso
from domain.mail.extract.common import Unusable, first, name_of, text
from domain.mail.extract.times import agrees, localise, parse_moment, roll_forward
from domain.mail.extract.zones import place_zone

# "UA110", "UA 110", "UA-0110"; the two-character designator holds at least one letter, so "110" is no airline.
DESIGNATOR = re.compile(r"^([A-Z][A-Z0-9]|[0-9][A-Z])\s*-?\s*0*(\d{1,4}[A-Z]?)$")
NUMBER = re.compile(r"^0*(\d{1,4}[A-Z]?)$")


def flight_fields(res: dict, flight: dict) -> dict:
    airline, number = _designator(flight)
    origin = _iata(flight.get("departureAirport"))
    destination = _iata(flight.get("arrivalAirport"))
    label = f"flight {airline}{number}"
    if not origin or not destination:
        raise Unusable(f"{label}: departure or arrival airport has no known IATA code")
    start = _at_airport(flight.get("departureTime"), origin, f"{label}: no departure time")
    end = roll_forward(start, _at_airport(flight.get("arrivalTime"), destination, f"{label}: no arrival time"))
    details = {
        "airline": airline, "number": number, "from": origin, "to": destination,
        "departure_terminal": text(flight.get("departureTerminal")),
        "departure_gate": text(flight.get("departureGate")),
        "arrival_terminal": text(flight.get("arrivalTerminal")),
        "arrival_gate": text(flight.get("arrivalGate")),
        "seat": _seat(res),
    }
    return {
        "type": "flight", "start": iso(start), "end": iso(end),
        "start_time_zone": airport_zone(origin), "end_time_zone": airport_zone(destination),
        "flight": {k: v for k, v in details.items() if v is not None},
        "provider": name_of(first(flight, "airline", "seller", "provider")),
    }


def hotel_fields(res: dict, lodging: dict) -> dict:
    name = name_of(lodging)
    if not name:
        raise Unusable("hotel without a name")
    place = lodging.get("address") or lodging
    label = f"hotel {name}"
    start, start_zone = _at_place(first(res, "checkinTime", "checkinDate"), place, label, "check-in time")
    end, end_zone = _at_place(first(res, "checkoutTime", "checkoutDate"), place, label, "check-out time")
    details = {"name": name, "address": address_text(lodging.get("address")), "phone": text(lodging.get("telephone"))}
    return {
        "type": "hotel", "start": iso(start), "end": iso(end), "start_time_zone": start_zone,
        "end_time_zone": end_zone, "hotel": {k: v for k, v in details.items() if v is not None},
    }


def car_fields(res: dict, car: dict) -> dict:
    # Gmail puts the company on the car (rentalCompany); schema.org on the reservation (provider).
    company = name_of(first(car, "rentalCompany", "provider")) or name_of(res.get("provider"))
    if not company:
        raise Unusable("rental car without a rental company")
    pickup, dropoff = res.get("pickupLocation"), res.get("dropoffLocation") or res.get("pickupLocation")
    label = f"car from {company}"
    start, start_zone = _at_place(res.get("pickupTime"), pickup, label, "pickup time")
    end, end_zone = _at_place(res.get("dropoffTime"), dropoff, label, "drop-off time")
    details = {"company": company, "pickup_location": _place_text(pickup),
               "dropoff_location": _place_text(res.get("dropoffLocation"))}
    return {
        "type": "car", "start": iso(start), "end": iso(end), "start_time_zone": start_zone,
        "end_time_zone": end_zone, "car": {k: v for k, v in details.items() if v is not None},
    }


def _designator(flight: dict) -> tuple[str, str]:
    raw = (text(flight.get("flightNumber")) or "").upper()
    match = DESIGNATOR.match(raw)
    if match:
        return match[1], match[2]
    number = NUMBER.match(raw)
    carrier = first(flight, "airline", "seller", "provider")
    code = (text(carrier.get("iataCode")) or "").upper() if isinstance(carrier, dict) else ""
    if not number or not re.fullmatch(r"[A-Z0-9]{2}", code):
        raise Unusable(f"flight {raw or '?'}: no airline code and flight number")
    return code, number[1]


def _iata(node: Any) -> str | None:
    """The airport's IATA code when it is a real one; names are never guessed into codes."""
    code = node.get("iataCode") if isinstance(node, dict) else node
    code = (text(code) or "").upper()
    return code if airport(code) else None


def _at_airport(value: Any, code: str, missing: str) -> datetime:
    moment = parse_moment(value)
    if moment is None:
        raise Unusable(missing)
    # The airport decides the zone; a zone the sender named only vouches for the instant.
    return localise(moment._replace(exact=moment.exact or agrees(moment)), airport_zone(code), trust_utc=True)


def _at_place(value: Any, place: Any, label: str, what: str) -> tuple[datetime, str]:
    moment = parse_moment(value)
    if moment is None:
        raise Unusable(f"{label}: no {what}")
    # A zone named but implausible for the place vouches for nothing: its offset is dropped in localise.
    zone = place_zone(place, named=moment.zone, moment=moment.at)
    if zone is None:
        raise Unusable(f"{label}: no time zone for the place of its {what}")
    return localise(moment, zone, trust_utc=False), zone


def _seat(res: dict) -> str | None:
    ticket = res.get("reservedTicket") if isinstance(res.get("reservedTicket"), dict) else {}
    seat = ticket.get("ticketedSeat") if isinstance(ticket.get("ticketedSeat"), dict) else {}
    return text(res.get("airplaneSeat")) or text(seat.get("seatNumber"))


def address_text(address: Any) -> str | None:
    if not isinstance(address, dict):
        return text(address)
    country = address.get("addressCountry")
    country = country.get("name") if isinstance(country, dict) else country
    locality = " ".join(p for p in (text(address.get("postalCode")), text(address.get("addressLocality"))) if p)
    parts = [text(address.get("streetAddress")), locality, text(address.get("addressRegion")), text(country)]
    return text(", ".join(p for p in parts if p))


def _place_text(place: Any) -> str | None:
    if not isinstance(place, dict):
        return text(place)
    parts = [name_of(place), address_text(place.get("address"))]
    return text(", ".join(p for p in parts if p))

