"""A reservation-changes event read for the vendor report: its vendor-month, kinds, delay, freshness.

A delay is the departure's latest reading (actual, else estimated) minus its scheduled time: the change's
own scheduled time when it moved, else the one tracking kept (the caller passes it). A cancellation is a
status that became "cancelled"; a diversion a status that became "diverted" or an arrival airport that
moved. The month is the one the change was detected in, so a late-arriving change counts where it happened.
"""

from __future__ import annotations

from datetime import datetime

from domain.reports.vendor_keys import month_of, row_key, vendor_of
from domain.tracking.observe import freshness_s

TIMES = ("scheduled", "estimated", "actual", "time", "check_in", "check_out")
PLACES = ("airport", "location")


def kind_of(path: str) -> str:
    """The report's kind of one changed field: status, time, gate, terminal, place, verification or other."""
    leaf = path.rsplit(".", 1)[-1]
    if leaf in TIMES:
        return "time"
    if leaf in PLACES:
        return "place"
    return leaf if leaf in ("status", "gate", "terminal", "verification") else "other"


def vendor_input(change: dict, scheduled_utc: str | None) -> tuple[str, dict] | None:
    """(row key, the vendor-report-inputs message) for a change; None for a subject with no vendor."""
    vendor = vendor_of(change.get("subject", ""))
    if vendor is None:
        return None
    items = change["changes"]
    news = {item["path"]: item.get("new") for item in items}
    message = {
        "kind": "change", "change_id": change["change_id"], "reservation_id": change["reservation_id"],
        "user_id": change["user_id"], "provider": change.get("provider"), "severity": change["severity"],
        "kinds": sorted({kind_of(item["path"]) for item in items}), "detected_at": change["detected_at"],
        "freshness_s": freshness_s(change),
        "delay_minutes": delay_minutes(news, scheduled_utc) if vendor[0] == "airline" else None,
        "cancelled": news.get("status") == "cancelled",
        "diverted": news.get("status") == "diverted" or _moved(items, "arrival.airport"),
    }
    return row_key(*vendor, month_of(change["detected_at"])), message


def delay_minutes(news: dict, scheduled_utc: str | None) -> int | None:
    """Minutes the departure is now late (0 when on time or early); None when the change says no departure time."""
    latest = _utc(news.get("departure.actual")) or _utc(news.get("departure.estimated"))
    scheduled = _utc(news.get("departure.scheduled")) or scheduled_utc
    if latest is None or scheduled is None:
        return None
    seconds = (_instant(latest) - _instant(scheduled)).total_seconds()
    return max(0, round(seconds / 60))


def _moved(items: list[dict], path: str) -> bool:
    return any(item["path"] == path and item.get("old") not in (None, "") for item in items)


def _utc(value: object) -> str | None:
    if isinstance(value, dict):
        return value.get("utc")
    return None


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
