"""The travel-trends tables: what each reservation last added, and the aggregate per route and month.

trend-facts is keyed by reservation ID (written in reservation-events' partition), travel-trends by
``<origin>-<destination>/<YYYY-MM>`` (written in travel-trend-deltas' partition). A fact is ~200 bytes; an
aggregate holds a lead-time histogram of at most 731 whole days and one offset per source partition.
"""

from faust_app import app

trend_facts = app.Table(
    "trend-facts",
    key_type=str,
    help=("reservation ID -> {version, event_id, origin, deleted, contribution, previous} (domain/reports/trends.py)"
          " written by record_trend_facts"),
)

travel_trends = app.Table(
    "travel-trends",
    key_type=str,
    help=("<O>-<D>/<YYYY-MM> -> {flights, lead_days, lead_minutes, seen, updated_at} (domain/reports/trends.py)"
          " written by aggregate_travel_trends"),
)
