"""Ready time of `make run`'s stack: cold (empty var/: Kafka's storage formatted, every topic created) and warm
(the same var/ again: Kafka and the worker recover what they kept), with the broker's RSS and idle CPU.

    python -m bench.ready [--runs 2]

Runs `python -m devtools.devstack` on free ports with a var/ of its own (the developer's var/ is untouched);
the jars must already be resolved (`make kafka`). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.tracking import cpu_seconds, rss_bytes  # noqa: E402
from devtools.broker import free_port  # noqa: E402

READY = re.compile(r"Road Warrior is ready \((\d+\.\d) s")


def start(var: Path, ports: dict[str, int]) -> tuple[subprocess.Popen, float]:
    env = {**os.environ, "ROADWARRIOR_VAR_DIR": str(var), "ROADWARRIOR_BROKER": f"kafka://127.0.0.1:{ports['kafka']}",
           "ROADWARRIOR_WEB_PORT": str(ports["web"]), "ROADWARRIOR_SIMULATOR_PORT": str(ports["sim"])}
    env.pop("ROADWARRIOR_DATA_DIR", None)
    stack = subprocess.Popen([sys.executable, "-m", "devtools.devstack"], cwd=ROOT, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    for line in stack.stdout:
        if match := READY.search(line):
            return stack, float(match.group(1))
    raise RuntimeError(f"the stack exited with {stack.wait()} before it was ready; see {var / 'log'}")


def stop(stack: subprocess.Popen) -> float:
    started = time.monotonic()
    os.killpg(stack.pid, signal.SIGTERM)
    stack.wait(timeout=120)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ready", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2, help="cold + warm pairs")
    parser.add_argument("--idle-s", type=float, default=60, help="how long to watch the idle broker")
    args = parser.parse_args(argv)
    for run in range(args.runs):
        var = Path(tempfile.mkdtemp(prefix="bench-ready-"))
        ports = {"kafka": free_port(), "web": free_port(), "sim": free_port()}
        figures = []
        for kind in ("cold", "warm"):
            stack, ready_s = start(var, ports)
            figures.append(f"{kind} {ready_s:.1f} s")
            if kind == "warm":
                pid = int(subprocess.run(["pgrep", "-f", f"{var}/kafka/server.properties"], capture_output=True,
                                         text=True).stdout.split()[0])
                cpu0, t0 = cpu_seconds(pid), time.monotonic()
                time.sleep(args.idle_s)
                idle = (cpu_seconds(pid) - cpu0) / (time.monotonic() - t0)
                figures.append(f"broker RSS {rss_bytes(pid) / 2**20:,.0f} MiB, idle CPU {idle:.1%} of a core "
                               f"over {args.idle_s:.0f} s")
            figures.append(f"stopped in {stop(stack):.1f} s")
        print(f"run {run + 1}: " + "; ".join(figures) + f"  (var: {var})", flush=True)


if __name__ == "__main__":
    main()
