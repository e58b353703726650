"""The calendar feeds agent: the one writer of each user's secret feed token and of the digest index."""

from __future__ import annotations

from faust.types import EventT

from domain.trips.feeds import feed_after
from faust_app import app
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.calendar_feeds import calendar_feeds, digest_key, user_key

REQUIRED = ("command_id", "kind", "user_id", "digest", "sealed", "issued_at")


@app.agent(topics.calendar_feed_commands)
async def apply_feed_commands(commands):
    """calendar-feed-commands -> calendar-feeds table: make a user's feed token once, replace it on demand."""
    await process(commands, "apply_feed_commands", apply_one, REQUIRED, ("create", "regenerate"), "user_id")


async def apply_one(event: EventT, command: dict) -> None:
    current = calendar_feeds.get(user_key(event.key))
    feed = feed_after(current, command)
    if feed is not current:
        # The digest entries are keyed by digest but written here, in the user's partition, with the user's
        # record: a GlobalTable is read whole on every worker, and a digest is only ever set and dropped here.
        if current is not None:
            del calendar_feeds[digest_key(current["digest"])]   # the old URL stops now
        calendar_feeds[digest_key(feed["digest"])] = event.key
        calendar_feeds[user_key(event.key)] = feed
    replies.resolve(command["command_id"], {"ok": True, "status": 200, "feed": feed})
