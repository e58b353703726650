"""A user's notification feed: entries numbered in the order they last changed, read marks, pages and catch-up.

A feed is ``{"next_seq": n, "items": [entry, ...]}`` oldest first. Each entry's ``seq`` is the SSE event
ID: an entry updated in place (a burst still being gathered) moves to a new ``seq``, so a stream that
resumes from its last event ID gets the latest words. Read marks are ``{"before": seq, "ids": [...]}``:
everything up to ``before`` and the entries named in ``ids`` are read.
"""

from __future__ import annotations

from domain.common.errors import ValidationError
from domain.common.numbers import query_int, whole_number

MAX_ITEMS = 100
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SHOWN = ("id", "seq", "reservation_id", "change_ids", "severity", "title", "summary", "locale",
         "created_at", "updated_at", "expires_at")
WORDS = ("severity", "title", "summary", "locale", "change_ids")


def entry_of(notification: dict) -> dict:
    """The feed's copy of a web notification (Notification.to_dict()): no bodies, no targets."""
    return {"id": notification["notification_id"], "reservation_id": notification["reservation_id"],
            "change_ids": list(notification["change_ids"]), "severity": notification["severity"],
            "title": notification["title"], "summary": notification["summary"], "locale": notification["locale"],
            "created_at": notification["created_at"], "expires_at": notification["expires_at"]}


def upsert(feed: dict | None, entry: dict, now: str) -> tuple[dict, dict | None]:
    """The feed with ``entry`` added or updated, and the stored entry; None when nothing about it changed."""
    feed = feed or {"next_seq": 1, "items": []}
    items = feed["items"]
    old = next((item for item in items if item["id"] == entry["id"]), None)
    if old is not None and all(old.get(k) == entry.get(k) for k in WORDS):
        return feed, None  # a replay, or a change that altered nothing shown
    stored = {**entry, "seq": feed["next_seq"], "created_at": (old or entry)["created_at"], "updated_at": now}
    kept = [item for item in items if item["id"] != entry["id"]]
    return {"next_seq": feed["next_seq"] + 1, "items": (kept + [stored])[-MAX_ITEMS:]}, stored


def is_read(entry: dict, reads: dict | None) -> bool:
    reads = reads or {}
    return entry["seq"] <= reads.get("before", 0) or entry["id"] in reads.get("ids", ())


def shown(entry: dict, reads: dict | None) -> dict:
    return {**{k: entry.get(k) for k in SHOWN}, "read": is_read(entry, reads)}


def unread_count(feed: dict | None, reads: dict | None) -> int:
    return sum(not is_read(item, reads) for item in (feed or {}).get("items", ()))


def page(feed: dict | None, reads: dict | None, cursor: str | None, limit: str | None) -> tuple[list[dict], str | None]:
    """Entries newest first, before ``cursor`` (a seq), and the next page's cursor or None."""
    size = query_int(limit, "limit", DEFAULT_LIMIT)
    if not 1 <= size <= MAX_LIMIT:
        raise ValidationError("Bad query.", [{"field": "limit", "message": f"must be 1 to {MAX_LIMIT}"}])
    before = query_int(cursor, "cursor", None)
    items = [item for item in reversed((feed or {}).get("items", ())) if before is None or item["seq"] < before]
    chosen = items[:size]
    return [shown(item, reads) for item in chosen], (str(chosen[-1]["seq"]) if len(items) > size else None)


def after(feed: dict | None, reads: dict | None, seq: int) -> list[dict]:
    """Entries changed after event ID ``seq``, oldest first: what a reconnecting stream missed."""
    return [shown(item, reads) for item in (feed or {}).get("items", ()) if item["seq"] > seq]


def last_seq(feed: dict | None) -> int:
    return (feed or {}).get("next_seq", 1) - 1


def find(feed: dict | None, notification_id: str) -> dict | None:
    return next((item for item in (feed or {}).get("items", ()) if item["id"] == notification_id), None)


def mark_read(reads: dict | None, feed: dict | None, notification_id: str) -> dict:
    """Read marks with one more entry read; marks for entries gone from the feed are dropped."""
    reads = reads or {"before": 0, "ids": []}
    present = {item["id"] for item in (feed or {}).get("items", ())}
    ids = [i for i in reads.get("ids", ()) if i in present and i != notification_id]
    return {"before": reads.get("before", 0), "ids": ids + [notification_id]}


def mark_all_read(feed: dict | None, reads: dict | None = None) -> dict:
    return {"before": max(last_seq(feed), (reads or {}).get("before", 0)), "ids": []}


def parse_seq(value: str | None) -> int | None:
    """An event ID or ``after`` query value as a seq; None when absent or not a number (start live)."""
    return None if value is None else whole_number(value.strip())

