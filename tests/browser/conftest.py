"""Browser fixtures: Debian's headless Chromium driven by Playwright, on the real stack (broker and worker).

Playwright never downloads a browser here: it launches the system's ``chromium`` (the Makefile installs it).
Tests run in one session-wide event loop so one browser serves them all; each test gets a fresh context
(its own cookies and storage), and ``shot`` keeps a screenshot of each step under ``artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from tests.integration.conftest import cluster, kafka, module_worker  # noqa: F401  (the real stack, as integration runs it)

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
BLOCKING = {"serious", "critical"}
SLOW_MACHINE = {"ROADWARRIOR_REQUEST_TIMEOUT_S": "20"}


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:   # a failure, not a skip: CI must run these (make test installs Debian's chromium)
        raise RuntimeError("no chromium on PATH: run `make system-packages` (Debian's chromium package)")
    return path


@pytest.fixture
def worker(module_worker):  # noqa: F811  (the fixture imported above)
    # One worker per module (its start is most of a test's time), with the longer API wait a loaded machine
    # needs; each test makes its own traveller in its own browser context, so the tests stay independent.
    return module_worker


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> Browser:
    async with async_playwright() as playwright:
        one = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield one
        await one.close()


@pytest_asyncio.fixture(loop_scope="session")
async def context(browser: Browser) -> BrowserContext:
    one = await browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    yield one
    await one.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


@pytest_asyncio.fixture(loop_scope="session")
async def http():
    # No keep-alive, as in the integration suite: a pooled connection could outlive a restarted worker.
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30), connector=connector) as session:
        yield session


@pytest.fixture
def shot(request):
    """``await shot(page, "step")``: a full-page screenshot, numbered in step order, under artifacts/<test>/."""
    folder = ARTIFACTS / _slug(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    taken = []

    async def take(page: Page, step: str) -> Path:
        taken.append(step)
        path = folder / f"{len(taken):02d}-{_slug(step)}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_")


_axe = Axe()


async def axe_check(page: Page) -> None:
    """Run axe-core in the page; fail on any serious or critical violation, naming the rule and the nodes."""
    results = await _axe.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    assert not blocking, "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}): " + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in blocking)
