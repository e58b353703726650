"""RFC 9457 problem details: the one helper every error response is built with, and the middleware
that turns aiohttp's own errors (unknown route, wrong method, oversize body) into the same shape."""

from __future__ import annotations

import logging

import orjson
from aiohttp import web

from domain.common.errors import DomainError, TooManyAttempts

PROBLEM_BASE = "https://roadwarrior.example/problems/"
log = logging.getLogger(__name__)


class ProblemError(Exception):
    """Raised from helpers deep in a view; the middleware answers with its problem response."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def problem(status: int, kind: str, title: str, *, errors: list[dict] | None = None,
            headers: dict | None = None, **extra) -> web.Response:
    body = {"type": PROBLEM_BASE + kind, "title": title, "status": status, **extra}
    if errors:
        body["errors"] = errors
    return web.Response(status=status, body=orjson.dumps(body), headers=headers,
                        content_type="application/problem+json")


def from_domain(exc: DomainError) -> web.Response:
    headers = {"WWW-Authenticate": 'Bearer realm="roadwarrior"'} if exc.status == 401 else None
    if isinstance(exc, TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after_s)}
    return problem(exc.status, exc.kind, exc.title, errors=exc.errors, headers=headers)


def json_response(body, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(body), headers=headers, content_type="application/json")


_KINDS = {404: "not-found", 405: "method-not-allowed", 413: "payload-too-large", 415: "unsupported-media-type"}


@web.middleware
async def problem_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except ProblemError as exc:
        return exc.response
    except DomainError as exc:
        return from_domain(exc)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        kind = _KINDS.get(exc.status, "http-error")
        return problem(exc.status, kind, exc.reason, headers=_allow_header(exc))
    except Exception:
        log.exception("unhandled error in %s %s", request.method, request.path)
        return problem(500, "internal-error", "Something went wrong on our side.")


def _allow_header(exc: web.HTTPException) -> dict | None:
    allow = exc.headers.get("Allow") if exc.headers else None
    return {"Allow": allow} if allow else None
