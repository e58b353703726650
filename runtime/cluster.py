"""A local cluster of real processes: a Tansu broker and Faust workers, for integration tests and benchmarks."""

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

from runtime import tansu

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


@dataclass
class Cluster:
    """A broker on a free port and any number of workers sharing one JWT secret."""

    base_dir: Path
    broker_port: int = field(default_factory=tansu.free_port)
    broker: subprocess.Popen | None = None
    workers: list[Worker] = field(default_factory=list)
    extra_env: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        _cleanup_on_sigterm()

    @property
    def broker_url(self) -> str:
        return f"kafka://127.0.0.1:{self.broker_port}"

    def start_broker(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.broker = tansu.start_broker(self.broker_port, self.base_dir / "broker.log")

    def stop_broker(self) -> None:
        if self.broker is not None and self.broker.poll() is None:
            os.killpg(self.broker.pid, signal.SIGKILL)
            self.broker.wait()

    def worker(self, name: str, web_port: int | None = None, **env: str) -> Worker:
        """A worker (not started) with its own data dir and web port; reuse the name to reuse its data dir."""
        port = web_port or tansu.free_port()
        data_dir = self.base_dir / name / "data"
        worker_env = {
            **os.environ,
            "ROADWARRIOR_BROKER": self.broker_url,
            "ROADWARRIOR_DATA_DIR": str(data_dir),
            "ROADWARRIOR_WEB_PORT": str(port),
            "ROADWARRIOR_WEB_HOST": "127.0.0.1",
            "ROADWARRIOR_JWT_SECRET": "integration-test-secret-" + "x" * 32,
            "ROADWARRIOR_STORE": "rocksdb://",
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
