"""A history entry read as lines a traveller understands: which field, its old and new value, times in the place.

Pure: the words themselves are the templates' (gettext); this decides what each line says. A line is
``{"field", "kind", "old", "new", "with_date"}``: ``field`` names the label ("departure.gate",
"hotel.check_in", "verification"), ``kind`` is "time" (old/new are ``{"utc", "zone"}``), "status" (old/new
are status words the template translates) or "text"; ``with_date`` says a time moved to another local day.
"""

from __future__ import annotations

from domain.tracking.diff import PLAN

# Every path tracking can report, in the order the diff walks them, plus the provider's trust in the booking.
KNOWN = {path for kind in PLAN.values() for _, fields in kind for _, path, _ in fields} | {"verification"}
STATUS_FIELDS = {"status", "verification"}
# Hotel snapshots name their stays at the top level: the label needs the reservation's type to say "check-in".
HOTEL_TIMES = {"check_in", "check_out"}


def change_lines(entry: dict, reservation_type: str | None = None) -> list[dict]:
    """The entry's changes as lines, in the order tracking found them; unknown fields read as plain text."""
    return [line for item in entry.get("changes") or () if (line := _line(item, reservation_type))]


def _line(item: dict, reservation_type: str | None) -> dict | None:
    path = item.get("path")
    if not isinstance(path, str) or not path:
        return None
    old, new = item.get("old"), item.get("new")
    field = path if path in KNOWN else "other"
    if path in HOTEL_TIMES and reservation_type in (None, "hotel"):
        field = f"hotel.{path}"
    if _is_time(old) or _is_time(new):
        return {"field": field, "path": path, "kind": "time", "old": _time(old), "new": _time(new),
                "with_date": _day(old) != _day(new)}
    kind = "status" if path in STATUS_FIELDS else "text"
    return {"field": field, "path": path, "kind": kind, "old": _text(old), "new": _text(new), "with_date": False}


def _is_time(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("utc"), str)


def _time(value: object) -> dict | None:
    if not _is_time(value):
        return None
    return {"utc": value["utc"], "zone": value.get("zone") or None}


def _day(value: object) -> str | None:
    """The local calendar day a time falls on, as the provider gave it (its wall clock)."""
    if not _is_time(value):
        return None
    local = value.get("local")
    return local[:10] if isinstance(local, str) else value["utc"][:10]


def _text(value: object) -> str | None:
    """A value as the traveller reads it: lists joined, empty as nothing, never a Python repr of a dict."""
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v not in (None, "")) or None
    return str(value)
