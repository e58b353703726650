"""The embedded broker's fetch time against the record batches a partition already holds.

    python -m bench.broker_fetch [--batches 1000 5000 10000 14000 17000 20000] [--waits 10 500]

Tansu 0.6 with memory storage lists every stored batch of a partition on each fetch that has something to
return (tansu-storage/src/dynostore.rs, ``fetch``: ``object_store.list`` over ``.../records/``, then a
BTreeSet of all their offsets), and never deletes a batch (no retention, no compaction; DeleteRecords is
``todo!()``). So a fetch costs more the longer a topic has been written to, however little it returns.
This writes one-record batches into one partition and times a fetch of the last record as the partition
fills, for each consumer fetch wait. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from runtime.cluster import Cluster  # noqa: E402

GIVE_UP_MS = 20_000


async def run(servers: str, counts: list[int], wait_ms: int) -> None:
    topic = f"fetch-growth-{wait_ms}"
    producer = AIOKafkaProducer(bootstrap_servers=servers, linger_ms=0)
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, group_id=None, fetch_max_wait_ms=wait_ms)
    await producer.start()
    await consumer.start()
    tp, stored = TopicPartition(topic, 0), 0
    consumer.assign([tp])
    try:
        for count in counts:
            while stored < count:   # one at a time: each record is its own batch
                await producer.send_and_wait(topic, b"x" * 100, partition=0)
                stored += 1
            times = []
            for _ in range(5):
                consumer.seek(tp, stored - 1)
                started = time.perf_counter()
                got = await consumer.getmany(tp, timeout_ms=GIVE_UP_MS)
                times.append((time.perf_counter() - started) * 1000 if got else float("inf"))
                if not got:
                    break   # once one gives up, so do the others
            p50 = statistics.median(times)
            shown = f"in {p50:.1f} ms" if p50 != float("inf") else f"not within {GIVE_UP_MS / 1000:.0f} s"
            print(f"fetch wait {wait_ms:4d} ms, {stored:6,} batches in the partition: last record fetched {shown}",
                  flush=True)
    finally:
        await consumer.stop()
        await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, nargs="+", default=[1000, 5000, 10000, 14000, 17000, 20000])
    parser.add_argument("--waits", type=int, nargs="+", default=[10, 500])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        cluster = Cluster(Path(workdir))
        cluster.start_broker()
        try:
            for wait_ms in args.waits:
                asyncio.run(run(f"127.0.0.1:{cluster.broker_port}", args.batches, wait_ms))
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
