"""The traveller's journey in a real browser on the real stack: sign up, add a flight, see it live, share it,
read it in Japanese, install the app and read the next trip offline. Every page visited is checked by axe-core."""

from __future__ import annotations

import re

import pytest
import pytest_asyncio
from playwright.async_api import expect

from tests.browser.conftest import SLOW_MACHINE
from tests.browser.journey import FLIGHT, add_flight, seen, sign_up, trip_on_dashboard
from tests.integration import test_tracking as tracking
from tests.integration.conftest import TRIP_DAY, Api

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
JAPANESE_TIMES = re.compile(r"12月1日\(.\) 8:30 CET\s*→\s*11:05 EST")
LIVE_S = 90   # a provider change reaches the open page within a few tracking cycles (4 s each here)


@pytest.fixture
def tracker(cluster):
    # A flight typed in names no provider: the simulator's airline is the default flight source.
    cluster.extra_env.update(tracking.TRACKING_ENV)
    one = cluster.worker("w1", ROADWARRIOR_FLIGHT_PROVIDER="airline-sim", **SLOW_MACHINE).start()
    one.wait_ready()
    return one


@pytest_asyncio.fixture(loop_scope="session")
async def simulator(http, tmp_path):
    one = tracking.Simulator(http, tmp_path / "simulator.log")
    yield one
    one.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def phone(browser):
    one = await browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/Paris")
    yield one
    await one.close()


async def test_a_new_traveller_signs_up_adds_a_flight_and_finds_it_in_its_trip(worker, phone, shot):
    page = await phone.new_page()
    await sign_up(page, shot, worker.url)
    await seen(page, shot, "empty dashboard, phone width")
    await page.set_viewport_size(DESKTOP)
    detail = await add_flight(page, shot, worker.url)
    await expect(page.get_by_role("heading", level=1)).to_contain_text("LH 400")
    await seen(page, shot, "the flight's page")
    await page.set_viewport_size(PHONE)
    card = await trip_on_dashboard(page, worker.url, "New York")
    link = card.get_by_role("link", name="LH 400")
    await expect(link).to_have_attribute("href", detail)
    await expect(card).to_contain_text("FRA → JFK")
    await expect(card).to_contain_text("08:30 CET")   # each end in its airport's own zone
    await expect(card).to_contain_text("11:05 EST")
    await seen(page, shot, "dashboard with the trip, phone width")


async def test_a_provider_delay_pops_up_and_changes_the_open_dashboard_without_a_reload(
        tracker, simulator, http, phone, shot):
    await tracking.register_providers(http, tracker, simulator, "airline-sim")
    booked = await simulator.reservation("airline-sim", f"flight/LH/400/{TRIP_DAY}")
    page = await phone.new_page()
    await sign_up(page, shot, tracker.url)
    await add_flight(page, shot, tracker.url, {
        **FLIGHT, "From (airport code)": booked["flight"]["from"], "To (airport code)": booked["flight"]["to"],
        "Departure (local time at the airport)": booked["start"][:16],
        "Arrival (local time at the airport)": booked["end"][:16]})
    await tracking.baselines(tracker, Api(http, tracker.url), 1)
    async with page.expect_response(lambda r: r.url.endswith("/api/v1/notifications/stream")) as stream:
        card = await trip_on_dashboard(page, tracker.url, holding="LH 400")
    assert (await stream.value).status == 200
    await seen(page, shot, "dashboard before the change")
    await page.evaluate("window.stillTheSamePage = true")

    await simulator.change(f"flight/LH/400/{TRIP_DAY}", {"type": "delay", "minutes": 90})
    toast = page.get_by_role("status").filter(has_text="LH 400")
    await expect(toast).to_contain_text("delayed", timeout=LIVE_S * 1000)
    await expect(card.get_by_text("Delayed by 90 min")).to_be_visible(timeout=LIVE_S * 1000)
    await seen(page, shot, "the toast and the delayed flight")
    assert await page.evaluate("window.stillTheSamePage === true"), "the page was reloaded"


async def test_a_shared_link_shows_the_trip_to_a_stranger_without_its_confirmation_code(worker, phone, browser, shot):
    page = await phone.new_page()
    await sign_up(page, shot, worker.url)
    await add_flight(page, shot, worker.url)
    card = await trip_on_dashboard(page, worker.url, "New York")
    await card.get_by_role("link", name="New York").click()
    await expect(page.get_by_role("heading", level=1, name="New York")).to_be_visible()
    await seen(page, shot, "trip page")
    await page.get_by_role("button", name="Make a public link").click()
    url = await page.get_by_label("Your new link (copy it now: it is shown only once)").input_value()
    await seen(page, shot, "trip page with its new link")

    stranger = await browser.new_context(viewport=PHONE, locale="en-GB")
    try:
        public = await stranger.new_page()
        assert (await public.goto(url)).status == 200
        await expect(public.get_by_role("heading", level=1, name="New York")).to_be_visible()
        await expect(public.get_by_role("listitem")).to_contain_text("FRA → JFK")
        await expect(public.get_by_role("listitem")).to_contain_text("08:30 CET")   # en-GB, as the app writes it
        await seen(public, shot, "public page in a fresh context")
        assert "ABC123" not in await public.content()   # not in the text, the preview tags or anywhere else
    finally:
        await stranger.close()


async def test_the_same_trip_in_japanese_after_choosing_it_in_the_settings(worker, phone, shot):
    page = await phone.new_page()
    await sign_up(page, shot, worker.url)
    await add_flight(page, shot, worker.url)
    await trip_on_dashboard(page, worker.url, "New York")
    await page.goto(worker.url + "/settings")
    await seen(page, shot, "settings in English")
    await page.get_by_label("Language").select_option("ja")
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("html")).to_have_attribute("lang", "ja")
    await seen(page, shot, "settings in Japanese")

    await page.goto(worker.url + "/")
    await expect(page.get_by_role("heading", level=1, name="旅行一覧")).to_be_visible()
    card = page.get_by_role("article", name="ニューヨーク")   # the same trip, its city named in Japanese
    await expect(card.get_by_role("link", name="LH 400")).to_be_visible()
    await expect(card).to_contain_text(JAPANESE_TIMES)   # Japanese dates, each airport's own zone
    await seen(page, shot, "dashboard in Japanese")
    await card.get_by_role("link", name="ニューヨーク").click()
    await expect(page.locator("html")).to_have_attribute("lang", "ja")
    await expect(page.get_by_role("heading", level=1, name="ニューヨーク")).to_be_visible()
    await expect(page.get_by_role("heading", level=2, name="名前と公開設定")).to_be_visible()
    await expect(page.get_by_role("list").filter(has_text="LH 400")).to_contain_text(JAPANESE_TIMES)
    await seen(page, shot, "trip page in Japanese")
    await page.get_by_role("link", name="LH 400").click()
    await expect(page.locator("html")).to_have_attribute("lang", "ja")
    await expect(page.get_by_role("main")).to_contain_text(re.compile(r"12月1日\(.\) 8:30 CET"))
    await seen(page, shot, "flight page in Japanese")


async def test_the_app_installs_and_the_next_trip_reads_offline(worker, phone, shot):
    page = await phone.new_page()
    await sign_up(page, shot, worker.url)
    await add_flight(page, shot, worker.url)
    card = await trip_on_dashboard(page, worker.url, "New York")
    manifest = await page.evaluate("""async () => {
        const answer = await fetch(document.querySelector('link[rel="manifest"]').href);
        return {status: answer.status, type: answer.headers.get("Content-Type"), body: await answer.json()}; }""")
    assert manifest["status"] == 200 and manifest["type"].startswith("application/manifest+json")
    assert manifest["body"]["name"] == "Road Warrior" and manifest["body"]["start_url"] == "/"
    for icon in manifest["body"]["icons"]:
        assert (await page.request.get(worker.url + icon["src"])).ok, icon
    assert await page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.scriptURL)") == worker.url + "/sw.js"
    trip = await card.get_by_role("link", name="New York").get_attribute("href")
    # The dashboard hands its first trip to the service worker, which keeps a copy: await that copy.
    kept = f"caches.open('rw-pages').then((c) => c.match('{trip}')).then(Boolean)"
    await page.wait_for_function(kept, polling=200, timeout=30_000)

    await page.goto(worker.url + trip)
    await seen(page, shot, "the next trip, online")
    await phone.set_offline(True)
    await page.reload()
    await expect(page.get_by_role("heading", level=1, name="New York")).to_be_visible()
    await expect(page.get_by_role("list").filter(has_text="LH 400")).to_contain_text("FRA → JFK")
    note = page.get_by_text("Offline — last updated")
    await expect(note).to_be_visible()
    await expect(note).to_contain_text("CET")   # when, on the traveller's own clock (Europe/Paris)
    await seen(page, shot, "the next trip, offline")
