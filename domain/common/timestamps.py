"""Instants as text: ISO 8601 in UTC with a ``Z``, the form every stamp on our topics and tables takes."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_iso(moment: datetime, *, millis: bool = False) -> str:
    """``2026-12-01T07:30:00Z`` for an aware datetime, in any zone; ``millis`` adds ``.123``.

    Stamps that order events (issued, dead-lettered, detected, finished) keep the milliseconds, and
    dead-letters.json asks for exactly three digits; times a person plans by keep whole seconds.
    """
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds" if millis else "seconds")
    return text.replace("+00:00", "Z")


def now_iso() -> str:
    """The current instant, to the millisecond: what a command or event is stamped with."""
    return utc_iso(datetime.now(UTC), millis=True)


def epoch_iso(seconds: float, *, millis: bool = False) -> str:
    """``utc_iso`` of a time given as seconds since the epoch (the clocks of timers and pollers)."""
    return utc_iso(datetime.fromtimestamp(seconds, UTC), millis=millis)


def to_utc(text: str) -> datetime:
    """An ISO 8601 string with an offset (``Z`` included) as an aware UTC datetime; ValueError without one."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return moment.astimezone(UTC)
