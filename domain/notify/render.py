"""A change (or a collapsed batch) in words: title, plain-text body and HTML body in the reader's language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from domain.notify import moments
from domain.notify.facts import Fact, facts
from domain.notify.html import html_body
from domain.notify.locales import MISSING, Lang, has_message, message
from domain.notify.trip import Trip

# Kinds with a message per end of the rental (pick-up, drop-off).
SIDED = {"car_location", "car_time"}


@dataclass(frozen=True)
class Rendered:
    """The words of one notification; ``summary`` is the body a push shows."""

    locale: str
    title: str
    summary: str
    text: str
    html: str


def render(change: dict, lang: Lang) -> Rendered:
    """Words for ``change`` in ``lang`` (runtime/i18n.py lang); times in each place's own zone, named."""
    trip = Trip.of(change.get("reservation"), lang)
    found = facts(change)
    sentences = _sentences(found, trip) or [_generic(trip, "text")]
    title = _whose(change.get("shared_by"), lang, _title(found, trip))
    details = trip.details()
    footer = message(lang, "text.footer")
    lines = [*sentences, "", *(message(lang, "text.detail", label=k, value=v) for k, v in details), "", footer]
    return Rendered(
        locale=lang.tag,
        title=title,
        summary="\n".join(sentences),
        text="\n".join(lines).replace("\n\n\n", "\n\n").strip() + "\n",
        html=html_body(lang.tag.replace("_", "-"), title, sentences, details, footer),
    )


def _whose(shared_by: dict | None, lang: Lang, title: str) -> str:
    """A follower's copy (domain/trips/shares.py for_followers) says whose trip it is: the booking is not
    the reader's own."""
    if not shared_by:
        return title
    owner = shared_by.get("owner_name")
    key = "title.shared" if owner else "title.shared_trip"
    return message(lang, key, owner=owner, trip=shared_by.get("trip_name"), title=title)


def _title(found: list[Fact], trip: Trip) -> str:
    top = found[0] if found else None
    if top is None or top.kind == "field":
        if len(found) > 1 and trip.named:
            return message(trip.lang, "title.many", count=len(found), subject=trip.subject, n=len(found))
        return _generic(trip, "title")
    if (moved := _minutes_moved(top)) is not None:
        return message(trip.lang, f"title.{top.kind}_by", count=moved, subject=trip.subject, n=moved)
    key = _key("title", top, trip)
    return message(trip.lang, key, subject=trip.subject, flight=trip.flight, new=_value(top.new, trip))


def _minutes_moved(fact: Fact) -> int | None:
    """How many minutes a departure moved, for a title that says it; None when that is not a count."""
    if fact.kind not in ("delay", "earlier") or not all(isinstance(m, datetime) for m in (fact.old, fact.new)):
        return None
    minutes = round(abs((fact.new - fact.old).total_seconds()) / 60)
    return minutes or None


def _sentences(found: list[Fact], trip: Trip) -> list[str]:
    stay = [f for f in found if f.kind == "hotel_dates"]
    out = []
    for fact in found:
        if fact.kind == "hotel_dates":
            if fact is stay[0]:
                out.extend(_stay_sentences(stay, trip))
        else:
            out.append(_sentence(fact, trip))
    return out


def _sentence(fact: Fact, trip: Trip) -> str:
    lang, params = trip.lang, {"subject": trip.subject, "flight": trip.flight, "destination": trip.destination}
    if fact.kind == "field":
        return _line(fact, trip)
    if fact.kind == "cancellation":
        start = trip.start
        date_text = moments.date_text(start, lang.locale) if isinstance(start, (datetime, date)) else MISSING
        return message(lang, _key("text", fact, trip), date=date_text, **params)
    if fact.kind in ("delay", "earlier", "arrival_time", "car_time"):
        new, old = moments.pair_text(fact.old, fact.new, lang.locale)
        return message(lang, _key("text", fact, trip), new=new, old=old, **params)
    return message(lang, _key("text", fact, trip), new=_value(fact.new, trip), old=_value(fact.old, trip), **params)


def _generic(trip: Trip, prefix: str) -> str:
    if trip.named:
        return message(trip.lang, f"{prefix}.generic", subject=trip.subject)
    return message(trip.lang, f"{prefix}.generic_booking")


def _stay_sentences(stay: list[Fact], trip: Trip) -> list[str]:
    """One sentence for a stay's new dates; if only the hours moved, a line per end of the stay."""
    start = next((f for f in stay if f.side == "start"), None)
    end = next((f for f in stay if f.side == "end"), None)
    new_range = (start.new if start else trip.start, end.new if end else trip.end)
    old_range = (start.old if start else trip.start, end.old if end else trip.end)
    if not all(isinstance(m, (datetime, date)) for m in (*new_range, *old_range)):
        return [_line(f, trip) for f in stay]
    new_text = moments.range_text(*new_range, trip.lang.locale)
    old_text = moments.range_text(*old_range, trip.lang.locale)
    if new_text == old_text:
        return [_line(f, trip) for f in stay]
    return [message(trip.lang, "text.hotel_dates", subject=trip.subject, new=new_text, old=old_text)]


def _line(fact: Fact, trip: Trip) -> str:
    """A plain "Label: old → new" line, for news with no sentence of its own."""
    label_key = f"field.{fact.field or fact.path.rsplit('.', 1)[-1]}"
    label = message(trip.lang, label_key) if has_message(trip.lang, label_key) else fact.path
    if isinstance(fact.old, datetime) and isinstance(fact.new, datetime):
        new, old = moments.pair_text(fact.old, fact.new, trip.lang.locale)
    else:
        new, old = _value(fact.new, trip, fact.field), _value(fact.old, trip, fact.field)
    return message(trip.lang, "text.change", label=label or MISSING, old=old, new=new)


def _key(prefix: str, fact: Fact, trip: Trip) -> str:
    if fact.kind == "cancellation":
        return f"{prefix}.cancellation.{trip.kind if trip.kind in ('flight', 'hotel', 'car') else 'booking'}"
    if fact.kind in SIDED:
        return f"{prefix}.{fact.kind}.{'dropoff' if fact.side == 'end' else 'pickup'}"
    if prefix == "title" and fact.kind == "gate_assigned":
        return "title.gate"
    return f"{prefix}.{fact.kind}"


def _value(value: object, trip: Trip, kind: str = "") -> str:
    """A field's value as words: times in the place's zone, statuses translated, nothing left blank."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, (datetime, date)):
        return trip.when(value)
    if kind == "date" and isinstance(value, str):
        try:
            return moments.date_text(date.fromisoformat(value), trip.lang.locale)
        except ValueError:
            return value
    if kind == "status" and has_message(trip.lang, f"status.{str(value).lower()}"):
        return message(trip.lang, f"status.{str(value).lower()}")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)[:80]
    return str(value)
