"""The latest departure tracking heard of for each flight, for the delays of its traveller's year."""

from __future__ import annotations

from faust.types import EventT

from agents.reports.facts_io import replace
from domain.reports.facts import departure_news, latest_departure, with_departure
from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.reports import report_sources, source_key

REQUIRED = ("kind", "user_id")


@app.agent(topics.user_changes)
async def record_departures(messages):
    """user-changes -> report tables, traveller-year-stats: keep each flight's latest known departure."""
    await process(messages, "record_departures", record_one, REQUIRED, key_field="user_id")


async def record_one(event: EventT, message: dict) -> None:
    if message["kind"] != "change" or "shared_by" in message["change"]:
        return  # the notifier's ticks, and a followed trip's change (its owner's facts have it)
    change = message["change"]
    news = departure_news(change)
    if news is None or not change.get("reservation_id"):
        return
    source = f"r:{change['reservation_id']}"
    known = report_sources.get(source_key(event.key, source))
    # News may come before the reservation's own event (another topic): kept at version 0 until it comes.
    entry = known or {"version": 0, "fact": None, "departure": None}
    departure = latest_departure(entry.get("departure"), news)
    if departure == entry.get("departure"):
        return   # a replayed or older change
    await replace(event.key, source, known, {**entry, "departure": departure,
                                             "fact": with_departure(entry["fact"], departure)})
