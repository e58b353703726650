"""The command loop every agent shares: decode, hand over, and dead-letter what cannot be processed."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable

import orjson
from faust.types import EventT, StreamT

from domain.common.timestamps import now_iso
from streams import topics
from streams.replies import progress, replies

log = logging.getLogger(__name__)
Handler = Callable[[EventT, dict], Awaitable[None]]


class Rejected(Exception):
    """A message that can never be processed: it is dead-lettered, the stream goes on."""


async def process(stream: StreamT, agent: str, handle: Handler, required: tuple[str, ...],
                  kinds: tuple[str, ...] | None = None, key_field: str | None = None) -> None:
    """Run ``handle(event, message)`` for every message; nothing a message holds can stop the agent.

    Unparseable or incomplete messages, and messages whose handling raised, go to the dead-letter topic
    with the reason (and a waiting request gets a 500 reply instead of a timeout).
    """
    async for event in stream.events():
        await process_one(event, agent, handle, required, kinds, key_field)


async def process_batches(stream: StreamT, agent: str, handle: Handler, required: tuple[str, ...],
                          key_field: str | None, after_batch: Callable[[], Awaitable[None]],
                          max_events: int, within_s: float) -> None:
    """Like ``process``, ``max_events`` at a time (or what came within ``within_s``): ``after_batch()`` runs
    once each batch was handled and before any of it is acked, so a batch's sends can leave together.
    """
    async for batch in stream.take_events(max_events, within=within_s):
        for event in batch:
            # take_events leaves its last event current; a table write goes to the current event's partition,
            # so each event is made current in turn with Faust's own setter.
            stream._set_current_event(event)
            await process_one(event, agent, handle, required, None, key_field)
        await after_batch()


async def process_one(event: EventT, agent: str, handle: Handler, required: tuple[str, ...],
                      kinds: tuple[str, ...] | None, key_field: str | None) -> None:
    """Decode, check and hand over one event; dead-letter it when that fails."""
    message = None
    try:
        message = decode(event, required)
        if kinds is not None and message.get("kind") not in kinds:
            raise Rejected(f"unknown command kind {message.get('kind')!r}")
        if key_field is not None and message[key_field] != event.key:
            raise Rejected(f"the message key is not its {key_field}")
        await handle(event, message)
    except Rejected as exc:
        await dead_letter(event, agent, str(exc))
    except Exception as exc:  # a bug or an input no rule foresaw: keep the stream alive
        # Type and place only: exception messages can quote the input (personal data).
        log.error("%s could not process %s[%s]@%s: %s at %s", agent, event.message.topic,
                  event.message.partition, event.message.offset, type(exc).__name__, _where(exc))
        await dead_letter(event, agent, f"processing failed: {type(exc).__name__}: {exc}")
        if message and "command_id" in message:
            replies.resolve(message["command_id"], {"ok": False, "status": 500, "kind": "internal-error",
                                                    "title": "The command could not be processed."})
    progress.applied(event.message.tp, event.message.offset, agent)


def _where(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    return f"{frame.filename}:{frame.lineno}" if frame else "?"


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
                message.offset, agent, reason[:200])
    payload = event.value if isinstance(event.value, bytes) else orjson.dumps(event.value)
    await topics.dead_letters.send(key=event.key if isinstance(event.key, str) else None, value=orjson.dumps({
        "schema_version": 1,
        "reason": reason,
        "agent": agent,
        "topic": message.topic,
        "partition": message.partition,
        "offset": message.offset,
        "payload": payload.decode("utf-8", "replace"),
        "dead_lettered_at": now_iso(),
    }))
