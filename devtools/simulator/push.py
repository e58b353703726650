"""Pushes each change to its provider's subscribed webhook, signed as the standard interface documents."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable

import aiohttp

from devtools.simulator.catalogue import PROVIDERS, home_provider
from domain.tracking.subjects import parse_subject
from integrations.providers.webhook import EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

ATTEMPTS = 3
QUEUE_LIMIT = 10_000


class Pusher:
    """A queue of signed change events and the task that delivers them (at least once, retried)."""

    def __init__(self, clock: Callable[[], float] = time.time, backoff_s: float = 0.2) -> None:
        self.webhooks: dict[str, tuple[str, str]] = {}
        self.counts = {"queued": 0, "delivered": 0, "failed": 0, "dropped": 0}
        self._clock = clock
        self._backoff_s = backoff_s
        self._queue: asyncio.Queue = asyncio.Queue(QUEUE_LIMIT)

    def subscribe(self, provider_id: str, url: str, secret: str) -> None:
        if provider_id not in PROVIDERS or not PROVIDERS[provider_id].can_push:
            raise ValueError(f"provider {provider_id!r} cannot push")
        self.webhooks[provider_id] = (url, secret)

    def notify(self, subject: str, snapshot: dict, entry: dict) -> None:
        """World listener: queue an event for the provider a subject belongs to, if it has a webhook."""
        provider_id = home_provider(parse_subject(subject))
        if provider_id not in self.webhooks:
            return
        event = {"event_id": uuid.uuid4().hex, "provider_id": provider_id, "subject": subject,
                 "snapshot": snapshot, "changed_at": entry["at"], "change": entry["change"]}
        try:
            self._queue.put_nowait((provider_id, event))
            self.counts["queued"] += 1
        except asyncio.QueueFull:
            self.counts["dropped"] += 1

    async def run(self, session: aiohttp.ClientSession) -> None:
        while True:
            provider_id, event = await self._queue.get()
            url, secret = self.webhooks[provider_id]
            delivered = await self._deliver(session, url, secret, event)
            self.counts["delivered" if delivered else "failed"] += 1

    async def _deliver(self, session: aiohttp.ClientSession, url: str, secret: str, event: dict) -> bool:
        body = json.dumps(event).encode()
        for attempt in range(ATTEMPTS):
            # A fresh timestamp per attempt keeps retries inside the receiver's window; the event id is kept.
            timestamp = str(int(self._clock()))
            headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
                       SIGNATURE_HEADER: sign(secret, timestamp, body), EVENT_ID_HEADER: event["event_id"]}
            try:
                async with session.post(url, data=body, headers=headers,
                                        timeout=aiohttp.ClientTimeout(total=5)) as response:
                    if response.status < 300:
                        return True
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(self._backoff_s * 2**attempt)
        return False
