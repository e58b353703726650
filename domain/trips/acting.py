"""A trip command sent by someone other than the owner (an editor): what their share lets it do.

The command names its ``actor_id``; the check runs against the owner's book where the command is applied,
so a share withdrawn or turned to viewer just before lets no write through, whatever the view saw.
"""

from __future__ import annotations

from datetime import datetime

from domain.common.errors import Forbidden, NotFound
from domain.trips import sharing
from domain.trips.shares import viewing_role

_ACCOUNT = "account"   # the owner's account and their other trips: in no role's rights but the owner's own
_ACTIONS_OF_FIELD = {"name": sharing.RENAME, "private": sharing.SET_PRIVATE}
_ACTION_OF_KIND = {
    "add-reservation": sharing.ADD_RESERVATION, "remove-reservation": sharing.REMOVE_RESERVATION,
    "change-reservation": sharing.CHANGE_RESERVATION, "delete-reservation": sharing.REMOVE_RESERVATION,
    "delete": sharing.DELETE, "merge": sharing.MERGE_OR_SPLIT, "split": sharing.MERGE_OR_SPLIT,
    "add-link": sharing.SHARE, "share": sharing.SHARE, "revoke-link": sharing.WITHDRAW,
    "withdraw-share": sharing.WITHDRAW,
}


def check(book: dict, command: dict, now: datetime) -> None:
    """Raise unless the command's actor (the owner when it names none) may do what it asks on its trip:
    NotFound for a trip the actor may not see (as a stranger would get), Forbidden for a change their
    role does not allow."""
    actor = command.get("actor_id")
    if actor is None or actor == book["user_id"]:
        return
    trip_id = (command.get("data") or {}).get("trip_id")
    role = viewing_role(book, trip_id, actor, now) if isinstance(trip_id, str) else None
    if role is None:
        raise NotFound("No such trip.")
    private = book["trips"][trip_id]["private"]
    if not all(sharing.may(role, action, private=private) for action in actions_of(command)):
        raise Forbidden("Your share does not allow this change.")


def actions_of(command: dict) -> list[str]:
    """The sharing actions a command takes; a kind only the system sends (a profile, a tick, an attached
    invitation) takes the owner's account, which no share gives."""
    if command["kind"] == "update":   # renaming is the least a change needs: an empty one still writes the trip
        fields = [name for name in command["data"] if name != "trip_id"]
        return [sharing.RENAME, *(_ACTIONS_OF_FIELD.get(name, _ACCOUNT) for name in fields)]
    return [_ACTION_OF_KIND.get(command["kind"], _ACCOUNT)]
