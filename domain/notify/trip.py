"""The reservation as a message talks about it: its name, its places and times, and its detail lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.common.places import airport
from domain.notify import moments
from domain.notify.facts import place_zone
from domain.notify.locales import Lang, message

SEPARATOR = " · "


@dataclass(frozen=True)
class Trip:
    """What sentences about one reservation need, already in the reader's language."""

    lang: Lang
    kind: str
    subject: str
    named: bool
    flight: str
    destination: str
    start: datetime | date | None
    end: datetime | date | None
    reservation: dict

    @classmethod
    def of(cls, reservation: dict | None, lang: Lang) -> Trip:
        reservation = reservation or {}
        kind = reservation.get("type") or ""
        flight = reservation.get("flight") or {}
        code = " ".join(str(flight[k]) for k in ("airline", "number") if flight.get(k))
        destination = str(flight.get("to") or "")
        if kind == "flight":
            subject = message(lang, "subject.flight", flight=code, destination=destination)
        else:
            subject = str((reservation.get(kind) or {}).get("name" if kind == "hotel" else "company") or "")
        return cls(
            lang=lang, kind=kind, flight=code, destination=destination,
            subject=subject or message(lang, "subject.booking"), named=bool(subject),
            start=moments.read(reservation.get("start"), place_zone(reservation, "start")),
            end=moments.read(reservation.get("end"), place_zone(reservation, "end")),
            reservation=reservation,
        )

    def when(self, moment: object) -> str:
        if isinstance(moment, (datetime, date)):
            return moments.when_text(moment, self.lang.locale)
        return ""

    def details(self) -> list[tuple[str, str]]:
        """Label and value lines under the news: times, places, gates and the confirmation code."""
        lines = {"flight": self._flight_lines, "hotel": self._hotel_lines, "car": self._car_lines}.get(
            self.kind, lambda: [])()
        confirmation = self.reservation.get("confirmation")
        if confirmation:
            lines.append((self._label("confirmation"), str(confirmation)))
        return [(label, value) for label, value in lines if value]

    def _flight_lines(self) -> list[tuple[str, str]]:
        flight = self.reservation.get("flight") or {}
        route = " → ".join(str(flight[k]) for k in ("from", "to") if flight.get(k))
        return [
            (self._label("flight"), SEPARATOR.join(p for p in (self.flight, route) if p)),
            (self._label("departure"), self._joined(self.when(self.start), _airport_name(flight.get("from")),
                                                    self._at("terminal", flight.get("departure_terminal")),
                                                    self._at("gate", flight.get("departure_gate")))),
            (self._label("arrival"), self._joined(self.when(self.end), _airport_name(flight.get("to")),
                                                  self._at("terminal", flight.get("arrival_terminal")),
                                                  self._at("gate", flight.get("arrival_gate")))),
        ]

    def _hotel_lines(self) -> list[tuple[str, str]]:
        hotel = self.reservation.get("hotel") or {}
        return [(self._label("check_in"), self.when(self.start)), (self._label("check_out"), self.when(self.end)),
                (self._label("address"), str(hotel.get("address") or ""))]

    def _car_lines(self) -> list[tuple[str, str]]:
        car = self.reservation.get("car") or {}
        return [
            (self._label("pickup"), self._joined(self.when(self.start), car.get("pickup_location"))),
            (self._label("dropoff"), self._joined(self.when(self.end), car.get("dropoff_location"))),
        ]

    def _label(self, name: str) -> str:
        return message(self.lang, f"label.{name}")

    def _at(self, name: str, value: object) -> str:
        return message(self.lang, f"label.{name}", value=value) if value else ""

    @staticmethod
    def _joined(*parts: object) -> str:
        return SEPARATOR.join(str(p) for p in parts if p)


def _airport_name(code: object) -> str:
    """"New York (JFK)": the city helps where a bare code would not."""
    record = airport(str(code or ""))
    if record is None:
        return str(code or "")
    return f"{record['city']} ({code})" if record.get("city") else str(code)
