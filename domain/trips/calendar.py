"""iCalendar feeds of reservations: one event each, in the zones where it starts and ends, for calendar apps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import icalendar

from domain.common.places import zone_info
from domain.common.timestamps import to_utc
from domain.trips.sharing import PUBLIC_DETAILS, PUBLIC_RESERVATION_FIELDS

PRODID = "-//Road Warrior//Trips//EN"
UID_DOMAIN = "roadwarrior.example"
STATUS = {"cancelled": "CANCELLED", "pending": "TENTATIVE", "hold": "TENTATIVE"}  # else CONFIRMED
# What an event is built from in a shared trip's feed: the public page's whitelist, and what names the event.
SHARED_FIELDS = (*PUBLIC_RESERVATION_FIELDS, "id", "version", "updated_at")
REFRESH = timedelta(hours=1)  # how often calendar apps should fetch the feed again


def feed(reservations: Iterable[Mapping], now: datetime, *, name: str = "Road Warrior",
         trip_names: Mapping[str, str] | None = None, tracked: Mapping[str, Mapping] | None = None,
         shared: bool = False) -> bytes:
    """The iCalendar document (RFC 5545) of ``reservations``: what a feed URL answers.

    ``reservations`` are as the API shows them (deletion tombstones are skipped); ``trip_names`` maps a
    reservation ID to its trip's name, ``tracked`` to its tracking record (domain/tracking/state.py), for the
    provider's latest status. ``shared`` is a shared trip's feed for its followers: each event is built only
    from the fields the public page shows (domain/trips/sharing.py), so no confirmation code, traveller or
    price reaches it, nor any field added to reservations later.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    kept = [r for r in reservations if not r.get("deleted") and r.get("start") and r.get("end")]
    names, tracking = trip_names or {}, tracked or {}
    for reservation in sorted(kept, key=lambda r: (to_utc(r["start"]), r["id"])):
        visible = _shared(reservation) if shared else reservation
        calendar.add_component(event(visible, now, names.get(reservation["id"]), tracking.get(reservation["id"])))
    if kept:
        first, last = _span(kept)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def event(reservation: Mapping, now: datetime, trip_name: str | None = None,
          tracked: Mapping | None = None) -> icalendar.Event:
    """One reservation as a VEVENT: a stable UID, SEQUENCE from its version, times in their own zones."""
    item = icalendar.Event()
    item.add("uid", f"{reservation['id']}@{UID_DOMAIN}")
    # RFC 5545 starts SEQUENCE at 0; our versions start at 1 and go up by one on every change.
    item.add("sequence", max(int(reservation.get("version", 1)) - 1, 0))
    item.add("dtstamp", now)
    if reservation.get("updated_at"):
        item.add("last-modified", datetime.fromisoformat(reservation["updated_at"]))
    item.add("dtstart", _local(reservation["start"], reservation["start_time_zone"]))
    item.add("dtend", _local(reservation["end"], reservation.get("end_time_zone") or reservation["start_time_zone"]))
    item.add("status", STATUS.get(reservation.get("status"), "CONFIRMED"))
    item.add("summary", summary(reservation))
    if where := location(reservation):
        item.add("location", where)
    if text := description(reservation, trip_name, tracked):
        item.add("description", text)
    return item


def summary(reservation: Mapping) -> str:
    kind, detail = reservation.get("type"), reservation.get(reservation.get("type") or "", {})
    if kind == "flight":
        return f"Flight {detail.get('airline', '')} {detail.get('number', '')}: " \
               f"{detail.get('from', '')} → {detail.get('to', '')}"
    if kind == "hotel":
        return f"Hotel: {detail.get('name', '')}"
    return f"Car: {detail.get('company', '')}"


def location(reservation: Mapping) -> str | None:
    """Where the event starts: the departure airport, the hotel, the car's pick-up desk."""
    kind, detail = reservation.get("type"), reservation.get(reservation.get("type") or "", {})
    if kind == "flight":
        terminal = detail.get("departure_terminal")
        return f"{detail.get('from', '')}, terminal {terminal}" if terminal else detail.get("from")
    if kind == "hotel":
        return ", ".join(part for part in (detail.get("name"), detail.get("address")) if part)
    return detail.get("pickup_location") or detail.get("company")


def description(reservation: Mapping, trip_name: str | None, tracked: Mapping | None) -> str:
    lines = [f"Trip: {trip_name}"] if trip_name else []
    status = ((tracked or {}).get("snapshot") or {}).get("status")
    if status:
        lines.append(f"Latest status: {status}")
    if reservation.get("confirmation"):
        lines.append(f"Confirmation: {reservation['confirmation']}")
    if reservation.get("travellers"):
        lines.append(f"Travellers: {', '.join(reservation['travellers'])}")
    if reservation.get("notes"):
        lines.append(reservation["notes"])
    return "\n".join(lines)


def _shared(reservation: Mapping) -> dict:
    """The reservation cut down to the whitelist: a field must be named to reach a follower's calendar."""
    kept = {name: reservation[name] for name in SHARED_FIELDS if name in reservation}
    kind = reservation.get("type")
    if kind in PUBLIC_DETAILS and isinstance(reservation.get(kind), Mapping):
        kept[kind] = {name: reservation[kind][name] for name in PUBLIC_DETAILS[kind] if name in reservation[kind]}
    return kept


def _local(moment: str, zone: str) -> datetime:
    """The instant as the clock there shows it, so the event carries that zone's TZID."""
    return datetime.fromisoformat(moment).astimezone(zone_info(zone))


def _span(reservations: list[Mapping]) -> tuple[date, date]:
    """The dates the VTIMEZONE rules must cover: a year either side is plenty and keeps them short."""
    days = [datetime.fromisoformat(r[end]).date() for r in reservations for end in ("start", "end")]
    return min(days) - timedelta(days=366), max(days) + timedelta(days=366)
