"""The calendar feeds agent: the one writer of each user's secret feed token."""

from __future__ import annotations

from faust.types import EventT

from domain.trips.feeds import feed_after
from faust_app import app
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.calendar_feeds import calendar_feeds

REQUIRED = ("command_id", "kind", "user_id", "digest", "sealed", "issued_at")


@app.agent(topics.calendar_feed_commands)
async def apply_feed_commands(commands):
    """calendar-feed-commands -> calendar-feeds table: make a user's feed token once, replace it on demand."""
    await process(commands, "apply_feed_commands", apply_one, REQUIRED, ("create", "regenerate"), "user_id")


async def apply_one(event: EventT, command: dict) -> None:
    current = calendar_feeds.get(event.key)
    feed = feed_after(current, command)
    if feed is not current:
        calendar_feeds[event.key] = feed   # a regenerated token replaces the old digest: the old URL stops now
    replies.resolve(command["command_id"], {"ok": True, "status": 200, "feed": feed})
