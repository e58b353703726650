"""`python -m devtools.devstack`: the whole service on its defaults, in the foreground.

Starts Apache Kafka (one KRaft node, data in var/kafka; unless ROADWARRIOR_BROKER points elsewhere or something
already listens there), the provider simulator and one Faust worker serving the web API and the Faust monitor;
prints the URLs; Ctrl-C or SIGTERM stops everything it started. If any of them dies, the rest are stopped too:
no half-running stack. Everything is kept in var/ across restarts; `make clean` removes it.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from devtools.broker import Broker, MissingTool, wait_for_port
from runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
VAR = Path(os.environ.get("ROADWARRIOR_VAR_DIR", ROOT / "var")).resolve()   # bench/ready.py uses its own
LOGS = VAR / "log"


class Stack:
    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(LOGS / f"{name}.log", "ab")
        process = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append((name, process))
        return process

    def adopt(self, name: str, process: subprocess.Popen) -> None:
        self.children.append((name, process))

    def dead(self) -> str | None:
        return next((name for name, p in self.children if p.poll() is not None), None)

    def stop(self) -> None:
        for _, process in reversed(self.children):  # worker first, broker last
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _interrupt(*_) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the stack the same way Ctrl-C does


def _listening(host: str, port: int) -> bool:
    try:
        wait_for_port(host, port, timeout_s=0.2)
        return True
    except TimeoutError:
        return False


def _wait_ready(url: str, stack: Stack, timeout_s: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if (name := stack.dead()) is not None:
            raise RuntimeError(f"{name} exited during start-up; see {LOGS / (name + '.log')}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} was not ready after {timeout_s}s")


def main() -> int:
    started = time.monotonic()
    LOGS.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ROADWARRIOR_DATA_DIR", str(VAR / "data"))
    settings = Settings.from_env()   # the worker's own defaults, read the way it reads them
    host, port = settings.streams.broker.split("://", 1)[-1].split(";")[0].rsplit(":", 1)
    web_port = str(settings.web.port)
    sim_port = os.environ.get("ROADWARRIOR_SIMULATOR_PORT", "8700")
    stack = Stack()
    for sig in (signal.SIGINT, signal.SIGTERM):  # explicit: a backgrounded shell job ignores SIGINT
        signal.signal(sig, _interrupt)
    try:
        if not _listening(host, int(port)):
            print(f"starting Apache Kafka on {host}:{port} (data in {VAR / 'kafka'}) ...", flush=True)
            broker = Broker(VAR / "kafka", port=int(port), controller_port=int(port) + 1, host=host,
                            partitions=settings.streams.partitions,
                            log_path=LOGS / "broker.log")
            stack.adopt("broker", broker.start().process)
        stack.start("simulator", [sys.executable, "-m", "devtools.simulator", "--port", sim_port])
        admin = _dev_admin()
        stack.start("worker", [sys.executable, "-m", "faust", "-A", "faust_app", "worker", "-l", "info"], admin)
        _wait_ready(f"http://127.0.0.1:{web_port}/healthz", stack, timeout_s=120)
        ready_s = time.monotonic() - started
        _banner(web_port, sim_port, ready_s, _seed(web_port, sim_port, admin))
        while (name := stack.dead()) is None:
            time.sleep(0.5)
        print(f"{name} exited; stopping the rest (see {LOGS / (name + '.log')})", flush=True)
        return 1
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
        return 0
    except MissingTool as exc:
        print(exc, file=sys.stderr, flush=True)
        return 1
    except (RuntimeError, TimeoutError) as exc:
        print(f"start-up failed: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        stack.stop()


def _dev_admin() -> dict:
    """The administrator for this dev stack: from the environment, else a generated one kept in var/secrets."""
    email = os.environ.get("ROADWARRIOR_ADMIN_EMAIL") or "admin@roadwarrior.test"
    password = os.environ.get("ROADWARRIOR_ADMIN_PASSWORD")
    if not password:
        path = VAR / "secrets" / "admin-password"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(18))
            path.chmod(0o600)
        password = path.read_text().strip()
    return {"ROADWARRIOR_ADMIN_EMAIL": email, "ROADWARRIOR_ADMIN_PASSWORD": password}


def _seed(web_port: str, sim_port: str, admin: dict) -> list[str]:
    """The demo data, seeded once the worker is Ready; the lines that say who can sign in."""
    from devtools import demo

    try:
        lines = asyncio.run(demo.seed(f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{sim_port}",
                                      admin["ROADWARRIOR_ADMIN_EMAIL"], admin["ROADWARRIOR_ADMIN_PASSWORD"]))
    except Exception as exc:  # the stack still runs; say what did not get seeded
        lines = [f"Seeding the demo data failed: {exc}"]
    return [f"Administrator   {admin['ROADWARRIOR_ADMIN_EMAIL']} (password in var/secrets/admin-password"
            " unless ROADWARRIOR_ADMIN_PASSWORD is set)", *lines]


def _banner(web_port: str, sim_port: str, ready_s: float, accounts: list[str]) -> None:
    base = f"http://localhost:{web_port}"
    signed = "\n".join("  " + line for line in accounts)
    print(f"""
Road Warrior is ready ({ready_s:.1f} s after `make run` started the stack).
  App             {base}/
{signed}
  Web API         {base}/api/v1   (OpenAPI: {base}/api/openapi.json)
  Health          {base}/healthz
  Faust monitor   {base}/monitor/
  Provider sim.   http://localhost:{sim_port}/
  Logs            {LOGS}
Ctrl-C stops everything.""", flush=True)


if __name__ == "__main__":
    sys.exit(main())
