"""Whole numbers from text people and providers send: query values, ETags, Retry-After, status codes."""

from __future__ import annotations

from domain.common.errors import ValidationError

MAX_DIGITS = 18   # beyond any count, seq or version we keep; int() itself refuses more than 4,300 digits


def whole_number(text: str) -> int | None:
    """The text as a non-negative int, or None unless it is ASCII digits with at most MAX_DIGITS significant.

    str.isdigit() also says yes to "²", and int() refuses it, or a string of 5,000 digits, with a
    ValueError: a 500 where a 400 (or "not a number") belongs.
    """
    significant = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or len(significant) > MAX_DIGITS:
        return None
    return int(significant or "0")


def query_int(value: str | None, field: str, default: int | None) -> int | None:
    """A non-negative integer query value, ``default`` when absent or empty (``?cursor=``, as a form sends it);
    ValidationError naming ``field`` otherwise."""
    if value is None or value == "":
        return default
    number = whole_number(value)
    if number is None:
        raise ValidationError("Bad query.", [{"field": field, "message": "must be a positive integer"}])
    return number
