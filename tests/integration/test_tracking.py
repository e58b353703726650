"""Tracking end to end: a real broker, a real worker and the real provider simulator process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import defaultdict

import aiohttp
import orjson
import pytest
from aiokafka import AIOKafkaConsumer

from devtools import broker
from devtools.cluster import ROOT
from devtools.demo import to_reservation
from tests.integration.conftest import TRIP_DAY, Api, eventually

pytestmark = pytest.mark.integration
CYCLE_S = 4
ADMIN = {"email": "admin@tracking.test", "password": "admin-password-123"}
TRACKING_ENV = {"ROADWARRIOR_TRACKING_CYCLE_S": str(CYCLE_S), "ROADWARRIOR_TRACKING_CHECKPOINT_S": "0.5",
                "ROADWARRIOR_ADMIN_EMAIL": ADMIN["email"], "ROADWARRIOR_ADMIN_PASSWORD": ADMIN["password"]}


class Simulator:
    """``python -m devtools.simulator`` on a free port, with its control API."""

    def __init__(self, http: aiohttp.ClientSession, log_path, extra_args: tuple[str, ...] = ()) -> None:
        self.http, self.port = http, broker.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devtools.simulator", "--port", str(self.port), "--change-rate", "0", *extra_args],
            cwd=ROOT, stdout=open(log_path, "ab"), stderr=subprocess.STDOUT, start_new_session=True)
        broker.wait_for_port("127.0.0.1", self.port, timeout_s=30, process=self.process)

    async def call(self, method: str, path: str, body=None):
        async with self.http.request(method, self.url + path, json=body) as response:
            return response.status, await response.json(content_type=None) if response.status != 204 else None

    async def change(self, subject: str, change: dict) -> dict:
        status, entry = await self.call("POST", "/control/changes", {"subject": subject, "change": change})
        assert status == 200, entry
        return entry

    async def reservation(self, provider_id: str, subject: str) -> dict:
        status, result = await self.call("GET", f"/p/{provider_id}/v1/snapshots/{subject}")
        assert status == 200, result
        return to_reservation(provider_id, subject, result["snapshot"])

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=10)


class ChangeFeed:
    """Everything on reservation-changes, read from the start as the data team would."""

    def __init__(self, cluster) -> None:
        self.consumer = AIOKafkaConsumer(cluster.topic("reservation-changes"), bootstrap_servers=cluster.bootstrap,
                                         auto_offset_reset="earliest", enable_auto_commit=False, group_id=None,
                                         fetch_max_wait_ms=50)
        self.messages: list[dict] = []

    async def read(self) -> list[dict]:
        batches = await self.consumer.getmany(timeout_ms=200)
        for records in batches.values():
            self.messages += [orjson.loads(record.value) for record in records]
        return self.messages

    def about(self, reservation_id: str) -> list[dict]:
        return [m for m in self.messages if m["reservation_id"] == reservation_id]


@pytest.fixture
async def http():
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30),
                                     connector=aiohttp.TCPConnector(force_close=True)) as session:
        yield session


@pytest.fixture
async def simulator(http, tmp_path):
    one = Simulator(http, tmp_path / "simulator.log")
    yield one
    one.stop()


@pytest.fixture
def tracker(cluster):
    cluster.extra_env.update(TRACKING_ENV)
    one = cluster.worker("w1").start()
    one.wait_ready()
    return one


@pytest.fixture
async def feed(cluster, tracker):
    one = ChangeFeed(cluster)
    await one.consumer.start()
    yield one
    await one.consumer.stop()


async def register_providers(http, worker, simulator, *provider_ids: str) -> None:
    admin = Api(http, worker.url)

    async def logged_in():
        status, tokens, _ = await admin.call("POST", "/api/v1/auth/login", ADMIN)
        return tokens["access_token"] if status == 200 else None

    admin.token = await eventually(logged_in, timeout_s=30, interval_s=0.2)
    for provider_id in provider_ids:
        status, body, _ = await admin.call("POST", "/api/v1/admin/providers", {
            "provider_id": provider_id, "kind": "standard", "base_url": f"{simulator.url}/p/{provider_id}",
            "quota": {"per_second": 50, "per_day": 1_000_000}, "batch_size": 50, "timeout_s": 2})
        assert status == 201, body


async def traveller_with(http, worker, simulator, picks: list[tuple[str, str]]) -> tuple[Api, list[str]]:
    api = Api(http, worker.url)
    await api.sign_up_and_log_in()
    ids = []
    for provider_id, subject in picks:
        status, created, _ = await api.call("POST", "/api/v1/reservations",
                                            await simulator.reservation(provider_id, subject))
        assert status == 201, created
        ids.append(created["id"])
    return api, ids


async def baselines(worker, api: Api, count: int) -> None:
    """Wait until every tracked reservation has its first snapshot (a change needs something to differ from)."""
    async def verified():
        async with api.http.get(worker.url + "/metrics") as response:
            text = await response.text()
        line = [x for x in text.splitlines() if x.startswith("roadwarrior_tracking_snapshots_diffed_total ")]
        return line and float(line[0].split()[1]) >= count
    await eventually(verified, timeout_s=3 * CYCLE_S + 10, interval_s=0.2)


FLIGHT = f"flight/LH/400/{TRIP_DAY}"
HOTEL = "hotel/hotel-sim/H000004242"


async def test_an_injected_delay_reaches_reservation_changes_and_the_history(tracker, simulator, feed, http):
    await register_providers(http, tracker, simulator, "airline-sim", "hotel-sim")
    ann, (ann_flight, ann_hotel) = await traveller_with(http, tracker, simulator,
                                                        [("airline-sim", FLIGHT), ("hotel-sim", HOTEL)])
    bob, (bob_flight,) = await traveller_with(http, tracker, simulator, [("airline-sim", FLIGHT)])
    await baselines(tracker, ann, 3)
    entry = await simulator.change(FLIGHT, {"type": "delay", "minutes": 90})

    async def both_travellers_told():
        await feed.read()
        return feed.about(ann_flight) and feed.about(bob_flight)
    await eventually(both_travellers_told, timeout_s=2 * CYCLE_S + 10)
    for rid, owner in ((ann_flight, ann), (bob_flight, bob)):
        (change,) = feed.about(rid)
        assert change["severity"] == "major" and change["provider_changed_at"] == entry["at"]
        assert {c["path"] for c in change["changes"]} >= {"status", "departure.estimated"}
        # The history is written one hop after the change event (record_changes): poll for it.
        async def in_history(rid=rid, owner=owner):
            status, history, _ = await owner.call("GET", f"/api/v1/reservations/{rid}/history")
            return history["items"] if status == 200 and history["items"] else None

        items = await eventually(in_history, timeout_s=30)
        assert [h["change_id"] for h in items] == [change["change_id"]]
    assert feed.about(ann_hotel) == []
    status, _, _ = await bob.call("GET", f"/api/v1/reservations/{ann_flight}/history")
    assert status == 404

    await simulator.change(FLIGHT, {"type": "gate", "side": "departure", "gate": "Z9"})

    async def gate_on_the_reservation():
        status, body, _ = await ann.call("GET", f"/api/v1/reservations/{ann_flight}")
        return body if body["flight"].get("departure_gate") == "Z9" else None
    updated = await eventually(gate_on_the_reservation, timeout_s=2 * CYCLE_S + 10)
    assert updated["source"] == "provider" and updated["version"] == 2


async def test_provider_failures_for_a_while_make_no_false_change_and_tracking_recovers(
        tracker, simulator, feed, http):
    await register_providers(http, tracker, simulator, "airline-sim", "hotel-sim")
    api, ids = await traveller_with(http, tracker, simulator, [("airline-sim", FLIGHT), ("hotel-sim", HOTEL)])
    await baselines(tracker, api, 2)
    for fault in ({"kind": "5xx", "count": 4}, {"kind": "malformed", "count": 3}, {"kind": "truncated", "count": 2},
                  {"kind": "429", "count": 1, "retry_after": "1"}, {"kind": "timeout", "count": 1, "seconds": 3}):
        status, body = await simulator.call("POST", "/control/faults", {"provider": "*", **fault})
        assert status == 201, body

    async def faults_used_up():
        status, body = await simulator.call("GET", "/control/faults")
        return body["faults"] == []
    await eventually(faults_used_up, timeout_s=6 * CYCLE_S + 30, interval_s=0.5)
    await asyncio.sleep(CYCLE_S)   # let any false change the faults could cause arrive before checking
    assert await feed.read() == []
    await simulator.change(HOTEL, {"type": "room", "room_type": "Junior Suite"})

    async def recovered():
        await feed.read()
        return feed.about(ids[1])
    (change,) = await eventually(recovered, timeout_s=3 * CYCLE_S + 10)
    assert change["changes"] == [{"path": "room_type", "old": change["changes"][0]["old"], "new": "Junior Suite",
                                  "severity": "info"}]
    assert feed.about(ids[0]) == []


async def test_a_worker_killed_mid_cycle_misses_no_change_and_publishes_none_twice(
        cluster, tracker, simulator, feed, http):
    await register_providers(http, tracker, simulator, "airline-sim")
    subjects = [f"flight/LH/{n}/{TRIP_DAY}" for n in range(410, 416)]
    api, ids = await traveller_with(http, tracker, simulator, [("airline-sim", s) for s in subjects])
    await baselines(tracker, api, len(ids))
    for subject in subjects:
        await simulator.change(subject, {"type": "gate", "side": "departure", "gate": "K1"})

    async def first_gates_seen():
        await feed.read()
        return len({m["reservation_id"] for m in feed.messages}) == len(ids)
    await eventually(first_gates_seen, timeout_s=2 * CYCLE_S + 10)
    tracker.kill()                                        # mid-cycle: polls in flight, checkpoint not current
    for subject in subjects:
        await simulator.change(subject, {"type": "gate", "side": "departure", "gate": "K2"})
    restarted = cluster.worker("w1", web_port=tracker.web_port).start()
    restarted.wait_ready()

    async def second_gates_seen():
        await feed.read()
        news = {(m["reservation_id"], c["new"]) for m in feed.messages for c in m["changes"]}
        return all((rid, "K2") in news for rid in ids)
    await eventually(second_gates_seen, timeout_s=3 * CYCLE_S + 30)
    await asyncio.sleep(CYCLE_S)
    await feed.read()
    distinct = defaultdict(set)
    for message in feed.messages:
        for change in message["changes"]:
            distinct[(message["reservation_id"], change["new"])].add(message["change_id"])
    assert set(distinct) == {(rid, gate) for rid in ids for gate in ("K1", "K2")}
    assert all(len(change_ids) == 1 for change_ids in distinct.values()), distinct
