"""What a shared trip's previews say of it, from its public view: its route, its dates and its local times."""

from __future__ import annotations

from datetime import datetime

from babel import Locale

from domain.notify.moments import range_text, read


def route(view: dict) -> list[str]:
    """The airports the trip's flights go through, in order: ZRH→JFK, JFK→BOS, BOS→ZRH is ZRH JFK BOS ZRH.

    An open jaw (land in JFK, fly home from BOS) lists both ends, JFK BOS; cancelled flights are left out
    unless every flight is cancelled, as the trip's own ends are.
    """
    flights = [r for r in view.get("reservations", ()) if r.get("type") == "flight" and r.get("flight")]
    flown = [r for r in flights if r.get("status") != "cancelled"] or flights
    codes: list[str] = []
    for flight in flown:
        for code in (flight["flight"].get("from"), flight["flight"].get("to")):
            if code and (not codes or codes[-1] != code):
                codes.append(code)
    return codes


def local_time(record: dict, end: str) -> datetime | None:
    """``record``'s ``end`` ("start" or "end") as an aware time on the clocks of its place (its
    ``<end>_time_zone``, else the offset it was written with); None when it is missing or unreadable."""
    moment = read(record.get(end), record.get(f"{end}_time_zone"))
    return moment if isinstance(moment, datetime) else None


def dates_text(view: dict, locale: Locale) -> str:
    """The trip's dates as one range in ``locale`` ("Tue, Jul 1 – Thu, Jul 3"), each end on its own clocks."""
    start, end = local_time(view, "start"), local_time(view, "end")
    if start is None or end is None:
        return ""
    return range_text(start, end, locale)


def description(view: dict, locale: Locale) -> str:
    """One line for link previews: the dates, then the route ("Tue, Jul 1 – Thu, Jul 3 · CDG → JFK")."""
    return " · ".join(part for part in (dates_text(view, locale), " → ".join(route(view))) if part)
