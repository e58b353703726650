"""p50/p99 of a page's requests at N concurrent users: each user loads the page and the API calls it makes.

Starts a broker and a worker (or loads --base-url), makes --travellers travellers (each with a trip and a
public link; users take them in turn, as making 200 through the API takes minutes on a busy machine), then
every user requests the paths in order, --rounds times, all users at once. ``{link}``
stands for the user's trip page; --cookie/--header add what a signed-in page needs (a session cookie once
the dashboard reads one). Prints figures; asserts nothing.
    python bench/dashboard_load.py [PATH ...] [--users 200] [--rounds 5] [--think-s 10] [--base-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages_stack import Traveller, cpu_seconds, stack, travellers  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def user(http, base: str, who: Traveller, headers: dict, paths: list[str], rounds: int,
               start: asyncio.Event, timings: dict, failures: dict, think_s: float) -> None:
    await start.wait()
    for _ in range(rounds):
        if think_s:   # a person reading the page before the next: exponential pauses, so arrivals spread
            await asyncio.sleep(random.expovariate(1 / think_s))
        for template in paths:   # in order, as the browser asks: the page, then what its script calls
            began = time.perf_counter()
            async with http.get(base + who.path(template), headers=headers, allow_redirects=False) as r:
                await r.read()
            timings[template].append((time.perf_counter() - began) * 1000)
            if r.status >= 400:
                failures[template][r.status] += 1


async def load(base: str, paths: list[str], users: int, rounds: int, people: int, cookies: list[str],
               extra: list[str], think_s: float) -> None:
    connector = aiohttp.TCPConnector(limit=users)   # one connection per user, as browsers would have
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as http:
        print(f"making {min(people, users)} travellers, each with a trip and a public link ...", flush=True)
        made = await travellers(http, base, min(people, users))
        seats = [made[i % len(made)] for i in range(users)]
        timings, failures = defaultdict(list), defaultdict(lambda: defaultdict(int))
        start = asyncio.Event()
        tasks = [asyncio.create_task(user(http, base, who, who.headers(cookies, extra), paths, rounds, start,
                                          timings, failures, think_s)) for who in seats]
        began, cpu_before = time.perf_counter(), cpu_seconds(base)
        start.set()
        await asyncio.gather(*tasks)
        elapsed, cpu_after = time.perf_counter() - began, cpu_seconds(base)
    report(paths, timings, failures, users, elapsed, think_s)
    if cpu_before is not None:   # what bounds a burst: one worker's event loop serves every request in turn
        used = cpu_after - cpu_before
        # Per round only for a burst: with pauses, the worker's own timers are most of what it spends.
        each = "" if think_s else f": {1000 * used / (users * rounds):.2f} ms per user's round of {len(paths)} requests"
        print(f"worker CPU {used:.2f} s over {elapsed:.1f} s ({used / elapsed:.0%} of a core){each}; "
              f"load average {os.getloadavg()[0]:.1f}")


def report(paths: list[str], timings: dict, failures: dict, users: int, elapsed: float, think_s: float) -> None:
    total = sum(len(t) for t in timings.values())
    pacing = f", {think_s:g} s think time between page loads" if think_s else ", no pause (all at once)"
    print(f"{users} concurrent users{pacing}: {total} requests in {elapsed:.1f} s ({total / elapsed:.0f}/s)")
    print(f"{'path':<30} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  errors")
    for template in paths:
        values = timings[template]
        errors = dict(failures[template]) or "-"
        print(f"{template:<30} {len(values):>8} {percentile(values, 50):>8.1f} {percentile(values, 99):>8.1f} "
              f"{max(values):>8.1f}  {errors}")
    every = [v for values in timings.values() for v in values]
    print(f"{'all':<30} {len(every):>8} {percentile(every, 50):>8.1f} {percentile(every, 99):>8.1f} "
          f"{max(every):>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # The dashboard, and the call its script makes on load (the unread count); e.g. /api/v1/trips {link} too.
    parser.add_argument("paths", nargs="*", default=["/", "/api/v1/notifications?limit=1"])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="page loads per user")
    parser.add_argument("--travellers", type=int, default=20, help="distinct accounts the users share")
    parser.add_argument("--think-s", type=float, default=0.0,
                        help="mean pause between a user's page loads (0: every user asks again at once)")
    parser.add_argument("--base-url", help="a running worker; default: start a broker and a worker")
    parser.add_argument("--cookie", action="append", default=[], help="NAME=VALUE sent with every request")
    parser.add_argument("--header", action="append", default=[], help="'Name: value' sent with every request")
    args = parser.parse_args()
    with stack(args.base_url) as base:
        asyncio.run(load(base, args.paths, args.users, args.rounds, args.travellers, args.cookie, args.header,
                         args.think_s))


if __name__ == "__main__":
    main()
