"""Seeding for `make run`: the simulator registered as the default providers, and a demo traveller's trips.

Everything goes through the public HTTP APIs (ours and the simulator's control API), and is idempotent:
a second start finds the providers (409) and the traveller (409) and leaves them as they are. Every start
hands the traveller's flights to the simulator's demo schedule (devtools/simulator/demo_schedule.py), so
they change at the provider soon after Ready and every few minutes after.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import aiohttp

from domain.tracking.subjects import subject_of

PROVIDERS = ("airline-sim", "hotel-sim", "car-sim", "gds-sim")
PUSHING = {"airline-sim", "hotel-sim", "gds-sim"}  # the simulator's car agency cannot push
DEMO_EMAIL, DEMO_PASSWORD = "demo@roadwarrior.test", "road-warrior-demo"


async def seed(api: str, simulator: str, admin_email: str, admin_password: str) -> list[str]:
    """Register the providers and the demo traveller; returns lines to print."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        admin = await _login(http, api, admin_email, admin_password)
        for provider_id in PROVIDERS:
            await _register(http, api, simulator, admin, provider_id)
        created = await _traveller(http, api, simulator)
        demo = await _follow_flights(http, api, simulator)
    lines = [f"Demo traveller  {DEMO_EMAIL} / {DEMO_PASSWORD}"]
    if created:
        lines.append(f"                with {created} reservations taken from the simulator's world")
    if demo["subjects"]:
        lines.append(f"                {len(demo['subjects'])} flights change at the provider in "
                     f"{demo['next_in_s']:.0f} s, then every {demo['every_s'] / 60:g} min")
    return lines


async def _login(http: aiohttp.ClientSession, api: str, email: str, password: str) -> dict:
    async with http.post(f"{api}/api/v1/auth/login", json={"email": email, "password": password}) as r:
        body = await r.json()
        if r.status != 200:
            raise RuntimeError(f"login as {email} failed: {r.status} {body.get('title')}")
        return {"Authorization": f"Bearer {body['access_token']}"}


async def _register(http, api: str, simulator: str, admin: dict, provider_id: str) -> None:
    record = {"provider_id": provider_id, "kind": "standard", "name": f"Simulator ({provider_id})",
              "base_url": f"{simulator}/p/{provider_id}", "quota": {"per_second": 200, "per_day": 10_000_000},
              "batch_size": 100, "can_push": provider_id in PUSHING}
    async with http.post(f"{api}/api/v1/admin/providers", json=record, headers=admin) as r:
        body = await r.json()
        if r.status not in (201, 409):
            raise RuntimeError(f"registering {provider_id} failed: {r.status} {body.get('title')}")
    if r.status == 201 and body.get("webhook_secret"):
        hook = {"provider": provider_id, "url": api + body["webhook_url"], "secret": body["webhook_secret"]}
        async with http.post(f"{simulator}/control/webhooks", json=hook) as r:
            if r.status != 204:
                raise RuntimeError(f"the simulator refused the webhook for {provider_id}: {r.status}")


async def _traveller(http, api: str, simulator: str) -> int:
    account = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "name": "Dana Demo", "time_zone": "Europe/Berlin"}
    async with http.post(f"{api}/api/v1/auth/signup", json=account) as r:
        if r.status == 409:
            return 0
        if r.status != 201:
            raise RuntimeError(f"demo sign-up failed: {r.status}")
    headers = await _login(http, api, DEMO_EMAIL, DEMO_PASSWORD)
    created = 0
    for reservation in await _trips(http, simulator):
        async with http.post(f"{api}/api/v1/reservations", json=reservation, headers=headers) as r:
            created += r.status == 201
    return created


async def _follow_flights(http, api: str, simulator: str) -> dict:
    """Name the demo traveller's flights to the simulator's demo schedule; returns the schedule."""
    headers = await _login(http, api, DEMO_EMAIL, DEMO_PASSWORD)
    subjects = [subject_of(r) for r in await _reservations(http, api, headers) if r.get("type") == "flight"]
    async with http.post(f"{simulator}/control/demo", json={"subjects": [s for s in subjects if s]}) as r:
        body = await r.json()
        if r.status != 200:
            raise RuntimeError(f"the simulator refused the demo schedule: {r.status} {body.get('title')}")
        return body


async def _reservations(http, api: str, headers: dict) -> list[dict]:
    for _ in range(50):   # 503 while the listing catches up after a restart
        async with http.get(f"{api}/api/v1/reservations", params={"limit": 100}, headers=headers) as r:
            if r.status == 200:
                return (await r.json())["items"]
            if r.status != 503:
                raise RuntimeError(f"listing the demo reservations failed: {r.status}")
        await asyncio.sleep(0.2)
    raise RuntimeError("the reservations listing did not catch up")


async def _trips(http, simulator: str) -> list[dict]:
    """Two upcoming flights, a hotel and a car from the simulator's world, as our reservations."""
    picks = []
    for provider_id, count in (("airline-sim", 2), ("hotel-sim", 1), ("car-sim", 1)):
        async with http.get(f"{simulator}/control/subjects",
                            params={"provider": provider_id, "start": 4000, "count": 400}) as r:
            subjects = (await r.json())["subjects"]
        soon = [s for s in subjects if _upcoming(s)] or subjects
        for subject in soon[:count]:
            async with http.get(f"{simulator}/p/{provider_id}/v1/snapshots/{subject}") as r:
                snapshot = (await r.json())["snapshot"]
            picks.append(to_reservation(provider_id, subject, snapshot))
    return picks


def _upcoming(subject: str) -> bool:
    last = subject.rsplit("/", 1)[-1]
    try:
        return date.fromisoformat(last) >= date.today() + timedelta(days=1)
    except ValueError:
        return True  # hotel and car subjects carry no date


def to_reservation(provider_id: str, subject: str, snapshot: dict) -> dict:
    """A provider snapshot as the canonical reservation a traveller would have typed in."""
    if snapshot["kind"] == "flight":
        dep, arr = snapshot["departure"], snapshot["arrival"]
        return {"type": "flight", "provider": provider_id, "confirmation": "DEMO" + snapshot["number"].zfill(2),
                "travellers": ["Dana Demo"], "start": dep["scheduled"]["local"], "end": arr["scheduled"]["local"],
                "flight": {"airline": snapshot["carrier"], "number": snapshot["number"], "from": dep["airport"],
                           "to": arr["airport"]}}
    confirmation = subject.rsplit("/", 1)[-1]
    if snapshot["kind"] == "hotel":
        return {"type": "hotel", "provider": provider_id, "confirmation": confirmation, "travellers": ["Dana Demo"],
                "start": snapshot["check_in"]["local"], "end": snapshot["check_out"]["local"],
                "start_time_zone": snapshot["check_in"]["zone"],
                "hotel": {"name": snapshot["name"], "address": snapshot["address"]}}
    pickup, dropoff = snapshot["pickup"], snapshot["dropoff"]
    return {"type": "car", "provider": provider_id, "confirmation": confirmation, "travellers": ["Dana Demo"],
            "start": pickup["time"]["local"], "end": dropoff["time"]["local"],
            "start_time_zone": pickup["time"]["zone"], "end_time_zone": dropoff["time"]["zone"],
            "car": {"company": snapshot["company"], "pickup_location": pickup["location"],
                    "dropoff_location": dropoff["location"]}}
