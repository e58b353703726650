"""The tracking table: each tracked reservation's subject, owner, last kept snapshot and trust in it."""

from __future__ import annotations

from collections.abc import Callable

import orjson

from faust_app import app

tracking = app.Table(
    "tracking",
    key_type=str,
    help=(
        "reservation ID -> tracking record (domain/tracking/state.py)"
        " written by track_reservations and detect_changes"
    ),
)


def reader(partition: int) -> Callable[[str], dict | None]:
    """``tracking.get`` for the diff stage's hot path: straight reads of one partition's RocksDB store.

    Faust's read path (codec registry, serializer lookup, key index) costs ~25 µs a key, most of the
    budget of a stage that reads every reservation every cycle; the stored bytes are plain JSON under a
    JSON key, so reading them straight gives the same value. Other stores (memory:// in unit tests) are
    read the ordinary way.
    """
    open_partition = getattr(tracking.data, "_db_for_partition", None)
    if open_partition is None:
        return tracking.get
    get = open_partition(partition).get

    def read(reservation_id: str) -> dict | None:
        raw = get(orjson.dumps(reservation_id))
        return None if raw is None else orjson.loads(raw)

    return read
