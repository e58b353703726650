"""Failure injection: per provider, for a while or for a number of requests, before the real handler runs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from devtools.simulator.catalogue import AMADEUS

KINDS = ("latency", "5xx", "timeout", "429", "malformed", "truncated")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Fault:
    """One injected failure; ``provider`` ``*`` matches every provider."""

    provider: str
    kind: str
    until: float | None = None
    remaining: int | None = None
    retry_after: str | None = None
    seconds: float = 1.0
    status: int = 503

    def to_json(self, now: float) -> dict:
        left = None if self.until is None else max(0.0, round(self.until - now, 3))
        return {"provider": self.provider, "kind": self.kind, "for_s": left, "count": self.remaining,
                "retry_after": self.retry_after, "seconds": self.seconds, "status": self.status}


class Faults:
    """The active faults, consumed by the requests they hit."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._faults: list[Fault] = []

    def add(self, spec: dict) -> Fault:
        """A fault from {provider, kind, for_s | count, retry_after, seconds, status}; ValueError if bad."""
        if spec.get("kind") not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        for_s, count = spec.get("for_s"), spec.get("count")
        retry_after = spec.get("retry_after")
        fault = Fault(
            provider=str(spec.get("provider") or "*"), kind=spec["kind"],
            until=None if for_s is None else self._clock() + float(for_s),
            remaining=None if count is None else int(count),
            retry_after=None if retry_after is None else str(retry_after),
            seconds=float(spec.get("seconds", 30.0 if spec["kind"] == "timeout" else 1.0)),
            status=int(spec.get("status", 503)),
        )
        if fault.kind == "5xx" and not 500 <= fault.status <= 599:
            raise ValueError("status must be 5xx")
        self._faults.append(fault)
        return fault

    def clear(self) -> None:
        self._faults.clear()

    def active(self) -> list[dict]:
        now = self._clock()
        return [fault.to_json(now) for fault in self._faults if _live(fault, now)]

    def take(self, provider: str) -> Fault | None:
        """The fault that hits this request to ``provider``, if any; counted faults are used up."""
        now = self._clock()
        self._faults = [fault for fault in self._faults if _live(fault, now)]
        for fault in self._faults:
            if fault.provider in ("*", provider):
                if fault.remaining is not None:
                    fault.remaining -= 1
                return fault
        return None


def _live(fault: Fault, now: float) -> bool:
    return (fault.until is None or now < fault.until) and (fault.remaining is None or fault.remaining > 0)


FAULTS = web.AppKey("faults", Faults)
STOPPING = web.AppKey("stopping", asyncio.Event)


def provider_of(path: str) -> str | None:
    """The provider a request path is addressed to (control paths have none and are never faulted)."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "p":
        return parts[2]
    return AMADEUS if len(parts) > 1 and parts[1] == "amadeus" else None


@web.middleware
async def fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    provider = provider_of(request.path)
    fault = request.app[FAULTS].take(provider) if provider else None
    if fault is None:
        return await handler(request)
    if fault.kind == "latency":
        await asyncio.sleep(fault.seconds)
        return await handler(request)
    if fault.kind == "truncated":
        return await _truncated(request, await handler(request))
    if fault.kind == "timeout":
        # Hold the request, but let the app shut down without waiting out the whole hold.
        try:
            await asyncio.wait_for(request.app[STOPPING].wait(), fault.seconds)
        except TimeoutError:
            pass
        return web.json_response({"title": "simulated timeout"}, status=504)
    return _failure(fault)


def _failure(fault: Fault) -> web.Response:
    if fault.kind == "429":
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        return web.json_response({"title": "simulated rate limit"}, status=429, headers=headers)
    if fault.kind == "malformed":
        return web.json_response({"unexpected": "shape"})
    return web.json_response({"title": "simulated outage"}, status=fault.status)


async def _truncated(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    """Announce the whole body, send half, and drop the connection, as a dying upstream does."""
    body = getattr(response, "body", None) or b"{}"
    cut = web.StreamResponse(status=response.status, headers={"Content-Type": "application/json"})
    cut.content_length = len(body)
    await cut.prepare(request)
    await cut.write(bytes(body[: len(body) // 2]))
    request.transport.close()
    return cut
