"""Broker epochs: notice a broker that came back empty, so a worker never runs on stale local tables.

The first record of the ``roadwarrior-broker-epoch`` topic names the broker's epoch. The worker keeps the
epoch it last ran against in its data dir. Tansu keeps topics in memory: after a broker restart the topic is
empty, a new epoch is written, and the worker wipes its RocksDB tables and rebuilds from the (empty) changelogs
instead of exiting with ConsistencyError or silently diverging (BROKER.md defect 6).
"""

from __future__ import annotations

import logging
import shutil
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

EPOCH_TOPIC = "roadwarrior-broker-epoch"
log = logging.getLogger(__name__)


async def broker_epoch(servers: list[str]) -> str:
    """Read the broker's epoch, creating it when the broker has none (first start, or came back empty)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(EPOCH_TOPIC, num_partitions=1, replication_factor=1)])
    except TopicAlreadyExistsError:
        pass
    finally:
        await admin.close()
    epoch = await first_record(servers)
    if epoch is None:
        producer = AIOKafkaProducer(bootstrap_servers=servers)
        await producer.start()
        try:
            await producer.send_and_wait(EPOCH_TOPIC, uuid.uuid4().hex.encode(), partition=0)
        finally:
            await producer.stop()
        epoch = await first_record(servers)  # two workers racing: the first record wins for both
    if epoch is None:
        raise RuntimeError(f"could not read back the broker epoch from {EPOCH_TOPIC}")
    return epoch


async def first_record(servers: list[str]) -> str | None:
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        tp = TopicPartition(EPOCH_TOPIC, 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        end = (await consumer.end_offsets([tp]))[tp]
        if end == 0:
            return None
        batch = await consumer.getmany(tp, timeout_ms=5000, max_records=1)
        records = batch.get(tp, [])
        return records[0].value.decode() if records else None
    finally:
        await consumer.stop()


async def reconcile(servers: list[str], data_dir: Path, table_dir: Path) -> str:
    """Compare the broker's epoch with the one this data dir last saw; wipe the tables if they differ."""
    epoch = await broker_epoch(servers)
    marker = data_dir / "broker-epoch"
    seen = marker.read_text().strip() if marker.exists() else None
    if seen is not None and seen != epoch and table_dir.exists():
        log.warning(
            "BROKER RESTARTED EMPTY: broker epoch is %s, this data dir last ran against %s. "
            "Wiping local tables in %s and rebuilding them from the broker.", epoch, seen, table_dir,
        )
        shutil.rmtree(table_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(epoch)
    global current
    current = epoch
    return epoch


current: str | None = None  # the epoch this process started against
