"""The reservations agent: the one writer of the reservations table."""

from __future__ import annotations

import asyncio

import orjson

from agents import topics
from agents.dead_letters import Rejected, dead_letter, decode
from agents.replies import progress, replies
from domain import reservations as rules
from faust_app import app
from tables.reservations import reservations

REQUIRED = ("command_id", "kind", "reservation_id", "user_id", "data", "issued_at")


@app.agent(topics.reservation_commands)
async def apply_reservation_commands(commands):
    """reservation-commands -> reservation-events: validate, apply, version, store and publish each command."""
    async for event in commands.events():
        try:
            command = decode(event, REQUIRED)
            if command["kind"] not in rules.KINDS or command["reservation_id"] != event.key:
                raise Rejected("unknown command kind, or the key is not the reservation ID")
        except Rejected as exc:
            await dead_letter(event, "apply_reservation_commands", str(exc))
            continue
        current = reservations.get(event.key)
        # The command's own timestamp, not the clock: a replay after a crash gives the same result.
        outcome = rules.apply(current, command, command["issued_at"])
        if outcome.state is None and current is not None:
            del reservations[event.key]
        elif outcome.state is not current:
            reservations[event.key] = outcome.state
        if outcome.event is not None:
            # Answer once the per-user event is on the broker, so a listing started after the answer
            # sees it in the partition's end offset (agents/replies.py Progress).
            replies.resolve_after(await publish(outcome.event), command["command_id"], outcome.reply)
        else:
            replies.resolve(command["command_id"], outcome.reply)
        progress.applied(event.message.tp, event.message.offset)


async def publish(reservation_event: dict) -> asyncio.Future:
    """Send the event to the data team's topic, and re-keyed by user ID for the per-user index."""
    value = orjson.dumps(reservation_event)
    await topics.reservation_events.send(key=reservation_event["reservation_id"], value=value)
    return await topics.user_reservation_events.send(key=reservation_event["user_id"], value=value)
