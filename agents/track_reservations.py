"""Start, refresh and stop tracking as reservations are created, changed, cancelled and deleted."""

from __future__ import annotations

import time

import orjson
from faust.types import EventT

from agents import topics
from agents.dead_letters import process
from domain.tracking_state import follow
from faust_app import app, settings
from tables.tracking import tracking

REQUIRED = ("event_type", "reservation_id", "user_id", "version")


@app.agent(topics.reservation_events)
async def track_reservations(events):
    """reservation-events -> tracking table, tracked-subject-commands: follow each trackable reservation."""
    await process(events, "track_reservations", track_one, REQUIRED, key_field="reservation_id")


async def track_one(event: EventT, change: dict) -> None:
    rid = event.key
    outcome = follow(tracking.get(rid), change, event.message.partition, time.time(), settings.tracking_grace_s)
    if outcome.changed:
        if outcome.state is None:
            del tracking[rid]
        else:
            tracking[rid] = outcome.state
    # Re-keyed by subject: the subject index is partitioned by subject, not by reservation.
    if outcome.leave is not None and outcome.leave != outcome.join:
        await send_subject_command(outcome.leave, {"kind": "leave", "reservation_ids": [rid]})
    if outcome.join is not None:
        await send_subject_command(outcome.join, {"kind": "join", "members": {rid: outcome.member}})


async def send_subject_command(subject: str, command: dict) -> None:
    await topics.tracked_subject_commands.send(key=subject, value=orjson.dumps({**command, "subject": subject}))
