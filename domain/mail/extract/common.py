"""Small readers shared by the e-mail extractors: schema.org type names, texts and names out of loose markup."""

from __future__ import annotations

from typing import Any

from domain.reservations.fields import MAX_TEXT


class Unusable(Exception):
    """This item cannot become a reservation; the message says why, for ExtractionResult.skipped."""


def type_name(node: Any) -> str:
    """``FlightReservation`` from "FlightReservation", "http://schema.org/FlightReservation" or a list of them."""
    value = node.get("@type") if isinstance(node, dict) else None
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if not isinstance(value, str):
        return ""
    return value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def text(value: Any, limit: int = MAX_TEXT) -> str | None:
    """A stripped, bounded string from a string or number; None for anything empty or structured."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if isinstance(value, list) and value:
        return text(value[0], limit)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:limit].strip() or None


def name_of(node: Any) -> str | None:
    """The name of a Thing (``name`` or given + family name), or the node itself when it is a string."""
    if isinstance(node, list):
        return next((n for n in map(name_of, node) if n), None)
    if not isinstance(node, dict):
        return text(node)
    named = text(node.get("name"))
    if named:
        return named
    parts = [text(node.get(k)) for k in ("givenName", "familyName")]
    return text(" ".join(p for p in parts if p)) if any(parts) else None


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first(node: dict, *names: str) -> Any:
    """The first present, non-empty property among the dialects' names for one thing."""
    for name in names:
        value = node.get(name)
        if value not in (None, "", [], {}):
            return value
    return None
