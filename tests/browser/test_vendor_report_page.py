"""The vendor report page as support staff use it: the month's vendors, sortable without script, SVG charts."""

from __future__ import annotations

import time

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from playwright.async_api import expect

from domain.reports.vendor_keys import month_of
from tests.browser.conftest import axe_check
from tests.integration.conftest import Api, eventually
from tests.integration.test_vendor_reports import SUPPORT, support_user

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]
MONTH = month_of(time.time())


def delay(change_id: str, rid: str, minutes: int) -> dict:
    return {"kind": "change", "change_id": change_id, "reservation_id": rid, "user_id": "u-" + rid,
            "provider": "airline-sim", "severity": "major", "kinds": ["time"],
            "detected_at": f"{MONTH}-01T00:00:01.000Z", "freshness_s": 30.0, "delay_minutes": minutes,
            "cancelled": False, "diverted": False}


async def feed(cluster) -> None:
    """What the diff stage and the change router would send: marks and changes for two airlines and a hotel."""
    inputs = [
        (f"airline/LH/{MONTH}", {"kind": "marks", "provider": "airline-sim",
                                 "marks": [["r1", "u1"], ["r2", "u2"], ["r3", "u2"]]}),
        (f"airline/LH/{MONTH}", delay("c1", "r1", 45)), (f"airline/LH/{MONTH}", delay("c2", "r2", 120)),
        (f"airline/AF/{MONTH}", {"kind": "marks", "provider": "airline-sim", "marks": [["r4", "u3"]]}),
        (f"airline/AF/{MONTH}", delay("c3", "r4", 15)),
        (f"hotel/hotel-sim/{MONTH}", {"kind": "marks", "provider": "hotel-sim", "marks": [["h1", "u1"]]}),
    ]
    producer = AIOKafkaProducer(bootstrap_servers=cluster.bootstrap)
    await producer.start()
    try:
        for key, value in inputs:
            await producer.send_and_wait(cluster.topic("vendor-report-inputs"), key=orjson.dumps(key),
                                         value=orjson.dumps(value))
    finally:
        await producer.stop()


async def test_support_sorts_the_months_vendors_and_sees_the_charts(cluster, http, browser, shot):
    cluster.extra_env.update({"ROADWARRIOR_VENDOR_REPORTS_PUBLISH_S": "0", "ROADWARRIOR_REQUEST_TIMEOUT_S": "20"})
    worker = cluster.worker("w1").start()
    worker.wait_ready()
    await feed(cluster)
    support = await support_user(cluster, http, worker)

    async def folded():
        _, body, _ = await support.call("GET", "/api/v1/support/vendor-reports")
        rows = {r["vendor"]: r for r in body["items"]}
        done = len(rows) == 3 and rows["LH"]["changes"]["total"] == 2 and rows["AF"]["changes"]["total"] == 1
        return rows if done else None

    await eventually(folded, timeout_s=30)
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        page = await context.new_page()
        await page.goto(f"{worker.url}/login")
        await page.get_by_label("E-mail").fill(SUPPORT["email"])
        await page.get_by_label("Password").fill(SUPPORT["password"])
        await page.get_by_role("button", name="Log in").click()
        await page.get_by_role("link", name="Vendor reports").click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text(f"Vendor report {MONTH}")
        table = page.get_by_role("table")
        await expect(table.get_by_role("rowheader")).to_have_text(["AF", "LH", "hotel-sim"])
        await expect(page.get_by_role("img", name="Changes per vendor")).to_be_visible()
        await expect(page.get_by_role("img", name="Delay p90 per vendor (minutes)")).to_be_visible()
        assert await page.locator("svg rect.bar").count() == 2 + 2   # two vendors with changes, two with delays
        await shot(page, "vendor report by vendor")
        await axe_check(page)
        await page.get_by_role("link", name="Reservations", exact=True).click()   # a plain link: no script needed
        await expect(table.get_by_role("rowheader")).to_have_text(["LH", "AF", "hotel-sim"])
        await expect(page.get_by_role("columnheader", name="Reservations", exact=True)).to_have_attribute(
            "aria-sort", "descending")
        delay_p90 = page.get_by_role("columnheader", name="Delay p90 (min)")
        await page.get_by_role("link", name="Delay p90 (min)").click()
        await expect(delay_p90).to_have_attribute("aria-sort", "descending")
        await page.get_by_role("link", name="Delay p90 (min)").click()   # again: the other way, no delay still last
        await expect(delay_p90).to_have_attribute("aria-sort", "ascending")
        await expect(table.get_by_role("rowheader")).to_have_text(["AF", "LH", "hotel-sim"])
        await shot(page, "sorted by delay p90")
    finally:
        await context.close()
    traveller = Api(http, worker.url)
    await traveller.sign_up_and_log_in()
    assert (await traveller.call("GET", "/api/v1/support/vendor-reports"))[0] == 403
