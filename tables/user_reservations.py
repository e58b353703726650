"""The user-reservations table: each user's reservations, for listings without a scatter-gather.

One entry per reservation, keyed ``<user ID>/<reservation ID>`` and written in the user's partition, so a
write costs the same for a traveller with 3 reservations as for one with 3,000 (a single value per user
grew with every booking, and a frequent traveller's would pass the broker's 1 MB message limit).
A listing reads the user's entries with one prefix scan of RocksDB.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from faust_app import app
from tables.prefix_scan import scan

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
    return scan(user_reservations, entry_key(user_id, ""))


def reservations_of(user_id: str) -> list[dict]:
    """The user's entries, deletion tombstones included (listing.page leaves them out)."""
    return [entry for _, entry in entries_of(user_id)]
