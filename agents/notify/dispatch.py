"""Delivery off the agent's loop: one queue per channel with bounded concurrency, outcomes reported back.

A slow or dead channel fills only its own queue; the agent goes on handing out jobs to the others. Each
attempt first waits until its claim in the ledger is on the broker (tables/sent_notifications.py), then
calls the channel, and reports the outcome (sent, retry at, failed) as a message to the delivering agent,
the only writer of the ledger. Retries follow integrations/channels/retry.next_step.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from domain.common.timestamps import to_utc, utc_iso
from domain.notify.notification import Notification
from integrations.channels.base import Channel
from integrations.channels.errors import ChannelError, DeviceTokenInvalid, RetryableError
from integrations.channels.retry import next_step

log = logging.getLogger(__name__)
Report = Callable[[str, dict], Awaitable[None]]
QUEUE_LIMIT = 10_000  # per channel; beyond it a job is put off (retried later) instead of piling up
SEND_TIMEOUT_S = 30.0
CLAIM_TIMEOUT_S = 10.0


class Dispatcher:
    """Channel queues and their workers; ``submit`` never waits."""

    def __init__(self, channels: Mapping[str, Channel], report: Report, *, concurrency: int = 16,
                 wait_for_claims: bool = True, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.channels, self.report, self.concurrency = dict(channels), report, concurrency
        self.wait_for_claims, self.clock = wait_for_claims, clock
        self._queues: dict[str, asyncio.Queue] = {}
        self._workers: list[asyncio.Task] = []
        self._in_flight: set[str] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    def in_flight(self, notification_id: str) -> bool:
        return notification_id in self._in_flight

    def submit(self, user_id: str, job: dict, claim: asyncio.Future | None = None) -> None:
        """Queue ``job`` on its channel; ``claim`` is the ledger write to wait for before sending."""
        self._in_flight.add(job["notification_id"])
        self._idle.clear()
        queue = self._queue(job["notification"]["channel"])
        try:
            queue.put_nowait((user_id, job, claim))
        except asyncio.QueueFull:
            error = RetryableError("queue full", channel=job["notification"]["channel"], reason="queue-full")
            self._spawn(self._finish(user_id, job, self._failure(job, error)))

    def _queue(self, channel: str) -> asyncio.Queue:
        queue = self._queues.get(channel)
        if queue is None:
            queue = self._queues[channel] = asyncio.Queue(QUEUE_LIMIT)
            self._workers += [asyncio.create_task(self._work(queue)) for _ in range(self.concurrency)]
        return queue

    async def _work(self, queue: asyncio.Queue) -> None:
        while True:
            user_id, job, claim = await queue.get()
            try:
                outcome = await self.attempt(job, claim)
            except Exception:  # a channel bug must not kill the worker that serves the queue
                log.exception("delivery of %s failed unexpectedly", job["notification_id"])
                outcome = self._result(job, "failed", reason="internal-error")
            await self._finish(user_id, job, outcome)

    async def _finish(self, user_id: str, job: dict, outcome: dict) -> None:
        try:
            await self.report(user_id, outcome)
        finally:
            self._in_flight.discard(job["notification_id"])
            if not self._in_flight:
                self._idle.set()

    async def attempt(self, job: dict, claim: asyncio.Future | None) -> dict:
        """One try of ``job``: the outcome message for the ledger."""
        if claim is not None and self.wait_for_claims:
            try:
                await asyncio.wait_for(asyncio.shield(claim), CLAIM_TIMEOUT_S)
            except Exception:  # not durable (timeout, producer error): sending now could send twice after a crash
                return self._failure(job, RetryableError("claim not stored", channel="", reason="claim-not-stored"))
        channel = self.channels.get(job["notification"]["channel"])
        if channel is None:
            return self._result(job, "failed", reason="channel-not-configured")
        try:
            delivered = await asyncio.wait_for(channel.send(Notification.from_dict(job["notification"])),
                                               SEND_TIMEOUT_S)
        except ChannelError as error:
            return self._failure(job, error)
        except TimeoutError:
            return self._failure(job, RetryableError("timed out", channel=channel.name, reason="timeout"))
        return self._result(job, "sent", provider_id=delivered.provider_id)

    def _failure(self, job: dict, error: ChannelError) -> dict:
        now = self.clock()
        expires = job["notification"].get("expires_at")
        decision = next_step(error, job["attempt"], now, key=job["notification_id"],
                             expires_at=to_utc(expires) if expires else None)
        if decision.dead_letter:
            return self._result(job, "failed", reason=decision.reason,
                                device_gone=isinstance(error, DeviceTokenInvalid))
        return self._result(job, "retry", reason=decision.reason, retry_at=utc_iso(decision.retry_at))

    def _result(self, job: dict, outcome: str, **details) -> dict:
        notification = job["notification"]
        device = notification.get("target", {}).get("device")
        return {"kind": "result", "user_id": notification["user_id"], "notification_id": job["notification_id"],
                "attempt": job["attempt"], "outcome": outcome, "device": device,
                "finished_at": utc_iso(self.clock(), millis=True), **details}

    def _spawn(self, coroutine: Awaitable) -> None:
        task = asyncio.ensure_future(coroutine)
        self._workers.append(task)
        task.add_done_callback(lambda t: self._workers.remove(t) if t in self._workers else None)

    async def drain(self) -> None:
        """Wait until every queued job has been tried (tests, shutdown)."""
        await self._idle.wait()

    async def close(self) -> None:
        for task in self._workers:
            task.cancel()
        self._workers.clear()
        self._queues.clear()
