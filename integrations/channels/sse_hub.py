"""Fan-out of feed entries to the SSE streams open on this worker: in-process, or through Redis pub/sub.

The worker that produces a notification owns the user's partition; the browser's stream may be on any
worker. With Redis every worker subscribes to ``<prefix><user ID>`` while it has a stream open for that
user, and the producer publishes there. A stream that falls behind, or loses Redis for a moment, gets
RESYNC and reads what it missed from the feed by its last event ID: a slow reader never holds anyone up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import orjson
from redis import asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
RESYNC = {"resync": True}  # read the feed from your last event ID: something may have been missed
CLOSED = {"closed": True}  # the worker is stopping: end the stream (the browser reconnects elsewhere)
QUEUE_SIZE = 256
OUTBOX_SIZE = 50_000


class Subscription:
    """One open stream's queue of feed entries (dicts), RESYNC or CLOSED."""

    def __init__(self, user_id: str, size: int = QUEUE_SIZE) -> None:
        self.user_id = user_id
        self.queue: asyncio.Queue[dict] = asyncio.Queue(size)

    def offer(self, item: dict) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:  # the client reads slower than news comes: drop it all, let it catch up
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(RESYNC)

    async def get(self, timeout_s: float) -> dict | None:
        """The next item, or None when nothing came within ``timeout_s`` (time for a heartbeat)."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout_s)
        except TimeoutError:
            return None


class LocalHub:
    """Streams and producers in one process (a single worker without Redis)."""

    def __init__(self) -> None:
        self.streams: dict[str, set[Subscription]] = {}

    async def subscribe(self, user_id: str) -> Subscription:
        """A subscription that receives everything published for ``user_id`` from now on."""
        subscription = Subscription(user_id)
        self.streams.setdefault(user_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        streams = self.streams.get(subscription.user_id)
        if streams is not None:
            streams.discard(subscription)
            if not streams:
                del self.streams[subscription.user_id]

    def publish(self, user_id: str, entry: dict) -> None:
        """Hand ``entry`` to every stream of ``user_id``; never waits."""
        self.deliver(user_id, entry)

    def deliver(self, user_id: str, entry: dict) -> None:
        for subscription in tuple(self.streams.get(user_id, ())):
            subscription.offer(entry)

    def broadcast(self, item: dict) -> None:
        for streams in tuple(self.streams.values()):
            for subscription in tuple(streams):
                subscription.offer(item)

    async def close(self) -> None:
        self.broadcast(CLOSED)


class RedisHub(LocalHub):
    """Streams on any worker: publish to Redis, and listen to the channels of the users streaming here."""

    def __init__(self, client: redis.Redis, prefix: str = "roadwarrior:notifications:") -> None:
        super().__init__()
        self.client, self.prefix = client, prefix
        self._pubsub = client.pubsub()
        self._lock = asyncio.Lock()
        self._listening: asyncio.Task | None = None
        self._outbox: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue(OUTBOX_SIZE)
        self._sending: asyncio.Task | None = None

    async def subscribe(self, user_id: str) -> Subscription:
        first = user_id not in self.streams
        subscription = await super().subscribe(user_id)
        if first:
            async with self._lock:  # confirmed before the caller reads its backlog: no gap between the two
                try:
                    await self._pubsub.subscribe(self.prefix + user_id)
                except (RedisError, OSError) as exc:  # the listener reconnects, resubscribes and sends RESYNC
                    log.warning("Redis subscribe failed (%s)", type(exc).__name__)
        if self._listening is None or self._listening.done():
            self._listening = asyncio.create_task(self._listen())
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        super().unsubscribe(subscription)
        if subscription.user_id not in self.streams:
            asyncio.get_running_loop().create_task(self._drop(subscription.user_id))

    async def _drop(self, user_id: str) -> None:
        async with self._lock:
            if user_id not in self.streams:  # nobody came back meanwhile
                with contextlib.suppress(RedisError, OSError):
                    await self._pubsub.unsubscribe(self.prefix + user_id)

    def publish(self, user_id: str, entry: dict) -> None:
        try:
            self._outbox.put_nowait((self.prefix + user_id, orjson.dumps(entry)))
        except asyncio.QueueFull:  # Redis is down or far behind; streams will catch up by event ID
            log.warning("SSE outbox full: a live notification was not fanned out")
        if self._sending is None or self._sending.done():
            self._sending = asyncio.create_task(self._send())

    async def _send(self) -> None:
        while True:
            batch = [await self._outbox.get()]
            while not self._outbox.empty() and len(batch) < 500:
                batch.append(self._outbox.get_nowait())
            try:
                async with self.client.pipeline(transaction=False) as pipe:
                    for channel, data in batch:
                        pipe.publish(channel, data)
                    await pipe.execute()
            except (RedisError, OSError) as exc:
                log.warning("SSE fan-out through Redis failed (%s): %d entries dropped", type(exc).__name__,
                            len(batch))
                await asyncio.sleep(0.5)

    async def _listen(self) -> None:
        while self.streams:
            try:
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except (RedisError, OSError, RuntimeError) as exc:  # RuntimeError: no connection after a failed retry
                log.warning("Redis subscription lost (%s); reconnecting", type(exc).__name__)
                await self._reconnect()
                continue
            if message and message.get("type") == "message":
                channel = message["channel"].decode()
                self.deliver(channel.removeprefix(self.prefix), orjson.loads(message["data"]))

    async def _reconnect(self) -> None:
        await asyncio.sleep(0.5)
        async with self._lock:
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.aclose()
            self._pubsub = self.client.pubsub()
            try:
                if self.streams:
                    await self._pubsub.subscribe(*(self.prefix + user for user in self.streams))
            except (RedisError, OSError):
                return  # still down: the listener comes back here
        self.broadcast(RESYNC)  # listening again: whatever was published meanwhile is in the feed

    async def close(self) -> None:
        await super().close()
        for task in (self._listening, self._sending):
            if task is not None:
                task.cancel()
        with contextlib.suppress(RedisError, OSError):
            await self._pubsub.aclose()
            await self.client.aclose()


def hub_for(redis_url: str | None) -> LocalHub:
    """A Redis hub when a URL is configured, else the in-process one."""
    if not redis_url:
        return LocalHub()
    return RedisHub(redis.from_url(redis_url))
