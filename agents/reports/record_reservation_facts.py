"""Each reservation's fact for its traveller's years, kept as the reservation is created, edited and deleted."""

from __future__ import annotations

from faust.types import EventT

from agents.reports.facts_io import replace
from domain.reports.facts import reservation_fact, with_departure
from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.reports import report_sources, source_key

REQUIRED = ("event_type", "reservation_id", "user_id", "version", "reservation")


@app.agent(topics.user_reservation_events)
async def record_reservation_facts(events):
    """user-reservation-events -> report tables, traveller-year-stats: keep what each reservation counts for."""
    await process(events, "record_reservation_facts", record_one, REQUIRED, key_field="user_id")


async def record_one(event: EventT, change: dict) -> None:
    source = f"r:{change['reservation_id']}"
    known = report_sources.get(source_key(event.key, source))
    # Versions only move forward (a deletion's is the last + 1), as in the reservations index: a replayed
    # older event is dropped, and a deletion leaves a tombstone (fact null) that a replayed create cannot undo.
    if known is not None and known["version"] >= change["version"]:
        return
    departure = (known or {}).get("departure")
    fact = with_departure(reservation_fact(change["reservation"]), departure)
    await replace(event.key, source, known, {"version": change["version"], "fact": fact, "departure": departure})
