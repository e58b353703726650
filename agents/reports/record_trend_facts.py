"""What each reservation adds to travel trends, and the deltas that move it between route-months."""

from __future__ import annotations

import orjson
from faust.types import EventT

from domain.reports.trends import follow
from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.reports_trends import trend_facts

REQUIRED = ("event_id", "event_type", "reservation_id", "version", "occurred_at", "reservation")


@app.agent(topics.reservation_events)
async def record_trend_facts(events):
    """reservation-events -> trend-facts table, travel-trend-deltas: remember and send what a reservation adds."""
    await process(events, "record_trend_facts", record_one, REQUIRED, key_field="reservation_id")


async def record_one(event: EventT, change: dict) -> None:
    step = follow(trend_facts.get(event.key), change, (event.message.partition, event.message.offset))
    if step.changed:
        trend_facts[event.key] = step.fact
    for key, delta in step.deltas.items():
        # Re-keyed by route and month: one aggregate per key, whichever reservations feed it.
        value = {**delta, "origin": list(step.origin), "at": change["occurred_at"]}
        await topics.travel_trend_deltas.send(key=key, value=orjson.dumps(value))
