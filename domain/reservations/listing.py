"""Listing a user's reservations: filters, newest trip first, opaque cursors."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from domain.common.errors import FieldErrors
from domain.common.paging import cursor_of, parse_paging
from domain.common.places import FIRST_YEAR, LAST_YEAR, OutOfRange
from domain.common.timestamps import to_utc
from domain.reservations.fields import STATUSES, TYPES

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def parse_query(query: dict) -> dict:
    """Validated listing filters from the query string; raises ValidationError."""
    errors = FieldErrors()
    for name in sorted(set(query) - {"status", "type", "from", "to", "cursor", "limit"}):
        errors.add(name, "unknown query parameter")
    out: dict = {}
    # An empty parameter (?status=&type=, as a form sends it) means no filter, like a missing one.
    if query.get("status") and query["status"] not in STATUSES:
        errors.add("status", f"must be one of {', '.join(STATUSES)}")
    if query.get("type") and query["type"] not in TYPES:
        errors.add("type", f"must be one of {', '.join(TYPES)}")
    out.update({k: query[k] for k in ("status", "type") if query.get(k)})
    for name in ("from", "to"):
        if query.get(name):
            try:
                out[name] = _instant(query[name], end_of_day=name == "to")
            except OutOfRange as exc:
                errors.add(name, str(exc))
            except ValueError:
                errors.add(name, "must be an ISO 8601 date or date-time")
    out |= parse_paging(query, errors, default=DEFAULT_LIMIT, most=MAX_LIMIT, key=(str, str))
    errors.raise_if_any("The query has invalid parameters.")
    return out


def page(reservations: list[dict], query: dict) -> tuple[list[dict], str | None]:
    """One page of matching reservations, newest trip first, and the cursor of the next page."""
    rows = sorted(((_sort_key(r), r) for r in reservations if _matches(r, query)), reverse=True)
    if "after" in query:
        after = tuple(query["after"])
        rows = [row for row in rows if row[0] < after]
    chunk = rows[: query["limit"]]
    more = len(rows) > len(chunk)
    cursor = cursor_of(chunk[-1][0]) if more else None
    return [r for _, r in chunk], cursor


def _sort_key(reservation: dict) -> tuple[str, str]:
    return (to_utc(reservation["start"]).isoformat(), reservation["id"])


def _matches(reservation: dict, query: dict) -> bool:
    if reservation.get("deleted"):
        return False
    if any(query.get(k) and reservation.get(k) != query[k] for k in ("status", "type")):
        return False
    if "from" in query and to_utc(reservation.get("end") or reservation["start"]) < query["from"]:
        return False
    return not ("to" in query and to_utc(reservation["start"]) > query["to"])


def _instant(value: str, *, end_of_day: bool) -> datetime:
    if len(value) == 10:
        day = date.fromisoformat(value)
        return datetime.combine(_within_years(day), time.max if end_of_day else time.min, tzinfo=UTC)
    moment = _within_years(datetime.fromisoformat(value))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _within_years(moment: date) -> date:
    # Far from them, moving the bound to UTC overflows datetime; trips are never there anyway.
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise OutOfRange()
    return moment
