"""Reading a table's entries under a key prefix: one RocksDB range read per active partition."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from faust.stores.rocksdb import Store as RocksDBStore


def scan(table, prefix: str) -> Iterator[tuple[str, Any]]:
    """(the key after ``prefix``, value) of the table's entries under ``prefix`` in this worker's active
    partitions: one RocksDB range read, or a plain scan of the in-memory store of unit tests."""
    store = table.data
    if not isinstance(store, RocksDBStore):
        for key, value in list(table.items()):
            if key.startswith(prefix):
                yield key[len(prefix):], value
        return
    raw = store._encode_key(prefix)[:-1]   # the JSON string key without its closing quote sorts first
    for db in store._dbs_for_actives():
        for key, value in db.items(from_key=raw):
            if not key.startswith(raw):
                break
            yield store._decode_key(key)[len(prefix):], store._decode_value(value)
