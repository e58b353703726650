"""This worker's travellers by when one of their trips next begins or ends, for the end-of-trips timer.

Kept in memory: the agents set a traveller's time after each change of their trips, and the timer rebuilds
it from the trips table of the partitions this worker owns after a start or a rebalance.
"""

from __future__ import annotations

from datetime import datetime

from domain.notify.due import DueIndex
from domain.trips.book import next_change

due = DueIndex()


def reschedule(user_id: str, book: dict, now: datetime) -> None:
    when = next_change(book, now)
    due.set(user_id, None if when is None else when.timestamp())
