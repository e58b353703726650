"""schema.org reservations in either dialect (Gmail's or schema.org's) -> drafts of canonical reservations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.mail.extract.common import Unusable, as_list, first, name_of, text, type_name
from domain.mail.extract.segments import car_fields, flight_fields, hotel_fields
from domain.mail.extract.times import utc_stamp
from domain.reservations.fields import MAX_TRAVELLERS

RESERVATION_KINDS = {"FlightReservation": "flight", "LodgingReservation": "hotel", "RentalCarReservation": "car"}
BOOKED_KINDS = {
    "Flight": "flight", "LodgingBusiness": "hotel", "Hotel": "hotel", "Motel": "hotel", "Hostel": "hotel",
    "Resort": "hotel", "BedAndBreakfast": "hotel", "RentalCar": "car", "Car": "car", "Vehicle": "car",
}
# Gmail writes http://schema.org/Confirmed, schema.org https://schema.org/ReservationConfirmed.
STATUSES = {
    "confirmed": "confirmed", "cancelled": "cancelled", "canceled": "cancelled",
    "pending": "pending", "hold": "hold", "onhold": "hold",
}
MAPPERS = {"flight": flight_fields, "hotel": hotel_fields, "car": car_fields}


@dataclass(frozen=True)
class Draft:
    """Reservation fields not yet validated, with the mail's modifiedTime (UTC) to order updates by."""

    fields: dict
    modified_time: str | None


@dataclass(frozen=True)
class BookingCancellation:
    """A cancellation naming only the booking reference: it cancels every segment booked under it."""

    confirmation: str
    kind: str | None  # flight, hotel or car; None when the mail did not say
    modified_time: str | None
    message_date: str | None = None

    def matches(self, email_key: str) -> bool:
        """Whether it cancels the reservation kept under ``email_key`` (see email_extraction.email_key)."""
        confirmation, kind = email_key.split("|")[:2]
        return confirmation == self.confirmation.upper().replace(" ", "") and self.kind in (None, kind)


@dataclass
class Harvest:
    drafts: list[Draft] = field(default_factory=list)
    cancellations: list[BookingCancellation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def status_of(value: Any) -> str:
    """Our status for any dialect's reservationStatus; a reservation that says nothing is confirmed."""
    if isinstance(value, dict):  # JSON-LD {"@id": ...} or a microdata Thing
        value = value.get("@id") or value.get("name") or value.get("@type")
    name = type_name({"@type": value}).casefold().removeprefix("reservation")
    return STATUSES.get(name, "confirmed")


def read_items(items: list, harvest: Harvest) -> None:
    """Add what each top-level item (and each item of a JSON-LD @graph) books to ``harvest``."""
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("@graph"), list):
            read_items([i for i in item["@graph"] if isinstance(i, dict) and "@graph" not in i], harvest)
        elif isinstance(item, dict) and type_name(item).endswith("Reservation"):
            _read_reservation(item, harvest)
        # Any other markup (EmailMessage, Organization, ParcelDelivery...) is not a reservation: not ours.


def _read_reservation(item: dict, harvest: Harvest) -> None:
    common = _common(item)
    modified = utc_stamp(item.get("modifiedTime"))
    label = f"{type_name(item)} {common.get('confirmation') or '(no booking reference)'}"
    targets = [t for t in as_list(item.get("reservationFor")) if t]
    if not targets:
        if common["status"] == "cancelled" and common.get("confirmation"):
            kind = RESERVATION_KINDS.get(type_name(item))
            harvest.cancellations.append(BookingCancellation(common["confirmation"], kind, modified))
        else:
            harvest.skipped.append(f"{label}: nothing booked (no reservationFor)")
        return
    for target in targets:  # a reservationFor list is one segment each (KItinerary's reservationFor-array)
        kind = RESERVATION_KINDS.get(type_name(item)) or BOOKED_KINDS.get(type_name(target))
        if kind is None or not isinstance(target, dict):
            harvest.skipped.append(f"{label}: {type_name(target) or 'this'} booking is not supported")
            continue
        try:
            fields = MAPPERS[kind](item, target)
        except Unusable as exc:
            harvest.skipped.append(f"{label}: {exc}")
            continue
        provider = common.get("provider") or fields.get("provider") or _default_provider(fields)
        merged = {**fields, **common, "provider": provider}
        harvest.drafts.append(Draft({k: v for k, v in merged.items() if v is not None}, modified))


def _common(item: dict) -> dict:
    return {
        "status": status_of(item.get("reservationStatus")),
        "confirmation": text(first(item, "reservationNumber", "reservationId")),
        "travellers": travellers(item.get("underName")),
        # The company that holds the booking: the agent when there is one.
        "provider": name_of(item.get("bookingAgent")),
        "source": "email",
    }


def travellers(under_name: Any) -> list[str]:
    names: list[str] = []
    for person in as_list(under_name):
        name = name_of(person)
        if name and name not in names and len(names) < MAX_TRAVELLERS:
            names.append(name)
    return names


def _default_provider(fields: dict) -> str | None:
    return (fields.get("hotel") or {}).get("name") or (fields.get("car") or {}).get("company")
