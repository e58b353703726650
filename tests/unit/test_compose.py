"""The production packaging: docker-compose.yml as the real compose tool resolves it, the Dockerfile, .dockerignore."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
SECRET = "compose-test-secret"
WORKERS = {"worker-1": 6066, "worker-2": 6067}


@pytest.fixture(scope="module")
def compose_tool() -> str:
    tool = shutil.which("docker-compose")
    if tool is None:
        reason = "docker-compose is not installed (apt-get install docker-compose)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must check the compose file for real")
        pytest.skip(f"{reason}; with CI=true this is a failure")
    return tool


def run_config(tool: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """`docker-compose config` with only the given variables: no .env or shell settings of the developer."""
    empty = tmp_path / "empty.env"
    empty.touch()
    return subprocess.run(
        [tool, "--env-file", str(empty), "-f", str(ROOT / "docker-compose.yml"), "config"],
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env},
        capture_output=True, text=True, timeout=60,
    )


@pytest.fixture(scope="module")
def config(compose_tool, tmp_path_factory) -> dict:
    result = run_config(compose_tool, tmp_path_factory.mktemp("compose"), ROADWARRIOR_JWT_SECRET=SECRET)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def published(service: dict) -> set[tuple[int, int]]:
    """(host port, container port) pairs, from compose v1's short syntax or v2's long one."""
    pairs = set()
    for port in service.get("ports", []):
        if isinstance(port, dict):
            pairs.add((int(port["published"]), int(port["target"])))
        else:
            host, container = str(port).split("/")[0].split(":")[-2:]
            pairs.add((int(host), int(container)))
    return pairs


def mounts(service: dict) -> dict[str, str]:
    """Mount target -> named volume."""
    found = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            found[volume["target"]] = volume["source"]
        else:
            source, target = volume.split(":")[:2]
            found[target] = source
    return found


def listeners(value: str) -> dict[str, tuple[str, int]]:
    """'NAME://host:port,...' -> {NAME: (host, port)}."""
    parsed = {}
    for item in value.split(","):
        name, address = item.split("://")
        host, port = address.rsplit(":", 1)
        parsed[name] = (host, int(port))
    return parsed


def test_the_compose_file_is_valid_and_has_the_four_services(config):
    assert set(config["services"]) == {"kafka", "redis", *WORKERS}
    assert config["services"]["redis"]["image"].startswith("redis:7")


def test_compose_refuses_to_run_without_the_shared_secret(compose_tool, tmp_path):
    result = run_config(compose_tool, tmp_path)
    assert result.returncode != 0
    assert "ROADWARRIOR_JWT_SECRET" in result.stderr


def test_kafka_is_a_single_kraft_node_with_an_internal_listener_for_the_workers(config):
    kafka = config["services"]["kafka"]
    env = environment(kafka)
    assert kafka["image"].startswith("apache/kafka:")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert not any("ZOOKEEPER" in key for key in env)
    bound, advertised = listeners(env["KAFKA_LISTENERS"]), listeners(env["KAFKA_ADVERTISED_LISTENERS"])
    controller = env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:{bound[controller][1]}"
    assert controller not in advertised  # a combined node advertises only its broker listeners
    protocols = dict(item.split(":") for item in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert set(bound) <= set(protocols)
    internal = env["KAFKA_INTER_BROKER_LISTENER_NAME"]
    assert advertised[internal][0] == "kafka" and advertised[internal][1] == bound[internal][1]
    for name in ("OFFSETS_TOPIC_REPLICATION_FACTOR", "TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                 "TRANSACTION_STATE_LOG_MIN_ISR"):
        assert env[f"KAFKA_{name}"] == "1"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "true"
    assert mounts(kafka)[env["KAFKA_LOG_DIRS"]] == "kafka-data"
    assert "healthcheck" in kafka and "healthcheck" in config["services"]["redis"]


def test_two_workers_on_real_kafka_each_reachable_by_the_other(config):
    kafka_env = environment(config["services"]["kafka"])
    internal = listeners(kafka_env["KAFKA_ADVERTISED_LISTENERS"])[kafka_env["KAFKA_INTER_BROKER_LISTENER_NAME"]]
    data_volumes = set()
    for name, host_port in WORKERS.items():
        worker = config["services"][name]
        env = environment(worker)
        assert env["ROADWARRIOR_BROKER"] == f"kafka://{internal[0]}:{internal[1]}"
        # Its own service name: the canonical URL the other worker uses to route requests for its keys.
        assert env["ROADWARRIOR_WEB_HOST"] == name
        assert published(worker) == {(host_port, int(env["ROADWARRIOR_WEB_PORT"]))}
        assert env["ROADWARRIOR_JWT_SECRET"] == SECRET
        assert env["ROADWARRIOR_PARTITIONS"] == kafka_env["KAFKA_NUM_PARTITIONS"]
        data_volumes.add(mounts(worker)[env["ROADWARRIOR_DATA_DIR"]])
        assert {dep: spec["condition"] for dep, spec in worker["depends_on"].items()} == {
            "kafka": "service_healthy", "redis": "service_healthy"}
        assert worker["build"]["context"] == str(ROOT)
    assert len(data_volumes) == len(WORKERS)  # RocksDB directories are never shared
    assert data_volumes <= set(config["volumes"])


def test_one_setting_keeps_broker_and_worker_partition_counts_equal(compose_tool, tmp_path):
    result = run_config(compose_tool, tmp_path, ROADWARRIOR_JWT_SECRET=SECRET, ROADWARRIOR_PARTITIONS="12")
    services = yaml.safe_load(result.stdout)["services"]
    assert environment(services["kafka"])["KAFKA_NUM_PARTITIONS"] == "12"
    assert {environment(services[name])["ROADWARRIOR_PARTITIONS"] for name in WORKERS} == {"12"}


def dockerfile_stage() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile's final stage, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    instructions = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def test_the_image_runs_one_faust_worker_as_a_non_root_user():
    stage = dockerfile_stage()
    args = {keyword: rest for keyword, rest in stage}  # the last of each instruction is the one in force
    assert args["FROM"].startswith("python:3.11-slim")
    assert json.loads(args["CMD"]) == ["faust", "-A", "faust_app", "worker", "-l", "info"]
    assert args["EXPOSE"].split() == ["6066"]
    assert "/healthz" in args["HEALTHCHECK"]
    assert args["USER"] not in ("root", "0")
    keywords = [keyword for keyword, _ in stage]
    assert keywords.index("USER") < keywords.index("CMD")
    env = dict(re.findall(r"(ROADWARRIOR_\w+)=(\S+)", " ".join(rest for keyword, rest in stage if keyword == "ENV")))
    assert env["ROADWARRIOR_WEB_PORT"] == "6066"
    assert env["ROADWARRIOR_DATA_DIR"] in json.loads(args["VOLUME"])


def test_the_build_context_admits_every_package_pip_installs():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    wanted = {pattern.rstrip("*") for pattern in pyproject["packages"]["find"]["include"]}
    wanted |= {f"{module}.py" for module in pyproject["py-modules"]} | {"pyproject.toml"}
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    assert "*" in lines  # an allowlist: nothing gets in unless admitted below
    admitted = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert wanted <= admitted


def test_compose_runs_the_kafka_release_the_dev_stack_and_tests_run(config):
    from devtools import broker

    assert config["services"]["kafka"]["image"] == f"apache/kafka:{broker.KAFKA_VERSION}"
    pom = (ROOT / "devtools" / "kafka" / "pom.xml").read_text()
    assert f"<kafka.version>{broker.KAFKA_VERSION}</kafka.version>" in pom
