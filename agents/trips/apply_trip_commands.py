"""The trip commands agent: the traveller's edits to their trips, and the end-of-trips timer's ticks."""

from __future__ import annotations

import asyncio

import orjson
from faust.types import EventT

from agents.trips.book_io import publish, publish_invitations, publish_shares, reservations_of
from agents.trips.schedule import reschedule
from domain.trips import commands as rules
from domain.trips.book import empty_book
from faust_app import app
from runtime.clock import trips_clock
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.trips import trips

REQUIRED = ("command_id", "kind", "user_id", "data", "issued_at")


@app.agent(topics.trip_commands, name="agents.apply_trip_commands.apply_trip_commands")
async def apply_trip_commands(commands):
    """trip-commands -> trips table, trip-events, reservation-commands: apply each trip command and regroup.

    An editor's reservation change, once the owner's book allowed it, goes on to the reservations agent."""
    await process(commands, "apply_trip_commands", apply_one, REQUIRED, rules.KINDS, "user_id")


async def apply_one(event: EventT, command: dict) -> None:
    book = trips.get(event.key)
    reservations = reservations_of(event.key)
    now = trips_clock.now()
    outcome = rules.apply(book, reservations, command, now)
    if outcome.reply["ok"] and outcome.book != book:
        trips[event.key] = outcome.book
    forwarded = None
    if outcome.reply["ok"] and command["kind"] in rules.RESERVATION_KINDS:
        forwarded = await change_reservation(command)
    reschedule(event.key, outcome.book, now)
    await publish_shares(book or empty_book(event.key), outcome.book, command["issued_at"])
    await publish_invitations(book or empty_book(event.key), outcome.book)
    delivered = await publish(event.key, outcome.events, reservations) or forwarded
    if delivered is None:
        replies.resolve(command["command_id"], outcome.reply)
    else:
        # Answer once the events are on the broker: a reader of trip-events then finds them.
        replies.resolve_after(delivered, command["command_id"], outcome.reply)


async def change_reservation(command: dict) -> asyncio.Future:
    """Hand an editor's accepted change or deletion to the reservations agent, as the owner's: re-keyed by
    reservation ID, the reservations table's key. The same command ID, so a replay of this command is a no-op
    there too."""
    data = command["data"]
    return await topics.reservation_commands.send(key=data["reservation_id"], value=orjson.dumps({
        "command_id": command["command_id"], "kind": rules.RESERVATION_KINDS[command["kind"]],
        "reservation_id": data["reservation_id"], "user_id": command["user_id"], "data": data.get("patch") or {},
        "if_match": data.get("if_match"), "issued_at": command["issued_at"]}))
