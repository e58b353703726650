"""The trips API's input: listing filters with opaque cursors, and the bodies of trip requests, checked."""

from __future__ import annotations

from domain.common.errors import FieldErrors
from domain.common.ids import HEX_ID
from domain.common.paging import cursor_of, parse_paging
from domain.common.timestamps import to_utc
from domain.trips.ending import CURRENT, PAST, STATUSES, UPCOMING

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
DASHBOARD = (CURRENT, UPCOMING)   # no status asked: what is not over yet, and trips still empty
MAX_NAME, MAX_IDS = 200, 500


def parse_query(query: dict) -> dict:
    """Validated listing filters (status, cursor, limit); raises ValidationError listing every bad one."""
    errors = FieldErrors()
    for name in sorted(set(query) - {"status", "cursor", "limit"}):
        errors.add(name, "unknown query parameter")
    out: dict = {}
    if query.get("status"):
        if query["status"] in STATUSES:
            out["status"] = query["status"]
        else:
            errors.add("status", f"must be one of {', '.join(STATUSES)}")
    out |= parse_paging(query, errors, default=DEFAULT_LIMIT, most=MAX_LIMIT, key=(float, str))
    errors.raise_if_any("The query has invalid parameters.")
    return out


def page(trips: list[dict], query: dict) -> tuple[list[dict], str | None]:
    """One page of the trips (as domain/trips/book.py to_api shows them) and the next page's cursor.

    Past trips come most recent first; the others soonest first, then the empty ones.
    """
    wanted = query.get("status")
    chosen = [t for t in trips if t["status"] == wanted or (wanted is None and t["status"] in (*DASHBOARD, None))]
    rows = sorted(((_sort_key(t, wanted == PAST), t) for t in chosen), key=lambda row: row[0])
    if "after" in query:
        rows = [row for row in rows if row[0] > tuple(query["after"])]
    chunk = rows[: query["limit"]]
    more = len(rows) > len(chunk)
    cursor = cursor_of(chunk[-1][0]) if more else None
    return [trip for _, trip in chunk], cursor


def _sort_key(trip: dict, newest_first: bool) -> tuple[float, str]:
    if trip["start"] is None:
        return (float("inf"), trip["id"])
    seconds = to_utc(trip["start"]).timestamp()
    return (-seconds if newest_first else seconds, trip["id"])


def check_trip(body: dict, *, new: bool) -> dict:
    """A new trip (name, reservation_ids) or a change (name, private): the fields given, checked."""
    errors = FieldErrors()
    allowed = {"name", "reservation_ids"} if new else {"name", "private"}
    for name in sorted(set(body) - allowed):
        errors.add(name, "unknown field")
    out = {}
    if "name" in body:
        name = body["name"]
        if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME):
            errors.add("name", f"must be text of 1 to {MAX_NAME} characters, or null for the automatic name")
        else:
            out["name"] = name.strip() if name else None
    if "private" in body:
        if isinstance(body["private"], bool):
            out["private"] = body["private"]
        else:
            errors.add("private", "must be true or false")
    if "reservation_ids" in body:
        out["reservation_ids"] = check_ids(body["reservation_ids"], "reservation_ids", errors)
    errors.raise_if_any()
    return out


def check_ids(value: object, field: str, errors: FieldErrors | None = None) -> list[str]:
    """A list of distinct reservation or trip IDs; raises ValidationError unless ``errors`` collects it."""
    collect = errors or FieldErrors()
    if not (isinstance(value, list) and len(value) <= MAX_IDS
            and all(isinstance(i, str) and HEX_ID.fullmatch(i) for i in value) and len(set(value)) == len(value)):
        collect.add(field, f"must be a list of at most {MAX_IDS} distinct IDs (32 hex digits)")
        value = []
    if errors is None:
        collect.raise_if_any()
    return list(value)


def check_id(body: dict, field: str) -> str:
    """The one ID a body names in ``field``; raises ValidationError otherwise."""
    value = body.get(field)
    if not isinstance(value, str) or not HEX_ID.fullmatch(value):
        errors = FieldErrors()
        errors.add(field, "must be an ID (32 hex digits)")
        errors.raise_if_any()
    return value
