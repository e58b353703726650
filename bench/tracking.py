"""Tracking on this machine: the diff stage, raw aiokafka and Quix Streams side by side, and the whole system.

    python -m bench.tracking diff --reservations 40000    # diff stage alone vs raw consume vs Quix Streams
    python -m bench.tracking system --reservations 50000  # broker + simulator + worker at the 5-minute cycle

Both start their own Apache Kafka broker (devtools/broker.py) and run the worker at its default settings:
    python -m bench.tracking system --reservations 1000000

Prints figures and asserts nothing. Reservations are taken from the simulator's world (60% flights, four
travellers per flight instance; 25% hotels; 15% cars) and enter as reservation.created events on
reservation-events, the way the reservations agent publishes them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.partitioner import murmur2

from devtools import broker
from devtools.cluster import ROOT, Cluster
from devtools.demo import to_reservation
from devtools.simulator.catalogue import FLIGHT_HOME
from devtools.simulator.world import World
from domain.reservations.fields import check
from domain.tracking.snapshots import fingerprint

PARTITIONS = 4
FLIGHTS_PER_DAY = 24 * 9000
DAYS_AHEAD = 3            # flights a few days out: still ahead whenever the bench runs
ADMIN = ("admin@bench.test", "bench-admin-password")


# -- the population ---------------------------------------------------------------------------------------


def population(n: int, seed: int = 42) -> tuple[list[tuple[str, str, dict]], dict[str, dict]]:
    """[(reservation ID, subject, reservation)] and {subject: snapshot} from the simulator's world."""
    rows, snapshots = [], {}
    for rid, subject, reservation, snapshot in population_rows(n, seed):
        rows.append((rid, subject, reservation))
        snapshots.setdefault(subject, snapshot)
    return rows, snapshots


def population_rows(n: int, seed: int = 42):
    """(reservation ID, subject, reservation, snapshot), one at a time: a million kept at once take ~10 GB.

    The travellers of one flight instance come one after the other, so only the last snapshot is kept.
    """
    world = World(seed)
    flights = int(n * 0.6)
    hotels = int(n * 0.25)
    last_subject, last_snapshot = None, None
    for i in range(n):
        if i < flights:
            provider, index = FLIGHT_HOME, DAYS_AHEAD * FLIGHTS_PER_DAY + i // 4
        elif i < flights + hotels:
            provider, index = "hotel-sim", i - flights
        else:
            provider, index = "car-sim", i - flights - hotels
        subject = world.subject_at(provider, index)
        if subject != last_subject:
            last_subject, last_snapshot = subject, world.snapshot(subject)
        yield f"{i:032x}", subject, check(to_reservation(provider, subject, last_snapshot)), last_snapshot


def partition_of(key: str) -> int:
    """The partition Faust's producer picks for a JSON key (aiokafka's murmur2 partitioner)."""
    return (murmur2(orjson.dumps(key)) & 0x7FFFFFFF) % PARTITIONS


def reservation_event(rid: str, reservation: dict) -> bytes:
    user_id = f"{int(rid, 16) // 4:032x}"   # four reservations a traveller
    return orjson.dumps({"schema_version": 1, "event_id": rid, "event_type": "reservation.created",
                         "reservation_id": rid, "user_id": user_id, "version": 1,
                         "occurred_at": "2026-01-01T00:00:00Z", "changed_fields": [],
                         "reservation": {"id": rid, **reservation}})


# -- processes and their figures ------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


async def metrics(http: aiohttp.ClientSession, url: str) -> dict[str, float]:
    async with http.get(url + "/metrics") as response:
        text = await response.text()
    values: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def metric_sum(values: dict[str, float], prefix: str) -> float:
    return sum(v for k, v in values.items() if k == prefix or k.startswith(prefix + "{"))


async def produce(servers: str, topic: str, records, partitioned: bool = False) -> float:
    """Send (key, value[, partition]) records as fast as the broker takes them; returns seconds."""
    producer = AIOKafkaProducer(bootstrap_servers=servers, linger_ms=5, max_batch_size=512 * 1024,
                                max_request_size=4 * 1024 * 1024)
    await producer.start()
    started = time.perf_counter()
    try:
        pending = []
        for record in records:
            key, value, *partition = record
            pending.append(await producer.send(topic, value, key=key, partition=partition[0] if partition else None))
            if len(pending) >= 5_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.perf_counter() - started


async def until_metric(http, url: str, name: str, target: float, timeout_s: float,
                       pid: int | None = None) -> list[tuple[float, float, float]]:
    """Sample (time, value, worker CPU seconds) until ``name`` reaches ``target``."""
    samples, deadline = [], time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = metric_sum(await metrics(http, url), name)
        samples.append((time.monotonic(), value, cpu_seconds(pid) if pid else 0.0))
        if value >= target:
            break
        await asyncio.sleep(0.25)
    return samples


async def paused_produce(pid: int, servers: str, messages: list) -> None:
    """Write provider-snapshots messages with the worker paused, so neither the broker taking them nor this
    process takes CPU from the worker while it is measured."""
    os.kill(pid, signal.SIGSTOP)
    try:
        await produce(servers, "provider-snapshots", messages)
    finally:
        os.kill(pid, signal.SIGCONT)


async def until_quiet(pid: int, below: float = 0.35, timeout_s: float = 300) -> float:
    """The monotonic time at which the worker used less than ``below`` of a core over half a second
    (idle, it uses a few percent fetching from the broker)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        cpu, at = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(0.5)
        if (cpu_seconds(pid) - cpu) / (time.monotonic() - at) < below:
            return at
    return time.monotonic()


def per_round(samples, n: int, rounds: int) -> list[float]:
    """Snapshots per second over each repeat round (between the samples that reached its start and end)."""
    rates = []
    for k in range(1, rounds):
        start = next((s for s in samples if s[1] >= k * n), None)
        end = next((s for s in samples if s[1] >= (k + 1) * n), None)
        if start is None or end is None or end[0] == start[0]:
            break
        rates.append((end[1] - start[1]) / (end[0] - start[0]))
    return rates


def rate_between(samples, low: float, high: float) -> tuple[float, float]:
    """(items per second, items per CPU second) while the value went from ``low`` to ``high``."""
    start = next(s for s in samples if s[1] >= low)
    end = next((s for s in samples if s[1] >= high), samples[-1])
    items, wall, cpu = end[1] - start[1], end[0] - start[0], end[2] - start[2]
    return (items / wall if wall else 0.0), (items / cpu if cpu else 0.0)


# -- the diff stage alone, raw aiokafka, Quix Streams -----------------------------------------------------


def changed(snapshot: dict, round_no: int) -> dict:
    """The snapshot with one detail changed, as a provider would change it."""
    new = orjson.loads(orjson.dumps(snapshot))
    if new["kind"] == "flight":
        new["departure"]["gate"] = f"Z{round_no}"
    elif new["kind"] == "hotel":
        new["room_type"] = f"Suite {round_no}"
    else:
        new["pickup"]["location"] = f"Desk {round_no}"
    return new


def entries(snapshots: dict[str, dict], round_no: int, change_share: float, rng: random.Random) -> dict[str, dict]:
    fetched_at = time.time() + round_no
    out = {}
    for subject, snapshot in snapshots.items():
        snap = changed(snapshot, round_no) if round_no and rng.random() < change_share else snapshot
        out[subject] = {"outcome": "found", "snapshot": orjson.dumps(snap).decode(), "fp": fingerprint(snap),
                        "fetched_at": fetched_at, "source": "poll", "provider": "bench"}
    return out


def batch_messages(rows, round_entries: dict[str, dict], targets: int = 2_000, distinct: int = 400) -> list:
    """provider-snapshots messages as the poller's outbox sends them: per partition, many reservations each."""
    by_partition: dict[int, list] = {}
    for rid, subject, _ in rows:
        by_partition.setdefault(partition_of(rid), []).append((rid, subject))
    messages = []
    for partition, items in by_partition.items():
        batch: list = []
        for rid, subject in items + [(None, None)]:
            subjects = {s for _, s in batch}
            if rid is None or len(batch) >= targets or (subject not in subjects and len(subjects) >= distinct):
                if batch:
                    value = {"schema_version": 1, "partition": partition, "targets": batch, "stops": [],
                             "snapshots": {s: round_entries[s] for s in subjects}}
                    messages.append((None, orjson.dumps(value), partition))
                batch = []
            if rid is not None:
                batch.append([rid, subject])
    return messages


async def diff_stage(n: int, rounds: int, change_share: float, workdir: Path, env: dict) -> dict:
    rows, snapshots = population(n)
    subjects = len(snapshots)
    print(f"population: {n:,} reservations on {subjects:,} subjects", flush=True)
    cluster = Cluster(workdir, extra_env={"ROADWARRIOR_TRACKING_CYCLE_S": "300", **env})
    cluster.start_broker()
    servers = f"127.0.0.1:{cluster.broker_port}"
    rng = random.Random(1)
    rounds_out = [batch_messages(rows, entries(snapshots, r, change_share, rng)) for r in range(rounds)]
    results: dict = {"reservations": n, "subjects": subjects, "messages": sum(map(len, rounds_out))}
    try:
        worker = cluster.worker("w1").start()
        worker.wait_ready()
        async with aiohttp.ClientSession() as http:
            events = [(orjson.dumps(rid), reservation_event(rid, res)) for rid, _, res in rows]
            started = time.monotonic()
            await produce(servers, "reservation-events", events)
            await until_metric(http, worker.url, "roadwarrior_tracking_subjects", subjects, 3600)
            results["load_reservations_per_s"] = n / (time.monotonic() - started)
            pid = worker.process.pid
            # The baseline round alone: every record is written, and the changelog behind those writes is
            # still being sent for seconds after the last snapshot was diffed; measured to its quiet end,
            # so none of it lands in the steady state.
            await paused_produce(pid, servers, rounds_out[0])
            started = time.monotonic()
            samples = await until_metric(http, worker.url, "roadwarrior_tracking_snapshots_diffed_total", n, 3600, pid)
            results["baseline_per_s"], results["baseline_per_cpu_s"] = rate_between(samples, 0.02 * n, n)
            results["baseline_with_writes_s"] = await until_quiet(pid) - started
            # The steady state: the later rounds, nearly every snapshot the same as the one kept.
            await paused_produce(pid, servers, [m for r in rounds_out[1:] for m in r])
            broker_cpu = cpu_seconds(cluster.broker.process.pid)
            samples = await until_metric(http, worker.url, "roadwarrior_tracking_snapshots_diffed_total",
                                         rounds * n, 3600, pid)
            results["diff_per_s"], results["diff_per_cpu_s"] = rate_between(samples, 1.02 * n, rounds * n)
            results["per_round"] = per_round(samples, n, rounds)
            results["broker_cpu_share"] = (cpu_seconds(cluster.broker.process.pid) - broker_cpu) / (
                samples[-1][0] - samples[0][0])
            final = await metrics(http, worker.url)
            results["changes"] = metric_sum(final, "roadwarrior_tracking_changes_total")
            results["worker_rss_mb"] = rss_bytes(worker.process.pid) / 2**20
        results["raw_consume_per_s"] = await raw_consume(servers)
        results.update(await quix(servers, rows, snapshots, rounds, change_share, workdir))
    finally:
        cluster.stop()
    return results


async def raw_consume(servers: str, count: int = 200_000, size: int = 1_000) -> float:
    """aiokafka alone reading 1 KB records, on the same broker in the same run."""
    payload = os.urandom(size // 2).hex().encode()
    await produce(servers, "bench-raw", ((str(i).encode(), payload) for i in range(count)))
    consumer = AIOKafkaConsumer("bench-raw", bootstrap_servers=servers, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    seen, started = 0, time.perf_counter()
    try:
        while seen < count:
            batches = await consumer.getmany(timeout_ms=500, max_records=10_000)
            seen += sum(len(records) for records in batches.values())
    finally:
        await consumer.stop()
    return seen / (time.perf_counter() - started)


async def quix(servers: str, rows, snapshots, rounds: int, change_share: float, workdir: Path) -> dict:
    """The same per-reservation diff (domain.tracking.observe) on Quix Streams, one snapshot per message."""
    rng = random.Random(1)
    records = []
    for round_no in range(rounds):
        round_entries = entries(snapshots, round_no, change_share, rng)
        records += [(rid.encode(), orjson.dumps({"subject": s, "entry": round_entries[s]})) for rid, s, _ in rows]
    await produce(servers, "bench-quix", records)
    command = [sys.executable, "-m", "bench.tracking", "quix-worker", "--servers", servers,
               "--expect", str(len(records)), "--first", str(len(rows)), "--state", str(workdir / "quix")]
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    lines = [line for line in out.decode().splitlines() if line.startswith("{")]
    return orjson.loads(lines[-1]) if lines else {"quix_error": out.decode()[-500:]}


def quix_worker(servers: str, expect: int, first: int, state_dir: str) -> None:
    from quixstreams import Application

    from domain.tracking.observe import observe, settled

    app = Application(broker_address=servers, consumer_group="bench-quix", auto_offset_reset="earliest",
                      state_dir=state_dir, loglevel="WARNING")
    topic = app.topic("bench-quix", key_deserializer="str", value_deserializer="bytes")
    seen = {"n": 0, "changes": 0, "marks": []}

    def diff(value: bytes, key, timestamp, headers, state) -> None:
        item = orjson.loads(value)
        record = state.get("t") or {"subject": item["subject"], "user_id": "b" * 32, "snapshot": None, "fp": None,
                                    "fetched_at": None, "verification": "unverified", "not_found_streak": 0}
        entry = item["entry"]
        if not settled(record, item["subject"], entry):   # the agent's own shortcut, taken the same way here
            seen_now = observe(record, key, item["subject"], {**entry, "snapshot": orjson.loads(entry["snapshot"])},
                               time.time())
            if seen_now.state is not None:
                state.set("t", seen_now.state)
            seen["changes"] += seen_now.change is not None
        seen["n"] += 1
        if seen["n"] in (int(0.02 * first), first, int(1.02 * first), expect):
            seen["marks"].append((seen["n"], time.perf_counter(), time.process_time()))
        if seen["n"] >= expect:
            app.stop()

    app.dataframe(topic).update(diff, stateful=True, metadata=True)
    app.run()
    marks = seen["marks"]

    def rate(a: int, b: int) -> tuple[float, float]:
        (n0, t0, c0), (n1, t1, c1) = marks[a], marks[b]
        return (n1 - n0) / (t1 - t0), (n1 - n0) / (c1 - c0)

    baseline, steady = rate(0, 1), rate(2, 3)
    figures = {"quix_baseline_per_s": baseline[0], "quix_per_s": steady[0], "quix_per_cpu_s": steady[1],
               "quix_changes": seen["changes"]}
    print(orjson.dumps(figures).decode(), flush=True)


def report_diff(results: dict) -> None:
    r = results
    print(f"""
diff stage alone ({r['reservations']:,} reservations, {r['subjects']:,} subjects, {r['messages']:,} messages)
  reservations loaded (reservation-events -> tracking, subject index): {r['load_reservations_per_s']:,.0f}/s
  first snapshots (every record written):  {r['baseline_per_s']:,.0f} snapshots/s \
({r['baseline_per_cpu_s']:,.0f}/CPU-s); {r['reservations'] / r['baseline_with_writes_s']:,.0f}/s to an idle worker
  steady state ({r['changes']:,.0f} changes published):   {r['diff_per_s']:,.0f} snapshots/s \
({r['diff_per_cpu_s']:,.0f}/CPU-s)
  per repeat round (snapshots/s): {', '.join(f'{x:,.0f}' for x in r['per_round'])}
  raw aiokafka consume, 1 KB records:      {r['raw_consume_per_s']:,.0f} records/s
  diff stage / raw consume:                {r['diff_per_s'] / r['raw_consume_per_s']:.2f}
  worker RSS:                              {r['worker_rss_mb']:,.0f} MB
  broker CPU meanwhile:                    {r['broker_cpu_share']:.0%} of a core""")
    if "quix_per_s" in r:
        print(f"""  Quix Streams, same diff, one snapshot per message: {r['quix_per_s']:,.0f} snapshots/s \
({r['quix_per_cpu_s']:,.0f}/CPU-s; first snapshots {r['quix_baseline_per_s']:,.0f}/s)
  diff stage / Quix Streams:               {r['diff_per_s'] / r['quix_per_s']:.2f}""")
    else:
        print(f"  Quix Streams failed: {r.get('quix_error')}")


# -- the whole system: broker + simulator + worker at the cycle -------------------------------------------


async def system(n: int, cycle_s: float, cycles: float, changes_per_s: float, workdir: Path, env: dict,
                 window_s: float | None = None) -> dict:
    seen: set[str] = set()

    def events():   # made while sent: the population is never held whole
        for rid, subject, reservation, _ in population_rows(n):
            seen.add(subject)
            yield orjson.dumps(rid), reservation_event(rid, reservation)

    env = {"ROADWARRIOR_TRACKING_CYCLE_S": str(cycle_s), "ROADWARRIOR_ADMIN_EMAIL": ADMIN[0],
           "ROADWARRIOR_ADMIN_PASSWORD": ADMIN[1], **env}
    cluster = Cluster(workdir, extra_env=env)
    cluster.start_broker()
    sim_port = broker.free_port()
    simulator = subprocess.Popen([sys.executable, "-m", "devtools.simulator", "--port", str(sim_port),
                                  "--change-rate", "0"], cwd=ROOT, stdout=open(workdir / "simulator.log", "ab"),
                                 stderr=subprocess.STDOUT, start_new_session=True)
    sim = f"http://127.0.0.1:{sim_port}"
    servers, results = f"127.0.0.1:{cluster.broker_port}", {"reservations": n}
    try:
        worker = cluster.worker("w1").start()
        worker.wait_ready()
        async with aiohttp.ClientSession() as http:
            await register(http, worker.url, sim)
            started = time.monotonic()
            await produce(servers, "reservation-events", events())
            subjects = sorted(seen)
            results["subjects"] = len(subjects)
            print(f"population: {n:,} reservations on {len(subjects):,} subjects, sent in "
                  f"{time.monotonic() - started:.0f} s", flush=True)
            await until_metric(http, worker.url, "roadwarrior_tracking_subjects", len(subjects), 7200)
            results["load_per_s"] = n / (time.monotonic() - started)
            await until_metric(http, worker.url, "roadwarrior_tracking_snapshots_diffed_total", n, 2 * cycle_s + 600)
            feed = AIOKafkaConsumer("reservation-changes", bootstrap_servers=servers, group_id=None,
                                    auto_offset_reset="latest", enable_auto_commit=False)
            await feed.start()
            pids = {"worker": worker.process.pid, "broker": cluster.broker.process.pid, "simulator": simulator.pid}
            total_s, freshness, windows, rng = cycle_s * cycles, [], [], random.Random(7)
            window_s = window_s or total_s
            first, cpu_first, t_first = await metrics(http, worker.url), {k: cpu_seconds(p) for k, p in pids.items()}, \
                time.monotonic()
            while (left := total_s - (time.monotonic() - t_first)) > 1:   # a soak reports window by window
                before, cpu0, t0 = await metrics(http, worker.url), {k: cpu_seconds(p) for k, p in pids.items()}, \
                    time.monotonic()
                seen_now = await inject_and_watch(http, sim, feed, subjects, min(window_s, left), changes_per_s, rng)
                after, wall = await metrics(http, worker.url), time.monotonic() - t0
                windows.append({**window_figures(before, after, wall, cycle_s, pids, cpu0, seen_now, n),
                                "ended_s": time.monotonic() - t_first, "raw": seen_now})
                freshness += seen_now
                if window_s < total_s:
                    report_window(len(windows), time.monotonic() - t_first, windows[-1])
            after, wall = await metrics(http, worker.url), time.monotonic() - t_first
            results.update(window_figures(first, after, wall, cycle_s, pids, cpu_first, freshness, n))
            results["windows"] = windows
            last = sorted(f for w in windows if w["ended_s"] > wall - 1800 + window_s / 2 for f in w["raw"])
            if window_s < total_s and last:
                results["last_30_min"] = (last[len(last) // 2], last[int(len(last) * 0.99)], len(last))
            results["rss"] = {name: rss_bytes(pid) for name, pid in pids.items()}
            results["disk"] = disk_by_topic(cluster.broker.data_dir / "logs")
            await feed.stop()
    finally:
        cluster.stop()
        simulator.terminate()
    return results


async def register(http: aiohttp.ClientSession, api: str, sim: str) -> None:
    for _ in range(300):
        async with http.post(api + "/api/v1/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}) as r:
            if r.status == 200:
                headers = {"Authorization": f"Bearer {(await r.json())['access_token']}"}
                break
        await asyncio.sleep(0.2)
    for provider_id in ("airline-sim", "hotel-sim", "car-sim"):
        record = {"provider_id": provider_id, "kind": "standard", "base_url": f"{sim}/p/{provider_id}",
                  "quota": {"per_second": 100, "per_day": 100_000_000}, "batch_size": 100, "max_concurrency": 4}
        async with http.post(api + "/api/v1/admin/providers", json=record, headers=headers) as r:
            await r.read()


async def inject_and_watch(http, sim: str, feed: AIOKafkaConsumer, subjects: list[str], seconds: float,
                           per_s: float, rng: random.Random) -> list[float]:
    """Inject provider changes at a steady rate; return each resulting change event's freshness (s).

    ``rng`` goes on from one window to the next: a new one per window would inject the same values into the
    same subjects again, changes that change nothing."""
    freshness, ends = [], time.monotonic() + seconds
    next_at = time.monotonic()
    while time.monotonic() < ends:
        if time.monotonic() >= next_at:
            subject = rng.choice(subjects)
            change = {"flight": {"type": "gate", "side": "departure", "gate": f"G{rng.randint(1, 99)}"},
                      "hotel": {"type": "room", "room_type": f"Room {rng.randint(1, 99)}"},
                      "car": {"type": "dropoff", "location": f"Desk {rng.randint(1, 99)}"}}[subject.split("/")[0]]
            async with http.post(sim + "/control/changes", json={"subject": subject, "change": change}) as r:
                await r.read()
            next_at += 1 / per_s
        for records in (await feed.getmany(timeout_ms=50)).values():
            for record in records:
                event = orjson.loads(record.value)
                if event["provider_changed_at"]:
                    freshness.append(freshness_of(event))
    return freshness


def freshness_of(event: dict) -> float:
    from domain.tracking.observe import freshness_s

    return freshness_s(event) or 0.0


def window_figures(before: dict, after: dict, wall: float, cycle_s: float, pids: dict, cpu0: dict,
                   freshness: list[float], n: int) -> dict:
    delta = {name: metric_sum(after, name) - metric_sum(before, name) for name in (
        "roadwarrior_tracking_snapshots_diffed_total", "roadwarrior_provider_calls_total",
        "roadwarrior_tracking_polls_total", "roadwarrior_tracking_changes_total")}
    ordered = sorted(freshness) or [float("nan")]
    return {
        "diffed_per_s": delta["roadwarrior_tracking_snapshots_diffed_total"] / wall,
        "calls_per_cycle": delta["roadwarrior_provider_calls_total"] * cycle_s / wall,
        "subjects_polled_per_cycle": delta["roadwarrior_tracking_polls_total"] * cycle_s / wall,
        "changes": delta["roadwarrior_tracking_changes_total"],
        "cpu": {name: (cpu_seconds(pid) - cpu0[name]) / wall for name, pid in pids.items()},
        "rss_per_reservation": rss_bytes(pids["worker"]) / n,
        "freshness_p50": ordered[len(ordered) // 2], "freshness_p99": ordered[int(len(ordered) * 0.99)],
        "freshness_n": len(freshness), "window_s": wall, "cycle_s": cycle_s,
    }


def disk_by_topic(log_dir: Path) -> dict[str, int]:
    """Bytes on disk per topic (its partition directories under log.dirs; index files are sparse)."""
    sizes: dict[str, int] = {}
    for partition in log_dir.iterdir():
        if partition.is_dir() and "-" in partition.name:
            topic = partition.name.rsplit("-", 1)[0]
            used = sum(f.stat().st_blocks * 512 for f in partition.iterdir() if f.is_file())
            sizes[topic] = sizes.get(topic, 0) + used
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def report_window(k: int, elapsed_s: float, w: dict) -> None:
    cpu = ", ".join(f"{name} {share:.0%}" for name, share in w["cpu"].items())
    print(f"  window {k} (to {elapsed_s / 60:.0f} min): freshness p50 {w['freshness_p50']:.1f} s, "
          f"p99 {w['freshness_p99']:.1f} s over {w['freshness_n']} changes; diffed {w['diffed_per_s']:,.0f}/s; "
          f"CPU {cpu}", flush=True)


def report_system(r: dict) -> None:
    if "last_30_min" in r:
        print("  last 30 minutes: freshness p50 {:.1f} s, p99 {:.1f} s over {} changes".format(*r["last_30_min"]))
    cpu = ", ".join(f"{name} {share:.0%}" for name, share in r["cpu"].items())
    print(f"""
whole system ({r['reservations']:,} reservations, {r['subjects']:,} subjects, {r['cycle_s']:.0f} s cycle, \
{r['window_s']:.0f} s measured)
  reservations loaded:                   {r['load_per_s']:,.0f}/s
  snapshots diffed, sustained:           {r['diffed_per_s']:,.0f}/s
  provider calls per cycle:              {r['calls_per_cycle']:,.0f} ({r['subjects_polled_per_cycle']:,.0f} subjects)
  CPU (share of one core):               {cpu}
  worker RSS per tracked reservation:    {r['rss_per_reservation']:,.0f} bytes
  freshness (provider change -> event):  p50 {r['freshness_p50']:.1f} s, p99 {r['freshness_p99']:.1f} s \
over {r['freshness_n']:,} change events
  RSS at the end:                        {", ".join(f"{k} {v / 2**20:,.0f} MiB" for k, v in r['rss'].items())}
  broker disk at the end:                {sum(r['disk'].values()) / 2**20:,.1f} MiB: \
{", ".join(f"{k} {v / 2**20:,.1f}" for k, v in list(r['disk'].items())[:6])} MiB""")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tracking", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("diff", "system", "quix-worker"))
    parser.add_argument("--reservations", type=int, default=40_000)
    parser.add_argument("--rounds", type=int, default=8,
                        help="diff: snapshot rounds (the first is the baseline, the others the steady state)")
    parser.add_argument("--change-share", type=float, default=0.001, help="diff: subjects changed per round")
    parser.add_argument("--cycle-s", type=float, default=300.0, help="system: ROADWARRIOR_TRACKING_CYCLE_S")
    parser.add_argument("--cycles", type=float, default=1.0, help="system: cycles to measure")
    parser.add_argument("--changes-per-s", type=float, default=5.0, help="system: injected provider changes")
    parser.add_argument("--window-s", type=float, help="system: report figures every so many seconds (a soak)")
    parser.add_argument("--servers")
    parser.add_argument("--expect", type=int)
    parser.add_argument("--first", type=int)
    parser.add_argument("--state")
    args = parser.parse_args(argv)
    if args.mode == "quix-worker":
        quix_worker(args.servers, args.expect, args.first, args.state)
        return
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-tracking-{args.mode}-"))
    env: dict[str, str] = {}
    if args.mode == "diff":
        report_diff(asyncio.run(diff_stage(args.reservations, args.rounds, args.change_share, workdir, env)))
    else:
        report_system(asyncio.run(system(args.reservations, args.cycle_s, args.cycles, args.changes_per_s,
                                         workdir, env, args.window_s)))
    print(f"logs: {workdir}")


if __name__ == "__main__":
    main()
