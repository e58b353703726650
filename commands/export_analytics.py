"""`faust -A faust_app export-analytics --month YYYY-MM --out DIR`: a month of the analytics topics as Parquet.

Reads the three compacted topics to their end offsets (latest value per key, tombstones dropped) and writes
DIR/travel_trends.parquet and DIR/vendor_month_stats.parquet (rows of that month) and
DIR/traveller_year_stats.parquet (the month's year), columns typed and flattened as domain/reports/export.py
says. A month with no rows still gets its three files, with the columns. Exits 2 with one line on stderr for
a bad month or a broker it cannot reach.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from faust.cli import option

from domain.reports.export import BOOL, COUNTS, EXPORTS, FLOAT, INT, STR, STRINGS, Export, parse_month, rows
from faust_app import app, settings
from streams.compacted import BrokerUnreachable, read_tables

ARROW_TYPES = {INT: pa.int64(), FLOAT: pa.float64(), STR: pa.string(), BOOL: pa.bool_(),
               STRINGS: pa.list_(pa.string()), COUNTS: pa.map_(pa.string(), pa.int64())}


def arrow_schema(export: Export) -> pa.Schema:
    """The file's columns with their explicit types: an empty month's file has them too."""
    return pa.schema([pa.field(name, ARROW_TYPES[kind]) for name, (_, kind) in
                      zip(export.column_names(), export.columns, strict=True)])


def write_parquet(export: Export, records: list[dict], out: Path) -> Path:
    schema = arrow_schema(export)
    maps = [field.name for field in schema if pa.types.is_map(field.type)]
    # pyarrow builds a map column from (key, value) pairs.
    records = [{**r, **{m: None if r[m] is None else sorted(r[m].items()) for m in maps}} for r in records]
    path = out / export.file
    pq.write_table(pa.Table.from_pylist(records, schema=schema), path)
    return path


async def export_month(servers: list[str], prefix: str, month: str, out: Path) -> list[str]:
    """Write the month's three files; one line per file saying what it holds (and what was left out)."""
    tables = await read_tables(servers, [prefix + export.topic for export in EXPORTS])
    out.mkdir(parents=True, exist_ok=True)
    report = []
    for export in EXPORTS:
        latest = tables[prefix + export.topic]
        records, skipped = rows(export, latest or {}, month)
        path = write_parquet(export, records, out)
        note = " (the topic does not exist yet)" if latest is None else ""
        note += f" ({len(skipped)} unreadable value(s) left out)" if skipped else ""
        report.append(f"{path}: {len(records)} row(s){note}")
    return report


def broker_servers() -> list[str]:
    return [f"{url.host}:{url.port or 9092}" for url in app.conf.broker]


@app.command(option("--month", type=str, required=True, help="The month to export, as YYYY-MM."),
             option("--out", type=str, required=True, help="The directory to write the Parquet files to."))
async def export_analytics(self, month: str, out: str) -> None:
    """Write a month of the analytics topics as Parquet files (travel trends, vendor and traveller stats)."""
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)   # its connection errors would repeat our one line
    try:
        month = parse_month(month)
        report = await export_month(broker_servers(), settings.streams.topic_prefix, month, Path(out))
    except (ValueError, BrokerUnreachable) as exc:
        print(f"export-analytics: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except OSError as exc:
        print(f"export-analytics: cannot write to {out}: {exc.strerror}", file=sys.stderr)
        raise SystemExit(2) from None
    for line in report:
        print(line)

