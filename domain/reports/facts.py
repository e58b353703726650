"""What one reservation, trip or tracked change contributes to a traveller's year: small, absolute facts.

A fact replaces the one its source contributed before, so an edit, a cancellation or a replayed event never
counts twice, and a deletion takes the source's fact away whole. Facts keep only what the summary reads:

- flight ``{kind, status, dep, arr, from, to, airline, latest_dep}``: ``dep``/``arr`` the scheduled UTC
  instants (the reservation's start and end), ``latest_dep`` the latest departure tracking heard of (UTC,
  actual before estimated) or null;
- hotel and car ``{kind, status, start, end, zone}``: local times with their offset, as the API writes them,
  and the zone of the place (the local dates are the dates slept or rented);
- trip ``{kind, id, name, start, end}``: local times at each end.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.common.timestamps import utc_iso

KINDS = ("flight", "hotel", "car")
# The API takes any times from 1900 to 2200: a stay, rental or trip counts for at most its first 400 days, and
# a flight for two, so that one absurd booking is not filed under three centuries, each of whose figures every
# later event of its traveller would recompute.
LONGEST = {"flight": timedelta(days=2), "stay": timedelta(days=400)}
# Every zone is within a day of UTC: a fact filed under each UTC year its span touches, padded by a day, is
# found under UTC year Y whenever it counts in year Y on any traveller's clock (the summary reads Y and Y-1).
_PAD = timedelta(days=1)


def reservation_fact(reservation: dict | None) -> dict | None:
    """The fact of a reservation as the API shows it; None for a deleted (None) or unreadable one."""
    if not reservation or reservation.get("type") not in KINDS:
        return None
    kind, status = reservation["type"], reservation.get("status", "confirmed")
    if kind == "flight":
        flight = reservation.get("flight") or {}
        arr = _clipped(reservation["start"], reservation["end"], LONGEST["flight"])
        return {"kind": kind, "status": status, "dep": _utc(reservation["start"]), "arr": _utc(arr),
                "from": flight.get("from"), "to": flight.get("to"), "airline": flight.get("airline"),
                "latest_dep": None}
    return {"kind": kind, "status": status, "start": reservation["start"],
            "end": _clipped(reservation["start"], reservation["end"], LONGEST["stay"]),
            "zone": reservation.get("start_time_zone")}


def trip_fact(trip_id: str, trip: dict | None) -> dict | None:
    """The fact of a trip as trip-events shows it; None for a deleted trip or one with no time yet."""
    if not trip or not trip.get("start") or not trip.get("end"):
        return None
    return {"kind": "trip", "id": trip_id, "name": trip.get("name"), "start": trip["start"],
            "end": _clipped(trip["start"], trip["end"], LONGEST["stay"])}


def departure_news(change: dict) -> dict | None:
    """The departure a tracked change reports: ``{utc, actual, at}`` (``at`` when tracking heard it), or None.

    An actual departure is preferred to an estimate in the same change; see ``latest_departure``.
    """
    paths = {item.get("path"): item.get("new") for item in change.get("changes") or ()}
    for path, actual in (("departure.actual", True), ("departure.estimated", False)):
        value = paths.get(path)
        if isinstance(value, dict) and value.get("utc"):
            return {"utc": _utc(value["utc"]), "actual": actual, "at": change.get("detected_at") or ""}
    return None


def latest_departure(known: dict | None, news: dict) -> dict:
    """The departure to keep: the later news wins, except that an estimate never replaces an actual time."""
    if known is None:
        return news
    return news if (news["actual"], news["at"]) >= (known["actual"], known["at"]) else known


def with_departure(fact: dict | None, departure: dict | None) -> dict | None:
    """A flight's fact with the latest departure tracking heard of (other facts as they are)."""
    if fact is None or fact["kind"] != "flight":
        return fact
    return {**fact, "latest_dep": departure["utc"] if departure else None}


def utc_years(fact: dict | None) -> list[int]:
    """The UTC years a fact is filed under (see _PAD); none for no fact."""
    if fact is None:
        return []
    if fact["kind"] == "flight":
        instants = [fact["dep"], fact["arr"], *([fact["latest_dep"]] if fact.get("latest_dep") else [])]
    else:
        instants = [fact["start"], fact["end"]]
    moments = [datetime.fromisoformat(text).astimezone(UTC) for text in instants]
    first, last = (min(moments) - _PAD).year, (max(moments) + _PAD).year
    return list(range(first, last + 1))


def _clipped(start: str, end: str, longest: timedelta) -> str:
    """``end``, or the moment ``longest`` after ``start`` (in the start's offset) when it is later."""
    latest = datetime.fromisoformat(start) + longest
    return latest.isoformat() if datetime.fromisoformat(end) > latest else end


def _utc(text: str) -> str:
    return utc_iso(datetime.fromisoformat(text))
