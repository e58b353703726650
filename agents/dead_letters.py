"""Decoding agent input, and sending what cannot be processed to the dead-letter topic with the reason."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import orjson
from faust.types import EventT

from agents import topics

log = logging.getLogger(__name__)


class Rejected(Exception):
    """A message that can never be processed: it is dead-lettered, the stream goes on."""


def decode(event: EventT, required: tuple[str, ...]) -> dict:
    """The message value as a JSON object holding ``required``; raises Rejected otherwise."""
    try:
        value = orjson.loads(event.value)
    except (orjson.JSONDecodeError, TypeError) as exc:
        raise Rejected(f"unparseable JSON: {exc}") from None
    if not isinstance(value, dict):
        raise Rejected("the message value is not a JSON object")
    missing = [name for name in required if name not in value]
    if missing:
        raise Rejected(f"missing fields: {', '.join(missing)}")
    return value


async def dead_letter(event: EventT, agent: str, reason: str) -> None:
    message = event.message
    # Log where and why, never the payload: it may carry personal data.
    log.warning("dead-lettered %s[%s]@%s from %s: %s", message.topic, message.partition,
                message.offset, agent, reason)
    payload = event.value if isinstance(event.value, bytes) else orjson.dumps(event.value)
    await topics.dead_letters.send(key=event.key if isinstance(event.key, str) else None, value=orjson.dumps({
        "schema_version": 1,
        "reason": reason,
        "agent": agent,
        "topic": message.topic,
        "partition": message.partition,
        "offset": message.offset,
        "payload": payload.decode("utf-8", "replace"),
        "dead_lettered_at": utc_now(),
    }))


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
