"""Each reservation's latest tracked change, kept beside the traveller's trips for the trips API."""

from __future__ import annotations

from faust.types import EventT

from domain.trips.book import empty_book, with_tracked
from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.trips import trips

REQUIRED = ("kind", "user_id")


@app.agent(topics.user_changes, name="agents.record_tracked_changes.record_tracked_changes")
async def record_tracked_changes(messages):
    """user-changes -> trips table: keep each reservation's latest change found by tracking."""
    await process(messages, "record_tracked_changes", record_one, REQUIRED, key_field="user_id")


async def record_one(event: EventT, message: dict) -> None:
    if message["kind"] != "change" or "shared_by" in message["change"]:
        return  # the notifier's own ticks, and a followed trip's change (the owner's book keeps it)
    book = trips.get(event.key) or empty_book(event.key)
    kept = with_tracked(book, message["change"])
    if kept is not book:
        trips[event.key] = kept
