"""A traveller's year on a real broker, worker and provider simulator: flights, a hotel and a car made through
the API and a provider's delay make the summary's figures; deleting a flight takes it out again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import orjson
import pytest
from aiokafka import AIOKafkaConsumer

from domain.common.places import airport
from domain.trips.geography import distance_km
from tests.integration.conftest import Api, eventually
from tests.integration.test_tracking import TRACKING_ENV, Simulator, register_providers

pytestmark = pytest.mark.integration
TODAY = datetime.now(UTC).date()
# Two days ahead (tracked now, flown once the test clock moves on), or 2 January when the trip would straddle
# New Year: the summary is the flights' year.
DAY = max(TODAY + timedelta(days=2), date(TODAY.year + 1, 1, 2) if TODAY.month == 12 and TODAY.day > 24 else TODAY)
ADVANCE_S = ((DAY - TODAY).days + 7) * 86400
OUT, BACK = f"flight/LH/400/{DAY}", f"flight/LH/401/{DAY + timedelta(days=3)}"
DELAY_MINUTES = 90


def on(days: int, clock: str) -> str:
    return f"{DAY + timedelta(days=days)}T{clock}"


@pytest.fixture
def worker(cluster):
    cluster.extra_env.update(TRACKING_ENV, ROADWARRIOR_TRIPS_TEST_CLOCK="1", ROADWARRIOR_TRIPS_TICK_S="0.5")
    one = cluster.worker("w1").start()
    one.wait_ready()
    return one


@pytest.fixture
async def simulator(http, tmp_path):
    one = Simulator(http, tmp_path / "simulator.log")
    yield one
    one.stop()


async def test_a_travellers_year_from_reservations_and_a_provider_delay(cluster, worker, simulator, http):
    await register_providers(http, worker, simulator, "airline-sim")
    api = Api(http, worker.url)
    ann = await api.sign_up_and_log_in("Ann")
    assert (await api.call("PATCH", "/api/v1/me", {"home": "FRA"}))[0] == 200
    flights = [await simulator.reservation("airline-sim", subject) for subject in (OUT, BACK)]
    out_id, back_id = [await _made(api, body) for body in flights]
    await _made(api, {"type": "hotel", "start": on(0, "15:00"), "end": on(3, "11:00"),
                      "start_time_zone": "America/New_York", "hotel": {"name": "Hotel Example"}})
    await _made(api, {"type": "car", "start": on(1, "09:00"), "end": on(3, "08:00"),
                      "start_time_zone": "America/New_York", "car": {"company": "Hertz"}})

    await simulator.change(OUT, {"type": "delay", "minutes": DELAY_MINUTES})
    await eventually(lambda: _tracked_change(api, out_id), timeout_s=60, interval_s=0.3)
    status, moved, _ = await api.call("POST", "/api/v1/test-clock", {"advance_s": ADVANCE_S})
    assert status == 200, moved

    legs = [(body["flight"]["from"], body["flight"]["to"]) for body in flights]
    summary = await eventually(lambda: _summary(api, DAY.year, flights=2), timeout_s=30)
    assert summary["distance_km"] == round(sum(distance_km(*leg) for leg in legs))
    assert summary["airports"] == sorted({code for leg in legs for code in leg})
    # The airports' countries, and the hotel's and car desk's (New York) abroad.
    assert summary["countries"] == sorted({airport(code)["country"] for leg in legs for code in leg} | {"US"})
    assert summary["delays"] == {"count": 1, "total_minutes": DELAY_MINUTES, "longest_minutes": DELAY_MINUTES}
    assert (summary["hotel_nights"], summary["car_rental_days"], summary["cancellations"]) == (3, 2, 0)
    assert summary["top_airline"] == {"code": "LH", "flights": 2} and summary["trips"] >= 1
    assert summary["time_zone"] == "Europe/Berlin" and summary["previous"]["year"] == summary["year"] - 1

    assert (await api.call("DELETE", f"/api/v1/reservations/{back_id}"))[0] == 204
    after = await eventually(lambda: _summary(api, summary["year"], flights=1), timeout_s=30)
    assert after["distance_km"] == round(distance_km(*legs[0]))
    assert after["delays"]["count"] == 1 and after["top_airline"] == {"code": "LH", "flights": 1}

    # The data team's compacted topic has the year under a pseudonym, with the flight gone, and no user ID.
    stats = await eventually(lambda: _latest_stats(cluster, DAY.year, flights=1), timeout_s=30)
    assert stats["distance_km"] == after["distance_km"] and stats["delays"] == after["delays"]
    assert len(stats["pseudonym"]) == 32 and ann["id"] not in repr(stats) and stats["hotel_nights"] == 3


async def _latest_stats(cluster, year: int, flights: int) -> dict | None:
    """The last traveller-year-stats record of ``year`` on the topic (one traveller in this cluster)."""
    consumer = AIOKafkaConsumer(cluster.topic("traveller-year-stats"), bootstrap_servers=cluster.bootstrap,
                                auto_offset_reset="earliest", enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        records = [r for batch in (await consumer.getmany(timeout_ms=1000)).values() for r in batch]
    finally:
        await consumer.stop()
    mine = [orjson.loads(r.value) for r in sorted(records, key=lambda r: r.offset)
            if orjson.loads(r.key).endswith(f"/{year}")]
    return mine[-1] if mine and mine[-1]["flights"] == flights else None


async def _made(api: Api, body: dict) -> str:
    status, created, _ = await api.call("POST", "/api/v1/reservations", body)
    assert status == 201, created
    return created["id"]


async def _tracked_change(api: Api, reservation_id: str) -> bool:
    status, page, _ = await api.call("GET", "/api/v1/trips")
    assert status == 200, page
    return any(r["id"] == reservation_id and r["latest_change"] and any(
        c["path"] == "departure.estimated" for c in r["latest_change"]["changes"])
        for trip in page["items"] for r in trip["reservations"])


async def _summary(api: Api, year: int, flights: int) -> dict | None:
    status, summary, _ = await api.call("GET", f"/api/v1/me/summary/{year}")
    assert status in (200, 503), summary
    return summary if status == 200 and summary["flights"] == flights else None
