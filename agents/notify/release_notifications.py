"""The notifier's clock: a tick to each user whose burst window has closed or whose quiet hours have ended.

Timers cannot write tables, so the tick goes through user-changes to the user's agent. Due times live in
memory (agents/notify/publish_notifications.py ``due``); after a start or a rebalance they are rebuilt from the
batches table of the partitions this worker now owns.
"""

from __future__ import annotations

import time

import orjson

from agents.notify.publish_notifications import WINDOW, due
from domain.notify.plan import due_at
from faust_app import app, settings
from streams import topics
from streams.partitions import owned_partitions
from tables.notification_batches import notification_batches

_known: frozenset[int] | None = None


@app.timer(interval=settings.notify.tick_s, name="agents.release_notifications.release_notifications")
async def release_notifications() -> None:
    """timer -> user-changes: tick the users whose held or gathered notifications are due."""
    await rebuild_if_reassigned()
    await tick_due_users()


async def tick_due_users() -> None:
    for user_id in due.pop_due(time.time()):
        await topics.user_changes.send(key=user_id, value=orjson.dumps({"kind": "tick", "user_id": user_id}))


async def rebuild_if_reassigned() -> None:
    global _known
    owned = owned_partitions(topics.user_changes)
    if owned == _known or app.rebalancing or app.in_recovery:
        return
    _known = owned
    for user_id, state in list(notification_batches.items()):
        moment = due_at(state, WINDOW)
        if moment is not None:
            due.set(user_id, moment.timestamp())
