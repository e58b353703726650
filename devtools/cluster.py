"""A local cluster of real processes: an Apache Kafka broker and Faust workers, for integration tests and benches.

A cluster either starts its own broker or shares one (the integration suite starts one per session); each
cluster gets its own app id and topic prefix, so clusters on one broker never see each other's topics,
consumer groups or changelogs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from devtools.broker import Broker, free_port

JWT_SECRET = "integration-test-secret-" + "x" * 32   # every worker of a test cluster signs with it

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Worker:
    name: str
    web_port: int
    data_dir: Path
    env: dict
    log_path: Path
    process: subprocess.Popen | None = None
    started_at: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start(self) -> Worker:
        log = open(self.log_path, "ab")
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "faust", "-A", "faust_app", "worker", "-l", "info"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self, timeout_s: float = 90) -> float:
        """Seconds from process start until /healthz answered 200."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; log: {self.log_path}")
            if self.health()[0] == 200:
                return time.monotonic() - self.started_at
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not ready after {timeout_s}s; log: {self.log_path}")

    def health(self) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, {}
        except OSError:
            return 0, {}

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 30) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_broker(base_dir: Path) -> Broker:
    """A Kafka broker on free ports with its data and log under ``base_dir``."""
    base_dir.mkdir(parents=True, exist_ok=True)
    return Broker(base_dir / "kafka", port=free_port(), controller_port=free_port(),
                  log_path=base_dir / "broker.log").start()


@dataclass
class Cluster:
    """Workers sharing one JWT secret, on a broker of their own (``start_broker``) or a shared one."""

    base_dir: Path
    broker: Broker | None = None
    workers: list[Worker] = field(default_factory=list)
    extra_env: dict = field(default_factory=dict)
    app_id: str = "roadwarrior"
    topic_prefix: str = ""
    owns_broker: bool = False

    def __post_init__(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        _cleanup_on_sigterm()

    @property
    def broker_port(self) -> int:
        return self.broker.port

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap

    @property
    def broker_url(self) -> str:
        return f"kafka://{self.broker.bootstrap}"

    def topic(self, name: str) -> str:
        """The name one of the app's topics has in this cluster."""
        return self.topic_prefix + name

    def start_broker(self) -> None:
        """Start a broker of this cluster's own (again, after stop_broker: same data, same ports)."""
        if self.broker is None:
            self.broker = start_broker(self.base_dir)
        else:
            self.broker.start()
        self.owns_broker = True

    def stop_broker(self, kill: bool = False) -> None:
        if self.broker is not None and self.owns_broker:
            self.broker.kill() if kill else self.broker.stop()

    def worker(self, name: str, web_port: int | None = None, **env: str) -> Worker:
        """A worker (not started) with its own data dir and web port; reuse the name to reuse its data dir."""
        port = web_port or free_port()
        data_dir = self.base_dir / name / "data"
        worker_env = {
            **os.environ,
            "ROADWARRIOR_BROKER": self.broker_url,
            "ROADWARRIOR_DATA_DIR": str(data_dir),
            "ROADWARRIOR_WEB_PORT": str(port),
            "ROADWARRIOR_WEB_HOST": "127.0.0.1",
            "ROADWARRIOR_JWT_SECRET": JWT_SECRET,
            "ROADWARRIOR_STORE": "rocksdb://",
            "ROADWARRIOR_APP_ID": self.app_id,
            "ROADWARRIOR_TOPIC_PREFIX": self.topic_prefix,
            **self.extra_env,
            **env,
        }
        worker = Worker(name, port, data_dir, worker_env, self.base_dir / f"{name}.log")
        self.workers.append(worker)
        return worker

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.stop_broker()


def _cleanup_on_sigterm() -> None:
    """SIGTERM (``timeout``, a CI runner) raises SystemExit in the main thread, so the ``finally`` that stops
    the broker and workers runs; by default Python dies on the spot and leaves them running, orphaned."""
    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
