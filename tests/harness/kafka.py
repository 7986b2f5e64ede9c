"""Kafka for tests: librdkafka's mock cluster in a helper process, or a real broker.

Gives `KafkaBroker` with `bootstrap` ("127.0.0.1:port"), `pid` (the mock's process id, for
SIGSTOP/SIGCONT; None for a real broker), `consumer_config(group)`, `producer_config()` and
`new_topic()`. Set DSENSOR_TEST_KAFKA_BOOTSTRAP=host:port to use a real broker instead. The mock
has no Admin API; topics auto-create with 4 partitions on first use.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BOOTSTRAP_ENV = "DSENSOR_TEST_KAFKA_BOOTSTRAP"
MOCK_SCRIPT = Path(__file__).with_name("kafka_mock.py")


@dataclass
class KafkaBroker:
    bootstrap: str
    pid: int | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def producer_config(self, **extra: Any) -> dict[str, Any]:
        """Config for `confluent_kafka.Producer` that fails fast instead of retrying for minutes."""
        return {
            "bootstrap.servers": self.bootstrap,
            "message.timeout.ms": 15000,
            "socket.timeout.ms": 5000,
            "linger.ms": 5,
            **extra,
        }

    def consumer_config(self, group: str, **extra: Any) -> dict[str, Any]:
        """Config for `confluent_kafka.Consumer` that joins and rejoins the group quickly."""
        return {
            "bootstrap.servers": self.bootstrap,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "session.timeout.ms": 6000,
            "heartbeat.interval.ms": 1000,
            "fetch.wait.max.ms": 10,
            "socket.timeout.ms": 5000,
            **extra,
        }

    @staticmethod
    def new_topic(prefix: str = "t") -> str:
        """A topic name no other test uses (the broker lives for the whole session)."""
        return f"{prefix}-{uuid.uuid4().hex[:12]}"

    def stop(self) -> None:
        proc = self.process
        if proc is None:
            return
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)  # in case a test left it stopped
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()
        self.process = None


def first_line(proc: subprocess.Popen[bytes], timeout: float) -> str:
    """The first line a helper process writes to its stdout pipe ("" if none within `timeout`)."""
    assert proc.stdout is not None
    line = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n") and time.monotonic() < deadline:
            if sel.select(timeout=max(0.0, deadline - time.monotonic())):
                chunk = os.read(proc.stdout.fileno(), 256)
                if not chunk:
                    break
                line += chunk
    return line.decode(errors="replace").strip()


def start_mock_cluster(
    num_brokers: int = 1, timeout: float = 30.0, prefix: tuple[str, ...] = ()
) -> KafkaBroker:
    """Start the helper process and wait for its broker address (RuntimeError on failure).

    `prefix` runs it through a wrapper that execs it (`ip netns exec NS`: the pid stays its own).
    """
    proc = subprocess.Popen(
        [*prefix, sys.executable, str(MOCK_SCRIPT), str(num_brokers)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        start_new_session=True,  # a Ctrl-C in the terminal reaches pytest, which cleans up
    )
    broker = KafkaBroker(bootstrap="", pid=proc.pid, process=proc)
    address = first_line(proc, timeout)
    if not address or ":" not in address:
        broker.stop()
        raise RuntimeError(f"kafka mock cluster did not report an address (got {address!r})")
    broker.bootstrap = address
    return broker


def kafka_from_env() -> KafkaBroker | None:
    """A real broker named by DSENSOR_TEST_KAFKA_BOOTSTRAP, if set."""
    value = os.environ.get(BOOTSTRAP_ENV, "").strip()
    return KafkaBroker(bootstrap=value) if value else None
