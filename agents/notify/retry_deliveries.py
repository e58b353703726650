"""The ledger's clock: the next attempt of each delivery whose backoff has passed, and stale claims resolved.

Timers cannot write tables, so each retry goes to the delivering agent as a new job (attempt + 1). A claim
still ``sending`` long after any send could have finished (its worker died after the job was committed)
is sent back as the same attempt, which the agent records as ``unknown`` rather than sending twice.
"""

from __future__ import annotations

import time

import orjson

from agents.notify.delivery_state import dispatcher, retries
from agents.notify.dispatch import CLAIM_TIMEOUT_S, SEND_TIMEOUT_S
from domain.common.timestamps import to_utc
from domain.notify.ledger import pending, retry_job
from faust_app import app, settings
from streams import topics
from streams.partitions import owned_partitions
from tables.sent_notifications import sent_notifications

STALE_CLAIM_S = 2 * (SEND_TIMEOUT_S + CLAIM_TIMEOUT_S)
_known: frozenset[int] | None = None


@app.timer(interval=settings.notify.tick_s, name="agents.retry_deliveries.retry_deliveries")
async def retry_deliveries() -> None:
    """timer -> notification-deliveries: the next attempt of each delivery that is due again."""
    rebuild_if_reassigned()
    await send_due_retries()


async def send_due_retries() -> None:
    for user_id, nid in retries.pop_due(time.time()):
        entry = (sent_notifications.get(user_id) or {}).get(nid)
        if entry is None or dispatcher().in_flight(nid):
            continue
        if entry["status"] == "retrying":
            job = retry_job(entry)
        elif entry["status"] == "sending":
            job = entry["job"]
        else:
            continue
        await topics.notification_deliveries.send(key=user_id, value=orjson.dumps(job))


def rebuild_if_reassigned() -> None:
    global _known
    owned = owned_partitions(topics.notification_deliveries)
    if owned == _known or app.rebalancing or app.in_recovery:
        return
    _known = owned
    now = time.time()
    for user_id, ledger in list(sent_notifications.items()):
        for nid, entry in pending(ledger):
            when = to_utc(entry["retry_at"]).timestamp() if entry["status"] == "retrying" else now + STALE_CLAIM_S
            retries.set((user_id, nid), when)
