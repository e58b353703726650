"""Each trip's fact (name, first and last day) for its traveller's years, kept as trips change."""

from __future__ import annotations

from faust.types import EventT

from agents.reports.facts_io import publish, replace
from domain.reports.facts import trip_fact
from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.reports import report_sources, source_key

REQUIRED = ("event_id", "event_type", "trip_id", "user_id", "version", "trip")


@app.agent(topics.trip_events)
async def record_trip_facts(events):
    """trip-events -> report tables, traveller-year-stats: keep what each trip counts for."""
    await process(events, "record_trip_facts", record_one, REQUIRED, key_field="user_id")


async def record_one(event: EventT, change: dict) -> None:
    source = f"t:{change['trip_id']}"
    known = report_sources.get(source_key(event.key, source))
    # A trip ID comes back at version 1 after its deletion (automatic trips are named after their first
    # reservation): after a tombstone any version is news; otherwise only a higher one.
    if known is not None and known["fact"] is not None and known["version"] >= change["version"]:
        return
    if known is not None and known.get("event_id") == change["event_id"]:
        return   # the same event again
    entry = {"version": change["version"], "event_id": change["event_id"],
             "fact": trip_fact(change["trip_id"], change["trip"])}
    await replace(event.key, source, known, entry)
    if change["event_type"] == "trip.completed":
        # Nothing of the trip changed, but its flights are flown now: the year's figures may have moved.
        await publish(event.key, entry_years(event.key, source))


def entry_years(user_id: str, source: str) -> list[int]:
    return report_sources[source_key(user_id, source)]["years"]
