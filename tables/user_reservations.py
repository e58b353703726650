"""The user-reservations table: each user's reservations, for listings without a scatter-gather.

One entry per reservation, keyed ``<user ID>/<reservation ID>`` and written in the user's partition, so a
write costs the same for a traveller with 3 reservations as for one with 3,000 (a single value per user
grew with every booking, and a frequent traveller's would pass the broker's 1 MB message limit).
A listing reads the user's entries with one prefix scan of RocksDB.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from faust.stores.rocksdb import Store as RocksDBStore

from faust_app import app

user_reservations = app.Table(
    "user-reservations",
    key_type=str,
    help=(
        "<user ID>/<reservation ID> -> reservation (or a deletion tombstone {version, deleted}) for listings;"
        " written by index_user_reservations"
    ),
)


def entry_key(user_id: str, reservation_id: str) -> str:
    return f"{user_id}/{reservation_id}"


def entries_of(user_id: str) -> Iterator[tuple[str, Any]]:
    """(reservation ID, entry) for each of the user's entries held by this worker's active partitions."""
    prefix = entry_key(user_id, "")
    store = user_reservations.data
    if not isinstance(store, RocksDBStore):   # the in-memory store of unit tests: a plain scan
        for key, value in list(user_reservations.items()):
            if key.startswith(prefix):
                yield key[len(prefix):], value
        return
    raw = store._encode_key(prefix)[:-1]   # the JSON string key without its closing quote sorts first
    for db in store._dbs_for_actives():
        for key, value in db.items(from_key=raw):
            if not key.startswith(raw):
                break
            yield store._decode_key(key)[len(prefix):], store._decode_value(value)


def reservations_of(user_id: str) -> list[dict]:
    """The user's entries, deletion tombstones included (listing.page leaves them out)."""
    return [entry for _, entry in entries_of(user_id)]
