"""One vendor's month as the streams fold into it: marks of tracked reservations, changes, the closing.

The row (table ``vendor_months``) keeps counts and histograms only; what each reservation contributed (its
mark, the change IDs applied, its latest delay, whether it was cancelled or diverted) is its fact (table
``vendor_facts``, key "<row key>|r|<reservation ID>"), and each traveller seen is "<row key>|u|<user ID>".
A replayed mark or change finds its fact and counts nothing; a later delay replaces the earlier one.
"""

from __future__ import annotations

from domain.reports import histogram
from domain.reports.vendor_keys import month_end, split_key

SEVERITIES = ("info", "major", "critical")


def new_row(key: str) -> dict:
    kind, vendor, month = split_key(key)
    return {"key": key, "kind": kind, "vendor": vendor, "month": month, "provider": None,
            "reservations": 0, "travellers": 0,
            "changes": {"total": 0, "by_kind": {}, "by_severity": dict.fromkeys(SEVERITIES, 0)},
            "delays": {}, "cancellations": 0, "diversions": 0, "freshness": {},
            "closed": False, "dirty": True, "published_at": None}


def new_fact() -> dict:
    return {"marked": False, "changes": [], "delay": None, "delay_at": None, "cancelled": False,
            "diverted": False}


def mark(row: dict, fact: dict, traveller_known: bool, provider: str | None) -> bool:
    """Count a tracked reservation (``fact`` is its own) once; True when ``fact`` changed and must be kept."""
    if fact["marked"]:
        return False
    fact["marked"] = True
    row["reservations"] += 1
    row["travellers"] += 0 if traveller_known else 1
    row["provider"] = provider or row["provider"]
    row["dirty"] = True
    return True


def apply_change(row: dict, fact: dict, change: dict) -> bool:
    """Fold a change (domain/reports/vendor_changes.py message) in once; False for one already counted."""
    if change["change_id"] in fact["changes"]:
        return False
    fact["changes"].append(change["change_id"])
    counts = row["changes"]
    counts["total"] += 1
    counts["by_severity"][change["severity"]] = counts["by_severity"].get(change["severity"], 0) + 1
    for kind in change["kinds"]:
        counts["by_kind"][kind] = counts["by_kind"].get(kind, 0) + 1
    if change.get("freshness_s") is not None:
        histogram.add(row["freshness"], max(0.0, change["freshness_s"]))
    _delay(row, fact, change)
    for flag, count in (("cancelled", "cancellations"), ("diverted", "diversions")):
        if change.get(flag) and not fact[flag]:
            fact[flag] = True
            row[count] += 1
    row["provider"] = change.get("provider") or row["provider"]
    row["dirty"] = True
    return True


def _delay(row: dict, fact: dict, change: dict) -> None:
    """A reservation's delay is its latest one: the earlier reading leaves the histogram."""
    minutes = change.get("delay_minutes")
    if minutes is None or (fact["delay_at"] is not None and change["detected_at"] < fact["delay_at"]):
        return
    if fact["delay"]:
        histogram.add(row["delays"], fact["delay"], -1)
    if minutes:
        histogram.add(row["delays"], minutes)
    fact["delay"], fact["delay_at"] = minutes, change["detected_at"]


def closes_at(month: str, grace_s: float) -> float:
    """When a month closes: its end in UTC plus the grace period for changes still on their way."""
    return month_end(month) + grace_s


def accepts(row: dict | None, month: str, now: float, grace_s: float) -> bool:
    """Whether an input for ``month`` may still count: the row is open and the month has not closed."""
    return not (row is not None and row["closed"]) and now < closes_at(month, grace_s)


def due(row: dict, now: float, grace_s: float, publish_s: float) -> str | None:
    """What the timer asks the agent for: "close", "publish" (a change held back by the throttle), or None."""
    if row["closed"]:
        return None
    if now >= closes_at(row["month"], grace_s):
        return "close"
    if row["dirty"] and (row["published_at"] is None or now - row["published_at"] >= publish_s):
        return "publish"
    return None


def publishable(row: dict, now: float, publish_s: float) -> bool:
    """Open rows are published at most every ``publish_s`` seconds; the timer sends what was held back."""
    return row["published_at"] is None or now - row["published_at"] >= publish_s
