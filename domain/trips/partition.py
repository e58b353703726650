"""Which reservations travel together: journeys out from home and back, otherwise reservations close in time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.common.timestamps import to_utc

GAP = timedelta(hours=24)
FOREVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, order=True)
class Span:
    """One reservation as grouping sees it: when it runs (UTC), and for a flight where it leaves and lands."""

    start: datetime
    end: datetime
    id: str
    origin: str | None = None
    destination: str | None = None
    cancelled: bool = False

    @classmethod
    def of(cls, reservation: dict) -> Span:
        """From a reservation as stored (domain/reservations/fields.py): times with their offsets."""
        flight = (reservation.get("flight") or {}) if reservation.get("type") == "flight" else {}
        return cls(to_utc(reservation["start"]), to_utc(reservation["end"]), reservation["id"],
                   flight.get("from"), flight.get("to"), reservation.get("status") == "cancelled")


def distance(a: Span, b: Span) -> timedelta:
    """The time between two spans; zero when they overlap or touch."""
    return max(a.start - b.end, b.start - a.end, timedelta(0))


@dataclass
class _Group:
    """The members so far, and the window a reservation must overlap to join them."""

    members: list[Span]
    opens: datetime
    closes: datetime
    home_at: datetime = FOREVER  # the end of a return home: nothing starting from then on joins

    def admits(self, span: Span) -> bool:
        return span.start < self.closes and span.end > self.opens

    def distance(self, span: Span) -> timedelta:
        return min(distance(member, span) for member in self.members)

    def extend(self, span: Span, home: frozenset[str]) -> None:
        self.members.append(span)
        if span.destination in home:
            self.home_at = min(self.home_at, span.end)
        self.closes = min(max(self.closes, span.end + GAP), self.home_at)


def partition(spans: Iterable[Span], home: frozenset[str] = frozenset()) -> list[tuple[Span, ...]]:
    """The traveller's reservations in groups that travel together, each in time order, the earliest first.

    With a home (its airports), a departure from home opens a journey that takes everything starting
    until the return home lands; a journey with no return (one-way, or open-jaw back to another airport)
    takes everything until the next departure from home and ends at its last reservation. Whatever
    overlaps a journey joins it (the hotel checked into the night before the flight out). The rest, and
    everything when there is no home, groups by time: reservations that overlap or lie less than GAP apart
    travel together, and a return home ends such a group too.

    A cancelled reservation shapes nothing (a cancelled return flight must not end a trip whose new return
    comes a day later): it joins the group it overlaps or lies within GAP of, and only cancelled ones
    nothing admits group among themselves, so every reservation is in exactly one group.

    The result depends on the set of spans only, never on their order: every step walks them sorted, and
    every choice between groups falls on the nearest, then the earliest.
    """
    spans = sorted(spans)
    journeys, loose = _journeys([s for s in spans if not s.cancelled], home)
    groups = journeys + _by_time(_attach(journeys, loose), home)
    groups += _by_time(_attach(groups, [s for s in spans if s.cancelled]), home)
    return sorted(tuple(sorted(group.members)) for group in groups)


def _journeys(active: list[Span], home: frozenset[str]) -> tuple[list[_Group], list[Span]]:
    """The journeys from home, and the reservations no journey took while walking them in time order."""
    journeys: list[_Group] = []
    loose: list[Span] = []
    current: _Group | None = None
    for span in active:
        if span.origin in home:
            current = _Group([span], span.start, FOREVER)
            journeys.append(current)
        elif current is None:
            loose.append(span)
            continue
        else:
            current.members.append(span)
        if span.destination in home:
            current.closes, current = span.end, None
    for journey, following in zip(journeys, journeys[1:], strict=False):
        journey.closes = min(journey.closes, following.opens)
    return journeys, loose


def _by_time(spans: list[Span], home: frozenset[str]) -> list[_Group]:
    """Time-ordered spans in groups of those less than GAP apart; a return home closes its group."""
    groups: list[_Group] = []
    for span in spans:
        if groups and span.start < groups[-1].closes:
            groups[-1].extend(span, home)
        else:
            groups.append(_Group([], span.start - GAP, span.start))
            groups[-1].extend(span, home)
    return groups


def _attach(groups: list[_Group], spans: list[Span]) -> list[Span]:
    """Each span joins the nearest group whose window it overlaps; the spans no group admits come back.

    Every choice is made before any span joins, so one joining cannot change where the next one goes.
    """
    choices = [(span, min((g for g in groups if g.admits(span)),
                          key=lambda g: (g.distance(span), g.opens, g.members[0]), default=None))
               for span in spans]
    for span, group in choices:
        if group is not None:
            group.members.append(span)
    return [span for span, group in choices if group is None]
