"""Confirmation e-mail -> canonical reservations, one per segment and booking, each keyed for later merging."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import html_text

from domain.common.errors import ValidationError
from domain.common.timestamps import to_utc
from domain.mail.extract.ical import calendar_items
from domain.mail.extract.markup import html_items, jsonld_items
from domain.mail.extract.message import MessageParts, split_message
from domain.mail.extract.schema import BookingCancellation, Draft, Harvest, read_items
from domain.mail.extract.text import text_items
from domain.mail.extract.times import utc_stamp
from domain.reservations.fields import MAX_TEXT, MAX_TRAVELLERS, check

TIME_BUDGET_S = 5.0  # per message; checked between parts, so one part may overrun it
Reader = Callable[[str], tuple[list, list[str]]]


@dataclass(frozen=True)
class ExtractedReservation:
    reservation: dict  # canonical fields, as domain.reservations.fields.check returns them
    email_key: str  # booking reference + segment: the same segment in a later mail gets the same key
    modified_time: str | None  # the markup's modifiedTime (UTC): orders the mails of one booking
    message_date: str | None  # when the mail was received or sent (UTC): orders mails without modifiedTime

    def stamp(self) -> dict:
        """What to remember per email_key so merge_decision can judge the next mail about it."""
        return {"email_key": self.email_key, "status": self.reservation["status"],
                "modified_time": self.modified_time, "message_date": self.message_date}


@dataclass(frozen=True)
class ExtractionResult:
    extracted: tuple[ExtractedReservation, ...]
    cancellations: tuple[BookingCancellation, ...]  # "booking X cancelled" without the segments
    skipped: tuple[str, ...]  # why markup, parts or items were left out
    message_date: str | None

    @property
    def reservations(self) -> list[dict]:
        return [e.reservation for e in self.extracted]

    @property
    def reason(self) -> str | None:
        """Why nothing came out, or None when something did."""
        if self.extracted or self.cancellations:
            return None
        return "no reservation found: " + ("; ".join(self.skipped) or "no markup, calendar or flight details")


def extract_reservations(raw_message: bytes, *, received_at: str | None = None,
                         budget_s: float = TIME_BUDGET_S) -> ExtractionResult:
    """Reservations in a raw RFC 5322 message; never raises on bad mail, it records why in ``skipped``."""
    return extract_parts(split_message(raw_message), received_at=received_at, budget_s=budget_s)


def extract_document(content: str, kind: str, *, received_at: str | None = None) -> ExtractionResult:
    """One HTML ("html"), iCalendar ("calendars"), JSON-LD ("jsonld") or text ("texts") document, no envelope."""
    parts = MessageParts()
    getattr(parts, kind).append(content)
    return extract_parts(parts, received_at=received_at)


def extract_parts(parts: MessageParts, *, received_at: str | None = None,
                  budget_s: float = TIME_BUDGET_S) -> ExtractionResult:
    deadline = time.monotonic() + budget_s
    harvest = Harvest(skipped=list(parts.skipped))
    sources: list[tuple[Reader, list[str]]] = [
        (html_items, parts.html), (calendar_items, parts.calendars), (jsonld_items, parts.jsonld)]
    _read(sources, harvest, deadline)
    if not harvest.drafts and not harvest.cancellations:
        # No markup anywhere: the words of the mail are all there is.
        texts = parts.texts + [_visible_text(h) for h in parts.html]
        _read([(text_items, texts)], harvest, deadline)
    date = utc_stamp(received_at) or utc_stamp(parts.date)
    extracted = _finish(harvest.drafts, date, harvest.skipped)
    cancellations = tuple(replace(c, message_date=date) for c in harvest.cancellations)
    skipped = tuple(dict.fromkeys(harvest.skipped))  # the same reason from the text and the HTML part: once
    return ExtractionResult(tuple(extracted), cancellations, skipped, date)


def _read(sources: list[tuple[Reader, list[str]]], harvest: Harvest, deadline: float) -> None:
    for reader, contents in sources:
        for content in contents:
            if time.monotonic() > deadline:
                harvest.skipped.append("time budget used up: the remaining parts were not read")
                return
            items, reasons = reader(content)
            harvest.skipped.extend(reasons)
            read_items(items, harvest)


def _visible_text(html: str) -> str:
    try:
        return html_text.extract_text(html)
    except Exception:  # noqa: BLE001 - unreadable HTML has no text to offer; html_items said why
        return ""


def email_key(reservation: dict) -> str:
    """Booking reference + segment: flight and local departure date, or the hotel or the rental company.

    Hotel and car keys leave the dates out, so a mail moving the stay updates it; without a booking
    reference they keep them, so two stays at one hotel stay apart.
    """
    confirmation = re.sub(r"\s+", "", reservation.get("confirmation", "")).upper()
    kind, day = reservation["type"], reservation["start"][:10]
    if kind == "flight":
        flight = reservation["flight"]
        return f"{confirmation}|flight|{flight['airline']}{flight['number']}|{day}"
    name = reservation["hotel"]["name"] if kind == "hotel" else reservation["car"]["company"]
    key = f"{confirmation}|{kind}|{re.sub(r'[^0-9a-z]+', '', name.casefold())}"
    return key if confirmation else f"{key}|{day}"


def _finish(drafts: list[Draft], date: str | None, skipped: list[str]) -> list[ExtractedReservation]:
    grouped: dict[str, ExtractedReservation] = {}
    for draft in drafts:
        try:
            reservation = check(draft.fields)
        except ValidationError as exc:
            problems = "; ".join(f"{e['field']} {e['message']}" for e in exc.errors)
            skipped.append(f"{draft.fields.get('type')} {draft.fields.get('confirmation', '')}: {problems}")
            continue
        key = email_key(reservation)
        found = ExtractedReservation(reservation, key, draft.modified_time, date)
        grouped[key] = _merge(grouped[key], found) if key in grouped else found
    return sorted(grouped.values(), key=lambda e: (to_utc(e.reservation["start"]), e.email_key))


def _merge(kept: ExtractedReservation, other: ExtractedReservation) -> ExtractedReservation:
    """The same segment once per passenger (Gmail markup repeats it): one reservation listing them all."""
    reservation = dict(kept.reservation)
    names = reservation.get("travellers", []) + other.reservation.get("travellers", [])
    reservation["travellers"] = list(dict.fromkeys(names))[:MAX_TRAVELLERS]
    if reservation["type"] == "flight":
        seats = [s for s in (kept.reservation["flight"].get("seat"), other.reservation["flight"].get("seat")) if s]
        if seats:
            seat = ", ".join(dict.fromkeys(", ".join(seats).split(", ")))
            reservation["flight"] = {**reservation["flight"], "seat": seat[:MAX_TEXT]}
    modified = max(filter(None, (kept.modified_time, other.modified_time)), default=None)
    return ExtractedReservation(reservation, kept.email_key, modified, kept.message_date)
