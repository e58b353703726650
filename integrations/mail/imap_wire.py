"""IMAP wire details aioimaplib leaves to us: FETCH responses, response codes, SEARCH criteria."""

from __future__ import annotations

import re
from dataclasses import dataclass

SEARCH_CHUNK = 25  # FROM terms per SEARCH: keeps command lines short for servers with line limits

_FETCH = re.compile(rb"^(\d+) FETCH \(")
_UID = re.compile(rb"[( ]UID (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_QUOTED_BODY = re.compile(rb'BODY\[[^\]]*\] "((?:[^"\\]|\\.)*)"')
_CODE = re.compile(rb"^\[([A-Z0-9-]+)")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class FetchItem:
    uid: int
    size: int | None
    literal: bytes | None  # the one body section asked for; None when the server sent none (NIL, flags only)


def fetch_items(lines: list) -> list[FetchItem]:
    """The messages in a FETCH response as aioimaplib hands it over: text lines as bytes, literals as bytearray.

    The last line is the tagged completion and is ignored; unsolicited FETCHes without a UID are dropped.
    """
    groups: list[tuple[bytes, list[bytes]]] = []
    for line in lines[:-1]:
        if isinstance(line, bytearray):
            if groups:
                groups[-1][1].append(bytes(line))
        elif _FETCH.match(line):
            groups.append((line, []))
        elif groups:
            groups[-1] = (groups[-1][0] + b" " + line, groups[-1][1])
    items = []
    for text, literals in groups:
        uid = _UID.search(text)
        if uid is None:
            continue
        size = _SIZE.search(text)
        literal = literals[0] if literals else _quoted_body(text)
        items.append(FetchItem(int(uid.group(1)), int(size.group(1)) if size else None, literal))
    return items


def _quoted_body(text: bytes) -> bytes | None:
    match = _QUOTED_BODY.search(text)
    return re.sub(rb"\\(.)", rb"\1", match.group(1)) if match else None


def response_code(lines: list) -> str | None:
    """The RFC 5530 code of a tagged answer (``AUTHENTICATIONFAILED``, ``UNAVAILABLE``...), if it has one."""
    last = lines[-1] if lines else b""
    match = _CODE.match(bytes(last))
    return match.group(1).decode() if match else None


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def search_terms(entries: list[str], chunk: int = SEARCH_CHUNK) -> list[str]:
    """SEARCH criteria matching a From that contains any entry, one string per chunk of entries.

    FROM is a substring match, so "united.com" also finds "notunited.com": callers check the From header again.
    """
    criteria = []
    for start in range(0, len(entries), chunk):
        part = entries[start:start + chunk]
        criteria.append("OR " * (len(part) - 1) + " ".join(f"FROM {quote(entry)}" for entry in part))
    return criteria


def imap_date(year: int, month: int, day: int) -> str:
    """An IMAP date (``3-Mar-2025``): English month names whatever the process locale."""
    return f"{day}-{MONTHS[month - 1]}-{year}"
