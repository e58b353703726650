"""Each tracked change re-keyed to its vendor-month, with what the vendor report reads from it."""

from __future__ import annotations

import orjson
from faust.types import EventT

from domain.reports.vendor_changes import vendor_input
from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.tracking import tracking

REQUIRED = ("change_id", "reservation_id", "user_id", "subject", "severity", "changes", "detected_at")


@app.agent(topics.reservation_changes, name="agents.reports.route_vendor_changes")
async def route_vendor_changes(changes):
    """reservation-changes -> vendor-report-inputs: each change to its vendor-month's partition."""
    await process(changes, "route_vendor_changes", route_one, REQUIRED, key_field="reservation_id")


async def route_one(event: EventT, change: dict) -> None:
    routed = vendor_input(change, _scheduled(tracking.get(event.key)))
    if routed is not None:
        # Re-keyed by "<kind>/<vendor>/<YYYY-MM>": one agent owns each vendor-month's aggregate.
        key, message = routed
        await topics.vendor_report_inputs.send(key=key, value=orjson.dumps(message))


def _scheduled(record: dict | None) -> str | None:
    """The scheduled departure tracking kept (the same partition: reservation-changes is keyed like tracking).

    A delay is measured from it when the change itself does not move the schedule; schedules seldom move,
    so a replay reading a newer record measures the same delay.
    """
    record = record or {}
    shape = record.get("snapshot") or record.get("booked") or {}
    scheduled = (shape.get("departure") or {}).get("scheduled")
    return scheduled.get("utc") if isinstance(scheduled, dict) else None
