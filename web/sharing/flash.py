"""What a sharing form's answer leaves for the next page of the trip: a new link's URL (shown once), or the API's
messages for the form that failed.

It rides in a cookie scoped to the trip's pages, never in the redirect's URL: a URL with a link's token would
reach the access log, the browser's history and any Referer. HttpOnly, SameSite=Strict, gone after a minute
and cleared by the first page that reads it (so a reload does not show the token again).
"""

from __future__ import annotations

import base64
import binascii
from http.cookies import SimpleCookie

import orjson
from aiohttp import web

NAME = "rw_share_flash"
MAX_AGE_S = 60
_READ = web.RequestKey("rw.sharing_flash_read", str)


def keep(request: web.Request, response: web.StreamResponse, trip_id: str, message: dict) -> None:
    """``response`` carries ``message`` to the next page of the trip under /trips/<trip_id>."""
    keep_at(request, response, f"/trips/{trip_id}", message)


def keep_at(request: web.Request, response: web.StreamResponse, path: str, message: dict) -> None:
    """``response`` carries ``message`` to the next page under ``path`` (a year page's new card link)."""
    value = base64.urlsafe_b64encode(orjson.dumps(message)).decode()
    _set(request, response, path, value, MAX_AGE_S)


def take(request: web.Request, trip_id: str) -> dict:
    """The message left for this trip's page, once: the response to this request clears it (see on_prepare)."""
    return take_at(request, f"/trips/{trip_id}")


def take_at(request: web.Request, path: str) -> dict:
    """The message left for the pages under ``path``, once."""
    raw = request.cookies.get(NAME)
    if not raw:
        return {}
    request[_READ] = path
    try:
        message = orjson.loads(base64.urlsafe_b64decode(raw.encode()))
    except (binascii.Error, ValueError):
        return {}
    return message if isinstance(message, dict) else {}


async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
    """aiohttp's on_response_prepare: the page that showed the message clears its cookie (that page is another
    feature's, which only calls this feature's sharing_context)."""
    if (path := request.get(_READ)) is not None:
        _set(request, response, path, "", 0)


def _set(request: web.Request, response: web.StreamResponse, path: str, value: str, max_age: int) -> None:
    # As a header: by on_response_prepare, aiohttp has already written response.cookies out.
    morsel = SimpleCookie({NAME: value})[NAME]
    morsel.update({"path": path, "max-age": str(max_age), "httponly": True, "samesite": "Strict"})
    if request.secure:
        morsel["secure"] = True
    response.headers.add("Set-Cookie", morsel.OutputString())
