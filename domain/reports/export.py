"""The analytics export's rows: which values of the compacted topics belong to a month, as typed flat columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
# Column types, named for pyarrow's: int64, float64, string, bool, list<string>, map<string, int64>.
INT, FLOAT, STR, BOOL, STRINGS, COUNTS = "int", "float", "str", "bool", "list<str>", "map<str,int>"


@dataclass(frozen=True)
class Export:
    """One Parquet file: the topic it reads, its columns (dotted paths into a value, flattened with ``_``),
    and whether a value belongs to the month by its ``month`` or by its ``year``."""

    file: str
    topic: str
    columns: tuple[tuple[str, str], ...]
    by_year: bool = False

    def column_names(self) -> list[str]:
        return [column_name(path) for path, _ in self.columns]


def _columns(spec: str) -> tuple[tuple[str, str], ...]:
    return tuple((path, kind) for path, kind in (item.split(":") for item in spec.split()))


TRAVEL_TRENDS = Export("travel_trends.parquet", "travel-trends", _columns(
    "origin:str destination:str month:str flights:int lead_time_days.p50:int lead_time_days.p90:int"
    " lead_time_days.mean:float updated_at:str schema_version:int"))
TRAVELLER_YEAR_STATS = Export("traveller_year_stats.parquet", "traveller-year-stats", _columns(
    "pseudonym:str year:int trips:int flights:int distance_km:int air_hours:float airports:int"
    " countries:list<str> hotel_nights:int car_rental_days:int delays.count:int delays.total_minutes:int"
    " delays.longest_minutes:int cancellations:int top_airline:str busiest_month:int longest_trip_days:int"
    " updated_at:str schema_version:int"), by_year=True)
VENDOR_MONTH_STATS = Export("vendor_month_stats.parquet", "vendor-month-stats", _columns(
    "kind:str vendor:str month:str provider:str reservations:int travellers:int changes.total:int"
    " changes.by_kind:map<str,int> changes.by_severity.info:int changes.by_severity.major:int"
    " changes.by_severity.critical:int changes_per_reservation:float delay_minutes.p50:float"
    " delay_minutes.p90:float delay_minutes.max:float cancellations:int diversions:int api.calls:int"
    " api.errors:int api.error_rate:float api.latency_ms.p50:float api.latency_ms.p99:float"
    " freshness_s.p50:float freshness_s.p99:float closed:bool updated_at:str schema_version:int"))
EXPORTS = (VENDOR_MONTH_STATS, TRAVEL_TRENDS, TRAVELLER_YEAR_STATS)


def parse_month(text: str) -> str:
    """``YYYY-MM`` as given; ValueError with a one-line reason otherwise."""
    if not MONTH.match(text or ""):
        raise ValueError(f"--month must be a month as YYYY-MM (e.g. 2026-03), not {text!r}")
    return text


def column_name(path: str) -> str:
    return path.replace(".", "_")


def belongs(export: Export, value: dict, month: str) -> bool:
    if export.by_year:
        return value.get("year") == int(month[:4])
    return value.get("month") == month


def rows(export: Export, latest: dict[str, dict], month: str) -> tuple[list[dict], list[str]]:
    """The month's rows in key order, and the keys of values that could not be read as the columns say."""
    out, skipped = [], []
    for key in sorted(latest):
        value = latest[key]
        if not isinstance(value, dict) or not belongs(export, value, month):
            continue
        try:
            out.append(flatten(export, value))
        except (TypeError, ValueError):
            skipped.append(key)
    return out, skipped


def flatten(export: Export, value: dict) -> dict:
    """One value as flat columns (``delays.count`` -> ``delays_count``); a missing field is null."""
    return {column_name(path): _typed(_lookup(value, path), kind) for path, kind in export.columns}


def _lookup(value: dict, path: str):
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _typed(value, kind: str):
    if value is None:
        return None
    if kind == INT:
        if isinstance(value, bool) or float(value) != int(value):
            raise ValueError(f"{value!r} is not a whole number")
        return int(value)
    if kind == FLOAT:
        return float(value)
    if kind == BOOL:
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not a boolean")
        return value
    if kind == STRINGS:
        return [str(item) for item in value]
    if kind == COUNTS:
        return {str(name): int(count) for name, count in value.items()}
    return str(value)
