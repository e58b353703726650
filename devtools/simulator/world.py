"""The simulated world: baselines derived on demand; only changed or created bookings are kept in memory."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable
from datetime import UTC, date, datetime

from devtools.simulator import baseline, bookings
from devtools.simulator.catalogue import (
    POPULATION_KIND,
    PROVIDERS,
    locator_index,
    population_index,
    subject_at,
)
from devtools.simulator.changes import ChangeRejected, apply_change
from devtools.simulator.random_changes import draw
from domain.common.timestamps import utc_iso
from domain.tracking.subjects import Subject, parse_subject

LOG_PER_SUBJECT = 100
Listener = Callable[[str, dict, dict], None]


class World:
    """Bookings of every simulated provider; the same seed and the same calls give the same world."""

    def __init__(self, seed: int = 42, start: date | None = None, population: int = 1_000_000,
                 clock: Callable[[], datetime] | None = None, created_share: float = 0.5) -> None:
        self.seed = seed
        self.start = start or datetime.now(UTC).date()
        self.population = population
        self.created_share = created_share
        self.sequence = 0  # random changes drawn so far; change n is drawn from (seed, n) alone
        self.listeners: list[Listener] = []
        self._clock = clock or (lambda: datetime.now(UTC))
        self._states: dict[str, dict] = {}
        self._created: list[str] = []
        self._logs: dict[str, deque] = {}
        self._recent: deque = deque(maxlen=1000)
        self._applied = 0

    def snapshot(self, subject: str) -> dict | None:
        """The subject's snapshot as a provider serves it; None when the world has no such booking."""
        state = self._state(subject)
        if state is None or state["kind"] != "pnr":
            return state
        segments = [{"subject": s, "snapshot": self.snapshot(s)} for s in state["segments"]]
        segments = [segment for segment in segments if segment["snapshot"] is not None]
        times = [s["snapshot"]["provider_changed_at"] for s in segments] + [state["provider_changed_at"]]
        return {"kind": "pnr", "status": state["status"], "record_locator": state["record_locator"],
                "segments": segments, "provider_changed_at": max(filter(None, times), default=None)}

    def create(self, spec: dict) -> str:
        """Store a booking built from ``spec``; the random changer picks created bookings often."""
        subject, states = bookings.build(self.seed, self.start, spec, len(self._created))
        self._states.update(states)
        for created in states:
            self._logs.pop(created, None)
        self._created.append(subject)
        return subject

    def inject(self, subject: str, change: dict, source: str = "injected") -> dict:
        """Apply ``change`` now; LookupError for an unknown subject, ChangeRejected when it cannot apply."""
        state = self._state(subject)
        if state is None:
            raise LookupError(subject)
        updated = apply_change(state, change)
        self._applied += 1
        entry = {"seq": self._applied, "subject": subject, "at": utc_iso(self._clock()),
                 "change": change, "source": source}
        updated["provider_changed_at"] = entry["at"]
        self._states[subject] = updated
        self._logs.setdefault(subject, deque(maxlen=LOG_PER_SUBJECT)).append(entry)
        self._recent.append(entry)
        for listener in self.listeners:
            listener(subject, self.snapshot(subject), entry)
        return entry

    def advance(self, count: int = 1) -> list[dict]:
        """Draw and apply the next ``count`` random changes (some draws find nothing to change)."""
        entries = []
        for _ in range(count):
            self.sequence += 1
            rng = baseline.rng_for(self.seed, f"change/{self.sequence}")
            subject, change = self._draw(rng, self._pick(rng))
            if change is None:
                continue  # a cancelled or landed booking: a quiet tick, as in life
            try:
                entries.append(self.inject(subject, change, source="random"))
            except ChangeRejected:
                pass  # the draw fits the kind, not every state (a patched booking); skip it like a quiet tick
        return entries

    def changes(self, subject: str) -> list[dict]:
        """Every change kept for ``subject`` (for a booking record, its segments' too), oldest first."""
        state = self._state(subject)
        subjects = [subject] + (state["segments"] if state is not None and state["kind"] == "pnr" else [])
        return sorted((e for s in subjects for e in self._logs.get(s, ())), key=lambda e: e["seq"])

    def recent(self, limit: int = 100) -> list[dict]:
        return list(self._recent)[-limit:]

    def stats(self) -> dict:
        return {"seed": self.seed, "start": self.start.isoformat(), "population": self.population,
                "sequence": self.sequence, "changes": self._applied, "stored": len(self._states),
                "created": len(self._created)}

    def subject_at(self, provider_id: str, index: int) -> str:
        return subject_at(provider_id, index, self.start)

    def _pick(self, rng: random.Random) -> str:
        if self._created and rng.random() < self.created_share:
            return rng.choice(self._created)
        provider_id = rng.choice(sorted(POPULATION_KIND))
        return self.subject_at(provider_id, rng.randrange(self.population))

    def _draw(self, rng: random.Random, subject: str) -> tuple[str, dict | None]:
        """(subject, change) for a picked subject; a booking record mostly changes through a segment."""
        state = self._state(subject)
        if state is None or state["status"] == "cancelled":
            return subject, None
        if state["kind"] != "pnr":
            return subject, draw(rng, state)
        if not state["segments"] or rng.random() < 0.03:
            return subject, {"type": "cancel"}
        return self._draw(rng, rng.choice(state["segments"]))

    def _state(self, subject: str) -> dict | None:
        state = self._states.get(subject)
        if state is not None:
            return state
        try:
            return self._baseline(parse_subject(subject))
        except ValueError:
            return None

    def _baseline(self, subject: Subject) -> dict | None:
        if subject.kind == "flight":
            return baseline.flight(self.seed, *subject.flight)
        provider = PROVIDERS.get(subject.provider)
        if provider is None or subject.kind not in provider.kinds:
            return None
        if "pnr" in provider.kinds and subject.kind != "pnr":
            return self._trip_segment(subject)
        index = population_index(subject)
        if index is None or index >= self.population:
            return None
        key = str(subject)
        if subject.kind == "pnr":
            plan = baseline.trip(self.seed, subject.provider, subject.ref, self.start)
            return {"kind": "pnr", "status": "confirmed", "record_locator": subject.ref,
                    "segments": plan["segments"], "provider_changed_at": None}
        city, day, nights = baseline.stay(self.seed, key, self.start)
        return getattr(baseline, subject.kind)(self.seed, key, city, day, nights)

    def _trip_segment(self, subject: Subject) -> dict | None:
        """A hotel or car inside a derived booking record: at the trip's destination, for its nights."""
        code, _, _ = subject.ref.rpartition("-")
        index = locator_index(code)
        if index is None or index >= self.population:
            return None
        plan = baseline.trip(self.seed, subject.provider, code, self.start)
        if str(subject) not in plan["segments"]:
            return None
        maker = getattr(baseline, subject.kind)
        return maker(self.seed, str(subject), plan["destination"], plan["day"], plan["nights"])
