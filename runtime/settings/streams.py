"""Broker and streams: where the app's topics and tables live, and how the worker talks to Kafka."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from runtime.settings.fields import Derived, absolute_path, integer, number, one_of, setting

APP_ID = "roadwarrior"  # the group and changelog names (roadwarrior-<table>-changelog): never changes in production


@dataclass(frozen=True)
class Streams:
    """The broker, the table store, the partition count and the app's names on the broker."""

    broker: str = setting("ROADWARRIOR_BROKER", "kafka://127.0.0.1:9092",
                          doc="Kafka bootstrap servers (`;`-separated)")
    store: str = setting("ROADWARRIOR_STORE", "rocksdb://", doc="table store (`memory://` in unit tests)")
    data_dir: Path = setting(
        "ROADWARRIOR_DATA_DIR", Derived(lambda _: Path("var/data").resolve(), "`var/data`"), absolute_path,
        doc="RocksDB data, relative to the working directory; dev secrets live beside it in `var/secrets`")
    partitions: int = setting(
        "ROADWARRIOR_PARTITIONS", 4, integer,
        doc="partitions of every topic and table; each worker creates the app's topics with it and their retention "
            "at start (`streams/provision.py`), and `make run`'s broker uses it as `num.partitions`")
    app_id: str = setting(
        "ROADWARRIOR_APP_ID", APP_ID,
        doc="the Faust app id: the consumer group and the changelog names (`<id>-<table>-changelog`); never "
            "change it on a running deployment")
    topic_prefix: str = setting(
        "ROADWARRIOR_TOPIC_PREFIX", "",
        doc="put before every topic name of `streams/topics.py`; with `_APP_ID` it lets several apps share one "
            "broker (the integration tests do)")
    processing_guarantee: str = setting(
        "ROADWARRIOR_PROCESSING_GUARANTEE", "at_least_once", one_of("at_least_once", "exactly_once"),
        doc="Faust's processing guarantee: at least once, with every effect idempotent (see The broker); "
            "`exactly_once` was measured and not adopted")
    producer_linger_ms: float = setting(
        "ROADWARRIOR_PRODUCER_LINGER_MS", 2.0, number,
        doc="how long the producer waits to fill a batch: loading reservations into tracking went from 409 to "
            "511/s with 2 ms, creates did not change")
    fetch_wait_ms: int = setting(
        "ROADWARRIOR_FETCH_WAIT_MS", 100, integer,
        doc="the worker consumer's fetch wait (Faust hard-codes 1,500): aiokafka keeps one fetch in flight per "
            "broker, so a partition consumed just after it went out waits for it; 1,500 ms made the create p99 "
            "1.64 s, 100 ms 280 ms (`runtime/fetch_wait.py`)")
