"""The reservations agent: the one writer of the reservations table."""

from __future__ import annotations

import asyncio

import orjson
from faust.types import EventT

from domain.reservations import commands as rules
from faust_app import app
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.reservations import reservations

REQUIRED = ("command_id", "kind", "reservation_id", "user_id", "data", "issued_at")


@app.agent(topics.reservation_commands, name="agents.apply_reservation_commands.apply_reservation_commands")
async def apply_reservation_commands(commands):
    """reservation-commands -> reservation-events: validate, apply, version, store and publish each command."""
    await process(commands, "apply_reservation_commands", apply_one, REQUIRED, rules.KINDS, "reservation_id")


async def apply_one(event: EventT, command: dict) -> None:
    current = reservations.get(event.key)
    # The command's own timestamp, not the clock: a replay after a crash gives the same result.
    outcome = rules.apply(current, command, command["issued_at"])
    if outcome.state is None and current is not None:
        del reservations[event.key]
    elif outcome.state is not current:
        reservations[event.key] = outcome.state
    if outcome.event is None:
        replies.resolve(command["command_id"], outcome.reply)
    else:
        # Answer once the per-user event is on the broker, so a listing started after the answer
        # sees it in the partition's end offset (streams/replies.py Progress).
        replies.resolve_after(await publish(outcome.event), command["command_id"], outcome.reply)


async def publish(reservation_event: dict) -> asyncio.Future:
    """Send the event to the data team's topic, and re-keyed by user ID for the per-user index."""
    value = orjson.dumps(reservation_event)
    await topics.reservation_events.send(key=reservation_event["reservation_id"], value=value)
    return await topics.user_reservation_events.send(key=reservation_event["user_id"], value=value)
