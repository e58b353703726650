"""Cursor pagination shared by the listings: ``limit`` and an opaque ``cursor`` carrying the last sort key."""

from __future__ import annotations

import base64

import orjson

from domain.common.errors import FieldErrors
from domain.common.numbers import whole_number


def parse_paging(query: dict, errors: FieldErrors, *, default: int, most: int, key: tuple[type, ...]) -> dict:
    """``{"limit": n}``, with ``"after"`` (the cursor's sort key) when one was given; bad values go to ``errors``.

    ``key`` is the sort key's shape, one type per part: a cursor of any other shape would fail later,
    comparing in the listing's page(), so it is refused here.
    """
    out: dict = {"limit": default}
    if query.get("limit"):
        limit = whole_number(query["limit"])
        if limit is None or not 1 <= limit <= most:
            errors.add("limit", f"must be 1 to {most}")
        else:
            out["limit"] = limit
    if query.get("cursor"):
        after = _decode(query["cursor"], key)
        if after is None:
            errors.add("cursor", "is not a cursor this API returned")
        else:
            out["after"] = after
    return out


def cursor_of(sort_key: tuple) -> str:
    """The cursor of the page after the row with ``sort_key``."""
    return base64.urlsafe_b64encode(orjson.dumps(list(sort_key))).decode()


def _decode(text: str, key: tuple[type, ...]) -> tuple | None:
    try:
        after = orjson.loads(base64.urlsafe_b64decode(text.encode()))
    except (ValueError, TypeError, orjson.JSONDecodeError):
        return None
    if not (isinstance(after, list) and len(after) == len(key)):
        return None
    accepted = [(int, float) if kind is float else kind for kind in key]   # JSON writes 3.0 as 3.0, but 3 as 3
    if not all(isinstance(part, kinds) and not isinstance(part, bool) for part, kinds in zip(after, accepted,
                                                                                             strict=True)):
        return None
    return tuple(kind(part) for part, kind in zip(after, key, strict=True))
