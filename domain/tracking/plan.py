"""One partition's poll timetable: when each subject is due, the slot each poll serves, and the watermark.

Every subject has one *open slot* (``domain.tracking.schedule``: ``k * cycle + offset``), the oldest slot not yet
polled. A subject waiting for its slot is *regular* (due time = slot). After a restart the missed slots
are spread out (``schedule.rebuild``): those poll later than their slot and are *irregular*, as is a poll
in flight (a failed one is done too: it waits for its next slot). The *watermark* W says "every slot
before W is done"; it is the smallest open slot, i.e. the smaller of the earliest regular due time and
the earliest irregular slot. Checkpointing W is enough to rebuild the timetable after a crash: slots
from W on are polled (the missed ones spread over the cycle), slots before W are not polled again.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from domain.tracking import schedule


class PollPlan:
    """Due times of one partition's subjects; plain data over ``now`` (seconds since the epoch)."""

    def __init__(self, cycle_s: float) -> None:
        if cycle_s <= 0:
            raise ValueError("cycle_s must be positive")
        self.cycle_s = cycle_s
        self._due: dict[str, float] = {}          # subject -> when to poll (waiting subjects)
        self._late: dict[str, float] = {}         # subject -> its open slot, when polled after it
        self._flying: dict[str, float] = {}       # subject -> the slot its poll in flight serves
        self._due_heap: list[tuple[float, str]] = []
        self._slot_heap: list[tuple[float, str]] = []   # open slots of late and flying subjects

    def __len__(self) -> int:
        return len(self._due) + len(self._flying)

    def __contains__(self, subject: str) -> bool:
        return subject in self._due or subject in self._flying

    def add(self, subject: str, now: float) -> None:
        """Start polling a subject at its first slot from ``now`` on; a known subject keeps its time."""
        if subject not in self:
            self._wait(subject, schedule.next_due(subject, self.cycle_s, now))

    def remove(self, subject: str) -> None:
        """Stop polling a subject (a poll in flight for it is forgotten: ``done`` ignores it)."""
        self._due.pop(subject, None)
        self._late.pop(subject, None)
        self._flying.pop(subject, None)

    def take_due(self, now: float, limit: int | None = None) -> list[tuple[str, float]]:
        """(subject, slot) of every subject due by ``now``, earliest first; they are in flight until done."""
        taken: list[tuple[str, float]] = []
        while self._due_heap and (limit is None or len(taken) < limit):
            due, subject = self._due_heap[0]
            if self._due.get(subject) != due:
                heapq.heappop(self._due_heap)   # stale: removed or rescheduled since
                continue
            if due > now:
                break
            heapq.heappop(self._due_heap)
            del self._due[subject]
            slot = self._late.pop(subject, due)
            self._flying[subject] = slot
            heapq.heappush(self._slot_heap, (slot, subject))
            taken.append((subject, slot))
        return taken

    def done(self, subject: str, now: float) -> None:
        """The poll in flight is over (answered, or failed for good): wait for the next slot."""
        slot = self._flying.pop(subject, None)
        if slot is not None:
            self._wait(subject, schedule.next_due(subject, self.cycle_s, now, last_due=slot))

    def next_due(self, subject: str) -> float | None:
        return self._due.get(subject)

    def watermark(self, now: float) -> float:
        """Every slot before this is done; never later than ``now``."""
        earliest = now
        while self._due_heap:
            due, subject = self._due_heap[0]
            if self._due.get(subject) == due:
                earliest = min(earliest, due)
                break
            heapq.heappop(self._due_heap)
        while self._slot_heap:
            slot, subject = self._slot_heap[0]
            if self._flying.get(subject) == slot or self._late.get(subject) == slot:
                return min(earliest, slot)
            heapq.heappop(self._slot_heap)
        return earliest

    def rebuild(self, subjects: Mapping[str, float], watermark: float | None, now: float) -> None:
        """The timetable after a restart or a rebalance, from the subjects (-> when they joined) and W.

        With no watermark (never checkpointed) each subject starts at its next slot. Otherwise the open
        slot is the first at or after W (or after joining, if later): still ahead, it is kept; missed,
        it is polled now, missed ones spread as ``schedule.rebuild`` spreads them.
        """
        stored: dict[str, float | None] = {}
        for subject, joined_at in subjects.items():
            if watermark is None:
                stored[subject] = None
            else:
                stored[subject] = schedule.next_due(subject, self.cycle_s, max(watermark, joined_at))
        for subject, due in schedule.rebuild(stored, self.cycle_s, now).items():
            self.remove(subject)
            slot = stored[subject]
            if slot is not None and slot < due:
                self._late[subject] = slot
                heapq.heappush(self._slot_heap, (slot, subject))
            self._wait(subject, due)

    def _wait(self, subject: str, due: float) -> None:
        self._due[subject] = due
        heapq.heappush(self._due_heap, (due, subject))
