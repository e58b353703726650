"""When each key next has work: a heap of due times, for timers that must wake a user's agent at the right moment."""

from __future__ import annotations

import heapq
from collections.abc import Hashable


class DueIndex:
    """Keys with the time (epoch seconds) each is next due; setting a key again replaces its time."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Hashable]] = []
        self._due: dict[Hashable, float] = {}
        self._order = 0  # ties keep insertion order and never compare keys

    def set(self, key: Hashable, when: float | None) -> None:
        """Due at ``when``; None forgets the key."""
        if when is None:
            self._due.pop(key, None)
            return
        if self._due.get(key) == when:
            return
        self._due[key] = when
        self._order += 1
        heapq.heappush(self._heap, (when, self._order, key))
        if len(self._heap) > 4 * len(self._due) + 64:  # mostly stale times: rebuild rather than grow
            self._heap = [item for item in self._heap if self._due.get(item[2]) == item[0]]
            heapq.heapify(self._heap)

    def pop_due(self, now: float) -> list[Hashable]:
        """Keys due at or before ``now``, earliest first; each is forgotten until set again."""
        out = []
        while self._heap and self._heap[0][0] <= now:
            when, _, key = heapq.heappop(self._heap)
            if self._due.get(key) == when:  # an older time of a key set again is stale
                del self._due[key]
                out.append(key)
        return out

    def clear(self) -> None:
        self._heap.clear()
        self._due.clear()

    def __len__(self) -> int:
        return len(self._due)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._due
