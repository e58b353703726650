"""The reservation form as the API reads it: form fields to a POST or merge-patch body, a reservation to fields.

Nothing here validates: the API does (domain/reservations/fields.py), and its messages go next to the fields,
which carry the names of the API's own fields (``flight.from`` is the form's ``from``).
"""

from __future__ import annotations

from collections.abc import Mapping

TYPES = ("flight", "hotel", "car")
DETAILS = {
    "flight": ("airline", "number", "from", "to", "departure_terminal", "departure_gate", "seat"),
    "hotel": ("name", "address"),
    "car": ("company", "pickup_location", "dropoff_location"),
}
# A flight's zones are its airports'; a hotel's end is in its start's zone; a car may be dropped elsewhere.
ZONES = {"flight": (), "hotel": ("start_time_zone",), "car": ("start_time_zone", "end_time_zone")}
TOP = ("start", "end", "confirmation")


def fields_of(kind: str) -> tuple[str, ...]:
    return (*DETAILS[kind], *TOP, *ZONES[kind])


def body_of(kind: str, form: Mapping, *, patch: bool = False) -> dict:
    """The API body for the submitted form: a new reservation, or a merge patch where an emptied field is
    null (removed, or refused by the API when it is required)."""
    def value(name: str) -> str | None:
        text = str(form.get(name, "")).strip()
        return text or None

    detail = {name: value(name) for name in DETAILS[kind]}
    top = {name: value(name) for name in (*TOP, *ZONES[kind])}
    if not patch:
        return {"type": kind, **_given(top), kind: _given(detail)}
    return {**top, kind: detail}


def values_of(reservation: dict) -> dict[str, str]:
    """The form's initial values for an existing reservation: times as the place's wall clock."""
    kind = reservation.get("type")
    detail = reservation.get(kind) or {}
    values = {name: str(detail.get(name) or "") for name in DETAILS.get(kind, ())}
    for name in ("start", "end"):
        values[name] = local_input(reservation.get(name))
    for name in ("confirmation", "start_time_zone", "end_time_zone"):
        values[name] = str(reservation.get(name) or "")
    return values


def local_input(moment: str | None) -> str:
    """An answer's time (in the place's offset) as a datetime-local input shows it: the wall clock, to the
    minute. The API reads a time without an offset as the place's wall clock, so it goes back unchanged."""
    return moment[:16] if moment else ""


def _given(values: dict) -> dict:
    return {name: v for name, v in values.items() if v is not None}
