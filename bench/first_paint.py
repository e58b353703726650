"""First contentful paint and page weight of the web app's pages, measured by Lighthouse in Debian's chromium.

Each page is measured under Lighthouse's mobile profile (its default: simulated 150 ms RTT, 1.6 Mbit/s,
4x CPU slowdown) and its desktop preset. Starts a broker and a worker (or measures --base-url), makes a
traveller with a trip and a public link, and loads each path as her: ``{link}`` stands for the trip's public
page; --cookie and --header add what a signed-in page needs. Prints figures; asserts nothing.
    make bench-tools   # once: Lighthouse 12.2.3 from bench/package-lock.json (npm ci)
    python bench/first_paint.py [PATH ...] [--base-url URL] [--cookie NAME=VALUE] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages_stack import stack, traveller  # noqa: E402

LIGHTHOUSE = Path(__file__).resolve().parent / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
PROFILES = {"mobile": [], "desktop": ["--preset=desktop"]}


def lighthouse(url: str, headers: dict, profile: str) -> tuple[float, float]:
    """(first contentful paint in ms, total bytes) of one Lighthouse run."""
    chromium = shutil.which("chromium")
    if chromium is None or not LIGHTHOUSE.exists():
        raise SystemExit("needs Debian's chromium and Lighthouse: make system-packages bench-tools")
    argv = [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
            "--only-categories=performance", f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={json.dumps(headers)}", *PROFILES[profile]]
    run = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chromium},
                         timeout=180)
    if run.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}: {run.stderr[-2000:]}")
    audits = json.loads(run.stdout)["audits"]
    return audits["first-contentful-paint"]["numericValue"], audits["total-byte-weight"]["numericValue"]


async def served(url: str, headers: dict) -> str | None:
    """Why the page cannot be measured (not there yet, not HTML), or None."""
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers, allow_redirects=False) as r:
        if r.status != 200:
            return f"GET answers {r.status}"
        return None if r.content_type == "text/html" else f"not a page ({r.content_type})"


async def setup(base: str):
    async with aiohttp.ClientSession() as http:
        return await traveller(http, base)


def measure(base: str, paths: list[str], headers: dict, runs: int, who) -> None:
    print(f"{'page':<34} {'profile':<8} {'FCP ms (median)':>16} {'runs':>22} {'bytes':>9}")
    for template in paths:
        path = who.path(template)
        label = template if template != "{link}" else "/t/{token} (public trip page)"
        sent = headers
        if (unfit := asyncio.run(served(base + path, sent))) is not None:
            sent = {}   # the login page sends a signed-in visitor on to the dashboard: measure it signed out
            if asyncio.run(served(base + path, sent)) is not None:
                print(f"{label:<34} not measured: {unfit}")
                continue
        for profile in PROFILES:
            figures = [lighthouse(base + path, sent, profile) for _ in range(runs)]
            paints = [round(fcp) for fcp, _ in figures]
            print(f"{label:<34} {profile:<8} {statistics.median(paints):>16.0f} {str(paints):>22} "
                  f"{int(figures[-1][1]):>9}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["{link}", "/login", "/"])
    parser.add_argument("--base-url", help="a running worker; default: start a broker and a worker")
    parser.add_argument("--cookie", action="append", default=[], help="NAME=VALUE sent with every request")
    parser.add_argument("--header", action="append", default=[], help="'Name: value' sent with every request")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and profile")
    args = parser.parse_args()
    with stack(args.base_url) as base:
        who = asyncio.run(setup(base))
        measure(base, args.paths, who.headers(args.cookie, args.header), args.runs, who)


if __name__ == "__main__":
    main()
