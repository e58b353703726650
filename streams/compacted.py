"""Read a compacted topic as a table: every partition from the beginning to its end offset, latest value per key."""

from __future__ import annotations

import asyncio
import time

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

STALL_S = 30.0   # behind the end offsets with nothing arriving for this long: give up rather than hang


class BrokerUnreachable(Exception):
    """The broker could not be reached (or answered nothing) in time."""


async def read_tables(servers: list[str], names: list[str], timeout_s: float = 20.0) -> dict[str, dict | None]:
    """Per topic name, its latest value per key (tombstones dropped), or None when the topic does not exist.

    A consumer of its own with no group: it commits nothing and takes no partition from anyone.
    """
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, enable_auto_commit=False, request_timeout_ms=15000,
                                connections_max_idle_ms=60000)
    try:
        await asyncio.wait_for(consumer.start(), timeout_s)
        # consumer.topics() answers from metadata it does not keep, so partitions_for_topic would not know them:
        # ask the client (aiokafka is pinned exactly) and read the partitions from the answer.
        metadata = await asyncio.wait_for(consumer._client.fetch_all_metadata(), timeout_s)
    except Exception as exc:   # KafkaConnectionError, a timeout, an unresolvable host name …
        await consumer.stop()
        raise BrokerUnreachable(f"cannot reach the broker at {','.join(servers)} ({type(exc).__name__})") from None
    try:
        return {name: await _read(consumer, name, metadata.partitions_for_topic(name)) if name in metadata.topics()
                else None for name in names}
    finally:
        await consumer.stop()


async def _read(consumer: AIOKafkaConsumer, topic: str, numbers: set[int] | None) -> dict:
    partitions = [TopicPartition(topic, p) for p in sorted(numbers or ())]
    if not partitions:
        return {}
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    ends, latest, heard = await consumer.end_offsets(partitions), {}, time.monotonic()
    while await _behind(consumer, ends):
        batches = await consumer.getmany(*partitions, timeout_ms=500)
        if batches:
            heard = time.monotonic()
        elif time.monotonic() - heard > STALL_S:
            raise BrokerUnreachable(f"reading {topic} stalled for {STALL_S:.0f} s before its end offsets")
        for records in batches.values():
            for record in records:
                if record.offset < ends[TopicPartition(record.topic, record.partition)]:
                    _keep(latest, record.key, record.value)
    return latest


async def _behind(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return True
    return False


def _keep(latest: dict, key: bytes | None, value: bytes | None) -> None:
    if key is None:
        return   # every value on our topics has a key; a keyless one can be no row
    try:
        name = orjson.loads(key)   # keys are JSON strings, quotes included
        if value is None:
            latest.pop(name, None)   # a tombstone: the row is gone
        else:
            latest[name] = orjson.loads(value)
    except orjson.JSONDecodeError:
        pass   # not one of our records: no producer of ours writes anything but JSON
