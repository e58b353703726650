"""Manual edits as change events, so a traveller hears of them like of a provider's news.

Why not put them on reservation-changes: that topic is tracking's (record_changes keeps it as the
provider history and applies it back to the reservation). So this agent diffs each ``reservation.updated``
against the reservation as it last saw it and sends the change straight to user-changes.

A provider's update reaches the reservation as a ``provider-update`` command whose ID is the change's own:
tracking has already announced it, so its event is skipped here (domain/notify_changes.py from_provider),
and were it not, the notifier would drop it anyway, since its change ID is the one it has seen.
"""

from __future__ import annotations

import orjson
from faust.types import EventT

from agents import topics
from agents.dead_letters import process
from domain.notify_changes import from_provider, manual_change
from faust_app import app
from tables.reservation_baselines import reservation_baselines

REQUIRED = ("event_id", "event_type", "reservation_id", "user_id", "version", "occurred_at")


@app.agent(topics.reservation_events)
async def derive_manual_changes(events):
    """reservation-events -> user-changes: each manual update as a change event (source manual)."""
    await process(events, "derive_manual_changes", derive_one, REQUIRED, key_field="reservation_id")


async def derive_one(event: EventT, message: dict) -> None:
    before = reservation_baselines.get(event.key)
    if before is not None and before.get("version", 0) >= message["version"]:
        return  # a replay: this version (or a later one) was seen already
    if message["event_type"] == "reservation.updated" and not from_provider(message):
        change = manual_change(message, before)
        if change is not None:
            delivered = await topics.user_changes.send(key=change["user_id"], value=orjson.dumps(
                {"kind": "change", "user_id": change["user_id"], "change": change}))
            await delivered  # on the broker before the baseline that says it was seen
    if message["event_type"] == "reservation.deleted":
        reservation_baselines.pop(event.key, None)
    elif message.get("reservation"):
        reservation_baselines[event.key] = {**message["reservation"], "version": message["version"]}
