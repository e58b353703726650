"""Whole numbers from text people and providers send: query values, ETags, Retry-After, status codes."""

from __future__ import annotations

from domain.errors import ValidationError


def is_decimal(text: str) -> bool:
    """ASCII digits only. str.isdigit() also says yes to "²", which int() then refuses with a ValueError:
    a 500 where a 400 (or "not a number") belongs."""
    return text.isascii() and text.isdigit()


def query_int(value: str | None, field: str, default: int | None) -> int | None:
    """A non-negative integer query value, ``default`` when absent; ValidationError naming ``field`` otherwise."""
    if value is None:
        return default
    if not is_decimal(value):
        raise ValidationError("Bad query.", [{"field": field, "message": "must be a positive integer"}])
    return int(value)
