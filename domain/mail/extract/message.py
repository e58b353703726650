"""A raw e-mail split into what the extractors read (HTML, calendars, JSON-LD, plain text), within size limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

MAX_MESSAGE_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 5 * 1024 * 1024  # decoded; a base64 body is a third longer on the wire
MAX_PARTS = 100
MAX_MIME_DEPTH = 8  # forwarded mail nests a level or two; a bomb nests thousands
KINDS = {
    "text/html": "html", "text/calendar": "calendars", "application/ics": "calendars",
    "application/ld+json": "jsonld", "text/plain": "texts",
}
SUFFIXES = {".ics": "calendars", ".jsonld": "jsonld", ".html": "html", ".htm": "html"}


@dataclass
class MessageParts:
    """The readable parts of one message, its Date header (aware) and what was left out and why."""

    html: list[str] = field(default_factory=list)
    calendars: list[str] = field(default_factory=list)
    jsonld: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    date: datetime | None = None
    skipped: list[str] = field(default_factory=list)
    leaves: int = 0


def split_message(raw: bytes) -> MessageParts:
    parts = MessageParts()
    if len(raw) > MAX_MESSAGE_BYTES:
        parts.skipped.append(f"message of {len(raw)} bytes is over the {MAX_MESSAGE_BYTES} byte limit")
        return parts
    try:
        # compat32 never raises on odd headers when read; the modern policy can, lazily, much later.
        message = BytesParser(policy=policy.compat32).parsebytes(raw)
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; anything it still raises is bad mail
        parts.skipped.append(f"message could not be parsed: {type(exc).__name__}: {exc}")
        return parts
    parts.date = message_date(message.get("Date"))
    if message.defects:
        parts.skipped.append("MIME defects: " + ", ".join(sorted({type(d).__name__ for d in message.defects})))
    _walk(message, parts, 0)
    return parts


def message_date(value: object) -> datetime | None:
    try:
        moment = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # RFC 5322 "-0000": UTC, origin unknown
    return moment


def _walk(part: Message, out: MessageParts, depth: int) -> None:
    if depth > MAX_MIME_DEPTH:
        out.skipped.append(f"MIME parts nested more than {MAX_MIME_DEPTH} deep were not read")
        return
    if part.is_multipart():
        for child in part.get_payload() or []:
            if isinstance(child, Message):
                _walk(child, out, depth + 1)
        return
    out.leaves += 1
    if out.leaves == MAX_PARTS + 1:
        out.skipped.append(f"only the first {MAX_PARTS} MIME parts were read")
    if out.leaves > MAX_PARTS:
        return
    _read_leaf(part, out)


def _read_leaf(part: Message, out: MessageParts) -> None:
    filename = (part.get_filename() or "").lower()
    kind = KINDS.get(part.get_content_type()) or next(
        (k for suffix, k in SUFFIXES.items() if filename.endswith(suffix)), None)
    attachment = part.get_content_disposition() == "attachment"
    if kind is None or (kind == "texts" and attachment):
        if attachment:
            out.skipped.append(f"attachment {filename or '(unnamed)'} ({part.get_content_type()}) not read")
        return
    content = _decoded(part, out)
    if content is not None:
        getattr(out, kind).append(content)


def _decoded(part: Message, out: MessageParts) -> str | None:
    label = f"{part.get_content_type()} part {part.get_filename() or ''}".rstrip()
    wire = part.get_payload(decode=False)
    if isinstance(wire, str) and len(wire) > MAX_PART_BYTES * 4 // 3 + 4096:
        out.skipped.append(f"{label} of {len(wire)} bytes is over the {MAX_PART_BYTES} byte part limit")
        return None
    body = part.get_payload(decode=True) or b""
    if len(body) > MAX_PART_BYTES:
        out.skipped.append(f"{label} of {len(body)} bytes is over the {MAX_PART_BYTES} byte part limit")
        return None
    charset = part.get_content_charset() or "utf-8"
    try:
        return body.decode(charset, "replace")
    except (LookupError, ValueError):  # an unknown charset name (a NUL in it: ValueError): most mail is UTF-8
        return body.decode("utf-8", "replace")
