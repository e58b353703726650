"""Topics on a real broker: the app creates its own with ROADWARRIOR_PARTITIONS and a retention each, Faust's
changelogs are compacted, and tools that are not ours (Kafka's CLI, Debian's kcat) read them."""

from __future__ import annotations

import shutil
import subprocess

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from devtools import broker
from faust_app import app
from runtime.worker import app_topics
from streams import provision
from tables.account_sessions import account_sessions
from tests.integration.conftest import Api, eventually, flight
from tests.integration.test_notifications_support import delay, inject


def test_every_topic_the_agents_use_is_declared_with_a_retention():
    declared = {name: provision.topic_config(topic) for topic in app_topics() for name in topic.topics}
    assert {"reservation-commands", "reservation-events", "user-reservation-events", "dead-letters",
            "reservation-changes", "notifications-sent"} <= set(declared)
    changelogs = {table.changelog_topic.get_topic_name() for table in app.tables.values()}
    # The analytics topics are compacted tables: kept for good, so no retention (Kafka ignores it under compact).
    analytics = {"travel-trends", "traveller-year-stats", "vendor-month-stats"}
    assert all(declared[name] == {"cleanup.policy": "compact"} for name in analytics)
    assert all("retention.ms" in config for name, config in declared.items() if name not in changelogs | analytics)
    assert declared["reservation-changes"]["retention.ms"] == str(30 * 86400 * 1000)
    assert declared["provider-snapshots"]["segment.ms"] == "600000"   # the hour's retention can act
    # Changelogs too, before the consumer's first metadata: one created as its table starts was missing from it.
    assert account_sessions.changelog_topic.get_topic_name() in changelogs <= set(declared)
    assert declared[account_sessions.changelog_topic.get_topic_name()]["cleanup.policy"] == "compact"


async def test_topics_get_the_configured_partition_count_and_a_mismatch_is_reported(cluster, caplog):
    servers = [cluster.bootstrap]
    login, user = app.topic(cluster.topic("login-commands")), app.topic(cluster.topic("user-commands"))
    await provision.declare(servers, [login, user], partitions=2, replication=1)
    await provision.declare(servers, [login], partitions=2, replication=1)   # again: nothing to do
    admin = AIOKafkaAdminClient(bootstrap_servers=servers)
    await admin.start()
    try:   # declare returned once the broker serves both, every partition led: a consumer may subscribe
        described = await admin.describe_topics([t.get_topic_name() for t in (login, user)])
        assert [len(d["partitions"]) for d in described if d["error_code"] == 0] == [2, 2]
        assert all(p["leader"] >= 0 for d in described for p in d["partitions"])
    finally:
        await admin.close()
    await provision.declare(servers, [login], partitions=4, replication=1)
    assert f"{login.get_topic_name()} has 2 partitions but ROADWARRIOR_PARTITIONS is 4" in caplog.text


async def _all(check, n: int):
    values = await check()
    return values if len(values) == n else None


async def _configs(bootstrap: str, names: list[str]) -> dict[str, dict[str, str]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        answers = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n) for n in names])
    finally:
        await admin.close()
    configs = {}
    for answer in answers:
        for _, _, _, name, entries in answer.resources:
            configs[name] = {entry[0]: entry[1] for entry in entries}
    return configs


async def test_changelogs_are_compacted_and_app_topics_keep_their_retention(cluster, worker):
    changelog = f"{cluster.app_id}-reservations-changelog"
    configs = await _configs(cluster.bootstrap, [changelog, cluster.topic("reservation-changes"),
                                                 cluster.topic("provider-snapshots")])
    assert configs[changelog]["cleanup.policy"] == "compact"
    assert configs[cluster.topic("reservation-changes")]["cleanup.policy"] == "delete"
    assert configs[cluster.topic("reservation-changes")]["retention.ms"] == str(30 * 86400 * 1000)
    assert configs[cluster.topic("provider-snapshots")]["retention.ms"] == str(3600 * 1000)
    assert configs[cluster.topic("provider-snapshots")]["segment.ms"] == "600000"
    # Kafka's own tool says the same.
    described = subprocess.run(
        ["java", "-cp", broker.classpath(), broker.TOOLS["kafka-configs"], "--bootstrap-server", cluster.bootstrap,
         "--entity-type", "topics", "--entity-name", changelog, "--describe"],
        capture_output=True, text=True, timeout=60)
    assert "cleanup.policy=compact" in described.stdout, described.stdout + described.stderr


@pytest.fixture
def kcat() -> str:
    tool = shutil.which("kcat")
    if tool is None:
        pytest.fail("kcat is not installed (make system-packages installs it)")
    return tool


async def test_kcat_lists_the_topics_and_reads_reservation_events_and_changes(cluster, worker, http, kcat):
    api = Api(http, worker.url)
    user = await api.sign_up_and_log_in()
    status, booking, _ = await api.call("POST", "/api/v1/reservations", flight())
    assert status == 201
    listing = subprocess.run([kcat, "-b", cluster.bootstrap, "-L"], capture_output=True, text=True, timeout=30)
    assert cluster.topic("reservation-events") in listing.stdout, listing.stderr

    def consume(topic: str) -> list[dict]:
        result = subprocess.run([kcat, "-b", cluster.bootstrap, "-C", "-t", cluster.topic(topic), "-e", "-q",
                                 "-f", "%k\\t%s\\n"], capture_output=True, text=True, timeout=30)
        return [(orjson.loads(key), orjson.loads(value)) for key, value in
                (line.split("\t", 1) for line in result.stdout.splitlines() if line)]

    async def event_read():
        return [v for k, v in consume("reservation-events") if k == booking["id"]]

    events = await eventually(event_read, timeout_s=30, interval_s=0.5)
    assert events[0]["reservation_id"] == booking["id"] and events[0]["user_id"] == user["id"]
    await inject(cluster, delay(booking["id"], user["id"], 45))   # as tracking writes it

    async def change_read():
        return [v for k, v in consume("reservation-changes") if k == booking["id"]]

    changes = await eventually(change_read, timeout_s=30, interval_s=0.5)
    assert changes[0]["changes"][0]["new"].endswith("09:45:00+01:00")
