"""What the page benches share: the stack to measure (started here, or one already running) and travellers
with a trip and a public link to it, made through the API as a person would."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from devtools.cluster import Cluster  # noqa: E402

DAY = date.today() + timedelta(days=30)   # a trip still ahead whenever the bench runs
PASSWORD = "benchmark password"
BOOKINGS = (
    {"type": "flight", "confirmation": "BENCH1", "travellers": ["Bench Traveller"],
     "start": f"{DAY}T08:30", "end": f"{DAY}T11:05",
     "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}},
    {"type": "hotel", "confirmation": "BENCH2", "start": f"{DAY}T15:00",
     "end": f"{DAY + timedelta(days=3)}T11:00", "start_time_zone": "America/New_York",
     "hotel": {"name": "The Jane", "address": "113 Jane St, New York"}},
)


STARTED: dict[str, int] = {}   # the URL of each worker started here -> its process ID


def cpu_seconds(base: str) -> float | None:
    """The CPU time the worker at ``base`` has used, when this process started it (Linux's /proc)."""
    if base not in STARTED:
        return None
    fields = Path(f"/proc/{STARTED[base]}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")   # utime + stime, in clock ticks


@dataclass
class Traveller:
    email: str
    token: str
    link: str   # the path of the trip's public page, /t/<token>
    session: dict[str, str] = field(default_factory=dict)   # the web app's cookies, signed in at /login

    def headers(self, cookies: list[str], extra: list[str]) -> dict[str, str]:
        """Her session cookies (else her bearer token: a request with one ignores cookies), plus any cookies
        and headers given on the command line (``NAME=VALUE``, ``Name: value``)."""
        jar = [f"{name}={value}" for name, value in self.session.items()] + cookies
        headers = {"Cookie": "; ".join(jar)} if jar else {"Authorization": f"Bearer {self.token}"}
        headers.update(tuple(part.strip() for part in line.split(":", 1)) for line in extra)
        return headers

    def path(self, template: str) -> str:
        return template.replace("{link}", self.link)


@contextlib.contextmanager
def stack(base_url: str | None) -> Iterator[str]:
    """``base_url`` as given, or a Kafka broker and one worker started for the bench (and stopped after)."""
    if base_url:
        yield base_url.rstrip("/")
        return
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as tmp:
        # Every bench traveller signs up from this one host: the per-address sign-up limit would stop them.
        cluster = Cluster(Path(tmp), extra_env={"ROADWARRIOR_LIMIT_SIGNUP_CLIENT": "1000000/0.001"})
        cluster.start_broker()
        try:
            worker = cluster.worker("w1").start()
            worker.wait_ready()
            STARTED[worker.url] = worker.process.pid
            yield worker.url
        finally:
            cluster.stop()


async def traveller(http: aiohttp.ClientSession, base: str) -> Traveller:
    """A new traveller with a two-booking trip and a public link to it."""
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    account = {"email": email, "password": PASSWORD, "name": "Bench Traveller", "time_zone": "Europe/Berlin"}
    for _ in range(60):   # 503: accepted but not confirmed in time; a retry finds the account made (409)
        async with http.post(base + "/api/v1/auth/signup", json=account) as response:
            if response.status in (201, 409):
                break
        await asyncio.sleep(1)
    tokens = await _call(http, "POST", base + "/api/v1/auth/login", None, {"email": email, "password": PASSWORD})
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    for booking in BOOKINGS:
        await _create(http, base, auth, booking)
    trip = await _grouped_trip(http, base, auth)
    link = await _call(http, "POST", f"{base}/api/v1/trips/{trip['id']}/links", auth, {})
    session = await _page_session(base, email)
    return Traveller(email, tokens["access_token"], "/t/" + link["url"].rsplit("/t/", 1)[1], session)


async def _page_session(base: str, email: str) -> dict[str, str]:
    """The cookies of signing in through the login page's form (CSRF token included); none without one."""
    jar = aiohttp.CookieJar(unsafe=True)   # unsafe: cookies for an IP address such as 127.0.0.1
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        async with http.get(base + "/login") as page:
            token = re.search(r'name="csrf_token" value="([^"]+)"', await page.text()) if page.ok else None
        if token is None:
            return {}
        form = {"email": email, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"}
        async with http.post(base + "/login", data=form, allow_redirects=False) as answer:
            if answer.status >= 400:
                raise RuntimeError(f"signing in at /login failed: {answer.status}")
        return {cookie.key: cookie.value for cookie in jar}


async def travellers(http: aiohttp.ClientSession, base: str, count: int, at_once: int = 8) -> list[Traveller]:
    gate = asyncio.Semaphore(at_once)   # sign-up hashes a password (argon2): not what is measured
    first = [await traveller(http, base)] if count else []   # one alone first: the worker's first commands are slow

    async def one() -> Traveller:
        async with gate:
            return await traveller(http, base)

    return first + list(await asyncio.gather(*(one() for _ in range(count - 1))))


async def _create(http, base: str, auth: dict, booking: dict, attempts: int = 60) -> dict:
    """A booking, retried with its idempotency key while the worker answers 503 (commands queue at start-up)."""
    headers = {**auth, "Idempotency-Key": uuid.uuid4().hex}
    for _ in range(attempts - 1):
        async with http.post(base + "/api/v1/reservations", json=booking, headers=headers) as response:
            if response.status != 503:
                break
        await asyncio.sleep(1)
    return await _call(http, "POST", base + "/api/v1/reservations", headers, booking)


async def _grouped_trip(http, base: str, auth: dict, timeout_s: float = 30) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page = await _call(http, "GET", base + "/api/v1/trips", auth)
        if trips := [t for t in page["items"] if len(t["reservation_ids"]) == len(BOOKINGS)]:
            return trips[0]
        await asyncio.sleep(0.1)
    raise TimeoutError("the bookings were not grouped into one trip")


async def _call(http, method: str, url: str, headers: dict | None, body=None) -> dict:
    async with http.request(method, url, json=body, headers=headers) as response:
        payload = await response.json(content_type=None)
        if response.status >= 300:
            raise RuntimeError(f"{method} {url}: {response.status} {payload}")
        return payload
