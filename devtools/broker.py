"""Apache Kafka, one KRaft node, on the JVM from Maven Central's artifacts: resolve, format, start, probe.

The jars are resolved once by Maven (devtools/kafka/pom.xml) into .cache/kafka-<version>/libs, outside the
tracked files; the storage is formatted once per data dir; the broker then keeps its data across restarts.

    python -m devtools.broker jars                 # resolve the jars (the setup step runs this)
    python -m devtools.broker serve [--port 9092]  # a broker in the foreground, data in var/kafka
    python -m devtools.broker tool kafka-topics --bootstrap-server 127.0.0.1:9092 --describe
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "kafka"
KAFKA_VERSION = "4.1.1"   # also in devtools/kafka/pom.xml and docker-compose.yml
CACHE = Path(os.environ.get("ROADWARRIOR_KAFKA_CACHE", ROOT / ".cache" / f"kafka-{KAFKA_VERSION}"))
LIBS = CACHE / "libs"
# The heap is bounded for a laptop; G1 with short pauses, as Kafka's own start script sets it.
JVM_OPTIONS = ["-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
               "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
               "-Djava.awt.headless=true"]
# What `bin/kafka-*.sh` run, for the tools people reach for.
TOOLS = {
    "kafka-topics": "org.apache.kafka.tools.TopicCommand",
    "kafka-configs": "kafka.admin.ConfigCommand",
    "kafka-consumer-groups": "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
    "kafka-console-consumer": "org.apache.kafka.tools.consumer.ConsoleConsumer",
    "kafka-get-offsets": "org.apache.kafka.tools.GetOffsetShell",
    "kafka-log-dirs": "org.apache.kafka.tools.LogDirsCommand",
    "kafka-storage": "kafka.tools.StorageTool",
}


class MissingTool(RuntimeError):
    """java or mvn is not installed: the message is the one line to show."""


def java() -> str:
    path = shutil.which("java")
    if path is None:
        raise MissingTool("java is missing: Kafka needs Java 17 (apt-get install openjdk-17-jre-headless; "
                          "`make run` does when it can)")
    return path


def ensure_jars() -> Path:
    """Resolve the broker's jars with Maven unless they are already in the cache; return the libs dir."""
    done = LIBS / ".resolved"
    if done.exists() and done.read_text() == _pom_digest():
        return LIBS
    mvn = shutil.which("mvn")
    if mvn is None:
        raise MissingTool("mvn is missing: the Kafka jars come from Maven Central through Maven "
                          "(apt-get install maven; `make run` does when it can)")
    staging = CACHE / "libs.partial"
    shutil.rmtree(staging, ignore_errors=True)
    command = [mvn, "-q", "-B", "-f", str(HERE / "pom.xml"),
               "org.apache.maven.plugins:maven-dependency-plugin:3.7.1:copy-dependencies",
               f"-DoutputDirectory={staging}", "-DincludeScope=runtime"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"resolving the Kafka jars failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    shutil.rmtree(LIBS, ignore_errors=True)
    staging.rename(LIBS)
    done.write_text(_pom_digest())
    return LIBS


def _pom_digest() -> str:
    import hashlib

    return hashlib.sha256((HERE / "pom.xml").read_bytes()).hexdigest()


def classpath() -> str:
    return str(ensure_jars() / "*")


def random_cluster_id() -> str:
    """What `kafka-storage random-uuid` prints: 16 random bytes, base64url without padding (22 characters);
    Kafka refuses ids that start with '-', as a command line would read them as an option."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not text.startswith("-"):
            return text


@dataclass
class Broker:
    """One KRaft node (broker + controller) with its data under ``data_dir``."""

    data_dir: Path
    port: int = 9092
    controller_port: int = 9093
    host: str = "127.0.0.1"
    partitions: int = 4
    log_path: Path | None = None
    process: subprocess.Popen | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def config(self) -> Path:
        """The committed server.properties with this instance's lines, written beside its logs."""
        path = self.data_dir / "server.properties"
        lines = [
            (HERE / "server.properties").read_text(),
            "# this instance (devtools/broker.py)",
            "node.id=1",
            f"controller.quorum.voters=1@{self.host}:{self.controller_port}",
            f"listeners=PLAINTEXT://{self.host}:{self.port},CONTROLLER://{self.host}:{self.controller_port}",
            f"advertised.listeners=PLAINTEXT://{self.host}:{self.port}",
            f"log.dirs={self.data_dir / 'logs'}",
            f"num.partitions={self.partitions}",
            "",
        ]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines))
        return path

    def format(self) -> bool:
        """Format the storage the first time; returns whether it did (a formatted dir is left alone)."""
        config = self.config()
        if (self.data_dir / "logs" / "meta.properties").exists():
            return False
        result = subprocess.run(
            [java(), *_logging(), "-cp", classpath(), TOOLS["kafka-storage"], "format",
             "-t", random_cluster_id(), "-c", str(config), "--ignore-formatted"],
            capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"formatting Kafka's storage failed: {result.stdout}{result.stderr}")
        return True

    def start(self, timeout_s: float = 60) -> Broker:
        """Format if needed, start the JVM in its own process group, wait until it answers metadata."""
        self.format()
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [java(), *JVM_OPTIONS, *_logging(), f"-Dkafka.logs.dir={self.data_dir / 'server-logs'}",
             "-cp", classpath(), "kafka.Kafka", str(self.data_dir / "server.properties")],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_ready(self.bootstrap, timeout_s, self.process)
        return self

    def stop(self, timeout_s: float = 30) -> None:
        """A controlled shutdown (SIGTERM); SIGKILL if it takes longer than ``timeout_s``."""
        stop_process(self.process, timeout_s)

    def kill(self) -> None:
        stop_process(self.process, 0)


def _logging() -> list[str]:
    return [f"-Dlog4j2.configurationFile={HERE / 'log4j2.properties'}"]


def stop_process(process: subprocess.Popen | None, timeout_s: float) -> None:
    import signal

    if process is None or process.poll() is not None:
        return
    if timeout_s > 0:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout_s)
            return
        except subprocess.TimeoutExpired:
            pass
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_ready(bootstrap: str, timeout_s: float, process: subprocess.Popen | None = None) -> float:
    """Wait until the broker answers a metadata request naming itself; return the seconds it took."""
    host, port = bootstrap.rsplit(":", 1)
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the Kafka broker exited with {process.returncode} during start-up")
        if _metadata_answers(host, int(port)):
            return time.monotonic() - started
        time.sleep(0.1)
    raise TimeoutError(f"Kafka on {bootstrap} did not answer within {timeout_s}s")


def _metadata_answers(host: str, port: int) -> bool:
    """A Metadata v1 request for no topics: the answer lists the brokers once this one is registered."""
    request_header = (3).to_bytes(2, "big") + (1).to_bytes(2, "big") + (1).to_bytes(4, "big") + \
        len(b"probe").to_bytes(2, "big") + b"probe"
    body = (0).to_bytes(4, "big", signed=True)   # an empty topic array: no topics, just the brokers
    payload = request_header + body
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.settimeout(2)
            sock.sendall(len(payload).to_bytes(4, "big") + payload)
            size = int.from_bytes(_read(sock, 4), "big")
            answer = _read(sock, size)
    except OSError:
        return False
    # correlation id (4), then the broker array's length (4)
    return len(answer) >= 8 and int.from_bytes(answer[4:8], "big", signed=True) > 0


def _read(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise OSError("connection closed")
        data += chunk
    return data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(host: str, port: int, timeout_s: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout_s}s")


def tool(name: str, args: list[str]) -> int:
    """Run one of Kafka's command-line tools with the cached jars (what bin/<name>.sh does)."""
    return subprocess.call([java(), "-Xmx256m", *_logging(), "-cp", classpath(), TOOLS[name], *args])


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "jars"
    try:
        if command == "jars":
            print(f"Kafka {KAFKA_VERSION} jars in {ensure_jars()}")
            return 0
        if command == "tool" and len(argv) > 1 and argv[1] in TOOLS:
            return tool(argv[1], argv[2:])
        if command == "serve":
            port = int(argv[argv.index("--port") + 1]) if "--port" in argv else 9092
            broker = Broker(ROOT / "var" / "kafka", port=port, controller_port=port + 1)
            broker.start()
            print(f"Kafka {KAFKA_VERSION} on {broker.bootstrap}; Ctrl-C stops it", flush=True)
            try:
                return broker.process.wait()
            except KeyboardInterrupt:
                broker.stop()
                return 0
    except MissingTool as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"usage: python -m devtools.broker jars | serve [--port N] | tool {{{','.join(TOOLS)}}} ARGS",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
