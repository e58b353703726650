"""What the trip agents share: a traveller's reservations as grouping sees them, and publishing trip events."""

from __future__ import annotations

import asyncio

import orjson

from domain.tracking.subjects import subject_of
from domain.trips.ending import COMPLETED
from domain.trips.invitations import new_invitations
from domain.trips.shares import share_events
from streams import topics
from tables.user_reservations import entries_of


def reservations_of(user_id: str, change: dict | None = None) -> list[dict]:
    """The traveller's live reservations from the per-user index, with ``change`` (a reservation event)
    laid over it: the index is written by another agent reading the same event, maybe not yet."""
    entries = dict(entries_of(user_id))
    if change is not None:
        known = entries.get(change["reservation_id"])
        if known is None or known["version"] < change["version"]:
            entries[change["reservation_id"]] = change.get("reservation") or {"deleted": True}
    return [entry for entry in entries.values() if not entry.get("deleted")]


async def publish(user_id: str, events: list[dict], reservations: list[dict]) -> asyncio.Future | None:
    """Send the trip events, and take a completed trip's reservations out of tracking; the last send's
    delivery (None when nothing was sent), for a reply to wait on."""
    by_id = {r["id"]: r for r in reservations}
    delivered = None
    for trip_event in events:
        delivered = await topics.trip_events.send(key=user_id, value=orjson.dumps(trip_event))
        if trip_event["event_type"] == COMPLETED:
            await stop_tracking([by_id[rid] for rid in trip_event["trip"]["reservation_ids"] if rid in by_id])
    return delivered


async def stop_tracking(reservations: list[dict]) -> None:
    """A past trip's reservations leave their subjects, as the poller makes them leave once ended: the
    subject index drops them and the poller stops asking about a subject nobody follows."""
    for reservation in reservations:
        subject = subject_of(reservation)
        if subject is not None:  # re-keyed by subject: the subject index is partitioned by subject
            command = {"kind": "leave", "subject": subject, "reservation_ids": [reservation["id"]]}
            await topics.tracked_subject_commands.send(key=subject, value=orjson.dumps(command))


async def publish_shares(previous: dict, book: dict, at: str) -> None:
    """Tell each follower's index (keyed by follower ID) which of the book's trips are shared with them now."""
    for change in share_events(previous, book, at):
        await topics.share_events.send(key=change["follower_id"], value=orjson.dumps(change))


async def publish_invitations(previous: dict, book: dict) -> None:
    """Hand each address newly invited to the invitation mailer, keyed by owner ID like the users table,
    whose profile names the inviter."""
    for invited in new_invitations(previous, book):
        await topics.share_invitation_mails.send(key=invited["owner_id"], value=orjson.dumps(invited))
