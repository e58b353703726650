"""The travel-trends row per route and month, kept from the deltas and published to the compacted topic."""

from __future__ import annotations

from functools import partial

import orjson
from faust.types import EventT

from domain.reports.trends import apply_delta, row
from faust_app import app
from streams import topics
from streams.dead_letters import process_batches
from tables.reports_trends import travel_trends

REQUIRED = ("origin", "at")
BATCH, WITHIN_S = 500, 1.0   # a key's row goes out at most once per batch, whatever number of deltas it took


@app.agent(topics.travel_trend_deltas)
async def aggregate_travel_trends(deltas):
    """travel-trend-deltas -> travel-trends table and topic: counts and lead times per route and month."""
    changed = Changed()
    await process_batches(deltas, "aggregate_travel_trends", partial(aggregate_one, changed), REQUIRED, None,
                          changed.publish, BATCH, WITHIN_S)


async def aggregate_one(changed: Changed, event: EventT, delta: dict) -> None:
    aggregate = apply_delta(travel_trends.get(event.key), delta)
    if aggregate is None:
        return   # replayed: this key already holds it
    # Kept at 0 flights too: its offsets still tell a replayed delta from a new one.
    travel_trends[event.key] = aggregate
    changed.keys.add(event.key)


class Changed:
    """Keys whose aggregate changed in this batch: each row is published once, before the batch is acked."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    async def publish(self) -> None:
        keys, self.keys = self.keys, set()
        for key in sorted(keys):
            value = row(key, travel_trends.get(key))
            # A key with no flight left becomes a tombstone: compaction then drops it from the topic.
            await topics.travel_trends.send(key=key, value=None if value is None else orjson.dumps(value))
