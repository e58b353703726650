"""A trip as the traveller reads it: each reservation's places, local times with day marks, and tracked status."""

from __future__ import annotations

from datetime import datetime

from domain.common.timestamps import to_utc

CANCELLED, DIVERTED, DELAYED, EARLY, GATE_CHANGED, CHANGED, ON_TIME, NOT_TRACKED = (
    "cancelled", "diverted", "delayed", "early", "gate-changed", "changed", "on-time", "not-tracked")
# A departure that moved by less than this is on time, as airlines count it.
ON_TIME_MINUTES = 5


def day_mark(start: str | None, end: str | None) -> int:
    """How many calendar days after the departure's local date the arrival's local date falls ("+1")."""
    if not start or not end:
        return 0
    return (datetime.fromisoformat(end).date() - datetime.fromisoformat(start).date()).days


def tracked_status(reservation: dict) -> dict:
    """What the traveller should see first about a reservation: {kind, minutes, gate, terminal, severity}."""
    checked = (reservation.get("tracking") or {}).get("last_checked_at")   # asked, and nothing changed
    status = {"kind": ON_TIME if reservation.get("latest_change") or checked else NOT_TRACKED, "minutes": None,
              "gate": None, "terminal": None, "severity": None, "detected_at": None}
    if reservation.get("status") == "cancelled":
        return {**status, "kind": CANCELLED, "severity": "critical"}
    change = reservation.get("latest_change")
    if not change:
        return status
    status.update(severity=change.get("severity"), detected_at=change.get("detected_at"))
    fields = {item["path"]: item["new"] for item in change.get("changes", [])}
    if str(fields.get("status", "")).lower() in ("cancelled", "canceled"):
        return {**status, "kind": CANCELLED}
    if "arrival.airport" in fields or str(fields.get("status", "")).lower() == "diverted":
        return {**status, "kind": DIVERTED}
    status["gate"], status["terminal"] = _text(fields.get("departure.gate")), _text(fields.get("departure.terminal"))
    minutes = _moved_minutes(reservation.get("start"), fields.get("departure.estimated"))
    if minutes is not None and abs(minutes) >= ON_TIME_MINUTES:
        return {**status, "kind": DELAYED if minutes > 0 else EARLY, "minutes": abs(minutes)}
    if status["gate"] or status["terminal"]:
        return {**status, "kind": GATE_CHANGED}
    return {**status, "kind": ON_TIME if minutes is not None or not fields else CHANGED}


def _moved_minutes(scheduled: str | None, estimated: object) -> int | None:
    if not scheduled or not isinstance(estimated, dict) or not estimated.get("utc"):
        return None
    return round((to_utc(estimated["utc"]) - to_utc(scheduled)).total_seconds() / 60)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
