"""The subject index: which reservations follow a subject, and which provider is asked about it.

A record is ``{"subject", "partition", "joined_at", "members": {reservation ID: [partition, until,
provider]}}``: the member's partition in the reservation-keyed tables (so a snapshot reaches it without
hashing its key again), when tracking it ends (its end plus the grace period, seconds since the epoch)
and the provider its reservation names.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from domain.tracking.subjects import parse_subject

CHECKPOINT_PREFIX = "~checkpoint/"   # not a subject: a partition's watermark lives under this key
BATCH_PREFIX = "~batch/"             # not a subject: the key of a message holding many subjects' commands


def checkpoint_key(partition: int) -> str:
    return f"{CHECKPOINT_PREFIX}{partition}"


def batch_key(partition: int) -> str:
    return f"{BATCH_PREFIX}{partition}"


def is_subject_key(key: str) -> bool:
    return not key.startswith((CHECKPOINT_PREFIX, BATCH_PREFIX))


def join(record: dict | None, subject: str, partition: int, now: float,
         members: dict[str, list]) -> dict | None:
    """The record with ``members`` added or refreshed; None when that changes nothing."""
    base = record or {"subject": subject, "partition": partition, "joined_at": now, "members": {}}
    merged = {**base["members"], **members}
    if record is not None and merged == record["members"]:
        return None
    return {**base, "members": merged}


def leave(record: dict | None, reservation_ids: Iterable[str]) -> dict | None:
    """The record without those reservations (``{}`` when nobody is left); None when nothing changes."""
    if record is None:
        return None
    gone = set(reservation_ids) & set(record["members"])
    if not gone:
        return None
    members = {rid: member for rid, member in record["members"].items() if rid not in gone}
    return {**record, "members": members} if members else {}


def current(members: dict[str, list], now: float) -> tuple[dict[str, list], list[str]]:
    """(members still tracked, reservation IDs whose tracking ended before ``now``)."""
    kept = {rid: member for rid, member in members.items() if member[1] >= now}
    return kept, sorted(set(members) - set(kept))


def provider_for(subject: str, members: dict[str, list], enabled: Collection[str],
                 flight_provider: str | None) -> str | None:
    """Who is asked about a subject: a booking's own provider; for a flight, any enabled provider a
    traveller's reservation names (sorted, so every poll picks the same), else the default flight source.
    None when nobody may be asked, which includes a subject the provider interface refuses (a confirmation
    too long for it, say): asking would only fail, every cycle.
    """
    try:
        parsed = parse_subject(subject)
    except ValueError:
        return None
    if parsed.kind != "flight":
        return parsed.provider if parsed.provider in enabled else None
    named = sorted({member[2] for member in members.values() if member[2] in enabled})
    if named:
        return named[0]
    return flight_provider if flight_provider in enabled else None


def may_push(provider_id: str, subject: str, members: dict[str, list], enabled: Collection[str],
             flight_provider: str | None) -> bool:
    """A push counts only from the provider we would ask about that subject ourselves."""
    return provider_id == provider_for(subject, members, enabled, flight_provider)
