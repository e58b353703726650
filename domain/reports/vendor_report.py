"""The vendor report for a month: rows from every vendor-month, sorted, and flattened for CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from domain.reports.vendor_api import report_row
from domain.reports.vendor_keys import api_key

# The CSV's columns, nested objects flattened with "_" (the Parquet export names them the same way).
COLUMNS = ("kind", "vendor", "month", "provider", "reservations", "travellers", "changes_total",
           "changes_by_severity_info", "changes_by_severity_major", "changes_by_severity_critical",
           "changes_per_reservation", "delay_minutes_p50", "delay_minutes_p90", "delay_minutes_max",
           "cancellations", "diversions", "api_calls", "api_errors", "api_error_rate", "api_latency_ms_p50",
           "api_latency_ms_p99", "freshness_s_p50", "freshness_s_p99", "closed", "changes_by_kind")
SORTABLE = ("vendor", "kind", "reservations", "travellers", "changes_total", "changes_per_reservation",
            "delay_minutes_p50", "delay_minutes_p90", "delay_minutes_max", "cancellations", "diversions",
            "api_error_rate", "api_latency_ms_p50", "api_latency_ms_p99", "freshness_s_p50", "freshness_s_p99")


def month_rows(month: str, entries: Iterable[tuple[str, dict]]) -> list[dict]:
    """Report rows of ``month`` from (key, aggregate) entries, each joined with its provider's API month."""
    entries = list(entries)
    apis = {key: value for key, value in entries if key.startswith("api/") and value.get("month") == month}
    rows = [report_row(value, apis.get(api_key(value["provider"], month)) if value.get("provider") else None)
            for key, value in entries if not key.startswith("api/") and value.get("month") == month]
    return sort_rows(rows, "vendor", descending=False)


def flat(row: dict) -> dict:
    """One row's columns: nested objects flattened, the kinds of change as "kind=n;kind=n"."""
    out: dict = {}
    for name, value in row.items():
        if name == "changes":
            out["changes_total"] = value["total"]
            out.update({f"changes_by_severity_{k}": n for k, n in value["by_severity"].items()})
            out["changes_by_kind"] = ";".join(f"{k}={n}" for k, n in sorted(value["by_kind"].items()))
        elif isinstance(value, dict):
            for inner, item in value.items():
                if isinstance(item, dict):
                    out.update({f"{name}_{inner}_{k}": v for k, v in item.items()})
                else:
                    out[f"{name}_{inner}"] = item
        else:
            out[name] = value
    return out


def sort_rows(rows: list[dict], column: str, *, descending: bool) -> list[dict]:
    """Rows by a flattened column (SORTABLE), empty values last either way, then by vendor."""
    def key(row: dict) -> tuple:
        value = flat(row).get(column)
        return (value is None, value if value is not None else 0)
    ordered = sorted(rows, key=lambda r: (r["vendor"], r["kind"]))
    ordered.sort(key=key, reverse=descending)
    if descending:   # reverse put the empty values first: they go back to the end
        ordered = [r for r in ordered if flat(r).get(column) is not None] + \
                  [r for r in ordered if flat(r).get(column) is None]
    return ordered


def to_csv(rows: list[dict]) -> str:
    """The rows as CSV with a header row; empty cells for missing figures."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
                         for k, v in flat(row).items()})
    return buffer.getvalue()
