"""A reservation's change history: changes appended once each (by change ID), read newest first in pages.

A history is ``{"user_id", "next_seq", "items": [entry, ...]}`` oldest first; an entry is the change event
without its routing fields, plus ``seq`` (1, 2, 3 ... per reservation), which the page cursor names.
"""

from __future__ import annotations

from domain.common.errors import ValidationError
from domain.common.numbers import query_int

MAX_ITEMS = 500          # the oldest go first: a reservation changing more than this is an outlier
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_KEPT = ("change_id", "severity", "changes", "detected_at", "provider_changed_at", "source", "provider")


def append(history: dict | None, change: dict) -> dict | None:
    """The history with ``change`` added; None when it already holds that change ID (a replay)."""
    history = history or {"user_id": change["user_id"], "next_seq": 1, "items": []}
    if any(item["change_id"] == change["change_id"] for item in history["items"]):
        return None
    entry = {"seq": history["next_seq"], **{k: change.get(k) for k in _KEPT}}
    return {**history, "next_seq": history["next_seq"] + 1, "items": (history["items"] + [entry])[-MAX_ITEMS:]}


def page(history: dict | None, cursor: str | None, limit: str | None) -> tuple[list[dict], str | None]:
    """(entries newest first, the cursor for the next page or None); ValidationError for a bad query."""
    size = query_int(limit, "limit", DEFAULT_LIMIT)
    if not 1 <= size <= MAX_LIMIT:
        raise ValidationError("Bad query.", [{"field": "limit", "message": f"must be 1 to {MAX_LIMIT}"}])
    before = query_int(cursor, "cursor", None)
    items = [item for item in reversed((history or {}).get("items", ()))
             if before is None or item["seq"] < before]
    shown = items[:size]
    return shown, (str(shown[-1]["seq"]) if len(items) > size else None)

