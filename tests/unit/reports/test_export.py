"""The analytics export: month parsing, flattening, typed Parquet files that pyarrow and DuckDB read back."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from commands.export_analytics import arrow_schema, write_parquet
from domain.reports.export import (
    EXPORTS,
    TRAVEL_TRENDS,
    TRAVELLER_YEAR_STATS,
    VENDOR_MONTH_STATS,
    flatten,
    parse_month,
    rows,
)

README = Path(__file__).parents[3] / "README.md"


def trend(origin: str, destination: str, month: str, flights: int, p50: int = 10) -> dict:
    return {"schema_version": 1, "origin": origin, "destination": destination, "month": month, "flights": flights,
            "lead_time_days": {"p50": p50, "p90": p50 * 2, "mean": p50 + 0.5}, "updated_at": "2026-03-02T10:00:00Z"}


YEAR = {"schema_version": 1, "pseudonym": "ab" * 16, "year": 2026, "trips": 7, "flights": 23, "distance_km": 41234,
        "air_hours": 61.5, "airports": 9, "countries": ["DE", "FR", "US"], "hotel_nights": 31, "car_rental_days": 6,
        "delays": {"count": 3, "total_minutes": 145, "longest_minutes": 80}, "cancellations": 1,
        "top_airline": "LH", "busiest_month": 3, "longest_trip_days": None, "updated_at": "2026-03-02T10:00:00Z"}
VENDOR = {"schema_version": 1, "kind": "airline", "vendor": "LH", "month": "2026-03", "provider": "sim",
          "reservations": 120, "travellers": 80,
          "changes": {"total": 30, "by_kind": {"delay": 20, "gate": 10},
                      "by_severity": {"info": 10, "major": 15, "critical": 5}},
          "changes_per_reservation": 0.25, "delay_minutes": {"p50": 12, "p90": 48, "max": 190},
          "cancellations": 2, "diversions": 0,
          "api": {"calls": 1000, "errors": 7, "error_rate": 0.007, "latency_ms": {"p50": 80.5, "p99": 410}},
          "freshness_s": {"p50": 120, "p99": 290}, "closed": False, "updated_at": "2026-03-02T10:00:00Z"}


@pytest.mark.parametrize("text", ["2026-3", "2026-13", "2026-00", "26-03", "2026/03", "", "2026-03-01"])
def test_a_bad_month_is_refused_with_one_line(text):
    with pytest.raises(ValueError) as refused:
        parse_month(text)
    assert "YYYY-MM" in str(refused.value) and "\n" not in str(refused.value)


def test_nested_fields_become_flat_columns_and_lists_stay_lists():
    flat = flatten(TRAVELLER_YEAR_STATS, YEAR)
    assert flat["delays_count"] == 3 and flat["delays_longest_minutes"] == 80
    assert flat["countries"] == ["DE", "FR", "US"] and flat["longest_trip_days"] is None
    vendor = flatten(VENDOR_MONTH_STATS, VENDOR)
    assert vendor["api_latency_ms_p99"] == 410.0 and isinstance(vendor["api_latency_ms_p99"], float)
    assert vendor["changes_by_severity_critical"] == 5 and vendor["changes_by_kind"] == {"delay": 20, "gate": 10}
    assert list(flatten(TRAVEL_TRENDS, trend("FRA", "JFK", "2026-03", 4))) == TRAVEL_TRENDS.column_names()


def test_a_missing_field_is_null_and_unknown_fields_are_left_out():
    flat = flatten(TRAVEL_TRENDS, {"origin": "FRA", "month": "2026-03", "extra": "ignored"})
    assert flat["destination"] is None and flat["lead_time_days_p50"] is None and "extra" not in flat


def test_only_the_months_rows_and_the_years_travellers_are_kept():
    latest = {"FRA-JFK/2026-03": trend("FRA", "JFK", "2026-03", 4),
              "FRA-JFK/2026-04": trend("FRA", "JFK", "2026-04", 1)}
    kept, skipped = rows(TRAVEL_TRENDS, latest, "2026-03")
    assert [r["month"] for r in kept] == ["2026-03"] and skipped == []
    years = {"a/2026": YEAR, "a/2025": {**YEAR, "year": 2025}}
    assert [r["year"] for r in rows(TRAVELLER_YEAR_STATS, years, "2026-11")[0]] == [2026]


def test_a_value_that_does_not_fit_its_columns_is_left_out_and_named():
    latest = {"A-B/2026-03": {**trend("A", "B", "2026-03", 1), "flights": "many"},
              "A-C/2026-03": trend("A", "C", "2026-03", 2)}
    kept, skipped = rows(TRAVEL_TRENDS, latest, "2026-03")
    assert [r["destination"] for r in kept] == ["C"] and skipped == ["A-B/2026-03"]


def written(tmp_path: Path) -> dict[str, Path]:
    month = "2026-03"
    sources = {TRAVEL_TRENDS: {f"K{n}": trend(o, d, month, f) for n, (o, d, f) in
                               enumerate([("FRA", "JFK", 3), ("CDG", "JFK", 9), ("FRA", "NRT", 5)])},
               TRAVELLER_YEAR_STATS: {"x/2026": YEAR}, VENDOR_MONTH_STATS: {"airline/LH/2026-03": VENDOR}}
    return {export.file: write_parquet(export, rows(export, sources[export], month)[0], tmp_path)
            for export in EXPORTS}


def test_the_files_round_trip_through_pyarrow_with_their_types(tmp_path):
    files = written(tmp_path)
    for export in EXPORTS:
        table = pq.read_table(files[export.file])
        assert table.schema.equals(arrow_schema(export))
    years = pq.read_table(files[TRAVELLER_YEAR_STATS.file]).to_pylist()
    assert years == [flatten(TRAVELLER_YEAR_STATS, YEAR)]
    vendor = pq.read_table(files[VENDOR_MONTH_STATS.file])
    assert vendor.schema.field("changes_by_kind").type == pa.map_(pa.string(), pa.int64())
    assert vendor.schema.field("closed").type == pa.bool_()
    assert vendor.column("changes_by_kind").to_pylist() == [[("delay", 20), ("gate", 10)]]
    assert pq.read_table(files[TRAVEL_TRENDS.file]).schema.field("lead_time_days_mean").type == pa.float64()


def test_an_empty_month_still_writes_every_file_with_its_columns(tmp_path):
    for export in EXPORTS:
        table = pq.read_table(write_parquet(export, [], tmp_path))
        assert table.num_rows == 0 and table.schema.equals(arrow_schema(export))


def test_the_readmes_duckdb_query_runs_on_the_export(tmp_path):
    written(tmp_path)
    section = README.read_text().split("### Analytics for the data team", 1)[1]
    query = re.search(r"```sql\n(.*?)```", section, re.S).group(1)
    assert len(query.strip().splitlines()) == 3
    answer = duckdb.sql(query.replace("'out/", f"'{tmp_path}/")).fetchall()
    assert answer == [("CDG", "JFK", 9, 10), ("FRA", "NRT", 5, 10), ("FRA", "JFK", 3, 10)]


def test_duckdb_reads_the_lists_and_maps(tmp_path):
    files = written(tmp_path)
    countries = duckdb.sql(f"SELECT unnest(countries) FROM '{files[TRAVELLER_YEAR_STATS.file]}'").fetchall()
    assert [c for (c,) in countries] == ["DE", "FR", "US"]
    delays = duckdb.sql(f"SELECT changes_by_kind['delay'] FROM '{files[VENDOR_MONTH_STATS.file]}'").fetchall()
    assert delays == [(20,)]
