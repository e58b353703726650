"""One mailbox poll: fetch the new whitelisted mail, extract its reservations, and say what was skipped and why."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections.abc import Callable

from domain.mail.extract.reservations import extract_reservations
from integrations.mail.errors import MailError
from integrations.mail.message import MailboxClient, MailMessage

log = logging.getLogger(__name__)
MAX_FOUND = 200  # reservations carried by one poll result; a poll of 100 messages rarely has more than a few
# Reasons ordinary mail without a booking gives (a newsletter, a receipt with a PDF): not bad mail.
ORDINARY = ("plain text ", "attachment ")


async def poll(client: MailboxClient, client_state: dict | None, timeout_s: float) -> dict:
    """The poll result (without its IDs): ``outcome`` ok with what was found, or error with status and detail.

    Raw mail never leaves this function: only extracted reservations and skip reasons do.
    """
    try:
        async with asyncio.timeout(timeout_s):
            messages, state = await client.fetch_new(client_state)
    except MailError as exc:
        return {"outcome": "error", "status": exc.status, "detail": str(exc), "retry_after": exc.retry_after}
    except TimeoutError:
        return {"outcome": "error", "status": "unavailable", "detail": f"the mailbox took over {timeout_s:.0f} s"}
    found = [item for message in messages if (item := await read(message)) is not None]
    return {"outcome": "ok", "client_state": state, "messages": len(messages), "found": _capped(found)}


async def read(message: MailMessage, extract: Callable = extract_reservations) -> dict | None:
    """What one message yields: reservations, cancellations, or the reason it was skipped (None: nothing to say)."""
    if message.raw is None:
        return {"ref": message.ref, "skipped": message.skipped or "not downloaded", "bad": True}
    loop = asyncio.get_running_loop()
    try:
        # Off the event loop: a large or hostile message costs up to the extractor's time budget in CPU.
        result = await loop.run_in_executor(None, functools.partial(extract, message.raw))
    except Exception as exc:  # noqa: BLE001 - an extractor bug must cost one message, not the mailbox
        log.error("extraction failed on %s: %s", message.ref, type(exc).__name__)
        return {"ref": message.ref, "skipped": f"extraction failed: {type(exc).__name__}", "bad": True}
    if result.extracted or result.cancellations:
        return {"ref": message.ref,
                "extracted": [{"reservation": e.reservation, "email_key": e.email_key,
                               "modified_time": e.modified_time, "message_date": e.message_date}
                              for e in result.extracted],
                "cancellations": [dataclasses.asdict(c) for c in result.cancellations]}
    # A whitelisted mail without any booking (a newsletter) is normal; broken MIME or markup is bad mail.
    bad = any(not reason.startswith(ORDINARY) for reason in result.skipped)
    return {"ref": message.ref, "skipped": result.reason, "bad": bad}


def _capped(found: list[dict]) -> list[dict]:
    kept, total = [], 0
    for item in found:
        total += len(item.get("extracted", ()))
        if total > MAX_FOUND:
            kept.append({"ref": item["ref"], "skipped": f"over {MAX_FOUND} reservations in one poll", "bad": True})
            continue
        kept.append(item)
    return kept
