"""Partitions' end offsets asked on a Kafka client of our own, not through the worker consumer's thread.

Faust's ``app.consumer.highwaters`` queues the ListOffsets request on the consumer's thread, which sends it only
after its in-flight fetch returns: up to the fetch wait (runtime/fetch_wait.py, 100 ms) for every read that waits
for its own writes, and two of them for a trips listing (README, Tests and benchmarks). A consumer with no group
and no assignment, on the web layer's own loop, only ever sends ListOffsets: ~1 ms on an idle broker.
"""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth, server_list
from faust.types import TP, AppT


class EndOffsetsClient:
    """``highwaters(*partitions)`` as Faust's consumer answers it, on a consumer started at first use."""

    def __init__(self, app: AppT) -> None:
        self._app = app
        self._consumer: AIOKafkaConsumer | None = None
        self._starting = asyncio.Lock()

    async def highwaters(self, *partitions: TP) -> dict[TP, int]:
        consumer = await self._started()
        return await consumer.end_offsets(list(partitions))

    async def start(self) -> None:
        """Connect now rather than in the first read (its bootstrap and metadata cost a request ~100 ms)."""
        await self._started()

    async def stop(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            await consumer.stop()

    async def _started(self) -> AIOKafkaConsumer:
        async with self._starting:
            if self._consumer is None:
                consumer = self._new_consumer()
                await consumer.start()
                self._consumer = consumer
        return self._consumer

    def _new_consumer(self) -> AIOKafkaConsumer:
        conf = self._app.conf
        transport = self._app.transport
        return AIOKafkaConsumer(
            bootstrap_servers=server_list(transport.url, transport.default_port),
            client_id=f"{conf.broker_client_id}-end-offsets", group_id=None, enable_auto_commit=False,
            request_timeout_ms=int(conf.broker_request_timeout * 1000),
            # A topic's first lookup finds no metadata for it yet, fetches it, and retries after this backoff:
            # aiokafka's 100 ms would be one slow read per topic and worker.
            retry_backoff_ms=20,
            # Under exactly-once a read may count only committed writes: the end is the last stable offset,
            # as the worker consumer (read_committed then) answers it.
            isolation_level="read_committed" if conf.processing_guarantee.value == "exactly_once"
            else "read_uncommitted",
            **credentials_to_aiokafka_auth(conf.broker_credentials, conf.ssl_context))
