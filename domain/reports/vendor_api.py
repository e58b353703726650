"""A provider's month of API calls, from the pollers' summaries, and the vendor report row that joins it.

A summary (topic ``provider-call-stats``) is one worker's few seconds of calls to one provider: calls,
errors by kind and a latency histogram (domain/reports/histogram.py). Each has an ID fixed when it was
made; the last IDs are kept so a redelivered summary counts once.
"""

from __future__ import annotations

from domain.reports import histogram
from domain.reports.vendor_keys import split_key

RECENT = 1000   # summaries remembered per provider-month: hours of every worker's summaries


def new_api(key: str) -> dict:
    _, provider, month = split_key(key)
    return {"key": key, "provider": provider, "month": month, "calls": 0, "errors": {}, "latency": {},
            "recent": [], "closed": False, "dirty": True, "published_at": None}


def apply_summary(api: dict, summary: dict) -> bool:
    """Add a summary once; False for one already counted."""
    if summary["summary_id"] in api["recent"]:
        return False
    api["recent"] = [*api["recent"][-(RECENT - 1):], summary["summary_id"]]
    api["calls"] += int(summary["calls"])
    for kind, n in summary["errors"].items():
        api["errors"][kind] = api["errors"].get(kind, 0) + int(n)
    histogram.merge(api["latency"], summary["latency_ms"])
    api["dirty"] = True
    return True


def api_figures(api: dict | None) -> dict:
    """The row's ``api`` object: calls, errors, error rate and latency percentiles (zeros when never called)."""
    if api is None:
        return {"calls": 0, "errors": 0, "error_rate": None, "latency_ms": {"p50": None, "p99": None}}
    errors = sum(api["errors"].values())
    return {"calls": api["calls"], "errors": errors,
            "error_rate": round(errors / api["calls"], 4) if api["calls"] else None,
            "latency_ms": {"p50": histogram.percentile(api["latency"], 50),
                           "p99": histogram.percentile(api["latency"], 99)}}


def report_row(row: dict, api: dict | None) -> dict:
    """The vendor report row (the issue's contract) of a vendor-month and its provider's API month."""
    reservations, changes = row["reservations"], row["changes"]
    return {
        "kind": row["kind"], "vendor": row["vendor"], "month": row["month"], "provider": row["provider"],
        "reservations": reservations, "travellers": row["travellers"],
        "changes": {"total": changes["total"], "by_kind": dict(sorted(changes["by_kind"].items())),
                    "by_severity": dict(changes["by_severity"])},
        "changes_per_reservation": round(changes["total"] / reservations, 3) if reservations else None,
        "delay_minutes": {"p50": histogram.percentile(row["delays"], 50),
                          "p90": histogram.percentile(row["delays"], 90), "max": histogram.maximum(row["delays"])},
        "cancellations": row["cancellations"], "diversions": row["diversions"], "api": api_figures(api),
        "freshness_s": {"p50": histogram.percentile(row["freshness"], 50),
                        "p99": histogram.percentile(row["freshness"], 99)},
        "closed": row["closed"],
    }


def stats_value(row: dict, api: dict | None, updated_at: str) -> dict:
    """The ``vendor-month-stats`` value (schemas/vendor-month-stats.json)."""
    return {"schema_version": 1, **report_row(row, api), "updated_at": updated_at}
