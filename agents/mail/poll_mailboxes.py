"""The mail poller: each worker polls the mailboxes of the users in the partitions it owns.

Every mailbox is polled once per ROADWARRIOR_MAIL_POLL_S at a slot spread by a hash of its ID
(domain/tracking/schedule.py), later after provider errors (full-jitter backoff), never while its last result is
still on its way to the agent. Timers cannot write tables: each poll's result (sync position, status,
extracted reservations) goes to mailbox-commands keyed by user ID, where apply_mailbox_commands applies it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Callable, Set

import aiohttp
import orjson

from agents.mail import clients as mail_clients
from agents.mail.read_mail import poll
from domain.common.retry import retry_delay
from domain.common.timestamps import now_iso
from domain.mail.filters import DEFAULT_FILTERS
from domain.mail.mailboxes import polls
from domain.mail.secrets_box import SecretsError
from domain.tracking.schedule import next_due
from faust_app import app, settings
from streams import topics
from streams.partitions import owned_partitions, tables_ready
from tables.email_filters import email_filters
from tables.mailboxes import mailboxes

log = logging.getLogger(__name__)
MAX_BACKOFF_S = 3600.0
CONCURRENCY = 20
Key = tuple[str, str]  # (user ID, mailbox ID)


class MailPoller:
    """Due times of the owned users' mailboxes, and the polls in flight."""

    def __init__(self, cycle_s: float, *, clock: Callable[[], float] = time.time,
                 rand: Callable[[], float] = random.random, owned: Callable[[], Set[int]] | None = None,
                 ready: Callable[[], bool] | None = None, concurrency: int = CONCURRENCY) -> None:
        self.cycle_s, self.concurrency = cycle_s, concurrency
        self._clock, self._rand = clock, rand
        self._owned = owned or (lambda: owned_partitions(topics.mailbox_commands))
        self._ready = ready or tables_ready
        self.partitions: set[int] = set()
        self.due: dict[Key, float] = {}
        self.attempts: dict[Key, int] = {}
        self.waiting: dict[Key, tuple[str, float]] = {}  # poll ID sent, when
        self.in_flight: dict[Key, asyncio.Task] = {}
        self._session: aiohttp.ClientSession | None = None

    async def tick(self) -> None:
        if not self._ready():
            return
        owned = self._owned()
        if owned != self.partitions:
            self.resync(owned)
        now = self._clock()
        for key, when in sorted(self.due.items(), key=lambda item: item[1]):
            if when > now or len(self.in_flight) >= self.concurrency:
                break
            if key not in self.in_flight and not self._unapplied(key, now):
                self._start(key)

    def resync(self, owned: Set[int]) -> None:
        """After a rebalance: forget the users we lost, schedule the mailboxes of the users we got."""
        self.partitions = set(owned)
        for user_id, record in list(mailboxes.items()):
            if (record or {}).get("partition") in owned:
                self.changed(user_id)
        for key in [k for k in self.due if _partition(k[0]) not in owned]:
            self._forget(key)

    def changed(self, user_id: str) -> None:
        """The agent changed this user's mailboxes (it runs in this process: the same partitions)."""
        now = self._clock()
        records = ((mailboxes.get(user_id) or {}).get("mailboxes") or {})
        for key in [k for k in self.due if k[0] == user_id]:
            if key[1] not in records or not polls(records[key[1]]):
                self._forget(key)
        for mailbox_id, record in records.items():
            key = (user_id, mailbox_id)
            if not polls(record):
                continue
            polled_at = record.get("last_polled_at")
            if polled_at is None or record.get("connected_at", "") > polled_at:  # both UTC ISO: they sort as text
                self.due[key] = min(self.due.get(key, now), now)  # new or connected again: look now
            else:
                self.due.setdefault(key, next_due(mailbox_id, self.cycle_s, now))

    def next_poll(self, user_id: str, mailbox_id: str) -> float | None:
        return self.due.get((user_id, mailbox_id))

    def _forget(self, key: Key) -> None:
        for table in (self.due, self.attempts, self.waiting):
            table.pop(key, None)

    def _unapplied(self, key: Key, now: float) -> bool:
        """Whether our last result for it has not reached the table yet (polling now would use a stale position)."""
        sent = self.waiting.get(key)
        if sent is None:
            return False
        record = ((mailboxes.get(key[0]) or {}).get("mailboxes") or {}).get(key[1]) or {}
        if record.get("last_poll_id") == sent[0] or now - sent[1] > max(2 * self.cycle_s, 30.0):
            del self.waiting[key]
            return False
        return True

    def _start(self, key: Key) -> None:
        record = ((mailboxes.get(key[0]) or {}).get("mailboxes") or {}).get(key[1])
        if record is None or not polls(record):
            self._forget(key)
            return
        filters = email_filters.get(key[0]) or DEFAULT_FILTERS
        self.in_flight[key] = asyncio.create_task(self._poll(key, record, filters))

    async def _poll(self, key: Key, record: dict, filters: dict) -> None:
        user_id, mailbox_id = key
        poll_id, refreshed = uuid.uuid4().hex, []
        try:
            try:
                client = mail_clients.open_client(self._http(), user_id, record, filters, refreshed)
                result = await poll(client, record.get("client_state"), timeout_s=max(60.0, self.cycle_s / 2))
            except SecretsError:
                result = {"outcome": "error", "status": "auth_expired",
                          "detail": "the stored credentials cannot be opened; connect the mailbox again"}
            except Exception as exc:  # noqa: BLE001 - a client bug must not stop the other mailboxes
                log.exception("polling a %s mailbox failed", record.get("provider"))
                result = {"outcome": "error", "status": "error", "detail": f"internal error: {type(exc).__name__}"}
            context = mail_clients.secret_context(user_id, mailbox_id)
            if refreshed:
                result["secret"] = mail_clients.seal_tokens(refreshed[-1], context)
            elif result["outcome"] == "ok" and mail_clients.box().needs_rotation(record["secret"]):
                result["secret"] = mail_clients.box().rotate(record["secret"], context)  # onto the current key
            command = {"command_id": poll_id, "kind": "polled", "user_id": user_id, "mailbox_id": mailbox_id,
                       "poll_id": poll_id, "provider": record["provider"], "issued_at": now_iso(), **result}
            await topics.mailbox_commands.send(key=user_id, value=orjson.dumps(command))
            self.waiting[key] = (poll_id, self._clock())
            self._reschedule(key, result)
        finally:
            self.in_flight.pop(key, None)

    def _reschedule(self, key: Key, result: dict) -> None:
        if key not in self.due:
            return  # disconnected meanwhile
        if result.get("status") == "auth_expired":
            self._forget(key)  # only the traveller can fix it: connecting again schedules it anew
            return
        now = self._clock()
        when = next_due(key[1], self.cycle_s, now, self.due[key])
        if result["outcome"] == "ok":
            self.attempts.pop(key, None)
        else:
            attempt = self.attempts[key] = self.attempts.get(key, 0) + 1
            delay = retry_delay(attempt - 1, self._rand, result.get("retry_after"), base_s=self.cycle_s,
                                cap_s=max(self.cycle_s, MAX_BACKOFF_S))
            when = max(when, now + delay)
        self.due[key] = when

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        for task in list(self.in_flight.values()):
            task.cancel()
        if self._session is not None:
            await self._session.close()
            self._session = None


def _partition(user_id: str) -> int | None:
    return (mailboxes.get(user_id) or {}).get("partition")


poller = MailPoller(settings.mail.poll_s)


@app.timer(interval=max(0.2, min(1.0, settings.mail.poll_s / 10)), name="agents.poll_mailboxes.poll_mailboxes")
async def poll_mailboxes() -> None:
    """timer -> mailboxes -> mailbox-commands: poll the due mailboxes of this worker's users, send the results."""
    await poller.tick()


@app.on_before_shutdown.connect
async def _close_on_shutdown(app, **kwargs) -> None:  # noqa: ANN001 (Faust signal signature)
    await poller.close()
