"""Manual edits as change events, so a traveller hears of them like of a provider's news.

Why not put them on reservation-changes: that topic is tracking's (record_changes keeps it as the
provider history and applies it back to the reservation). So this agent diffs each ``reservation.updated``
event's ``reservation`` against its ``previous`` and sends the change straight to user-changes. It keeps no
state: a redelivered event sends the same change again, with the same change ID (the event's), which the
notifier drops as one it has seen (domain/notify/collapse.py).

A provider's update reaches the reservation as a ``provider-update`` command whose ID is the change's own:
tracking has already announced it, so its event is skipped here (domain/notify/changes.py from_provider),
and were it not, the notifier would drop it anyway, since its change ID is the one it has seen.
"""

from __future__ import annotations

import orjson
from faust.types import EventT

from domain.notify.changes import from_provider, manual_change
from faust_app import app
from streams import topics
from streams.dead_letters import process

REQUIRED = ("event_id", "event_type", "reservation_id", "user_id", "version", "occurred_at")


@app.agent(topics.reservation_events, name="agents.derive_manual_changes.derive_manual_changes")
async def derive_manual_changes(events):
    """reservation-events -> user-changes: each manual update as a change event (source manual)."""
    await process(events, "derive_manual_changes", derive_one, REQUIRED, key_field="reservation_id")


async def derive_one(event: EventT, message: dict) -> None:
    if message["event_type"] != "reservation.updated" or from_provider(message):
        return
    change = manual_change(message, message.get("previous"))
    if change is not None:
        await topics.user_changes.send(key=change["user_id"], value=orjson.dumps(
            {"kind": "change", "user_id": change["user_id"], "change": change}))
