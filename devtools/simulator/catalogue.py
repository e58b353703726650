"""The simulated providers, which subjects each serves, and the enumerable population of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from devtools.simulator.baseline import CARRIERS, FLIGHT_NUMBERS
from domain.tracking.subjects import Subject

LOCATOR_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: GDS locators avoid look-alikes
FLIGHT_HOME = "airline-sim"
AMADEUS = "amadeus-sim"


@dataclass(frozen=True)
class SimProvider:
    """One simulated provider, as its ``/v1/info`` describes it."""

    provider_id: str
    kinds: tuple[str, ...]
    per_second: int = 100
    per_day: int = 10_000_000
    batch_size: int = 100
    can_push: bool = True

    def info(self) -> dict:
        return {"provider_id": self.provider_id, "kinds": list(self.kinds),
                "quota": {"per_second": self.per_second, "per_day": self.per_day},
                "batch_size": self.batch_size, "can_push": self.can_push}

    def serves(self, subject: Subject) -> bool:
        return subject.kind in self.kinds and subject.provider in (None, self.provider_id)


PROVIDERS = {
    provider.provider_id: provider
    for provider in (
        SimProvider("airline-sim", ("flight",)),
        SimProvider("hotel-sim", ("hotel",)),
        SimProvider("car-sim", ("car",), can_push=False),
        SimProvider("gds-sim", ("pnr", "flight", "hotel", "car"), batch_size=50),
    )
}
# What the random changer picks from: the kind each provider's population is made of.
POPULATION_KIND = {"airline-sim": "flight", "hotel-sim": "hotel", "car-sim": "car", "gds-sim": "pnr"}


def home_provider(subject: Subject) -> str:
    """The provider that pushes a subject's changes: flights belong to the airline."""
    return FLIGHT_HOME if subject.provider is None else subject.provider


def locator(index: int) -> str:
    """The ``index``-th six-letter record locator (a bijection onto 32**6 codes)."""
    letters = []
    for _ in range(6):
        index, digit = divmod(index, len(LOCATOR_ALPHABET))
        letters.append(LOCATOR_ALPHABET[digit])
    return "".join(reversed(letters))


def locator_index(code: str) -> int | None:
    if len(code) != 6 or any(ch not in LOCATOR_ALPHABET for ch in code):
        return None
    index = 0
    for ch in code:
        index = index * len(LOCATOR_ALPHABET) + LOCATOR_ALPHABET.index(ch)
    return index


def subject_at(provider_id: str, index: int, start: date) -> str:
    """The ``index``-th subject of a provider's population (flights: every carrier, number and day)."""
    kind = POPULATION_KIND[provider_id]
    if kind == "flight":
        per_day = len(CARRIERS) * FLIGHT_NUMBERS
        rest = index % per_day
        day = start + timedelta(days=index // per_day)
        return f"flight/{CARRIERS[rest % len(CARRIERS)]}/{rest // len(CARRIERS) + 1}/{day.isoformat()}"
    if kind == "pnr":
        return f"pnr/{provider_id}/{locator(index)}"
    return f"{kind}/{provider_id}/{kind[0].upper()}{index:09d}"


def population_index(subject: Subject) -> int | None:
    """Where a hotel, car or record subject sits in its provider's population; None if outside it."""
    if subject.kind == "pnr":
        return locator_index(subject.ref)
    prefix = subject.kind[0].upper()
    if len(subject.ref) == 10 and subject.ref[0] == prefix and subject.ref[1:].isdigit():
        return int(subject.ref[1:])
    return None
