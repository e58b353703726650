"""The reports tables: what each reservation and trip last contributed to its traveller's years.

All keyed under the user ID and written in the user's partition (the three input topics are keyed by user ID
and co-partitioned), like user-reservations: one small entry per source, so a write costs the same for a
traveller with 3 reservations as for one with 3,000. Per traveller they hold, for each reservation and trip
ever seen, one source entry (~250 bytes, a tombstone once deleted), one copy of its fact per UTC year it
touches (~200 bytes, usually one year, two across New Year), and one digest per year published (~80 bytes).
A summary reads two years' facts with two prefix scans.
"""

from __future__ import annotations

from faust_app import app
from tables.prefix_scan import scan

report_sources = app.Table(
    "report-sources",
    key_type=str,
    help=("<user ID>/<r|t>:<reservation or trip ID> -> {version, fact, departure, years} (domain/reports/facts.py)"
          " written by record_reservation_facts, record_trip_facts and record_departures"),
)
report_facts = app.Table(
    "report-facts",
    key_type=str,
    help=("<user ID>/<UTC year>/<r|t>:<ID> -> the source's fact, for each UTC year it touches;"
          " written with report-sources"),
)
report_published = app.Table(
    "report-published",
    key_type=str,
    help="<user ID>/<year> -> digest of the traveller-year-stats last published for that year; written with them",
)


def source_key(user_id: str, source: str) -> str:
    return f"{user_id}/{source}"


def fact_key(user_id: str, year: int, source: str) -> str:
    return f"{user_id}/{year}/{source}"


def facts_of(user_id: str, years: range | list[int]) -> list[dict]:
    """The user's facts filed under ``years`` (UTC years), each source once."""
    kept: dict[str, dict] = {}
    for year in years:
        for key, fact in scan(report_facts, fact_key(user_id, year, "")):
            kept[key] = fact
    return list(kept.values())
